"""HTML elements -> model blocks and inlines: the one mapping every markup reader shares.

Only what a story needs survives: paragraphs, emphasis (from tags *and* from the inline
styles and `<font>`/`<center>` soup of old archives), line breaks, scene breaks, block
quotes, lists, simple tables and images. Everything else is reduced to its text, and
scripts, forms, frames and the like are dropped whole: nothing active, nothing remote
ever reaches the book, because the book is written from the model, never from the HTML.

Inline content is flattened to "atoms" (a piece of text, a break or an image, with the
set of styles that apply to it) and rebuilt into nested `Styled` nodes afterwards. That
makes `<br><br>` inside `<i>` split paragraphs as easily as at the top level, and lets
`<i><p>…</p><p>…</p></i>` (common in old pages) keep its italics in every paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, PageElement, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from ficbook.errors import Diagnostic
from ficbook.model import (
    Align,
    Block,
    BlockQuote,
    Image,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    Resource,
    SceneBreak,
    Styled,
    StyleKind,
    Table,
    TableCell,
    Text,
)

# Dropped with everything inside: active content, forms, embedded media, page furniture.
DROP = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "form", "input", "button",
    "select", "option", "optgroup", "textarea", "object", "embed", "applet", "svg", "math",
    "template", "canvas", "audio", "video", "source", "track", "map", "area", "link", "meta",
    "head", "title", "base", "nav", "dialog", "menu", "param", "portal", "picture",
})

_TAG_STYLE: dict[str, StyleKind] = {
    "i": "em", "em": "em", "cite": "em", "var": "em", "dfn": "em",
    "b": "strong", "strong": "strong", "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s", "sub": "sub", "sup": "sup",
}

BLOCK = frozenset({
    "p", "div", "center", "blockquote", "hr", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "section", "article", "main", "aside", "header", "footer", "figure", "figcaption",
    "address", "details", "summary", "body", "html", "fieldset", "hgroup", "legend",
})

_STYLE_ORDER: tuple[StyleKind, ...] = ("em", "strong", "u", "s", "sub", "sup", "small-caps")

_WS = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True, slots=True)
class Atom:
    node: Text | LineBreak | Image
    styles: frozenset[StyleKind] = frozenset()


ImageLoader = Callable[[str], "Resource | None"]


@dataclass
class Context:
    """What the walk needs besides the tree: where images come from, where problems go."""

    name: str
    load_image: ImageLoader | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", code, message, self.name))

    def info(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("info", code, message, self.name))


# Deeper than this, elements are unwrapped (their text kept): the walk below and the
# renderer recurse, and no real page nests this deep (hostile ones nest 10,000 deep).
MAX_DEPTH = 120


def parse(html: str) -> BeautifulSoup:
    # html.parser, not lxml: lxml's HTML repair moves `<i><p>…</p></i>` to `<i></i><p>…`,
    # losing the italics of every paragraph an old page wraps in one tag.
    soup = BeautifulSoup(html, "html.parser")
    _into_body(soup)
    flatten_deep(soup, MAX_DEPTH)
    return soup


def _into_body(soup: BeautifulSoup) -> None:
    """Text after `</body>` or `</html>` is shown by browsers as the body's end: keep it there."""
    body = soup.find("body")
    if body is None:
        return
    stray: list[PageElement] = []
    node: PageElement | None = body
    while node is not None and node is not soup:
        stray += [s for s in node.next_siblings
                  if isinstance(s, Tag) or type(s) is NavigableString]
        node = node.parent
    for s in stray:
        body.append(s.extract())


def flatten_deep(root: Tag, limit: int) -> int:
    """Elements nested deeper than `limit` give up their structure, never their text: each
    element at the limit keeps its text as one plain paragraph per block inside it.

    Iterative (no recursion, no bs4 moves, which are linear each): returns how many
    elements were at the limit.
    """
    edge: list[Tag] = []
    stack: list[tuple[Tag, int]] = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        for child in tag.contents:
            if isinstance(child, Tag):
                if depth + 1 >= limit:
                    edge.append(child)
                else:
                    stack.append((child, depth + 1))
    for tag in edge:
        if not any(isinstance(c, Tag) for c in tag.contents):
            continue
        chunks = _flat_text(tag)
        tag.clear()
        for chunk in chunks:
            p = Tag(name="p")
            p.append(NavigableString(chunk))
            tag.append(p)
    return len(edge)


def _flat_text(tag: Tag) -> list[str]:
    """The text under `tag` in order, one chunk per block or line break; dropped elements
    (scripts, forms…) left out."""
    chunks: list[str] = []
    current: list[str] = []
    stack: list[PageElement] = list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, Tag):
            name = (node.name or "").lower()
            if name in DROP:
                continue
            if name in BLOCK or name == "br":
                chunks.append("".join(current))
                current = []
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and type(node) in (NavigableString, CData):
            current.append(str(node))
    chunks.append("".join(current))
    return [c for c in chunks if c.strip()]


# ------------------------------------------------------------------ styles


def _css(tag: Tag) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in str(tag.get("style") or "").split(";"):
        if ":" in decl:
            k, v = decl.split(":", 1)
            out[k.strip().lower()] = v.strip().lower()
    return out


def styles_of(tag: Tag) -> frozenset[StyleKind]:
    """The emphasis a tag means: by its name, its inline style, or old attributes."""
    found: set[StyleKind] = set()
    name = tag.name.lower()
    if name in _TAG_STYLE:
        found.add(_TAG_STYLE[name])
    css = _css(tag)
    if css.get("font-style", "").startswith(("italic", "oblique")):
        found.add("em")
    weight = css.get("font-weight", "")
    if weight.startswith("bold") or (weight[:3].isdigit() and int(weight[:3]) >= 600):
        found.add("strong")
    deco = css.get("text-decoration", "") + " " + css.get("text-decoration-line", "")
    if "underline" in deco:
        found.add("u")
    if "line-through" in deco:
        found.add("s")
    if "small-caps" in css.get("font-variant", ""):
        found.add("small-caps")
    valign = css.get("vertical-align", "")
    if valign.startswith("super"):
        found.add("sup")
    elif valign.startswith("sub"):
        found.add("sub")
    return frozenset(found)


def align_of(tag: Tag) -> Align | None:
    if tag.name.lower() == "center":
        return "center"
    value = str(tag.get("align") or "").lower() or _css(tag).get("text-align", "")
    if value.startswith("center") or value == "middle":
        return "center"
    if value.startswith("right"):
        return "right"
    return None


def _is_dropped(tag: Tag) -> bool:
    name = tag.name.lower()
    if name in DROP:
        return True
    # Hidden content (spoiler-free copies, tracking pixels, "skip to content" links).
    css = _css(tag)
    return css.get("display", "").startswith("none") or tag.has_attr("hidden")


def _has_block(tag: Tag) -> bool:
    return any(isinstance(d, Tag) and d.name.lower() in BLOCK for d in tag.descendants)


# ------------------------------------------------------------------ inline atoms


def _atoms(node: Tag, ctx: Context, styles: frozenset[StyleKind], out: list[Atom]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            continue
        if isinstance(child, NavigableString):
            out.append(Atom(Text(str(child)), styles))
        elif isinstance(child, Tag):
            _tag_atoms(child, ctx, styles, out)


def _tag_atoms(tag: Tag, ctx: Context, styles: frozenset[StyleKind], out: list[Atom]) -> None:
    name = tag.name.lower()
    if _is_dropped(tag):
        return
    if name == "br":
        out.append(Atom(LineBreak(), styles))
    elif name == "img" and len(alt := str(tag.get("alt") or "").strip()) == 1 and alt.isalpha():
        # a drop cap drawn as a picture of its letter: the letter is the text ("WHEN the
        # rain", never "HEN the rain")
        out.append(Atom(Text(alt), styles))
        ctx.info("drop-cap", f"drop-cap picture {_short(str(tag.get('src') or ''))}: its letter "
                             f"“{alt}” kept as text")
    elif name == "img":
        image = image_of(tag, ctx)
        if image is not None:
            out.append(Atom(image, styles))
    elif name == "span" and _is_page_number(tag):
        ctx.info("page-number", f"page number “{text_of(tag)}” dropped")
    elif name == "pre":
        for child in tag.descendants:
            if isinstance(child, NavigableString) and not isinstance(child, Comment):
                for i, line in enumerate(str(child).split("\n")):
                    if i:
                        out.append(Atom(LineBreak(), styles))
                    out.append(Atom(Text(line), styles))
    else:
        _atoms(tag, ctx, styles | styles_of(tag), out)


# A printed book's page number left in the text: {12}, [p. 12], [Pg 12], in a margin span.
_PAGE_NUMBER = re.compile(r"\s*(?:\{\d{1,4}\}|\[(?:p\.?|pg\.?|page)\s*\d{1,4}\]|\d{1,4})\s*", re.IGNORECASE)
_PAGE_CLASS = re.compile(r"page-?num|pagenum|pageno|page-?number|pb\b|folio", re.IGNORECASE)


def _is_page_number(tag: Tag) -> bool:
    text = text_of(tag)
    if not _PAGE_NUMBER.fullmatch(text):
        return False
    return bool(_PAGE_CLASS.search(" ".join(tag.get("class") or ()))) or not text.strip().isdigit()


def image_of(tag: Tag, ctx: Context) -> Image | None:
    src = str(tag.get("src") or tag.get("data-src") or "").strip()
    alt = _WS.sub(" ", str(tag.get("alt") or "")).strip()
    if not src:
        return None
    low = src.lower()
    if low.startswith(("http:", "https:", "//", "ftp:")):
        ctx.warn("image-remote", f"image {_short(src)} is on the web; dropped (ficbook never "
                                 "fetches anything)")
        return None
    resource = ctx.load_image(src) if ctx.load_image else None
    if resource is None:
        ctx.warn("image-dropped", f"image {_short(src)} could not be read; dropped")
        return None
    return Image(resource, alt)


def _short(src: str) -> str:
    return repr(src if len(src) <= 60 else src[:57] + "…")


# ------------------------------------------------------------------ atoms -> paragraphs


def _normalise(atoms: list[Atom]) -> list[Atom]:
    """HTML whitespace rules: collapse runs, trim at paragraph edges and around breaks."""
    out: list[Atom] = []
    prev_space = True  # at the start, leading space goes
    for a in atoms:
        if isinstance(a.node, Text):
            text = _WS.sub(" ", a.node.text)
            if prev_space:
                text = text.lstrip(" ")
            if not text:
                continue
            prev_space = text.endswith(" ")
            out.append(Atom(Text(text), a.styles))
        else:
            if isinstance(a.node, LineBreak):
                _rstrip(out)
                prev_space = True
            else:
                prev_space = False
            out.append(a)
    _rstrip(out)
    return out


def _rstrip(out: list[Atom]) -> None:
    while out and isinstance(out[-1].node, Text):
        text = out[-1].node.text.rstrip(" ")
        if text:
            out[-1] = Atom(Text(text), out[-1].styles)
            return
        out.pop()


def _blank(a: Atom) -> bool:
    return isinstance(a.node, Text) and not a.node.text.strip(" \t\n\r\f\v\u00a0")


def split_runs(atoms: list[Atom]) -> list[list[Atom] | SceneBreak]:
    """`<br>` runs: one stays a line break, two split the paragraph, three or more are a scene break."""
    out: list[list[Atom] | SceneBreak] = []
    current: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if isinstance(a.node, LineBreak):
            j, count = i, 0
            while j < len(atoms) and (isinstance(atoms[j].node, LineBreak) or _blank(atoms[j])):
                count += isinstance(atoms[j].node, LineBreak)
                j += 1
            if count == 1:
                current.append(a)
            else:
                out.append(current)
                current = []
                if count >= 3:
                    out.append(SceneBreak())
            i = j
            continue
        current.append(a)
        i += 1
    out.append(current)
    return out


def build_inlines(atoms: list[Atom], outer: frozenset[StyleKind] = frozenset()) -> tuple[Inline, ...]:
    """Rebuild nesting: each style opens where it starts and spans as far as it lasts."""
    out: list[Inline] = []
    i = 0
    while i < len(atoms):
        extra = atoms[i].styles - outer
        if not extra:
            node = atoms[i].node
            if out and isinstance(node, Text) and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
            else:
                out.append(node)
            i += 1
            continue

        def reach(style: StyleKind, i: int = i) -> int:
            j = i
            while j < len(atoms) and style in atoms[j].styles:
                j += 1
            return j

        best = max(sorted(extra, key=_STYLE_ORDER.index), key=reach)
        j = reach(best)
        children = build_inlines(atoms[i:j], outer | {best})
        if out and isinstance(out[-1], Styled) and out[-1].kind == best:
            out[-1] = Styled(best, _merge(out[-1].children + children))
        else:
            out.append(Styled(best, children))
        i = j
    return _merge(tuple(out))


def _merge(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for n in nodes:
        if out and isinstance(n, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + n.text)
        else:
            out.append(n)
    return tuple(out)


def _paragraphs(atoms: list[Atom], align: Align | None) -> list[Block]:
    out: list[Block] = []
    for run in split_runs(atoms):
        if isinstance(run, SceneBreak):
            out.append(run)
            continue
        run = _normalise(run)
        while run and isinstance(run[0].node, LineBreak):
            run.pop(0)
        while run and isinstance(run[-1].node, LineBreak):
            run.pop()
        run = _normalise(run)
        if not run or all(_blank(a) for a in run):
            continue
        out.append(Paragraph(build_inlines(run), align=align))
    return out


# ------------------------------------------------------------------ blocks


def blocks_of(node: Tag, ctx: Context, styles: frozenset[StyleKind] = frozenset(),
              align: Align | None = None) -> list[Block]:
    """The blocks inside `node` (not `node` itself as a quote or list)."""
    out: list[Block] = []
    run: list[Atom] = []

    def flush() -> None:
        if run:
            out.extend(_paragraphs(run, align))
            run.clear()

    for child in node.children:
        if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            continue
        if isinstance(child, NavigableString):
            run.append(Atom(Text(str(child)), styles))
            continue
        if not isinstance(child, Tag) or _is_dropped(child):
            continue
        name = child.name.lower()
        if name in BLOCK or (name not in ("br", "img") and _has_block(child)):
            flush()
            out.extend(block_of(child, ctx, styles, align))
        else:
            _tag_atoms(child, ctx, styles, run)
    flush()
    return out


def block_of(tag: Tag, ctx: Context, styles: frozenset[StyleKind] = frozenset(),
             align: Align | None = None) -> list[Block]:
    name = tag.name.lower()
    if _is_dropped(tag):
        return []
    styles = styles | styles_of(tag)
    align = align_of(tag) or align
    if name == "hr":
        return [SceneBreak()]
    if name == "blockquote":
        inner = tidy(blocks_of(tag, ctx, styles))
        return [BlockQuote(tuple(inner))] if inner else []
    if name in ("ul", "ol"):
        items = []
        for li in tag.find_all("li", recursive=False) or [tag]:
            blocks = tidy(blocks_of(li, ctx, styles))
            if blocks:
                items.append(tuple(blocks))
        return [ListBlock(name == "ol", tuple(items))] if items else []
    if name == "table":
        table = simple_table(tag, ctx, styles)
        if table is not None:
            return [table]
        return blocks_of(tag, ctx, styles, align)
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        # A heading inside story text (a part title, a letter's heading): set off, centred.
        return blocks_of(tag, ctx, styles | {"strong"}, align or "center")
    if name == "dt":
        return blocks_of(tag, ctx, styles | {"strong"}, align)
    if name == "pre":
        atoms: list[Atom] = []
        _tag_atoms(tag, ctx, styles, atoms)
        return _paragraphs(atoms, align)
    return blocks_of(tag, ctx, styles, align)


def simple_table(tag: Tag, ctx: Context, styles: frozenset[StyleKind]) -> Table | None:
    """A data table (a text-message log, a schedule); layout tables return None."""
    if tag.find("table") is not None:
        return None
    rows: list[tuple[TableCell, ...]] = []
    for tr in tag.find_all("tr"):
        if tr.find_parent("table") is not tag:
            continue
        cells = []
        for cell in tr.find_all(("td", "th"), recursive=False):
            text = cell.get_text(" ", strip=True)
            if len(text) > 400 or cell.find(("p", "div", "blockquote", "ul", "ol")):
                return None
            atoms: list[Atom] = []
            _atoms(cell, ctx, styles | styles_of(cell), atoms)
            cells.append(TableCell(build_inlines(_normalise(atoms)), header=cell.name == "th"))
        if cells:
            rows.append(tuple(cells))
    if sum(len(r) for r in rows) < 2:
        return None
    return Table(tuple(rows))


# ------------------------------------------------------------------ tidying


def _flat(inlines: tuple[Inline, ...]) -> list[Inline]:
    out: list[Inline] = []
    for n in inlines:
        if isinstance(n, Styled):
            out.extend(_flat(n.children))
        else:
            out.append(n)
    return out


def is_empty(p: Paragraph) -> bool:
    return not any(isinstance(n, Image) or (isinstance(n, Text) and n.text.strip(" \u00a0\t\n"))
                   for n in _flat(p.inlines))


def tidy(blocks: list[Block]) -> list[Block]:
    """Empty paragraphs go, breaks never double or dangle. A paragraph that is a divider
    (`* * *`) stays a paragraph here: the `scene_breaks` rule decides, for every reader."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and is_empty(b):
            continue
        if isinstance(b, SceneBreak) and (not out or isinstance(out[-1], SceneBreak)):
            continue
        out.append(b)
    while out and isinstance(out[-1], SceneBreak):
        out.pop()
    return out


def text_of(tag: Tag) -> str:
    """An element's visible text on one line (for titles, labels, tag lists)."""
    parts = []
    for s in tag.descendants:
        if isinstance(s, NavigableString) and not isinstance(
                s, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            if not any(p.name in DROP for p in s.parents if isinstance(p, Tag)):
                parts.append(str(s))
    return _WS.sub(" ", "".join(parts).replace("\u00a0", " ")).strip()
