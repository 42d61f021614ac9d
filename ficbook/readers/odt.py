"""ODT: its content.xml read with lxml (headings, paragraphs, italic and bold spans
by their styles, line breaks), the title and author from meta.xml."""

from __future__ import annotations

from lxml import etree

from ficbook.errors import StoryError
from ficbook.readers.document import Document
from ficbook.readers.written import member, open_zip, people, xml

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _q(prefix: str, local: str) -> str:
    return f"{{{_NS[prefix]}}}{local}"


def read_odt(data: bytes, name: str) -> Document:
    from html import escape

    zf = open_zip(data, name)
    content = member(zf, "content.xml", name)
    if content is None:
        raise StoryError("an OpenDocument file without content.xml", file=name)
    root = xml(content, name, "content.xml")
    styles = _odt_styles(root)
    styles_xml = member(zf, "styles.xml", name)
    if styles_xml:
        styles = {**_odt_styles(xml(styles_xml, name, "styles.xml")), **styles}
    title = author = None
    meta = member(zf, "meta.xml", name)
    if meta:
        m = xml(meta, name, "meta.xml")
        title = (m.findtext(".//dc:title", namespaces=_NS) or "").strip() or None
        author = (m.findtext(".//dc:creator", namespaces=_NS)
                  or m.findtext(".//meta:initial-creator", namespaces=_NS) or "").strip() or None
    text = root.find(".//office:body/office:text", namespaces=_NS)
    out: list[str] = []

    def inline(el: etree._Element) -> str:
        parts = [escape(el.text or "")]
        for child in el:
            tag = child.tag
            if tag == _q("text", "span"):
                inner = inline(child)
                for kind in styles.get(child.get(_q("text", "style-name")) or "", ()):
                    inner = f"<{kind}>{inner}</{kind}>"
                parts.append(inner)
            elif tag == _q("text", "line-break"):
                parts.append("<br/>")
            elif tag == _q("text", "s"):
                parts.append(" " * int(child.get(_q("text", "c")) or 1))
            elif tag == _q("text", "tab"):
                parts.append(" ")
            elif tag in (_q("text", "a"), _q("text", "bookmark-ref")):
                parts.append(inline(child))
            elif tag == _q("text", "note"):
                pass  # a footnote's body is not the sentence's text
            parts.append(escape(child.tail or ""))
        return "".join(parts)

    def block(el: etree._Element) -> None:
        tag = el.tag
        if tag == _q("text", "h"):
            level = min(int(el.get(_q("text", "outline-level")) or 1), 6)
            out.append(f"<h{level}>{inline(el)}</h{level}>")
        elif tag == _q("text", "p"):
            style = el.get(_q("text", "style-name")) or ""
            kinds = styles.get(style) or _named(style)
            body = inline(el)
            if "title" in kinds:
                out.append(f"<h1>{body}</h1>")
                return
            for kind in kinds:
                if kind in ("em", "strong"):
                    body = f"<{kind}>{body}</{kind}>"
            if "quote" in kinds:
                out.append(f"<blockquote><p>{body}</p></blockquote>")
            else:
                out.append(f"<p>{body}</p>")
        elif tag in (_q("text", "list"), _q("text", "list-item"), _q("text", "section"),
                     _q("text", "soft-page-break")):
            for child in el:
                block(child)

    if text is not None:
        for child in text:
            block(child)
    return Document("\n".join(out), title=title, authors=people(author))


def _named(style: str) -> tuple[str, ...]:
    """A common style used without a definition in the file (LibreOffice's defaults)."""
    low = style.lower().replace("_20_", " ")
    return ("title",) if low == "title" else ("quote",) if low in ("quotations", "quote") else ()


def _odt_styles(root: etree._Element) -> dict[str, tuple[str, ...]]:
    """Style name -> what it means here: em, strong, title, quote (parents followed)."""
    raw: dict[str, tuple[str | None, set[str]]] = {}
    for st in root.iter(_q("style", "style")):
        name = st.get(_q("style", "name")) or ""
        kinds: set[str] = set()
        for props in st:
            if props.get(_q("fo", "font-style")) == "italic":
                kinds.add("em")
            if props.get(_q("fo", "font-weight")) in ("bold", "700", "800", "900"):
                kinds.add("strong")
        low = name.lower().replace("_20_", " ")
        if low == "title":
            kinds.add("title")
        if low in ("quotations", "quote", "block quotation"):
            kinds.add("quote")
        raw[name] = (st.get(_q("style", "parent-style-name")), kinds)

    def resolve(name: str, depth: int = 0) -> set[str]:
        parent, kinds = raw.get(name, (None, set()))
        if parent and depth < 10:
            return kinds | resolve(parent, depth + 1)
        return set(kinds)

    return {name: tuple(sorted(resolve(name))) for name in raw}
