"""Loading a recipe: YAML 1.2 with line numbers, refused when unsafe, into a `Recipe`.

ruamel.yaml reads YAML 1.2 (so `language: no` stays a string) and keeps line numbers;
pydantic checks the shape. Every problem is reported at once, each as
`recipe.yaml:LINE:COL: key.path: message`. A valid recipe in plain YAML is read by the
C parser first (`fastyaml`: seven times faster); anything else by the round-trip loader.
YAML tags, duplicate keys and alias bombs are refused.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ficbook import fastyaml
from ficbook.errors import RecipeError
from ficbook.recipe.locate import format_error, locate, position
from ficbook.recipe.schema import MAX_RECIPE_BYTES, Recipe


def _yaml() -> YAML:
    # Round-trip mode keeps line/column marks; it builds plain Python data only (no
    # arbitrary tags are constructed), and duplicate keys are errors.
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def load_recipe(path: Path) -> Recipe:
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise RecipeError("is a folder, not a recipe file", file=name)
        if not path.is_file():  # a device or a pipe: reading it might never end
            raise RecipeError("not a regular file (a device, pipe or socket); give a .yaml file",
                              file=name)
        if size > MAX_RECIPE_BYTES:
            raise RecipeError(f"recipe is {size} bytes; a recipe must be under 1 MB", file=name)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RecipeError("recipe not found", file=name) from None
    except PermissionError:
        raise RecipeError("recipe is not readable (permission denied)", file=name) from None
    except OSError as exc:
        raise RecipeError(f"cannot read recipe: {exc.strerror}", file=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise RecipeError(f"recipe is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                          file=name, line=line, col=col) from None
    return parse_recipe(text, path)


_DATE_LIKE = re.compile(r"^[^#\n]*?:\s+(\d{4}-\d\d?-\d\d?\S*)\s*$", re.MULTILINE)


def _value_mark(text: str) -> tuple[int | None, int | None]:
    """Line and column of the first date-like value, the usual culprit; none if not found."""
    m = _DATE_LIKE.search(text)
    if m is None:
        return None, None
    line = text.count("\n", 0, m.start(1)) + 1
    return line, m.start(1) - (text.rfind("\n", 0, m.start(1)) + 1) + 1


def parse_recipe(text: str, path: Path) -> Recipe:
    return _parse_plain(text, path) or _parse(text, path)


def _parse_plain(text: str, path: Path) -> Recipe | None:
    """The fast path (`fastyaml`): a valid recipe in plain YAML, else None. Its data are
    what `_parse` reads from the same text, so the recipe is the same; any problem is left
    to `_parse`, which reports it with line numbers."""
    data = fastyaml.load(text)
    if not isinstance(data, dict) or not data:
        return None
    try:
        recipe = Recipe.model_validate(_plain(data, depth=0))
    except (_TooDeep, _BadTag, ValidationError):
        return None
    recipe = recipe.model_copy(update={"source": path})
    targets = [recipe.story_path(entry) for entry in recipe.all_stories]
    return recipe if len(set(targets)) == len(targets) else None


def _parse(text: str, path: Path) -> Recipe:
    name = str(path)
    try:
        with warnings.catch_warnings():
            # ruamel warns (on stderr) about an anchor defined twice; YAML lets the last win
            warnings.simplefilter("ignore")
            data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in str(exc):
            problem = "duplicate key " + _dup_key(str(exc))
        if mark is not None:
            raise RecipeError(f"invalid YAML: {problem}", file=name, line=mark.line + 1,
                              col=mark.column + 1) from None
        raise RecipeError(f"invalid YAML: {problem}", file=name) from None
    except YAMLError as exc:
        raise RecipeError(f"invalid YAML: {str(exc).splitlines()[0]}", file=name) from None
    except RecursionError:
        raise RecipeError("invalid YAML: nested too deeply", file=name) from None
    except (ValueError, OverflowError) as exc:
        # ruamel builds dates and numbers as it reads: `date: 2024-13-45` fails there
        line, col = _value_mark(text)
        raise RecipeError(f"invalid YAML value: {exc} (put values that look like dates "
                          "or numbers in quotes)", file=name, line=line, col=col) from None
    except (TypeError, IndexError, KeyError, AttributeError) as exc:
        # ruamel's own slips on odd scalars (`-_` read as a number fails inside it)
        raise RecipeError(f"invalid YAML: the reader failed on a value ({type(exc).__name__}: "
                          f"{exc}); put odd values in quotes", file=name) from None
    if data is None:
        raise RecipeError("recipe is empty: it needs at least `title:` and `stories:`", file=name)
    if not isinstance(data, CommentedMap):
        raise RecipeError("a recipe is a mapping of keys (title:, stories:, …)", file=name,
                          line=1, col=1)
    try:
        plain = _plain(data, depth=0)
    except _TooDeep:
        raise RecipeError("recipe is nested too deeply or has too many aliases", file=name) from None
    except _BadTag as exc:
        raise RecipeError(f"YAML tag {exc} is not allowed in a recipe", file=name) from None
    try:
        recipe = Recipe.model_validate(plain)
    except ValidationError as exc:
        errors = sorted((locate(err, data) for err in exc.errors()), key=lambda e: e[0])
        lines = [format_error(err, pos, name) for pos, err in errors]
        raise RecipeError(f"{len(lines)} problem{'s' if len(lines) > 1 else ''} in recipe",
                          file=name, details=tuple(lines)) from None
    recipe = recipe.model_copy(update={"source": path})
    _refuse_duplicates(recipe, data, name)
    return recipe


def _refuse_duplicates(recipe: Recipe, data: CommentedMap, name: str) -> None:
    """The same story file twice in one book is a mistake, not an anthology."""
    places: list[tuple[str | int, ...]]
    if recipe.parts:
        places = [("parts", i, "stories", j) for i, p in enumerate(recipe.parts)
                  for j in range(len(p.stories))]
    else:
        places = [("stories", j) for j in range(len(recipe.stories))]
    seen: dict[Path, int] = {}
    for n, (entry, loc) in enumerate(zip(recipe.all_stories, places)):
        target = recipe.story_path(entry)
        if target in seen:
            line, col = position(data, loc, key=False)
            first = recipe.all_stories[seen[target]].path or recipe.all_stories[seen[target]].url
            raise RecipeError(f"{'.'.join(map(str, loc))}: story listed twice: {entry.path or entry.url} "
                              f"(also story {seen[target] + 1}, {first})", file=name,
                              line=line, col=col)
        seen[target] = n


class _TooDeep(Exception):
    pass


class _BadTag(Exception):
    pass


_MAX_NODES = 100_000
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "omap")}


def _plain(node: Any, depth: int, budget: list[int] | None = None) -> Any:
    """ruamel's containers to plain dicts and lists, bounded (aliases can explode)."""
    budget = budget if budget is not None else [_MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or depth > 50:
        raise _TooDeep
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag and tag not in _PLAIN_TAGS:
        raise _BadTag(tag.replace("tag:yaml.org,2002:", "!!"))
    if isinstance(node, dict):
        return {str(k): v if k == "path" and isinstance(v, str) else _plain(v, depth + 1, budget)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, depth + 1, budget) for v in node]
    if isinstance(node, TaggedScalar):
        return node.value
    if isinstance(node, dt.datetime):
        return node.date()
    if isinstance(node, str):
        return _xml_safe(node)
    return node


# Characters XML (and so a book) cannot hold, which YAML's "\x01" escapes can write:
# line-like ones become spaces, the rest are dropped. File paths are left as written.
_XML_SPACES = re.compile("[\x0b\x0c\x85]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_FORBIDDEN.sub("", _XML_SPACES.sub(" ", text))


def _dup_key(message: str) -> str:
    m = re.search(r'found duplicate key "([^"]+)"', message)
    return f"{m.group(1)!r}" if m else ""
