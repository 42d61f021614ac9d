"""The cover's canvas and what composing it yields from the text to set (`cover.text`): the
layout the painter draws (`CoverLayout`: every line, ornament and panel placed)."""

from __future__ import annotations

from dataclasses import dataclass

from ficbook.cover.colour import RGB
from ficbook.cover.fonts import FontSpec
from ficbook.cover.style import Palette, Style
from ficbook.errors import Diagnostic

WIDTH, HEIGHT = 1600, 2560


@dataclass(frozen=True, slots=True)
class PlacedText:
    role: str
    lines: tuple[str, ...]
    font: FontSpec
    size: int
    tracking: float  # px between letters
    colour: RGB
    backdrop: RGB  # what the text is read against (background, panel, or image scrim)
    align: str
    x0: int  # the measure: left and right edges of the text column
    x1: int
    baselines: tuple[int, ...]
    box: tuple[int, int, int, int]  # ink bounds of all lines


@dataclass(frozen=True, slots=True)
class PlacedOrnament:
    kind: str
    box: tuple[int, int, int, int]
    colour: RGB
    stroke: int


@dataclass(frozen=True, slots=True)
class PlacedPanel:
    box: tuple[int, int, int, int]
    colour: RGB


@dataclass(frozen=True)
class CoverLayout:
    style: Style
    colours: Palette
    texts: tuple[PlacedText, ...]
    ornaments: tuple[PlacedOrnament, ...]
    panels: tuple[PlacedPanel, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def text(self, role: str) -> PlacedText | None:
        return next((t for t in self.texts if t.role == role), None)
