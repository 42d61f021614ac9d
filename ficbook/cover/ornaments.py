"""Ornaments drawn from shapes (no font glyphs that might be missing).

Pillow's polygons and ellipses are not anti-aliased, so curved shapes are drawn 4×
larger into a mask and box-filtered down: smooth edges, and the same pixels every run.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from ficbook.cover.colour import RGB

Box = tuple[int, int, int, int]
_SS = 4  # supersampling factor


def stamp(img: Image.Image, box: Box, colour: RGB, paint: Callable[[ImageDraw.ImageDraw, float, float], None]) -> None:
    """Run `paint(draw, w, h)` on a 4× mask covering `box`, then fill `colour` through it."""
    x0, y0, x1, y1 = box
    w, h = max(1, x1 - x0), max(1, y1 - y0)
    mask = Image.new("L", (w * _SS, h * _SS), 0)
    paint(ImageDraw.Draw(mask), w * _SS, h * _SS)
    mask = mask.resize((w, h), Image.Resampling.BOX)
    img.paste(colour, (x0, y0, x0 + w, y0 + h), mask)


def _leaf(cx: float, cy: float, length: float, width: float, angle: float) -> list[tuple[float, float]]:
    """A pointed leaf (a lens) from (cx, cy) outward along `angle` radians."""
    pts = []
    for side in (1, -1):
        steps = range(0, 25) if side == 1 else range(24, -1, -1)
        for i in steps:
            t = i / 24
            along, across = t * length, side * width / 2 * math.sin(math.pi * t) ** 0.8
            pts.append((cx + along * math.cos(angle) - across * math.sin(angle),
                        cy + along * math.sin(angle) + across * math.cos(angle)))
    return pts


def _diamond(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    return [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]


def fleuron(stroke: int) -> Callable[[ImageDraw.ImageDraw, float, float], None]:
    """A four-petal flower between two horizontal leaves and hairlines: a book divider."""
    def paint(d: ImageDraw.ImageDraw, w: float, h: float) -> None:
        cx, cy, r = w / 2, h / 2, h / 2
        s = stroke * _SS
        for k in range(4):
            d.polygon(_leaf(cx, cy, r * 0.82, r * 0.5, math.pi / 4 + k * math.pi / 2), fill=255)
        d.ellipse((cx - r * 0.16, cy - r * 0.16, cx + r * 0.16, cy + r * 0.16), fill=0)
        d.ellipse((cx - r * 0.09, cy - r * 0.09, cx + r * 0.09, cy + r * 0.09), fill=255)
        for side in (1, -1):
            d.polygon(_leaf(cx + side * r * 1.1, cy, r * 1.5, r * 0.5, 0 if side == 1 else math.pi), fill=255)
            inner, outer = cx + side * r * 2.75, (w - s) if side == 1 else s
            d.rectangle((min(inner, outer), cy - s / 2, max(inner, outer), cy + s / 2), fill=255)
            dot = cx + side * r * 2.75
            d.ellipse((dot - r * 0.12, cy - r * 0.12, dot + r * 0.12, cy + r * 0.12), fill=255)
    return paint


def diamond_rule(stroke: int) -> Callable[[ImageDraw.ImageDraw, float, float], None]:
    """Hairline – diamond – hairline."""
    def paint(d: ImageDraw.ImageDraw, w: float, h: float) -> None:
        cx, cy, r = w / 2, h / 2, h / 2
        s = stroke * _SS
        d.polygon(_diamond(cx, cy, r), fill=255)
        d.polygon(_diamond(cx, cy, r * 0.45), fill=0)
        for side in (1, -1):
            a, b = cx + side * r * 1.6, (w if side == 1 else 0)
            d.rectangle((min(a, b), cy - s / 2, max(a, b), cy + s / 2), fill=255)
            d.polygon(_diamond(cx + side * r * 1.25, cy, r * 0.22), fill=255)
    return paint


def dots(_stroke: int) -> Callable[[ImageDraw.ImageDraw, float, float], None]:
    """Three dots in a row (a typographic asterism, drawn)."""
    def paint(d: ImageDraw.ImageDraw, w: float, h: float) -> None:
        r = h / 2
        for k in (-1, 0, 1):
            cx = w / 2 + k * (w / 2 - r)
            d.ellipse((cx - r, 0, cx + r, h), fill=255)
    return paint


def corner_diamonds(img: Image.Image, inset: int, size: int, colour: RGB) -> None:
    """A small diamond on each corner of a frame `inset` px from the edges."""
    w, h = img.size
    for cx, cy in ((inset, inset), (w - inset, inset), (inset, h - inset), (w - inset, h - inset)):
        box = (cx - size, cy - size, cx + size, cy + size)
        stamp(img, box, colour, _hollow_diamond)


def _hollow_diamond(d: ImageDraw.ImageDraw, w: float, h: float) -> None:
    d.polygon(_diamond(w / 2, h / 2, w / 2), fill=255)
    d.polygon(_diamond(w / 2, h / 2, w / 5), fill=0)


def frame(img: Image.Image, inset: int, stroke: int, colour: RGB) -> None:
    w, h = img.size
    d = ImageDraw.Draw(img)
    d.rectangle((inset, inset, w - 1 - inset, h - 1 - inset), outline=colour, width=stroke)


def vignette(img: Image.Image, strength: float, towards: RGB) -> Image.Image:
    """Edges shaded toward `towards`, smoothly: an old-print / candle-lit look."""
    w, h = img.size
    small = Image.new("L", (w // 16, h // 16), 0)
    d = ImageDraw.Draw(small)
    sw, sh = small.size
    d.ellipse((-sw * 0.25, -sh * 0.12, sw * 1.25, sh * 1.12), fill=255)
    small = small.filter(ImageFilter.GaussianBlur(sw / 5))
    # Inverted: 0 in the middle, up to `strength` at the corners.
    mask = small.point(lambda v: round((255 - v) * strength)).resize((w, h), Image.Resampling.BICUBIC)
    return Image.composite(Image.new("RGB", (w, h), towards), img, mask)
