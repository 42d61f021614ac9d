"""Which characters can a regex's match start with? Worked out from the pattern's parse tree.

The rules use it to settle most paragraphs at their first character: a paragraph starting
"I" or a quote cannot be a chrome line, a note label, a scene-break glyph line or an
attribution, and one dictionary lookup says so. The answer errs towards yes: a construct
the walk does not know allows any character.

The parse tree comes from `re._parser`, a private module of the standard library. If a
Python release moves or changes it, every pattern falls back to "any first character"
(correct, only slower), and `tests/convert/test_firstchars.py` fails loudly so that the
walk is brought up to date.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from ficbook import codecache

try:  # Python 3.11+: re._parser, re._constants (private: imported by name, untyped)
    _sre: Any = importlib.import_module("re._constants")
    _sre_parse: Any = importlib.import_module("re._parser")
    WALK = True
except ImportError:  # pragma: no cover - a Python without them: any first character
    _sre = _sre_parse = None
    WALK = False

# An item of a parsed pattern: (opcode, its argument), whose shape depends on the opcode.
ParseItem = tuple[Any, Any]

CACHED_CHARS = 16384  # first characters remembered per table: a file of a million kinds


def first_regex(pattern: str) -> str | None:
    """A regex for the characters a match of `pattern` (case ignored) can start with;
    None: any character. From the command line, worked out once and kept (`codecache`,
    by this module's source): `re`'s parser takes 36 M instructions for the rules' 63
    patterns, in every build's start."""
    if not WALK:
        return None
    if not codecache.installed():
        return _first_regex(pattern)
    return codecache.remembered(("firstchars", _source(), pattern), lambda: _first_regex(pattern))


def _source() -> str:
    """This module's source, by digest: the walk the kept answers came from."""
    if not _digest:
        from ficbook.digests import file_digests
        from ficbook.native import PACKAGE

        path = str(PACKAGE / "convert" / "firstchars.py")
        _digest.append(file_digests([path], 1 << 24)[path])
    return _digest[0]


_digest: list[str] = []


def _first_regex(pattern: str) -> str | None:
    try:
        first, _ = _starts(_sre_parse.parse(pattern, re.IGNORECASE))
    except Exception:  # a changed private module: err towards any
        return None
    return None if first is None else "|".join(sorted(first)) or "(?!)"  # "(?!)": none


def can_start(pattern: str) -> Callable[[str], bool]:
    """A test: can a match of `pattern` (case ignored) start with this character?"""
    return char_test(first_regex(pattern))


def char_test(regex: str | None) -> Callable[[str], bool]:
    if regex is None:
        return lambda c: True
    one = re.compile(regex, re.IGNORECASE)
    return lambda c: one.fullmatch(c) is not None


class FirstChars(dict):
    """Character -> can a match of the pattern start with it; worked out the first time a
    character is looked up (`table[text[:1]]`; the empty string: False)."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.test = can_start(pattern)
        self[""] = False

    def __missing__(self, c: str) -> bool:
        may = self.test(c)
        if len(self) < CACHED_CHARS:
            self[c] = may
        return may


def _starts(items: Iterable[ParseItem]) -> tuple[set[str] | None, bool]:
    """(one-character regexes, one of which the first character of a match of the
    sequence matches, None for any character; whether the sequence can match "")."""
    first: set[str] = set()
    for op, av in items:
        regexes, empty = _item_starts(op, av)
        if regexes is None:
            return None, False
        first |= regexes
        if not empty:
            return first, False
    return first, True


def _item_starts(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    sre = _sre
    if op in (sre.LITERAL, sre.IN):
        one = _one_char(op, av)
        return (None if one is None else {one}), False
    if op is sre.SUBPATTERN:  # (group, add flags, del flags, items)
        return _starts(av[3])
    if op is sre.ATOMIC_GROUP:
        return _starts(av)
    if op is sre.BRANCH:  # (None, alternatives)
        results = [_starts(alt) for alt in av[1]]
        if any(first is None for first, _ in results):
            return None, False
        return set().union(*(first or () for first, _ in results)), any(e for _, e in results)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):  # (min, max, items)
        first, empty = _starts(av[2])
        return first, empty or av[0] == 0
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return set(), True  # zero width: what follows starts the match
    return None, False  # any character, back references, conditionals: any


def _one_char(op: Any, av: Any) -> str | None:
    """A regex for the characters a one-character item matches; None for a negation (it
    matches almost anything) and what the walk does not know."""
    sre = _sre
    if op is sre.LITERAL:
        return re.escape(chr(av))
    if op is not sre.IN:
        return None
    categories = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
    parts = []
    for o, a in av:
        if o is sre.LITERAL:
            parts.append(re.escape(chr(a)))
        elif o is sre.RANGE:
            parts.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
        elif o is sre.CATEGORY and a in categories:
            parts.append(categories[a])
        else:
            return None
    return f"[{''.join(parts)}]"
