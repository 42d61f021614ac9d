"""Compose a cover: the recipe's words and the style's blocks -> a `CoverLayout` (pure but
for reading font metrics). Colours keep the contrast rule; long titles get the room."""

from __future__ import annotations

import math
from dataclasses import replace

from ficbook.cover.canvas import (
    HEIGHT,
    WIDTH,
    CoverLayout,
    PlacedOrnament,
    PlacedPanel,
    PlacedText,
)
from ficbook.cover.colour import (
    BLACK,
    RGB,
    TARGET_CONTRAST,
    WHITE,
    best_text_on,
    ensure_contrast,
    min_contrast,
    mix,
    parse_hex,
    title_digest,
    to_hex,
)
from ficbook.cover.fonts import font
from ficbook.cover.layout import (
    MAX_COVER_CHARS,
    Fit,
    caps,
    clean,
    count_line,
    credit_lines,
    fit_text,
    series_line,
    shorten,
    wrap,
)
from ficbook.cover.measure import (
    Fonts,
    Sized,
    block_height,
    clusters,
    is_complex,
    line_x,
    measure,
    metrics,
    size_line_item,
)
from ficbook.cover.options import CoverOptions
from ficbook.cover.style import MIN_MARGIN, Block, OrnamentItem, Palette, Style, TextItem, load_style
from ficbook.cover.text import CoverText
from ficbook.errors import Diagnostic

TITLE_FLOOR = 150  # px: the title's smallest size unless a single word cannot fit
BLOCK_GAP = 60  # px kept between blocks when a long title claims more room


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


def role_colour(ref: str, colours: Palette) -> RGB:
    return parse_hex(ref) if ref.startswith("#") else getattr(colours, ref)


def _readable_panel(colour: RGB) -> RGB:
    """A panel colour dark or light enough for black or white text to reach the target."""
    for step in range(0, 65):
        for towards in (BLACK, WHITE):
            c = mix(colour, towards, step / 64)
            if max(min_contrast(c, WHITE), min_contrast(c, BLACK)) >= TARGET_CONTRAST:
                return c
    return BLACK


def _strings(text: CoverText) -> dict[str, str]:
    labels = dict(text.labels)
    label, names = credit_lines(clean(text.editor), tuple(clean(a) or "" for a in text.authors),
                                labels)
    values = {
        "title": clean(text.title) or "Untitled",
        "subtitle": clean(text.subtitle),
        "series": series_line(clean(text.series), text.series_index),
        "credit_label": label,
        "credit": names,
        "count": count_line(text.story_count, labels),
    }
    return {k: v for k, v in values.items() if v}


def compose(text: CoverText, options: CoverOptions, style: Style | None = None) -> CoverLayout:
    """Lay out every element of the cover; the only I/O is reading font metrics."""
    style = style or load_style(options.style)
    strings = _strings(text)
    upper = {it.role: it.upper for b in style.blocks for it in b.items if isinstance(it, TextItem)}
    raw_title = strings["title"]
    strings = {k: (caps(v) if upper.get(k) else v) for k, v in strings.items()}
    colours = pick_palette(style, raw_title, options)
    fonts = Fonts(style)
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

    def size_items(items, title_fit=None) -> list[Sized]:
        out = []
        for it in items:
            if isinstance(it, OrnamentItem):
                out.append(Sized(it))
            elif it.role == "title":
                out.append(title_fit)
            else:
                path = fonts.resolve(it.role, it.font, strings[it.role])
                out.append(size_line_item(it, path, strings[it.role], width))
        return out

    def stack_height(sized: list[Sized]) -> int:
        return sum(s.height for s in sized) + sum(s.item.gap for s in sized[1:])

    # Every block but the title's, at natural size in its region.
    placed: dict[int, tuple[int, list[Sized]]] = {}
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

    def stack_of(title: Sized, extra: list[Sized]) -> list[Sized]:
        keep = {id(e.item): e for e in extra}
        return [title if (isinstance(it, TextItem) and it.role == "title") else keep[id(it)]
                for it in items if (isinstance(it, TextItem) and it.role == "title") or id(it) in keep]

    def try_fit(reg, item, extra, floor, x_margin, allow_split=False):
        order = stack_of(Sized(item), extra)
        fixed = sum(e.height for e in extra) + sum(e.item.gap for e in order[1:])
        room = reg[1] - reg[0] - fixed
        title = caps(raw_title) if item.upper else raw_title
        return fit_text(title, lambda s: measure(title_path, s, item.tracking),
                        lambda s, n: block_height(title_path, s, item, n), WIDTH - 2 * x_margin, room,
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
        lines = wrap(raw_title, measure(title_path, 48, 0), WIDTH - 2 * title_mx, allow_split=True)
        fit = Fit(48, tuple(lines or [raw_title]))
    if fit.size < TITLE_FLOOR:
        fonts.diagnostics.append(Diagnostic(
            "warning", "cover-title-small",
            f"the title is too long for the cover at {TITLE_FLOOR} px; set at {fit.size} px"))
    stack = stack_of(Sized(item, title_path, fit.size, fit.lines), extra)
    h = stack_height(stack)
    if block.valign == "top":
        top = reg[0]
    elif block.valign == "bottom":
        top = reg[1] - h
    else:
        top = reg[0] + (reg[1] - reg[0] - h) // 2
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
            panel_colour = _readable_panel(role_colour(blk.panel.colour, colours))
            panels.append(PlacedPanel((0, top - blk.panel.padding, WIDTH,
                                       top + stack_height(stack) + blk.panel.padding), panel_colour))
            backdrop = panel_colour
        y = top
        for k, s in enumerate(stack):
            if k:
                y += s.item.gap
            if isinstance(s.item, OrnamentItem):
                colour = role_colour(s.item.colour, colours)
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
                          and role_colour(_item_colour(style, t.role), colours) == parse_hex(asked)})
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


def _place_text(s: Sized, top: int, backdrop: RGB, colours: Palette, align: str,
                x0: int, x1: int, on_panel: bool) -> PlacedText:
    item, path = s.text_and_font
    wanted = role_colour(item.colour, colours)
    if on_panel and item.colour == "foreground":
        colour = best_text_on(backdrop, [colours.background, colours.foreground])
    else:
        colour = ensure_contrast(wanted, backdrop)
    cap, _ = metrics(path, s.size, item.upper)
    leading = round(s.size * item.line_height)
    baselines = tuple(top + cap + n * leading for n in range(len(s.lines)))
    tracking = 0.0 if any(is_complex(line) for line in s.lines) else item.tracking * s.size
    f = font(path, s.size)
    boxes = []
    for line, base in zip(s.lines, baselines):
        lx = line_x(line, f, tracking, align, x0, x1)
        if not tracking:
            left, t, r, b = f.getbbox(line, anchor="ls")
            boxes.append((lx + left, base + t, lx + r, base + b))
            continue
        prefix = ""
        for n, cluster in enumerate(clusters(line)):
            cx = lx + f.getlength(prefix) + n * tracking
            left, t, r, b = f.getbbox(cluster, anchor="ls")
            boxes.append((cx + left, base + t, cx + r, base + b))
            prefix += cluster
    # One pixel of slack each side: glyphs start at fractional positions.
    box = (math.floor(min(b[0] for b in boxes)) - 1, math.floor(min(b[1] for b in boxes)) - 1,
           math.ceil(max(b[2] for b in boxes)) + 1, math.ceil(max(b[3] for b in boxes)) + 1)
    return PlacedText(item.role, s.lines, path, s.size, tracking, colour, backdrop, align,
                      x0, x1, baselines, box)
