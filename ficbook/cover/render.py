"""A plain first cover: the title and editor on a colour field. Replaced by the cover issue."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ficbook.cover.options import CoverOptions

WIDTH, HEIGHT = 1600, 2560


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str | None = None
    editor: str | None = None
    authors: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    story_count: int = 0


def _font(size: int) -> ImageFont.FreeTypeFont:
    import font_source_serif_pro

    path = Path(font_source_serif_pro.__file__).parent / "files" / "SourceSerifPro-Semibold.ttf"
    return ImageFont.truetype(str(path), size)


def render_cover(text: CoverText, options: CoverOptions) -> tuple[bytes, str]:
    """Return (image bytes, media type)."""
    digest = hashlib.sha256(text.title.encode()).digest()
    bg = options.background or "#%02x%02x%02x" % (digest[0] // 3, digest[1] // 3, digest[2] // 3 + 30)
    fg = options.foreground or "#f5f0e6"
    img = Image.new("RGB", (WIDTH, HEIGHT), bg)
    draw = ImageDraw.Draw(img)
    draw.multiline_text((WIDTH // 2, HEIGHT // 3), text.title, font=_font(150), fill=fg,
                        anchor="mm", align="center")
    if text.editor:
        draw.text((WIDTH // 2, HEIGHT * 3 // 4), f"Edited by {text.editor}", font=_font(70),
                  fill=fg, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, optimize=True)
    return buf.getvalue(), "image/jpeg"
