"""The converter: a story file's bytes in, a `Story` and diagnostics out. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from ficbook.errors import Diagnostic
from ficbook.model import Story
from ficbook.sources import Source


@dataclass(frozen=True)
class ConvertOptions:
    encoding: str | None = None
    # Rules switched on or off by name (recipe `rules:`, then the story's own `rules:`).
    rules: tuple[tuple[str, bool], ...] = ()
    notes_after: str | None = None
    notes_before: str | None = None
    language: str | None = None

    def enabled(self, rule: str, default: bool = True) -> bool:
        return dict(self.rules).get(rule, default)


@dataclass(frozen=True)
class ConvertResult:
    story: Story
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def convert(source: Source, options: ConvertOptions = ConvertOptions()) -> ConvertResult:
    from ficbook.convert.text import convert_text

    return convert_text(source, options)
