"""HTML inline content -> model inlines: emphasis from tags *and* from the inline styles and
`<font>`/`<center>` soup of old archives, line breaks, images.

Inline content is flattened to "atoms" (a piece of text, a break or an image, with the
set of styles that apply to it) and rebuilt into nested `Styled` nodes afterwards. That
makes `<br><br>` inside `<i>` split paragraphs as easily as at the top level, and lets
`<i><p>…</p><p>…</p></i>` (common in old pages) keep its italics in every paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from ficbook.model import Align, Block, Image, Inline, LineBreak, Paragraph, SceneBreak, Styled, StyleKind, Text
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.tree import BLOCK, DROP, WS, text_of

_TAG_STYLE: dict[str, StyleKind] = {
    "i": "em", "em": "em", "cite": "em", "var": "em", "dfn": "em",
    "b": "strong", "strong": "strong", "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s", "sub": "sub", "sup": "sup",
}

_STYLE_ORDER: tuple[StyleKind, ...] = ("em", "strong", "u", "s", "sub", "sup", "small-caps")


@dataclass(frozen=True, slots=True)
class Atom:
    node: Text | LineBreak | Image
    styles: frozenset[StyleKind] = frozenset()


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


def is_dropped(tag: Tag) -> bool:
    name = tag.name.lower()
    if name in DROP:
        return True
    # Hidden content (spoiler-free copies, tracking pixels, "skip to content" links).
    css = _css(tag)
    return css.get("display", "").startswith("none") or tag.has_attr("hidden")


def has_block(tag: Tag) -> bool:
    return any(isinstance(d, Tag) and d.name.lower() in BLOCK for d in tag.descendants)


# ------------------------------------------------------------------ inline atoms


def atoms_of(node: Tag, ctx: PageContext, styles: frozenset[StyleKind], out: list[Atom]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            continue
        if isinstance(child, NavigableString):
            out.append(Atom(Text(str(child)), styles))
        elif isinstance(child, Tag):
            tag_atoms(child, ctx, styles, out)


def tag_atoms(tag: Tag, ctx: PageContext, styles: frozenset[StyleKind], out: list[Atom]) -> None:
    name = tag.name.lower()
    if is_dropped(tag):
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
        atoms_of(tag, ctx, styles | styles_of(tag), out)


# A printed book's page number left in the text: {12}, [p. 12], [Pg 12], in a margin span.
_PAGE_NUMBER = re.compile(r"\s*(?:\{\d{1,4}\}|\[(?:p\.?|pg\.?|page)\s*\d{1,4}\]|\d{1,4})\s*", re.IGNORECASE)
_PAGE_CLASS = re.compile(r"page-?num|pagenum|pageno|page-?number|pb\b|folio", re.IGNORECASE)


def _is_page_number(tag: Tag) -> bool:
    text = text_of(tag)
    if not _PAGE_NUMBER.fullmatch(text):
        return False
    return bool(_PAGE_CLASS.search(" ".join(tag.get("class") or ()))) or not text.strip().isdigit()


def image_of(tag: Tag, ctx: PageContext) -> Image | None:
    src = str(tag.get("src") or tag.get("data-src") or "").strip()
    alt = WS.sub(" ", str(tag.get("alt") or "")).strip()
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


def normalise(atoms: list[Atom]) -> list[Atom]:
    """HTML whitespace rules: collapse runs, trim at paragraph edges and around breaks."""
    out: list[Atom] = []
    prev_space = True  # at the start, leading space goes
    for a in atoms:
        if isinstance(a.node, Text):
            text = WS.sub(" ", a.node.text)
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


def paragraphs(atoms: list[Atom], align: Align | None) -> list[Block]:
    out: list[Block] = []
    for run in split_runs(atoms):
        if isinstance(run, SceneBreak):
            out.append(run)
            continue
        run = normalise(run)
        while run and isinstance(run[0].node, LineBreak):
            run.pop(0)
        while run and isinstance(run[-1].node, LineBreak):
            run.pop()
        run = normalise(run)
        if not run or all(_blank(a) for a in run):
            continue
        out.append(Paragraph(build_inlines(run), align=align))
    return out


