"""Setting the cover's text: which font draws each role (with a fallback for missing
glyphs), text widths with letter-spacing, block heights, and a secondary line's size."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PIL import ImageFont

from ficbook.cover.fonts import (
    LAYOUT,
    OWN_FONTS,
    FontSpec,
    bundled_font,
    find_fallback,
    font,
    missing_chars,
    right_to_left,
)
from ficbook.cover.layout import wrap
from ficbook.cover.style import OrnamentItem, Style, TextItem
from ficbook.errors import Diagnostic


@dataclass
class Fonts:
    """Which file draws each text role: the style's, a script font of covers/fonts/, or a
    system fallback."""

    style: Style
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def resolve(self, role: str, key: str, text: str) -> FontSpec:
        spec = self.style.fonts[key]
        missing = missing_chars(spec.path, text)
        if not missing:
            return spec
        shown = "".join(missing[:8]) + ("…" if len(missing) > 8 else "")
        if right_to_left(text) and LAYOUT is not ImageFont.Layout.RAQM:
            self.diagnostics.append(Diagnostic(
                "warning", "cover-right-to-left",
                f"the cover's {role.replace('_', ' ')} is right-to-left, but Pillow has no Raqm "
                "layout here (install FriBiDi: Debian's libfribidi0): its letters will not join"))
        bundled = bundled_font(spec.path.parent, text) or bundled_font(OWN_FONTS, text)
        if bundled is not None:  # a script font of covers/fonts/: the same on every machine
            return FontSpec(bundled)
        fallback = find_fallback(missing)
        what = role.replace("_", " ")
        if fallback is not None and not missing_chars(fallback, text):
            self.diagnostics.append(Diagnostic(
                "warning", "cover-font-fallback",
                f"the cover's {what} has characters the '{self.style.name}' style's fonts lack "
                f"({shown}); using the system font {fallback.name}"))
            return FontSpec(fallback)
        self.diagnostics.append(Diagnostic(
            "warning", "cover-missing-glyphs",
            f"the cover's {what} has characters no bundled or installed font can draw ({shown}); "
            "they will show as boxes — install a font for that script (e.g. Noto) or set cover.file"))
        return spec


def is_complex(text: str) -> bool:
    # Letter-spacing drawn glyph by glyph would break joining scripts (Arabic…).
    return any(unicodedata.bidirectional(c) in ("R", "AL") or "\u0900" <= c <= "\u0dff" for c in text)


def clusters(text: str) -> list[str]:
    """Base characters with their combining marks, for letter-spacing."""
    out: list[str] = []
    for char in text:
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


def measure(path: FontSpec, size: int, tracking_em: float):
    f = font(path, size)
    track = tracking_em * size

    def width(s: str) -> float:
        if not track or is_complex(s):
            return f.getlength(s)
        return f.getlength(s) + track * (len(clusters(s)) - 1)
    return width


def metrics(path: FontSpec, size: int, upper: bool) -> tuple[int, int]:
    """(ascent, descent) used for spacing: cap height for capitals, plus descenders otherwise."""
    f = font(path, size)
    # FreeType's boxes are whole pixels (Pillow's types allow floats for other fonts)
    cap = -int(f.getbbox("H", anchor="ls")[1])
    desc = 0 if upper else int(f.getbbox("gjpqy", anchor="ls")[3])
    return cap, desc


def block_height(path: FontSpec, size: int, item: TextItem, n_lines: int) -> int:
    cap, desc = metrics(path, size, item.upper)
    return cap + round((n_lines - 1) * size * item.line_height) + desc


@dataclass(frozen=True, slots=True)
class Sized:
    """A text item with its font, size and lines chosen, not yet placed."""

    item: TextItem | OrnamentItem
    path: FontSpec | None = None
    size: int = 0
    lines: tuple[str, ...] = ()

    @property
    def height(self) -> int:
        if isinstance(self.item, OrnamentItem):
            return self.item.height
        item, path = self.text_and_font
        return block_height(path, self.size, item, len(self.lines))

    @property
    def text_and_font(self) -> tuple[TextItem, FontSpec]:
        """The text item and its font (an ornament has neither)."""
        if isinstance(self.item, TextItem) and self.path is not None:
            return self.item, self.path
        raise TypeError(f"not a sized text item: {self.item!r}")


def size_line_item(item: TextItem, path: FontSpec, text: str, width: int) -> Sized:
    """A secondary line: its size, shrunk (down to min_size) until it wraps in max_lines."""
    size = item.size
    while True:
        lines = wrap(text, measure(path, size, item.tracking), width, allow_split=True) or [text]
        if len(lines) <= item.max_lines or size <= item.min_size:
            return Sized(item, path, size, tuple(lines))
        size -= max(1, size // 24)


def line_x(line: str, f, tracking: float, align: str, x0: int, x1: int) -> int:
    w = f.getlength(line) + tracking * (len(clusters(line)) - 1)
    return x0 if align == "left" else round((x0 + x1 - w) / 2)
