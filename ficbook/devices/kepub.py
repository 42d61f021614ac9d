"""EPUB -> KEPUB for Kobo's WebKit reader, following kepubify's rules. Pure: bytes in, bytes out.

A `.kepub.epub` is an EPUB whose content documents carry Kobo's markup (pgaskin/kepubify,
`kepub/transform.go`, matching what Kobo's own store books hold):

- a style block `style.kobostylehacks` at the end of `head`;
- the body's content wrapped in `div#book-columns > div#book-inner`;
- every sentence wrapped in `span.koboSpan` with id `kobo.P.S`: P counts paragraphs
  (`p`, `ol`, `ul`, `table` start a new one when text follows; an image always does), S
  counts sentences within it. Kobo hangs reading statistics, highlights and bookmarks on
  these spans.

Our documents are XHTML, so lxml edits them as XML and they stay valid EPUB (EPUBCheck
checks the result in the tests). The navigation document is left alone: it is not in the
spine, and Kobo reads the NCX.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from ficbook.epub.ocf import Entry, should_compress, write_zip
from ficbook.errors import OutputError

XHTML = "http://www.w3.org/1999/xhtml"
_H = f"{{{XHTML}}}"
KOBO_STYLE = "div#book-inner { margin-top: 0; margin-bottom: 0;}"

# A sentence ends at . ! ? or : with an optional closing quote, and takes the spaces after it.
_SENTENCE = re.compile(r".*?[.!?:]['\"\u201d\u2019\u201c\u2026]?\s*", re.S)
_NEW_PARAGRAPH = {"p", "ol", "ul", "table"}
_VERBATIM = {"script", "style", "pre", "audio", "video"}


def kepubify(epub_bytes: bytes) -> bytes:
    """The same book as a KEPUB: same files, same order and times, content documents marked up."""
    try:
        src = zipfile.ZipFile(io.BytesIO(epub_bytes))
        targets = _content_documents(src)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, AttributeError, TypeError,
            ValueError, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise OutputError(f"cannot make a KEPUB: not a readable EPUB ({exc})") from None
    infos = src.infolist()

    def entry(info: zipfile.ZipInfo) -> Entry:
        try:
            data = src.read(info.filename)
            if info.filename in targets:
                data = kepubify_xhtml(data)
        except etree.XMLSyntaxError as exc:  # an EPUB ficbook did not make may be broken
            raise OutputError(f"cannot make a KEPUB: {info.filename} is not well-formed XHTML "
                              f"({exc.msg})") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise OutputError(f"cannot make a KEPUB: {info.filename} cannot be read ({exc})") from None
        return Entry(info.filename, data, should_compress(info.filename), info.date_time)

    try:
        return write_zip(map(entry, infos), (1980, 1, 1, 0, 0, 0))
    except ValueError as exc:  # a duplicate name: zipfile reads one of them, devices vary
        raise OutputError(f"cannot make a KEPUB: {exc}") from None


def _content_documents(src: zipfile.ZipFile) -> set[str]:
    container = etree.fromstring(src.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(src.read(opf_path))
    base = posixpath.dirname(opf_path)
    found = set()
    for item in opf.iterfind(".//{*}manifest/{*}item"):
        if item.get("media-type") != "application/xhtml+xml":
            continue
        if "nav" in (item.get("properties") or "").split():
            continue
        found.add(posixpath.normpath(posixpath.join(base, unquote(item.get("href")))))
    return found


def kepubify_xhtml(data: bytes) -> bytes:
    """One XHTML document with Kobo's style block, wrapper divs and sentence spans."""
    root = etree.fromstring(data)
    head, body = root.find(f"{_H}head"), root.find(f"{_H}body")
    if head is None or body is None:
        return data
    already = body.find(f".//{_H}span[@class='koboSpan']") is not None
    if not already:
        _add_style(head)
        _wrap_body(body)
        _Spanner().walk(body)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>") + b"\n"


def _add_style(head: etree._Element) -> None:
    style = etree.SubElement(head, f"{_H}style", {"type": "text/css", "class": "kobostylehacks"})
    style.text = KOBO_STYLE
    style.tail = "\n"


def _wrap_body(body: etree._Element) -> None:
    if body.find(f"{_H}div[@id='book-columns']/{_H}div[@id='book-inner']") is not None:
        return
    columns = etree.Element(f"{_H}div", {"id": "book-columns"})
    inner = etree.SubElement(columns, f"{_H}div", {"id": "book-inner"})
    inner.text, body.text = body.text, "\n"
    for child in list(body):
        inner.append(child)  # moves it, tail included
    columns.tail = "\n"
    body.append(columns)


class _Spanner:
    """Numbers sentences the way kepubify does, walking the body in document order."""

    def __init__(self) -> None:
        self.para = 0
        self.seg = 0
        self.new_para_next = False

    def walk(self, el: etree._Element) -> None:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name in _NEW_PARAGRAPH:
            self.new_para_next = True
        children = list(el)  # before the text's spans join them
        if el.text:
            pieces = self._pieces(el.text, name)
            el.text = None
            self._place(el, pieces, at=0)
        for child in children:
            if not isinstance(child.tag, str):  # comments, processing instructions
                pass
            else:
                child_name = etree.QName(child).localname
                if child_name == "img":
                    self._image(child)
                    child = child.getparent()  # the span now holding it
                elif child_name not in _VERBATIM:
                    self.walk(child)
            if child.tail:
                pieces = self._pieces(child.tail, name)
                child.tail = None
                self._place(el, pieces, at=el.index(child) + 1)

    def _image(self, img: etree._Element) -> None:
        self.para += 1
        self.seg = 1
        self.new_para_next = False
        span = self._span()
        parent = img.getparent()
        parent.replace(img, span)
        span.tail, img.tail = img.tail, None
        span.append(img)

    def _pieces(self, text: str, parent: str) -> list[str | etree._Element]:
        """Sentences as spans; whitespace stays bare text unless directly in a `p`."""
        ends = [m.end() for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        bounds = [0, *ends] + ([len(text)] if not ends or ends[-1] < len(text) else [])
        out: list[str | etree._Element] = []
        for a, b in zip(bounds, bounds[1:]):
            sentence = text[a:b]
            if not sentence.strip() and parent != "p":
                out.append(sentence)
                continue
            if self.new_para_next:
                self.para += 1
                self.seg = 0
                self.new_para_next = False
            self.seg += 1
            span = self._span()
            span.text = sentence
            out.append(span)
        return out

    def _span(self) -> etree._Element:
        return etree.Element(f"{_H}span", {"class": "koboSpan", "id": f"kobo.{self.para}.{self.seg}"})

    @staticmethod
    def _place(parent: etree._Element, pieces: list[str | etree._Element], at: int) -> None:
        """Put text and spans into `parent` starting at child position `at`."""
        previous = parent[at - 1] if at > 0 else None
        for piece in pieces:
            if isinstance(piece, str):
                if previous is None:
                    parent.text = (parent.text or "") + piece
                else:
                    previous.tail = (previous.tail or "") + piece
            else:
                parent.insert(at, piece)
                at += 1
                previous = piece
