"""Recipes: YAML files that describe one anthology.

ruamel.yaml reads YAML 1.2 (so `language: no` stays a string) and keeps line numbers;
pydantic checks the shape. Every problem is reported at once, each as
`recipe.yaml:LINE:COL: key.path: message`. A valid recipe in plain YAML is read by the
C parser first (`fastyaml`: seven times faster); anything else by the round-trip loader.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import warnings
import uuid
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ficbook import fastyaml
from ficbook.cover.options import CoverOptions
from ficbook.errors import RecipeError

# BCP 47, loosely: a primary language subtag and optional subtags (en, en-GB, zh-Hant-TW).
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# A recipe larger than this is not a recipe; refuse before parsing.
MAX_RECIPE_BYTES = 1_000_000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NotesMode = Literal["inline", "story-end", "appendix", "drop"]
DisclaimersMode = Literal["story", "credits", "drop"]


class StoryEntry(_Model):
    path: str = Field(min_length=1)
    title: str | None = None
    author: str | None = None
    summary: str | None = None
    rating: str | None = None
    language: str | None = None
    encoding: str | None = None
    # Converter rules switched on or off for this story, by name: {typography: false}.
    rules: dict[str, bool] = Field(default_factory=dict)
    # Where unlabelled author's notes start or end, by their first words.
    notes_after: str | None = None
    notes_before: str | None = None
    notes: NotesMode | None = None
    disclaimers: DisclaimersMode | None = None

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        return _check_language(v) if v is not None else v

    @field_validator("rules")
    @classmethod
    def _rules(cls, v: dict[str, bool]) -> dict[str, bool]:
        return _check_rules(v)


class Series(_Model):
    name: str = Field(min_length=1)
    index: float | None = None


class Part(_Model):
    title: str = Field(min_length=1)
    stories: list[StoryEntry] = Field(min_length=1)


class Recipe(_Model):
    title: str = Field(min_length=1)
    subtitle: str | None = None
    editor: str | None = None
    language: str = "en"
    description: str | None = None
    date: dt.date | None = None
    series: Series | None = None
    subjects: list[str] = Field(default_factory=list)
    identifier: str | None = None
    cover: CoverOptions = Field(default_factory=CoverOptions)
    stories: list[StoryEntry] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)
    # Converter rules switched for every story: {typography: false, chrome: true}.
    rules: dict[str, bool] = Field(default_factory=dict)
    notes: NotesMode = "inline"
    disclaimers: DisclaimersMode = "story"
    labels: dict[str, str] = Field(default_factory=dict)
    css: str | None = None  # extra CSS appended to the book's stylesheet

    # Not YAML fields: set by load_recipe.
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        return _check_language(v)

    @field_validator("rules")
    @classmethod
    def _rules(cls, v: dict[str, bool]) -> dict[str, bool]:
        return _check_rules(v)

    @field_validator("labels")
    @classmethod
    def _labels(cls, v: dict[str, str]) -> dict[str, str]:
        return _check_labels(v)

    @field_validator("css")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        if v:
            from ficbook.recipe.csslint import lint_css

            problems = lint_css(v)
            if problems:
                raise ValueError("CSS that e-readers reject: " + "; ".join(problems))
        return v

    @field_validator("stories")
    @classmethod
    def _not_empty(cls, v: list[StoryEntry]) -> list[StoryEntry]:
        if not v:
            raise ValueError("the list is empty: add at least one story (`- path: story.txt`)")
        return v

    @model_validator(mode="after")
    def _has_stories(self) -> Recipe:
        if self.stories and self.parts:
            raise ValueError("give either `stories` or `parts`, not both")
        if not self.stories and not self.parts:
            raise ValueError("no stories: add a `stories:` list (or `parts:`)")
        return self

    # -------------------------------------------------------------- derived

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    @property
    def all_stories(self) -> list[StoryEntry]:
        if self.parts:
            return [s for p in self.parts for s in p.stories]
        return list(self.stories)

    def story_path(self, entry: StoryEntry) -> Path:
        # realpath, not Path.resolve(): a symlink loop must reach the reader's clear error.
        # Remembered: a build asks for each story's path five times, and realpath stats
        # every component of it each time.
        key = (self.base_dir, entry.path)
        path = self._story_paths.get(key)
        if path is None:
            path = self._story_paths[key] = Path(os.path.realpath(key[0] / entry.path))
        return path

    @cached_property
    def _story_paths(self) -> dict[tuple[Path, str], Path]:
        return {}

    @property
    def uuid(self) -> str:
        """A stable identity: rebuilding the same recipe keeps its place on the reader."""
        if self.identifier:
            return self.identifier
        key = f"ficbook:{self.title}:{self.editor or ''}:{self.source.name if self.source else ''}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _check_labels(v: dict[str, str]) -> dict[str, str]:
    from ficbook.model import DEFAULT_LABELS

    problems = []
    for key in v:
        if key not in DEFAULT_LABELS:
            close = difflib.get_close_matches(key, list(DEFAULT_LABELS), n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(f"unknown label `{key}`{hint}")
    if problems:
        raise ValueError("; ".join(problems) + "; known labels: " + ", ".join(DEFAULT_LABELS))
    return v


def _check_rules(rules: dict[str, bool]) -> dict[str, bool]:
    from ficbook.convert import RULE_NAMES

    for name in rules:
        if name not in RULE_NAMES:
            close = difflib.get_close_matches(name, RULE_NAMES, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ValueError(f"unknown converter rule {name!r}{hint}; the rules are: "
                             + ", ".join(RULE_NAMES))
    return rules


def _check_language(v: str) -> str:
    if not _BCP47.match(v):
        raise ValueError(f"not a BCP 47 language tag: {v!r} (e.g. en, en-GB, fr, pt-BR)")
    return v


# ------------------------------------------------------------------ loading


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


def _value_mark(text: str) -> dict[str, int]:
    """Line and column of the first date-like value, the usual culprit; none if not found."""
    m = _DATE_LIKE.search(text)
    if m is None:
        return {}
    line = text.count("\n", 0, m.start(1)) + 1
    return {"line": line, "col": m.start(1) - (text.rfind("\n", 0, m.start(1)) + 1) + 1}


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
        raise RecipeError(f"invalid YAML value: {exc} (put values that look like dates "
                          "or numbers in quotes)", file=name, **_value_mark(text)) from None
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
        errors = sorted((_locate(err, data) for err in exc.errors()), key=lambda e: e[0])
        lines = [_format_error(err, pos, name) for pos, err in errors]
        raise RecipeError(f"{len(lines)} problem{'s' if len(lines) > 1 else ''} in recipe",
                          file=name, details=tuple(lines)) from None
    recipe = recipe.model_copy(update={"source": path})
    _refuse_duplicates(recipe, data, name)
    return recipe


def _refuse_duplicates(recipe: Recipe, data: CommentedMap, name: str) -> None:
    """The same story file twice in one book is a mistake, not an anthology."""
    if recipe.parts:
        places = [("parts", i, "stories", j) for i, p in enumerate(recipe.parts)
                  for j in range(len(p.stories))]
    else:
        places = [("stories", j) for j in range(len(recipe.stories))]
    seen: dict[Path, int] = {}
    for n, (entry, loc) in enumerate(zip(recipe.all_stories, places)):
        target = recipe.story_path(entry)
        if target in seen:
            line, col = _position(data, loc, key=False)
            first = recipe.all_stories[seen[target]].path
            raise RecipeError(f"{'.'.join(map(str, loc))}: story listed twice: {entry.path} "
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


def _locate(err: Any, data: CommentedMap) -> tuple[tuple[int, int], Any]:
    loc = tuple(err["loc"])
    line, col = _position(data, loc, key=err["type"] == "extra_forbidden")
    err = {**err, "_data": data}
    return (line or 0, col or 0), err


def _format_error(err: dict[str, Any], pos: tuple[int, int], name: str) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    data = err["_data"]
    line, col = pos
    dotted = ".".join(str(p) for p in loc) or "(top)"
    if kind == "extra_forbidden":
        message = f"unknown key{_did_you_mean(data, loc)}"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = err["msg"]
        message = message.removeprefix("Value error, ")
    where = f"{name}:{line}:{col}" if line else name
    return f"{where}: {dotted}: {message}"


def _did_you_mean(data: CommentedMap, loc: tuple) -> str:
    model = _model_at(loc[:-1], data)
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _model_at(loc: tuple, data: Any) -> type[BaseModel] | None:
    model: Any = Recipe
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        ann = field.annotation
        model = _inner_model(ann)
    return model


def _inner_model(ann: Any) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


def _position(data: Any, loc: tuple, key: bool) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the YAML node at `loc`; its parent's when absent."""
    node = data
    best: tuple[int | None, int | None] = (1, 1)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            try:
                mark = node.lc.key(part) if (key and last) else node.lc.value(part)
            except KeyError:
                mark = None
            if mark is None:  # a key that came in through a merge (`<<:`) has no place
                break
            best = (mark[0] + 1, mark[1] + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            best = (line + 1, col + 1)
            node = node[part]
        else:
            if hasattr(node, "lc"):
                best = (node.lc.line + 1, node.lc.col + 1)
            break
    return best
