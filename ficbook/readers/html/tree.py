"""A saved page as a tree: parsed the way browsers show it (text after `</body>` kept),
nesting bounded (a hostile page nests 10,000 deep), and an element's visible text."""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def find_tag(root: Tag, *, id: str | None = None, cls: str | None = None) -> Tag | None:  # noqa: A002
    """`root.find(id=…)`, `root.find(class_=…)`: the first element below `root` (never
    `root` itself), in document order, with that id and that class. A plain walk: bs4's
    matching machinery took 9 ms a search on a 350 KB AO3 page against 2 ms, and a page
    is searched a dozen times (which site it is from, then its parts)."""
    return next(_tags(root, id, cls), None)


def find_tags(root: Tag, *, id: str | None = None, cls: str | None = None) -> list[Tag]:  # noqa: A002
    """`root.find_all(id=…)`, `root.find_all(class_=…)`, as `find_tag` finds them: a list,
    so the caller may take them out of the tree as it goes."""
    return list(_tags(root, id, cls))


def _tags(root: Tag, id: str | None, cls: str | None) -> Iterator[Tag]:  # noqa: A002
    for node in root.descendants:
        if not isinstance(node, Tag):
            continue
        attrs = node.attrs
        if id is not None and attrs.get("id") != id:
            continue
        if cls is not None:
            # bs4's class_ matches one of the classes, or the attribute's whole value
            value = attrs.get("class")
            if value is None:
                continue
            names = value.split() if isinstance(value, str) else value
            if cls not in names and cls != " ".join(names):
                continue
        yield node


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
