"""Layout profiles: one YAML file a layout under `ficbook/data/layouts/`, read once.

A profile is data: how to recognise the layout (its signs), its card labels, section
markers, chrome lines. The engine named in it (`sections`, `markers`) does the reading,
so a new archive of an existing shape is a new file plus fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ficbook.datafiles import data_file, data_yaml


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    engine: str
    need: int
    signs: tuple[tuple[str, re.Pattern[str]], ...]
    data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def flags(self) -> int:
        return re.IGNORECASE if self.data.get("ignore_case") else 0

    @property
    def quick(self) -> tuple[bytes, ...]:
        """The `quick` words in UTF-8 (ASCII letters lower case, others as written)."""
        return self.data["_quick"]

    def may_be(self, low_head: bytes, low_tail: bytes) -> bool:
        """A cheap test before the signs' regexes: one of its words in the file's ends
        (bytes with ASCII lowered: a substring test on bytes is a fast scan)."""
        words = self.quick
        if not words:
            return True
        for w in words:  # a loop, not a generator: it runs for every profile of every story
            if w in low_head or w in low_tail:
                return True
        return False

    def enough(self, names: set[str]) -> bool:
        """Signs of `need` kinds, the required ones among them."""
        required = (self.data.get("detect") or {}).get("require") or ()
        return len(names) >= self.need and all(r in names for r in required)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(self.data.get("inputs") or ("text",))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def pattern(self, key: str) -> re.Pattern[str] | None:
        """A one-pattern key compiled (multi-line: `^` is a line's start)."""
        return _compile(self.data[key], self.flags) if self.data.get(key) else None

    def patterns(self, key: str) -> re.Pattern[str] | None:
        """A list-of-patterns key as one alternation, or None when the list is empty."""
        items = self.data.get(key) or ()
        return _compile("|".join(f"(?:{p})" for p in items), self.flags) if items else None

    def whole_line(self, key: str) -> re.Pattern[str] | None:
        """A list of whole-line patterns: matched with fullmatch on a stripped line."""
        items = self.data.get(key) or ()
        return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE) if items else None


@lru_cache(maxsize=256)
def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE | flags)


def _load(name: str, data: dict) -> Profile:
    data = dict(data)  # the parsed file is cached: add to a copy
    detect = data.get("detect") or {}
    flags = re.IGNORECASE if data.get("ignore_case") else 0
    signs = tuple((key, _compile(p, flags)) for key, p in (detect.get("signs") or {}).items())
    data["_quick"] = tuple(w.encode("utf-8") for w in data.get("quick") or ())
    return Profile(name=data.get("name", name), description=data.get("description", ""),
                   engine=data["engine"], need=int(detect.get("need", 2)), signs=signs,
                   data=data)


@lru_cache(maxsize=1)
def profiles() -> dict[str, Profile]:
    """Every profile by name, in file-name order (the order detection tries them)."""
    folder = data_file("layouts")
    out: dict[str, Profile] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            p = _load(entry.name[:-5], data_yaml(f"layouts/{entry.name}"))
            out[entry.name[:-5]] = p  # the file's name is the layout's (recipes use it)
    return out


def layout_names() -> tuple[str, ...]:
    return tuple(profiles())
