"""The converter: `Story` -> `Story` by an ordered list of small named rules (`RULE_NAMES`),
each switchable from the recipe. Pure: no I/O. The readers (`ficbook.readers`) make the
`Story` from a file's bytes and run these rules on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ficbook.convert.registry import DEFAULTS, RULE_NAMES, RULES
from ficbook.errors import Diagnostic
from ficbook.model import Story

__all__ = ["RULES", "RULE_NAMES", "ConvertOptions", "ConvertResult"]


@dataclass(frozen=True)
class ConvertOptions:
    encoding: str | None = None
    # Rules switched on or off by name (recipe `rules:`, then the story's own `rules:`).
    rules: tuple[tuple[str, bool], ...] = ()
    notes_after: str | None = None
    notes_before: str | None = None
    language: str | None = None  # the story's (recipe entry), then as the reader settles it
    book_language: str | None = None  # the recipe's: a story's when detection is unsure
    # A layout profile by name (readers/layouts), "none" for no layout, None: detect.
    layout: str | None = None
    # A layout's boilerplate (a licence, an edition's header): "drop" or "keep".
    boilerplate: str = "drop"

    def enabled(self, rule: str, default: bool | None = None) -> bool:
        # dict(self.rules).get(rule, default), without making the dict (a rule asks
        # several times a story): the last setting of the rule wins, as in the dict
        found = None
        for name, on in self.rules:
            if name == rule:
                found = on
        if found is not None:
            return found
        return DEFAULTS.get(rule, True) if default is None else default


@dataclass(frozen=True)
class ConvertResult:
    story: Story
    diagnostics: tuple[Diagnostic, ...] = field(default=())
