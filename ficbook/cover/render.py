"""Render a cover: compose (layout, pure but for font metrics) → paint → encode.

`render_cover` is what the build calls: the image and its warnings (missing glyphs,
colours adjusted for contrast); `compose` and `paint` are exposed for tests and the
`ficbook cover` sheet.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, UnidentifiedImageError

from ficbook.cover import ornaments
from ficbook.cover.colour import (
    RGB,
    TARGET_CONTRAST,
    WHITE,
    BLACK,
    best_text_on,
    ensure_contrast,
    min_contrast,
    mix,
    parse_hex,
    relative_luminance,
    scrim_alpha,
    title_digest,
    to_hex,
)
from ficbook.cover.fonts import FontSpec, find_fallback, font, missing_chars
from ficbook.cover.layout import MAX_COVER_CHARS, Fit, caps, clean, shorten, count_line, credit_lines, fit_text, series_line, wrap
from ficbook.cover.options import CoverOptions
from ficbook.cover.picture import open_picture
from ficbook.cover.style import MIN_MARGIN, Block, OrnamentItem, Palette, Style, TextItem, load_style
from ficbook.errors import Diagnostic, RecipeError
from ficbook.model import Resource

WIDTH, HEIGHT = 1600, 2560
MAX_BYTES = 1_000_000
TITLE_FLOOR = 150  # px: the title's smallest size unless a single word cannot fit
BLOCK_GAP = 60  # px kept between blocks when a long title claims more room
_FEATHER = 60  # px: softness of the shade laid over a picture under text


@dataclass(frozen=True)
class CoverText:
    title: str
    subtitle: str | None = None
    editor: str | None = None
    authors: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    story_count: int = 0


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


# ---------------------------------------------------------------- colours


def pick_palette(style: Style, title: str, options: CoverOptions) -> Palette:
    """The recipe's colours over the style's palette (chosen by `palette:` or the title hash)."""
    if options.palette is not None:
        base: Palette = style.palettes[(options.palette - 1) % len(style.palettes)]
    else:
        base = style.palettes[title_digest(title, options.seed or "") % len(style.palettes)]
    return Palette(
        background=parse_hex(options.background) if options.background else base.background,
        foreground=parse_hex(options.foreground) if options.foreground else base.foreground,
        accent=parse_hex(options.accent) if options.accent else base.accent,
    )


def _role_colour(ref: str, colours: Palette) -> RGB:
    return parse_hex(ref) if ref.startswith("#") else getattr(colours, ref)


def _readable_panel(colour: RGB) -> RGB:
    """A panel colour dark or light enough for black or white text to reach the target."""
    for step in range(0, 65):
        for towards in (BLACK, WHITE):
            c = mix(colour, towards, step / 64)
            if max(min_contrast(c, WHITE), min_contrast(c, BLACK)) >= TARGET_CONTRAST:
                return c
    return BLACK


# ---------------------------------------------------------------- compose


@dataclass
class _Fonts:
    """Which file draws each text role: the style's, or a system fallback."""

    style: Style
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def resolve(self, role: str, key: str, text: str) -> FontSpec:
        spec = self.style.fonts[key]
        missing = missing_chars(spec.path, text)
        if not missing:
            return spec
        shown = "".join(missing[:8]) + ("…" if len(missing) > 8 else "")
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


def _strings(text: CoverText) -> dict[str, str]:
    label, names = credit_lines(clean(text.editor), tuple(clean(a) or "" for a in text.authors))
    values = {
        "title": clean(text.title) or "Untitled",
        "subtitle": clean(text.subtitle),
        "series": series_line(clean(text.series), text.series_index),
        "credit_label": label,
        "credit": names,
        "count": count_line(text.story_count),
    }
    return {k: v for k, v in values.items() if v}


def _is_complex(text: str) -> bool:
    # Letter-spacing drawn glyph by glyph would break joining scripts (Arabic…).
    return any(unicodedata.bidirectional(c) in ("R", "AL") or "\u0900" <= c <= "\u0dff" for c in text)


def _clusters(text: str) -> list[str]:
    """Base characters with their combining marks, for letter-spacing."""
    out: list[str] = []
    for char in text:
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


def _measure(path: FontSpec, size: int, tracking_em: float):
    f = font(path, size)
    track = tracking_em * size

    def measure(s: str) -> float:
        if not track or _is_complex(s):
            return f.getlength(s)
        return f.getlength(s) + track * (len(_clusters(s)) - 1)
    return measure


def _metrics(path: FontSpec, size: int, upper: bool) -> tuple[int, int]:
    """(ascent, descent) used for spacing: cap height for capitals, plus descenders otherwise."""
    f = font(path, size)
    cap = -f.getbbox("H", anchor="ls")[1]
    desc = 0 if upper else f.getbbox("gjpqy", anchor="ls")[3]
    return cap, desc


def _block_height(path: FontSpec, size: int, item: TextItem, n_lines: int) -> int:
    cap, desc = _metrics(path, size, item.upper)
    return cap + round((n_lines - 1) * size * item.line_height) + desc


@dataclass(frozen=True, slots=True)
class _Sized:
    """A text item with its font, size and lines chosen, not yet placed."""

    item: TextItem | OrnamentItem
    path: FontSpec | None = None
    size: int = 0
    lines: tuple[str, ...] = ()

    @property
    def height(self) -> int:
        if isinstance(self.item, OrnamentItem):
            return self.item.height
        return _block_height(self.path, self.size, self.item, len(self.lines))  # type: ignore[arg-type]


def _size_line_item(item: TextItem, path: FontSpec, text: str, width: int) -> _Sized:
    """A secondary line: its size, shrunk (down to min_size) until it wraps in max_lines."""
    size = item.size
    while True:
        lines = wrap(text, _measure(path, size, item.tracking), width, allow_split=True) or [text]
        if len(lines) <= item.max_lines or size <= item.min_size:
            return _Sized(item, path, size, tuple(lines))
        size -= max(1, size // 24)


def compose(text: CoverText, options: CoverOptions, style: Style | None = None) -> CoverLayout:
    """Lay out every element of the cover; the only I/O is reading font metrics."""
    style = style or load_style(options.style)
    strings = _strings(text)
    upper = {it.role: it.upper for b in style.blocks for it in b.items if isinstance(it, TextItem)}
    raw_title = strings["title"]
    strings = {k: (caps(v) if upper.get(k) else v) for k, v in strings.items()}
    colours = pick_palette(style, raw_title, options)
    fonts = _Fonts(style)
    for role, value in list(strings.items()):
        if len(value) > MAX_COVER_CHARS:
            strings[role] = shorten(value)
            raw_title = shorten(raw_title) if role == "title" else raw_title
            fonts.diagnostics.append(Diagnostic(
                "warning", "cover-text-shortened",
                f"the cover's {role.replace('_', ' ')} is {len(value):,} characters; the cover "
                f"shows its first {MAX_COVER_CHARS} and an ellipsis"))
    readable = _readable_panel(colours.background)
    if readable != colours.background:  # a mid-tone ground: no text colour reaches 7:1 on it
        fonts.diagnostics.append(Diagnostic(
            "warning", "cover-colour-adjusted",
            f"cover background {to_hex(colours.background)} is too mid-toned for 7:1 text; "
            f"using {to_hex(readable)}"))
        colours = replace(colours, background=readable)
    mx, my = round(style.margin * WIDTH), round(style.margin * HEIGHT)
    col_x0, col_x1 = mx, WIDTH - mx
    width = col_x1 - col_x0

    def present(block: Block) -> list[TextItem | OrnamentItem]:
        items = []
        for it in block.items:
            if isinstance(it, TextItem) and it.role not in strings:
                continue
            if isinstance(it, OrnamentItem) and it.needs and it.needs not in strings:
                continue
            items.append(it)
        return items

    def size_items(items, title_fit=None) -> list[_Sized]:
        out = []
        for it in items:
            if isinstance(it, OrnamentItem):
                out.append(_Sized(it))
            elif it.role == "title":
                out.append(title_fit)
            else:
                path = fonts.resolve(it.role, it.font, strings[it.role])
                out.append(_size_line_item(it, path, strings[it.role], width))
        return out

    def stack_height(sized: list[_Sized]) -> int:
        return sum(s.height for s in sized) + sum(s.item.gap for s in sized[1:])

    # Every block but the title's, at natural size in its region.
    placed: dict[int, tuple[int, list[_Sized]]] = {}
    title_block = next(i for i, b in enumerate(style.blocks)
                       if any(isinstance(it, TextItem) and it.role == "title" for it in b.items))
    for i, block in enumerate(style.blocks):
        if i == title_block:
            continue
        sized = size_items(present(block))
        if sized:
            placed[i] = (_align_top(block, stack_height(sized), my), sized)

    # The title: the largest size that fits, claiming more room only when it must.
    block = style.blocks[title_block]
    items = present(block)
    title_item = style.title_item
    title_path = fonts.resolve("title", title_item.font, raw_title)
    others = size_items([it for it in items if not (isinstance(it, TextItem) and it.role == "title")])
    title_mx = mx
    pad = block.panel.padding if block.panel else 0
    region = (max(round(block.top * HEIGHT), my) + pad, min(round(block.bottom * HEIGHT), HEIGHT - my) - pad)

    def between(y_margin: int) -> tuple[int, int]:
        """All the height the other blocks leave free."""
        above = [top + stack_height(s) for j, (top, s) in placed.items() if style.blocks[j].top < block.top]
        below = [top for j, (top, s) in placed.items() if style.blocks[j].top >= block.top]
        return (max([y_margin + pad, *[a + BLOCK_GAP + pad for a in above]]),
                min([HEIGHT - y_margin - pad, *[b - BLOCK_GAP - pad for b in below]]))

    def stack_of(title: _Sized, extra: list[_Sized]) -> list[_Sized]:
        keep = {id(e.item): e for e in extra}
        return [title if (isinstance(it, TextItem) and it.role == "title") else keep[id(it)]
                for it in items if (isinstance(it, TextItem) and it.role == "title") or id(it) in keep]

    def try_fit(reg, item, extra, floor, x_margin, allow_split=False):
        order = stack_of(_Sized(item), extra)
        fixed = sum(e.height for e in extra) + sum(e.item.gap for e in order[1:])
        room = reg[1] - reg[0] - fixed
        title = caps(raw_title) if item.upper else raw_title
        return fit_text(title, lambda s: _measure(title_path, s, item.tracking),
                        lambda s, n: _block_height(title_path, s, item, n), WIDTH - 2 * x_margin, room,
                        min(floor, item.size), item.size, allow_split=allow_split)

    # Escalation for long titles: the block's own region; all the free height; then
    # tighter leading without ornaments and the minimum 8% margins; only then smaller
    # than the floor (and, for a word wider than the cover, split words).
    # Capitals are ~15% wider and hard to read in a long title: the tight setting drops them.
    tight = replace(title_item, line_height=min(title_item.line_height, 1.0), upper=False)
    texts_only = [s for s in others if isinstance(s.item, TextItem)]
    # Minimum margins, less what accents and side bearings may overshoot the metrics by.
    mx8, my8 = round(MIN_MARGIN * WIDTH) + 8, round(MIN_MARGIN * HEIGHT) + round(0.25 * TITLE_FLOOR)
    attempts = [(region, title_item, others, TITLE_FLOOR, mx, False),
                (between(my), title_item, others, TITLE_FLOOR, mx, False),
                (between(my8), tight, texts_only, TITLE_FLOOR, mx8, False),
                (between(my8), tight, texts_only, 48, mx8, False),
                (between(my8), tight, texts_only, 48, mx8, True)]
    fit = None
    for reg, item, extra, floor, title_mx, split in attempts:
        fit = try_fit(reg, item, extra, floor, title_mx, split)
        if fit:
            break
    if fit is None:  # nothing fits: the smallest size, words split, running long
        lines = wrap(raw_title, _measure(title_path, 48, 0), WIDTH - 2 * title_mx, allow_split=True)
        fit = Fit(48, tuple(lines or [raw_title]))
    if fit.size < TITLE_FLOOR:
        fonts.diagnostics.append(Diagnostic(
            "warning", "cover-title-small",
            f"the title is too long for the cover at {TITLE_FLOOR} px; set at {fit.size} px"))
    stack = stack_of(_Sized(item, title_path, fit.size, fit.lines), extra)
    h = stack_height(stack)
    top = reg[0] if block.valign == "top" else reg[1] - h if block.valign == "bottom" else reg[0] + (reg[1] - reg[0] - h) // 2
    placed[title_block] = (top, stack)

    # Positions, colours and backdrops.
    texts: list[PlacedText] = []
    orns: list[PlacedOrnament] = []
    panels: list[PlacedPanel] = []
    for i in sorted(placed):
        top, stack = placed[i]
        blk = style.blocks[i]
        backdrop = colours.background
        if blk.panel:
            panel_colour = _readable_panel(_role_colour(blk.panel.colour, colours))
            panels.append(PlacedPanel((0, top - blk.panel.padding, WIDTH,
                                       top + stack_height(stack) + blk.panel.padding), panel_colour))
            backdrop = panel_colour
        y = top
        for k, s in enumerate(stack):
            if k:
                y += s.item.gap
            if isinstance(s.item, OrnamentItem):
                colour = _role_colour(s.item.colour, colours)
                if blk.panel:
                    colour = best_text_on(backdrop, [colours.background, colours.foreground])
                w = min(s.item.width, width)
                x0 = col_x0 if style.align == "left" else (WIDTH - w) // 2
                orns.append(PlacedOrnament(s.item.kind, (x0, y, x0 + w, y + s.item.height), colour, s.item.stroke))
            else:
                is_title = isinstance(s.item, TextItem) and s.item.role == "title"
                x0, x1 = (title_mx, WIDTH - title_mx) if is_title else (col_x0, col_x1)
                texts.append(_place_text(s, y, backdrop, colours, style.align, x0, x1, blk.panel is not None))
            y += s.height
    for role in ("foreground", "accent"):
        asked = getattr(options, role)
        changed = sorted({to_hex(t.colour) for t in texts if asked and t.colour != parse_hex(asked)
                          and t.backdrop == colours.background
                          and _role_colour(_item_colour(style, t.role), colours) == parse_hex(asked)})
        if changed:
            fonts.diagnostics.append(Diagnostic(
                "info", "cover-colour-adjusted",
                f"cover.{role} {asked} is too close to the background for 7:1 text; "
                f"used {', '.join(changed)}"))
    return CoverLayout(style, colours, tuple(texts), tuple(orns), tuple(panels), tuple(fonts.diagnostics))


def _item_colour(style: Style, role: str) -> str:
    return next(it.colour for b in style.blocks for it in b.items if isinstance(it, TextItem) and it.role == role)


def _align_top(block: Block, height: int, my: int) -> int:
    top, bottom = max(round(block.top * HEIGHT), my), min(round(block.bottom * HEIGHT), HEIGHT - my)
    if block.valign == "top":
        return top
    if block.valign == "bottom":
        return bottom - height
    return top + (bottom - top - height) // 2


def _place_text(s: _Sized, top: int, backdrop: RGB, colours: Palette, align: str,
                x0: int, x1: int, on_panel: bool) -> PlacedText:
    item: TextItem = s.item  # type: ignore[assignment]
    wanted = _role_colour(item.colour, colours)
    if on_panel and item.colour == "foreground":
        colour = best_text_on(backdrop, [colours.background, colours.foreground])
    else:
        colour = ensure_contrast(wanted, backdrop)
    cap, _ = _metrics(s.path, s.size, item.upper)  # type: ignore[arg-type]
    leading = round(s.size * item.line_height)
    baselines = tuple(top + cap + n * leading for n in range(len(s.lines)))
    tracking = 0.0 if any(_is_complex(line) for line in s.lines) else item.tracking * s.size
    f = font(s.path, s.size)  # type: ignore[arg-type]
    boxes = []
    for line, base in zip(s.lines, baselines):
        lx = _line_x(line, f, tracking, align, x0, x1)
        if not tracking:
            l, t, r, b = f.getbbox(line, anchor="ls")
            boxes.append((lx + l, base + t, lx + r, base + b))
            continue
        prefix = ""
        for n, cluster in enumerate(_clusters(line)):
            cx = lx + f.getlength(prefix) + n * tracking
            l, t, r, b = f.getbbox(cluster, anchor="ls")
            boxes.append((cx + l, base + t, cx + r, base + b))
            prefix += cluster
    # One pixel of slack each side: glyphs start at fractional positions.
    box = (math.floor(min(b[0] for b in boxes)) - 1, math.floor(min(b[1] for b in boxes)) - 1,
           math.ceil(max(b[2] for b in boxes)) + 1, math.ceil(max(b[3] for b in boxes)) + 1)
    return PlacedText(item.role, s.lines, s.path, s.size, tracking, colour, backdrop, align,  # type: ignore[arg-type]
                      x0, x1, baselines, box)


def _line_x(line: str, f, tracking: float, align: str, x0: int, x1: int) -> int:
    w = f.getlength(line) + tracking * (len(_clusters(line)) - 1)
    return x0 if align == "left" else round((x0 + x1 - w) / 2)


# ---------------------------------------------------------------- paint


def paint(layout: CoverLayout, background: Image.Image | None = None) -> Image.Image:
    """Draw a composed layout; `background` is the recipe's picture, already cropped."""
    c = layout.colours
    light_text = relative_luminance(c.foreground) > relative_luminance(c.background)
    if background is None:
        img = Image.new("RGB", (WIDTH, HEIGHT), c.background)
    else:
        img = _scrimmed(background, layout)
    for orn in layout.style.canvas:
        colour = _role_colour(orn.colour, c)
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
        ImageDraw.Draw(img).rectangle((x0, cy - o.stroke // 2, x1 - 1, cy - o.stroke // 2 + o.stroke - 1), fill=o.colour)
        return
    painter = {"fleuron": ornaments.fleuron, "diamond_rule": ornaments.diamond_rule, "dots": ornaments.dots}[o.kind]
    ornaments.stamp(img, o.box, o.colour, painter(o.stroke))


def _paint_text(draw: ImageDraw.ImageDraw, t: PlacedText) -> None:
    f = font(t.font, t.size)
    for line, base in zip(t.lines, t.baselines):
        x = _line_x(line, f, t.tracking, t.align, t.x0, t.x1)
        if not t.tracking:
            draw.text((x, base), line, font=f, fill=t.colour, anchor="ls")
            continue
        # Letter-spaced: each cluster where its prefix ends, so kerning is kept.
        prefix = ""
        for n, cluster in enumerate(_clusters(line)):
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
        needs.append((round(scrim_alpha(t.colour, scrim, extreme) * 255), box))  # type: ignore[arg-type]
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


# ---------------------------------------------------------------- files and encoding


def load_background(path: Path) -> Image.Image:
    """The recipe's picture, RGB, cropped to fill the cover (centred)."""
    _, opened = open_picture(path, "cover image", (WIDTH, HEIGHT))
    try:
        with opened as im:
            im.load()
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                flat = Image.new("RGB", im.size, (0, 0, 0))
                flat.paste(im, mask=im.getchannel("A"))
                im = flat
            im = im.convert("RGB")
    except (OSError, UnidentifiedImageError) as exc:
        raise RecipeError(f"cover image is not a readable picture: {path} ({exc})", file=str(path)) from exc
    return ImageOps.fit(im, (WIDTH, HEIGHT), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def encode_jpeg(img: Image.Image) -> bytes:
    """JPEG under MAX_BYTES: 4:4:4 chroma keeps coloured type crisp; quality steps down if needed."""
    for quality in (92, 88, 84, 80, 75, 70, 60, 50):
        buf = io.BytesIO()
        # no optimize=True: its second Huffman pass cost 40% of the encode for a cover
        # 20-40% smaller, and covers stay far under MAX_BYTES without it (~150-350 KB)
        img.save(buf, "JPEG", quality=quality, subsampling=0 if quality >= 84 else 2)
        if buf.tell() < MAX_BYTES:
            return buf.getvalue()
    return buf.getvalue()


def _finished_cover(path: Path) -> tuple[bytes, str, list[Diagnostic]]:
    """A cover the recipe supplies: as is when it already suits, else flattened/re-encoded."""
    data, opened = open_picture(path, "cover file")
    diags: list[Diagnostic] = []
    try:
        with opened as im:
            fmt, mode, size = im.format, im.mode, im.size
            if fmt in ("JPEG", "PNG") and mode in ("RGB", "L") and len(data) < MAX_BYTES:
                return data, "image/jpeg" if fmt == "JPEG" else "image/png", diags
            im.load()
            rgba = im.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise RecipeError(f"cover file is not a readable picture: {path} ({exc})", file=str(path)) from exc
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    diags.append(Diagnostic("info", "cover-file-converted",
                            f"cover file {path.name} ({fmt}, {mode}, {len(data) // 1024} KB) re-encoded "
                            "as an RGB JPEG under 1 MB", file=str(path)))
    if max(size) > 2 * HEIGHT:
        flat.thumbnail((2 * WIDTH, 2 * HEIGHT), Image.Resampling.LANCZOS)
    return encode_jpeg(flat), "image/jpeg", diags


def _resolve(path: Path, base_dir: Path | None) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() or base_dir is None else base_dir / path


def render_image(text: CoverText, options: CoverOptions, base_dir: Path | None = None) -> tuple[Image.Image, CoverLayout]:
    """The generated cover as a Pillow image, with the layout that produced it."""
    layout = compose(text, options)
    background = None
    if options.image is not None:
        path = _resolve(options.image, base_dir)
        if not path.is_file():
            raise RecipeError(f"cover image not found: {options.image}", file=str(path))
        background = load_background(path)
    return paint(layout, background), layout


def render_cover(text: CoverText, options: CoverOptions,
                 base_dir: Path | None = None) -> tuple[Resource, tuple[Diagnostic, ...]]:
    """The cover image, named for the book's images/ folder, and its warnings (missing
    glyphs, colours adjusted for contrast, a supplied file re-encoded). Same inputs, same bytes."""
    if options.file is not None:
        path = _resolve(options.file, base_dir)
        if not path.is_file():
            raise RecipeError(f"cover file not found: {options.file}", file=str(path))
        data, media_type, diagnostics = _finished_cover(path)
    else:
        img, layout = render_image(text, options, base_dir)
        data, media_type, diagnostics = encode_jpeg(img), "image/jpeg", list(layout.diagnostics)
    name = "cover.jpg" if media_type == "image/jpeg" else "cover.png"
    return Resource(name, media_type, data), tuple(diagnostics)
