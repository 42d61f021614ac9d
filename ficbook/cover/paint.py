"""Paint a composed cover: background or shaded picture, panels, ornaments, text."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ficbook.cover import ornaments
from ficbook.cover.canvas import HEIGHT, WIDTH, CoverLayout, PlacedOrnament, PlacedText
from ficbook.cover.colour import BLACK, relative_luminance, scrim_alpha
from ficbook.cover.compose import role_colour
from ficbook.cover.fonts import font
from ficbook.cover.measure import clusters, line_x

_FEATHER = 60  # px: softness of the shade laid over a picture under text


def paint(layout: CoverLayout, background: Image.Image | None = None) -> Image.Image:
    """Draw a composed layout; `background` is the recipe's picture, already cropped."""
    c = layout.colours
    light_text = relative_luminance(c.foreground) > relative_luminance(c.background)
    if background is None:
        img = Image.new("RGB", (WIDTH, HEIGHT), c.background)
    else:
        img = _scrimmed(background, layout)
    for orn in layout.style.canvas:
        colour = role_colour(orn.colour, c)
        inset = round(orn.inset * WIDTH)
        if orn.kind == "vignette" and light_text and background is None:
            img = ornaments.vignette(img, orn.strength, BLACK)
        elif orn.kind == "frame":
            ornaments.frame(img, inset, orn.stroke, colour)
        elif orn.kind == "corners":
            ornaments.corner_diamonds(img, inset, orn.size, colour)
        elif orn.kind == "stripe":
            y = round(orn.y * HEIGHT)
            ImageDraw.Draw(img).rectangle((0, y, WIDTH, y + orn.stroke - 1), fill=colour)
    draw = ImageDraw.Draw(img)
    for panel in layout.panels:
        draw.rectangle(panel.box, fill=panel.colour)
    for o in layout.ornaments:
        _paint_ornament(img, o)
    for t in layout.texts:
        _paint_text(draw, t)
    return img


def _paint_ornament(img: Image.Image, o: PlacedOrnament) -> None:
    x0, y0, x1, y1 = o.box
    if o.kind == "spacer":
        return
    if o.kind in ("rule", "bar"):
        cy = (y0 + y1) // 2
        top = cy - o.stroke // 2
        ImageDraw.Draw(img).rectangle((x0, top, x1 - 1, top + o.stroke - 1), fill=o.colour)
        return
    painter = {"fleuron": ornaments.fleuron, "diamond_rule": ornaments.diamond_rule, "dots": ornaments.dots}[o.kind]
    ornaments.stamp(img, o.box, o.colour, painter(o.stroke))


def _paint_text(draw: ImageDraw.ImageDraw, t: PlacedText) -> None:
    f = font(t.font, t.size)
    for line, base in zip(t.lines, t.baselines):
        x = line_x(line, f, t.tracking, t.align, t.x0, t.x1)
        if not t.tracking:
            draw.text((x, base), line, font=f, fill=t.colour, anchor="ls")
            continue
        # Letter-spaced: each cluster where its prefix ends, so kerning is kept.
        prefix = ""
        for n, cluster in enumerate(clusters(line)):
            draw.text((x + f.getlength(prefix) + n * t.tracking, base), cluster, font=f, fill=t.colour, anchor="ls")
            prefix += cluster


def _scrimmed(background: Image.Image, layout: CoverLayout) -> Image.Image:
    """Shade the picture under each text block so its text keeps the contrast rule.

    Full-width bands with soft edges (they read as lighting, not as boxes); under the
    text itself the shade is at least as opaque as `scrim_alpha` demands.
    """
    scrim = layout.colours.background
    needs: list[tuple[int, tuple[int, int, int, int]]] = []
    for t in layout.texts:
        if t.backdrop != scrim:
            continue  # on an opaque panel
        x0, y0, x1, y1 = t.box
        box = (max(0, x0 - 24), max(0, y0 - 24), min(WIDTH, x1 + 24), min(HEIGHT, y1 + 24))
        lo, hi = zip(*background.crop(box).getextrema())
        light = relative_luminance(t.colour) > relative_luminance(scrim)
        extreme = tuple(hi) if light else tuple(lo)
        needs.append((round(scrim_alpha(t.colour, scrim, extreme) * 255), box))
    soft = Image.new("L", background.size, 0)
    draw = ImageDraw.Draw(soft)
    # Bands reach 3σ past the text, so the blur has faded in fully before the text starts.
    for alpha, (_, y0, _, y1) in sorted(needs):  # strongest last, so overlaps keep the max
        draw.rectangle((0, y0 - 3 * _FEATHER, WIDTH, y1 + 3 * _FEATHER), fill=alpha)
    mask = soft.filter(ImageFilter.GaussianBlur(_FEATHER))
    hard = Image.new("L", background.size, 0)
    draw = ImageDraw.Draw(hard)
    for alpha, box in sorted(needs):
        draw.rectangle(box, fill=alpha)
    mask = ImageChops.lighter(mask, hard)
    return Image.composite(Image.new("RGB", background.size, scrim), background, mask)
