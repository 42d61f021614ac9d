"""A contact sheet for judging a cover in one look: full size, library thumbnail, e-ink."""

from __future__ import annotations

from PIL import Image, ImageDraw

from ficbook.cover.fonts import FontSpec, font
from ficbook.cover.style import covers_dir

THUMB_WIDTH = 160  # a library grid tile (calibre, Kobo, Kindle home)
_BG = (214, 212, 208)
_INK = (40, 40, 40)


def thumbnail(cover: Image.Image, width: int = THUMB_WIDTH) -> Image.Image:
    height = round(cover.height * width / cover.width)
    return cover.resize((width, height), Image.Resampling.LANCZOS)


def contact_sheet(cover: Image.Image) -> Image.Image:
    """The cover at half size beside its 160 px thumbnail, in colour and in e-ink grey."""
    big = cover.resize((cover.width // 2, cover.height // 2), Image.Resampling.LANCZOS)
    thumb = thumbnail(cover)
    grey = thumb.convert("L").convert("RGB")
    pad, label_h = 40, 44
    width = pad + big.width + pad + thumb.width + pad + grey.width + pad
    sheet = Image.new("RGB", (width, pad + label_h + big.height + pad), _BG)
    draw = ImageDraw.Draw(sheet)
    label = font(FontSpec(covers_dir() / "fonts" / "SourceSansPro-Semibold.ttf"), 24)
    x = pad
    for image, caption in ((big, f"{cover.width}×{cover.height} (shown at 50%)"),
                           (thumb, f"{THUMB_WIDTH} px"), (grey, "e-ink")):
        draw.text((x, pad), caption, font=label, fill=_INK)
        sheet.paste(image, (x, pad + label_h))
        x += image.width + pad
    return sheet
