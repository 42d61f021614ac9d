"""A saved page as a tree: parsed the way browsers show it (text after `</body>` kept),
nesting bounded (a hostile page nests 10,000 deep), and an element's visible text."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, PageElement, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

# Dropped with everything inside: active content, forms, embedded media, page furniture.
DROP = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "form", "input", "button",
    "select", "option", "optgroup", "textarea", "object", "embed", "applet", "svg", "math",
    "template", "canvas", "audio", "video", "source", "track", "map", "area", "link", "meta",
    "head", "title", "base", "nav", "dialog", "menu", "param", "portal", "picture",
})

# Elements that stand as blocks of their own; any other is inline content.
BLOCK = frozenset({
    "p", "div", "center", "blockquote", "hr", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "section", "article", "main", "aside", "header", "footer", "figure", "figcaption",
    "address", "details", "summary", "body", "html", "fieldset", "hgroup", "legend",
})

WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML's white space (a no-break space is text)


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


def find_id(root: Tag, value: str) -> Tag | None:
    """`root.find(id=value)`: the first element below `root` with that id, in document
    order. A plain walk: bs4's matching machinery took 9 ms a search on a 350 KB AO3 page
    against 2 ms, and a page is searched for a dozen ids (which site it comes from, then
    its parts)."""
    for node in root.descendants:
        if isinstance(node, Tag) and node.attrs.get("id") == value:
            return node
    return None


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


def text_of(tag: Tag) -> str:
    """An element's visible text on one line (for titles, labels, tag lists)."""
    parts = []
    for s in tag.descendants:
        if isinstance(s, NavigableString) and not isinstance(
                s, (Comment, Doctype, Declaration, ProcessingInstruction, CData)):
            if not any(p.name in DROP for p in s.parents if isinstance(p, Tag)):
                parts.append(str(s))
    return WS.sub(" ", "".join(parts).replace("\u00a0", " ")).strip()
