"""HTML elements -> model blocks: the one mapping every markup reader shares.

Only what a story needs survives: paragraphs (their inlines from `inlines`), scene breaks,
block quotes, lists, simple tables and images. Everything else is reduced to its text, and
scripts, forms, frames and the like are dropped whole (`tree.DROP`): nothing active,
nothing remote ever reaches the book, because the book is written from the model, never
from the HTML.
"""

from __future__ import annotations

from bs4 import Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from ficbook.model import (
    Align,
    Block,
    BlockQuote,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    SceneBreak,
    Styled,
    StyleKind,
    Table,
    TableCell,
    Text,
)
from ficbook.readers.html.context import PageContext
from ficbook.readers.html.inlines import (
    Atom,
    align_of,
    atoms_of,
    build_inlines,
    has_block,
    is_dropped,
    normalise,
    paragraphs,
    styles_of,
    tag_atoms,
)
from ficbook.readers.html.tree import BLOCK


def blocks_of(node: Tag, ctx: PageContext, styles: frozenset[StyleKind] = frozenset(),
              align: Align | None = None) -> list[Block]:
    """The blocks inside `node` (not `node` itself as a quote or list)."""
    out: list[Block] = []
    run: list[Atom] = []

    def flush() -> None:
        if run:
            out.extend(paragraphs(run, align))
            run.clear()

    for child in node.children:
        if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            continue
        if isinstance(child, NavigableString):
            run.append(Atom(Text(str(child)), styles))
            continue
        if not isinstance(child, Tag) or is_dropped(child):
            continue
        name = child.name.lower()
        if name in BLOCK or (name not in ("br", "img") and has_block(child)):
            flush()
            out.extend(block_of(child, ctx, styles, align))
        else:
            tag_atoms(child, ctx, styles, run)
    flush()
    return out


def block_of(tag: Tag, ctx: PageContext, styles: frozenset[StyleKind] = frozenset(),
             align: Align | None = None) -> list[Block]:
    name = tag.name.lower()
    if is_dropped(tag):
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
        tag_atoms(tag, ctx, styles, atoms)
        return paragraphs(atoms, align)
    return blocks_of(tag, ctx, styles, align)


def simple_table(tag: Tag, ctx: PageContext, styles: frozenset[StyleKind]) -> Table | None:
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
            atoms_of(cell, ctx, styles | styles_of(cell), atoms)
            cells.append(TableCell(build_inlines(normalise(atoms)), header=cell.name == "th"))
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


def _blank_paragraph(p: Paragraph) -> bool:
    return not any(isinstance(n, Image) or (isinstance(n, Text) and n.text.strip(" \u00a0\t\n"))
                   for n in _flat(p.inlines))


def tidy(blocks: list[Block]) -> list[Block]:
    """Empty paragraphs go, breaks never double or dangle. A paragraph that is a divider
    (`* * *`) stays a paragraph here: the `scene_breaks` rule decides, for every reader."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and _blank_paragraph(b):
            continue
        if isinstance(b, SceneBreak) and (not out or isinstance(out[-1], SceneBreak)):
            continue
        out.append(b)
    while out and isinstance(out[-1], SceneBreak):
        out.pop()
    return out


