"""DOCX (through mammoth), ODT (its content.xml, read with lxml), Markdown (through
markdown-it-py) and FB2 (FictionBook XML, with lxml): each to a `document.Document`.
Pure functions over bytes; `readers.read_markup` picks one by what `sniff` finds."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ficbook.errors import StoryError
from ficbook.readers.document import Document

_DC = "{http://purl.org/dc/elements/1.1/}"
# XML with no network, no entities from outside, and no billion laughs.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True)


def _xml(data: bytes, name: str, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise StoryError(f"{what} is not well-formed XML ({exc.msg})", file=name) from None


def _zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise StoryError(f"not a readable zip ({exc})", file=name) from None


def _member(zf: zipfile.ZipFile, member: str, name: str, limit: int = 64 << 20) -> bytes | None:
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > limit:
        raise StoryError(f"{member} inside is too large ({info.file_size:,} bytes)", file=name)
    try:
        return zf.read(member)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise StoryError(f"{member} inside cannot be read ({exc})", file=name) from None


def _people(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(p.strip() for p in re.split(r";|,| and | & ", value) if p.strip())


# ---------------------------------------------------------------- DOCX

_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
r[style-name='Emphasis'] => em
r[style-name='Strong'] => strong
u => u
strike => s
"""


def read_docx(data: bytes, name: str) -> Document:
    import mammoth

    zf = _zip(data, name)
    core = _member(zf, "docProps/core.xml", name)
    title = author = None
    if core:
        root = _xml(core, name, "docProps/core.xml")
        title = (root.findtext(f"{_DC}title") or "").strip() or None
        author = (root.findtext(f"{_DC}creator") or "").strip() or None
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP,
                                         convert_image=mammoth.images.img_element(_no_image))
    except Exception as exc:  # noqa: BLE001 - mammoth raises many kinds on a damaged file
        raise StoryError(f"not a readable Word document ({type(exc).__name__}: {exc})",
                         file=name) from None
    doc = Document(result.value, title=title, authors=_people(author))
    for message in result.messages:
        if "unrecognised" in message.message.lower() or "unrecognized" in message.message.lower():
            continue  # a style mammoth has no mapping for: its text is kept as paragraphs
        doc.diagnostics.append(("info", "docx", message.message))
    return doc


def _no_image(image) -> dict[str, str]:  # noqa: ANN001 - mammoth's image
    return {"alt": image.alt_text or ""}


# ---------------------------------------------------------------- ODT

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

    zf = _zip(data, name)
    content = _member(zf, "content.xml", name)
    if content is None:
        raise StoryError("an OpenDocument file without content.xml", file=name)
    root = _xml(content, name, "content.xml")
    styles = _odt_styles(root)
    styles_xml = _member(zf, "styles.xml", name)
    if styles_xml:
        styles = {**_odt_styles(_xml(styles_xml, name, "styles.xml")), **styles}
    title = author = None
    meta = _member(zf, "meta.xml", name)
    if meta:
        m = _xml(meta, name, "meta.xml")
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
    return Document("\n".join(out), title=title, authors=_people(author))


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


# ---------------------------------------------------------------- Markdown

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


def read_markdown(text: str, name: str) -> Document:
    from markdown_it import MarkdownIt

    title = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    m = _FRONT.match(text)
    if m:
        fields = _front_matter(m.group(1))
        text = text[m.end():]
        title = str(fields.get("title") or "").strip() or None
        author = fields.get("author") or fields.get("authors")
        authors = tuple(str(a) for a in author) if isinstance(author, list) else _people(
            str(author) if author else None)
        raw_tags = fields.get("tags")
        if isinstance(raw_tags, list):
            tags = tuple(str(t) for t in raw_tags)
    text, notes = _footnotes(text)
    text = _attribute_lines(text)
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    end: tuple = ()
    if notes:
        from ficbook.model import Note, Paragraph, Text

        end = (Note("author-note", tuple(Paragraph((Text(n),)) for n in notes), label="Notes"),)
    return Document(md.render(text), title=title, authors=authors, tags=tags, end_notes=end)


_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*(?:\n(?:[ \t]{2,}|\t).*)*)", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# A Pandoc attribute line under a block ("{ .md-time-to-read }"); site furniture by its class
_ATTRIBUTES = re.compile(r"^\{[ \t]*(?:[.#][\w-]+[ \t]*)+\}[ \t]*$", re.MULTILINE)
_FURNITURE_CLASS = re.compile(r"time-to-read|reading-time|read-time|word-?count|post-meta",
                              re.IGNORECASE)


def _footnotes(text: str) -> tuple[str, list[str]]:
    """Footnote definitions (`[^1]: text`) out of the text, as notes; references dropped."""
    notes = [" ".join(m.group(2).split()) for m in _FOOTNOTE_DEF.finditer(text)]
    if not notes:
        return text, []
    text = _FOOTNOTE_DEF.sub("", text)
    return _FOOTNOTE_REF.sub("", text), [n for n in notes if n]


def _attribute_lines(text: str) -> str:
    """Pandoc attribute lines are not text; a block whose class marks it as a site's
    counter (time to read, word count) goes with its line."""
    if "{" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if _ATTRIBUTES.match(line):
            if _FURNITURE_CLASS.search(line):
                while out and out[-1].strip():
                    out.pop()  # the block the attribute belongs to
            continue
        out.append(line)
    return "\n".join(out)


def _front_matter(text: str) -> dict:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


# ---------------------------------------------------------------- FB2

_FB = "{http://www.gribuser.ru/xml/fictionbook/2.0}"


def read_fb2(data: bytes, name: str) -> Document:
    from html import escape

    from ficbook.model import Note, Paragraph, Text

    root = _xml(data, name, "the FictionBook file")
    ns = _FB if root.tag.startswith(_FB) else ""

    def find(el, path: str):  # noqa: ANN001, ANN202
        return el.find("/".join(f"{ns}{p}" for p in path.split("/"))) if el is not None else None

    info = find(root, "description/title-info")
    title = (find(info, "book-title").text or "").strip() if find(info, "book-title") is not None \
        else None
    authors: list[str] = []
    for a in info.findall(f"{ns}author") if info is not None else ():
        parts = [(a.findtext(f"{ns}{p}") or "").strip()
                 for p in ("first-name", "middle-name", "last-name")]
        full = " ".join(p for p in parts if p) or (a.findtext(f"{ns}nickname") or "").strip()
        if full:
            authors.append(full)
    lang = (find(info, "lang").text or "").strip() if find(info, "lang") is not None else None
    genres = tuple((g.text or "").strip() for g in info.findall(f"{ns}genre")) \
        if info is not None else ()

    def inline(el) -> str:  # noqa: ANN001
        parts = [escape(el.text or "")]
        for child in el:
            local = _local(child)
            inner = inline(child)
            if local == "emphasis":
                parts.append(f"<em>{inner}</em>")
            elif local == "strong":
                parts.append(f"<strong>{inner}</strong>")
            elif local == "strikethrough":
                parts.append(f"<s>{inner}</s>")
            elif local in ("sup", "sub"):
                parts.append(f"<{local}>{inner}</{local}>")
            elif local == "a" and (child.get("type") == "note"):
                pass  # a footnote's number: the notes are set apart at the end
            elif local != "image":
                parts.append(inner)
            parts.append(escape(child.tail or ""))
        return "".join(parts)

    def plain(el) -> str:  # noqa: ANN001
        return " ".join("".join(el.itertext()).split())

    out: list[str] = []

    def block(el, depth: int) -> None:  # noqa: ANN001
        local = _local(el)
        if local == "section":
            head = el.find(f"{ns}title")
            if head is not None:
                level = min(depth, 3)
                out.append(f"<h{level}>{escape(' '.join(plain(p) for p in head))}</h{level}>")
            for child in el:
                if child is not head:
                    block(child, depth + 1)
        elif local == "p":
            out.append(f"<p>{inline(el)}</p>")
        elif local == "subtitle":
            out.append(f"<p align=\"center\">{inline(el)}</p>")
        elif local == "empty-line":
            out.append("<p>* * *</p>" if _between_text(el) else "")
        elif local in ("poem", "cite", "epigraph"):
            inner: list[str] = []
            for child in el.iter(f"{ns}p", f"{ns}v", f"{ns}text-author"):
                inner.append(f"<p>{inline(child)}</p>")
            out.append(f"<blockquote>{''.join(inner)}</blockquote>")
        elif local == "title":
            out.append(f"<h1>{escape(' '.join(plain(p) for p in el))}</h1>")
        elif local == "table":
            out.append(f"<p>{escape(plain(el))}</p>")

    bodies = root.findall(f"{ns}body")
    main = next((b for b in bodies if b.get("name") is None), bodies[0] if bodies else None)
    if main is None:
        raise StoryError("a FictionBook file without a <body>", file=name)
    sections = main.findall(f"{ns}section")
    depth = 2 if len(sections) > 1 or main.find(f"{ns}title") is not None else 1
    for child in main:
        local = _local(child)
        if local == "title":
            continue  # the book's title: on the card
        block(child, depth if local == "section" else 1)
    annotation = find(info, "annotation")
    summary = tuple(Paragraph((Text(plain(p)),)) for p in annotation) if annotation is not None \
        else ()
    end: list[Note] = []
    for b in bodies:
        if b is main:
            continue
        paras = tuple(Paragraph((Text(plain(p)),)) for p in b.iter(f"{ns}p")
                      if plain(p) and _local(p.getparent()) != "title")
        if paras:
            end.append(Note("author-note", paras, label="Notes"))
    return Document("\n".join(out), title=title or None, authors=tuple(authors),
                    language=lang or None, summary=summary, tags=genres, end_notes=tuple(end))


def _local(el) -> str:  # noqa: ANN001
    """An element's name without its namespace; "" for an entity, a comment, a PI."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _between_text(el) -> bool:  # noqa: ANN001
    """An <empty-line/> between paragraphs of a section: a scene break; at its ends: none."""
    return el.getprevious() is not None and el.getnext() is not None
