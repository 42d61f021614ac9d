"""The converter: a story file's bytes in, a `Story` and diagnostics out. Pure: no I/O.

An ordered list of small named rules (`RULE_NAMES`), each switchable from the recipe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ficbook.convert.registry import DEFAULTS, RULE_NAMES, RULES
from ficbook.errors import Diagnostic
from ficbook.model import Story
from ficbook.sources import Source

__all__ = ["RULES", "RULE_NAMES", "ConvertOptions", "ConvertResult", "convert"]


@dataclass(frozen=True)
class ConvertOptions:
    encoding: str | None = None
    # Rules switched on or off by name (recipe `rules:`, then the story's own `rules:`).
    rules: tuple[tuple[str, bool], ...] = ()
    notes_after: str | None = None
    notes_before: str | None = None
    language: str | None = None

    def enabled(self, rule: str, default: bool | None = None) -> bool:
        if default is None:
            default = DEFAULTS.get(rule, True)
        return dict(self.rules).get(rule, default)


@dataclass(frozen=True)
class ConvertResult:
    story: Story
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def convert(source: Source, options: ConvertOptions = ConvertOptions()) -> ConvertResult:
    # Markup dispatch (issue 5): saved pages and EPUBs go to ficbook.readers, decided by
    # the bytes, not the extension; text stays on the text path below.
    from ficbook.readers import is_markup, read_markup

    if is_markup(source):
        return read_markup(source, options)
    # End of markup dispatch.
    from ficbook.convert.text import convert_text

    return convert_text(source, options)
