"""EPUBs as stories: AO3's, FanFicFare's, and any other.

Chapters come from the spine, metadata from the OPF. The source book's own furniture
(cover page, title page, update log, table of contents) is recognised and not repeated
as story text: our book makes its own. AO3 EPUBs carry AO3's download markup and go
through the AO3 reader; FanFicFare's notes divs become our notes.

The zip is read in memory and defensively: hrefs never resolve outside the book, entry
sizes and the total are capped (zip bombs), XML is parsed without entities or network.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from lxml import etree

from ficbook.errors import Diagnostic, StoryError
from ficbook.model import Block, Chapter, Note, Story, StoryMeta
from ficbook.readers.html import ao3
from ficbook.readers.html.blocks import Context, blocks_of, parse, text_of, tidy
from ficbook.readers.html.common import classes, finish_blocks, language_code, split_list, story_chapters
from ficbook.readers.images import to_resource

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed beyond this on a big entry is a bomb

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       recover=True)
# An internal DTD subset declares entities: a billion-laughs bomb (which makes lxml stop
# half-way and return a cut tree) or an external file. Package documents need none.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)


def _parse_xml(data: bytes):  # noqa: ANN202 - lxml element or None
    return etree.fromstring(_INTERNAL_SUBSET.sub(b"", data, count=1), _XML)


_FURNITURE_NAMES = re.compile(
    r"(^|[/_-])(title_?page|titlepage|title|log_?page|toc_?page|toc|nav|cover|contents|"
    r"copyright|colophon|information|info)(\.x?html?)$", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^\s*([A-Z][A-Za-z /']{1,30}):\s*\S")


class Book:
    """A zip opened for reading with limits; paths are always resolved inside it."""

    def __init__(self, data: bytes, name: str):
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise StoryError("not a valid EPUB: the archive is damaged or cut short "
                             "(save or download it again)", file=name) from None
        if len(infos) > MAX_ENTRIES:
            raise StoryError(f"EPUB has {len(infos):,} files; the limit is {MAX_ENTRIES:,}", file=name)
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise StoryError("EPUB unpacks to more than "
                             f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB; refused", file=name)
        self.infos = {i.filename: i for i in infos if not i.is_dir()}
        self.lower = {n.lower(): n for n in self.infos}
        # What was really unpacked, every read counted: a book naming one entry many
        # times (a spine that repeats a chapter) cannot pass the total limit that way.
        self.unpacked = 0

    def read(self, path: str) -> bytes | None:
        real = self.infos.get(path) or self.infos.get(self.lower.get(path.lower(), ""))
        if real is None:
            return None
        if real.file_size > MAX_ENTRY_BYTES or (
                real.file_size > 10 * 1024 * 1024 and real.file_size > MAX_RATIO * max(1, real.compress_size)):
            raise StoryError(f"EPUB entry {real.filename!r} is too large to read safely", file=self.name)
        try:
            with self.zip.open(real) as f:
                data = f.read(MAX_ENTRY_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
            raise StoryError(f"EPUB entry {real.filename!r} cannot be read (damaged or encrypted)",
                             file=self.name) from None
        if len(data) > MAX_ENTRY_BYTES:
            raise StoryError(f"EPUB entry {real.filename!r} is too large to read safely", file=self.name)
        self.unpacked += len(data)
        if self.unpacked > MAX_TOTAL_BYTES:
            raise StoryError("EPUB unpacks to more than "
                             f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB; refused", file=self.name)
        return data


def resolve(base: str, href: str) -> str | None:
    """`href` relative to the file `base`, inside the book, or None if it escapes."""
    href = unquote(href.split("#")[0].split("?")[0])
    if not href or ":" in href.split("/")[0] or href.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return None
    return path


def read_epub(source, options) -> tuple[Story, list[Diagnostic]]:  # noqa: ANN001
    book = Book(source.data, source.name)
    if _encrypted_text(book):
        raise StoryError("EPUB is DRM-protected (its text is encrypted); ficbook cannot read "
                         "it: use a DRM-free copy", file=source.name)
    opf_path = _opf_path(book)
    opf_bytes = book.read(opf_path) if opf_path else None
    if not opf_path or opf_bytes is None:
        raise StoryError("not an EPUB: no package document (.opf) inside", file=source.name)
    try:
        opf = _parse_xml(opf_bytes)
    except etree.XMLSyntaxError:
        opf = None
    if opf is None:
        raise StoryError(f"EPUB package document {opf_path!r} is not XML", file=source.name)

    diags: list[Diagnostic] = []
    ctx_images: dict[str, Any] = {}

    def loader_for(doc_path: str):
        def load(src: str):
            path = resolve(doc_path, src)
            if path is None:
                return None
            if path not in ctx_images:
                data = book.read(path)
                ctx_images[path] = to_resource(data) if data else None
            return ctx_images[path]
        return load

    manifest = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", _NS):
        href = resolve(opf_path, item.get("href") or "")
        if href:
            manifest[item.get("id")] = (href, item.get("media-type") or "", item.get("properties") or "")
    spine: list[str] = []
    for ref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        entry = manifest.get(ref.get("idref"))
        if entry and entry[1] in ("application/xhtml+xml", "text/html") and "nav" not in entry[2].split():
            spine.append(entry[0])
    repeated = len(spine) - len(set(spine))
    if repeated:  # each document is read once, where it first stands in the reading order
        spine = list(dict.fromkeys(spine))
        diags.append(Diagnostic("warning", "epub-spine-repeats",
                                f"the spine lists {repeated} document(s) more than once; each "
                                "is read once", source.name))
    if not spine:
        raise StoryError("EPUB has no text documents in its spine", file=source.name)

    furniture = _guide_furniture(opf, opf_path)
    titles = _toc_titles(book, opf, opf_path, manifest)
    meta = _opf_meta(opf)
    docs: list[tuple[str, BeautifulSoup]] = []
    for path in spine:
        data = book.read(path)
        if data is None:
            diags.append(Diagnostic("warning", "epub-missing-file",
                                    f"spine file {path!r} is missing from the EPUB", source.name))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            docs.append((path, parse(data.decode("utf-8", errors="replace"))))

    if any(ao3.is_ao3(soup) for _, soup in docs):
        story, more = _read_ao3_epub(docs, source.name, loader_for)
        diags.extend(more)
        return _with_opf(story, meta), diags

    ctx_diags: list[Diagnostic] = []
    fff_fields = {}
    chapters: list[Chapter] = []
    for path, soup in docs:
        body = soup.body or soup
        kind = _furniture(path, body, furniture, meta)
        if kind:
            if kind == "title page":
                fff_fields.update(_title_page_fields(body))
            ctx_diags.append(Diagnostic("info", "epub-furniture",
                                        f"skipped the source book's {kind} ({path})", source.name))
            continue
        ctx = Context(source.name, loader_for(path), ctx_diags)
        chapter = _chapter(body, ctx, titles.get(path))
        if chapter is not None:
            chapters.append(chapter)
    diags.extend(ctx_diags)
    if not chapters:
        raise StoryError("no story text found in the EPUB", file=source.name)
    story_meta = _merge_fields(meta, fff_fields)
    summary = _summary(meta.pop("description", None) or fff_fields.get("summary"), source.name, diags)
    if len(chapters) == 1 and chapters[0].title and chapters[0].title.strip().lower() == story_meta.title.lower():
        chapters[0] = replace(chapters[0], title=None)
    story = Story(meta=story_meta, chapters=story_chapters(chapters, source.name),
                  summary=summary, path=source.name)
    return story, diags


# ------------------------------------------------------------------ package document


# Font obfuscation (IDPF, Adobe) "encrypts" fonts only and leaves the text readable.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


def _encrypted_text(book: Book) -> bool:
    """True when META-INF/encryption.xml encrypts anything but fonts, or Adobe DRM's
    rights.xml is there: decoding such files would put noise in the book."""
    if book.read("META-INF/rights.xml"):
        return True
    data = book.read("META-INF/encryption.xml")
    if not data:
        return False
    try:
        root = _parse_xml(data)
    except etree.XMLSyntaxError:
        return False
    if root is None:
        return False
    for enc in root.iter("{http://www.w3.org/2001/04/xmlenc#}EncryptedData"):
        method = enc.find("{http://www.w3.org/2001/04/xmlenc#}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm in _FONT_OBFUSCATION:
            continue
        for ref in enc.iter("{http://www.w3.org/2001/04/xmlenc#}CipherReference"):
            uri = (ref.get("URI") or "").lower()
            if not uri.endswith((".otf", ".ttf", ".woff", ".woff2", ".jpg", ".jpeg", ".png", ".gif")):
                return True
    return False


def _opf_path(book: Book) -> str | None:
    container = book.read("META-INF/container.xml")
    if container:
        try:
            root = _parse_xml(container)
        except etree.XMLSyntaxError:
            root = None
        if root is not None:
            for rf in root.iterfind(".//c:rootfile", _NS):
                path = rf.get("full-path") or ""
                if path and resolve("", path) and resolve("", path) in book.infos:
                    return resolve("", path)
    return next((n for n in book.infos if n.lower().endswith(".opf")), None)


def _opf_meta(opf) -> dict[str, Any]:  # noqa: ANN001
    md = opf.find(".//opf:metadata", _NS)
    out: dict[str, Any] = {}
    if md is None:
        return out

    def texts(tag: str) -> list[str]:
        return [re.sub(r"\s+", " ", "".join(e.itertext())).strip()
                for e in md.iterfind(f"dc:{tag}", _NS) if "".join(e.itertext()).strip()]

    if texts("title"):
        out["title"] = texts("title")[0]
    if texts("creator"):
        out["authors"] = tuple(texts("creator"))
    if texts("description"):
        out["description"] = texts("description")[0]
    if texts("subject"):
        out["tags"] = tuple(dict.fromkeys(texts("subject")))
    if texts("language"):
        out["language"] = language_code(texts("language")[0])
    for src in texts("source") + texts("identifier"):
        if src.startswith(("http://", "https://")):
            out["source"] = src
            break
    if texts("date"):
        out["published"] = texts("date")[0][:10]
    for m in md.iterfind("opf:meta", _NS):
        if m.get("name") == "calibre:series" and m.get("content"):
            out["series"] = m.get("content")
        elif m.get("property") == "belongs-to-collection" and (m.text or "").strip():
            out.setdefault("series", m.text.strip())
    return out


def _guide_furniture(opf, opf_path: str) -> set[str]:  # noqa: ANN001
    out = set()
    for ref in opf.iterfind(".//opf:guide/opf:reference", _NS):
        if (ref.get("type") or "").lower() in ("title-page", "toc", "cover", "copyright-page",
                                               "colophon"):
            path = resolve(opf_path, ref.get("href") or "")
            if path:
                out.add(path)
    return out


def _toc_titles(book: Book, opf, opf_path: str, manifest: dict) -> dict[str, str]:  # noqa: ANN001
    """Chapter titles by file, from the NCX (what every reader of ours will have)."""
    out: dict[str, str] = {}
    ncx = next((href for href, media, _ in manifest.values() if media == "application/x-dtbncx+xml"), None)
    data = book.read(ncx) if ncx else None
    if not data:
        return out
    try:
        root = _parse_xml(data)
    except etree.XMLSyntaxError:
        return out
    if root is None:
        return out
    ns = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
    for point in root.iterfind(".//n:navPoint", ns):
        label = point.find("n:navLabel/n:text", ns)
        content = point.find("n:content", ns)
        if label is not None and content is not None and label.text:
            path = resolve(ncx, content.get("src") or "")
            if path and path not in out:
                out[path] = re.sub(r"\s+", " ", label.text).strip()
    return out


# ------------------------------------------------------------------ furniture pages


def _furniture(path: str, body: Tag, guide: set[str], meta: dict) -> str | None:
    types = " ".join(str(t.get("epub:type") or "") for t in [body, *body.find_all(True, limit=5)])
    text = text_of(body)
    n_words = len(text.split())
    lines = [line for line in body.get_text("\n").split("\n") if line.strip()]
    fields = sum(1 for line in lines if _FIELD_LINE.match(line))
    name = posixpath.basename(path)
    if "toc" in types.split() or re.search(r"(^|_)toc", name, re.I):
        return "table of contents"
    if "log_page" in name or re.match(r"^\s*update log\b", text, re.I):
        return "update log"
    if "titlepage" in types or "title-page" in types or re.search(r"title_?page", name, re.I):
        return "title page"
    if "cover" in types.split() or (n_words < 5 and body.find(("img", "svg", "image"))):
        return "cover page"
    if path in guide and n_words < 400:
        return "title page"
    links = sum(len(text_of(a)) for a in body.find_all("a"))
    if n_words > 3 and links / max(1, len(text)) > 0.6 and len(body.find_all("a")) > 2:
        return "table of contents"
    # A title page by content: the title, and mostly "Label: value" lines.
    title = str(meta.get("title") or "").lower()
    if n_words < 400 and fields >= 3 and (not title or title in text.lower()):
        return "title page"
    if _FURNITURE_NAMES.search(name) and n_words < 150:
        return "title page"
    return None


def _title_page_fields(body: Tag) -> dict[str, str]:
    """FanFicFare's title page: `<b>Label:</b> value<br/>` lines, the summary among them."""
    out: dict[str, str] = {}
    # Labels are bold: join each label with the text up to the next bold label.
    for b in body.find_all(("b", "strong")):
        label = text_of(b).rstrip(":").strip().lower()
        if not label or len(label) > 30:
            continue
        parts = []
        for node in b.next_siblings:
            if isinstance(node, Tag) and (node.name in ("b", "strong") or (
                    node.name == "br" and "".join(parts).strip())):
                break
            parts.append(text_of(node) if isinstance(node, Tag) else str(node))
        value = re.sub(r"\s+", " ", " ".join(parts)).strip(" :")
        if value:
            out[label] = value
    return out


_FFF_FIELDS = {
    "category": "fandoms", "categories": "fandoms", "fandom": "fandoms", "fandoms": "fandoms",
    "genre": "genres", "genres": "genres", "characters": "characters",
    "relationships": "pairings", "pairing": "pairings", "pairings": "pairings", "ships": "pairings",
    "rating": "rating", "rated": "rating", "warnings": "warnings", "warning": "warnings",
    "status": "status", "language": "language", "series": "series",
    "freeform tags": "tags", "additional tags": "tags", "tags": "tags",
}


def _merge_fields(meta: dict[str, Any], fff: dict[str, str]) -> StoryMeta:
    fields = {k: v for k, v in meta.items() if k != "description"}
    for label, value in fff.items():
        key = _FFF_FIELDS.get(label)
        if not key:
            continue
        if key == "status":
            fields["status"] = "Complete" if value.lower().startswith("complete") else "In progress"
        elif key == "language":
            fields["language"] = fields.get("language") or language_code(value)
        elif key in ("rating", "series"):
            fields[key] = value if key == "rating" else fields.get("series") or value
        else:
            fields[key] = split_list(value)
    if fields.get("tags"):
        # FanFicFare copies every category, genre and status into dc:subject: keep the rest.
        known = {v.lower() for k in ("fandoms", "genres", "characters", "pairings", "warnings")
                 for v in fields.get(k, ())}
        known |= {"completed", "in-progress", "complete", str(fields.get("rating", "")).lower()}
        fields["tags"] = tuple(t for t in fields["tags"] if t.lower() not in known)
    fields.setdefault("title", "Untitled")
    return StoryMeta(**fields)


def _summary(description: object, name: str, diags: list[Diagnostic]) -> tuple[Block, ...]:
    if not description:
        return ()
    text = str(description)
    soup = BeautifulSoup(f"<div>{text}</div>" if "<" in text else
                         "<div>" + "".join(f"<p>{p}</p>" for p in
                                           re.split(r"\n\s*\n", _escape(text))) + "</div>", "lxml")
    ctx = Context(name, None, diags)
    return tuple(tidy(blocks_of(soup.div or soup, ctx)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ chapters


def _chapter(body: Tag, ctx: Context, toc_title: str | None) -> Chapter | None:
    title = toc_title
    heading = body.find(class_=re.compile(r"fff_chapterhead|chapter-?title|chaptertitle", re.I))
    if heading is None:
        first = next((t for t in body.find_all(True) if text_of(t)), None)
        if first is not None and first.name in ("h1", "h2", "h3", "h4"):
            heading = first
    if isinstance(heading, Tag) and len(text_of(heading)) < 200:
        title = text_of(heading) or title
        heading.decompose()
    head: list[Block] = []
    foot: list[Block] = []
    summary: tuple[Block, ...] = ()
    for div in body.find_all("div", class_="fff_chapter_notes"):
        into = foot if "fff_foot_notes" in classes(div) else head
        for label, blocks in _fff_notes(div, ctx):
            if "summary" in label.lower() and into is head:
                summary = blocks
            else:
                into.append(Note("author-note", blocks, label=label or None))
        div.decompose()
    blocks = head + tidy(blocks_of(body, ctx)) + foot
    if not blocks:
        return None
    return Chapter(title, finish_blocks(blocks), summary=summary)


def _fff_notes(div: Tag, ctx: Context) -> list[tuple[str, tuple[Block, ...]]]:
    out: list[tuple[str, tuple[Block, ...]]] = []
    label = ""
    for child in div.children:
        if isinstance(child, Tag) and child.name in ("b", "strong"):
            label = text_of(child).rstrip(":").strip()
        elif isinstance(child, Tag) and child.name == "blockquote":
            blocks = tuple(tidy(blocks_of(child, ctx)))
            if blocks:
                out.append((label, blocks))
        elif isinstance(child, Tag) and child.name != "hr" and text_of(child):
            blocks = tuple(tidy(blocks_of(child, ctx)))
            if blocks:
                out.append((label, blocks))
    return out


# ------------------------------------------------------------------ AO3 inside an EPUB


def _read_ao3_epub(docs: list[tuple[str, BeautifulSoup]], name: str,
                   loader_for) -> tuple[Story, list[Diagnostic]]:  # noqa: ANN001
    """AO3's EPUB is its HTML download split into files: join the bodies, read it as AO3."""
    joined = parse("<html><body></body></html>")
    assert joined.body is not None
    diags: list[Diagnostic] = []
    for path, soup in docs:
        body = soup.body or soup
        # Image paths are relative to their own file: make them absolute in the book first.
        for img in body.find_all("img"):
            src = str(img.get("src") or "")
            resolved = resolve(path, src) if src and not src.startswith(("data:", "http", "//")) else None
            if resolved:
                img["src"] = resolved
        for child in list(body.children):
            joined.body.append(child.extract())
    ctx = Context(name, loader_for("root.xhtml"), diags)
    return ao3.read_ao3(joined, ctx), diags


def _with_opf(story: Story, meta: dict[str, Any]) -> Story:
    """The AO3 preface is richer than the OPF; the OPF fills only what it lacks."""
    m = story.meta
    changes = {}
    if m.title == "Untitled" and meta.get("title"):
        changes["title"] = meta["title"]
    if not m.authors and meta.get("authors"):
        changes["authors"] = meta["authors"]
    if not m.language and meta.get("language"):
        changes["language"] = meta["language"]
    if not m.source and meta.get("source"):
        changes["source"] = meta["source"]
    return replace(story, meta=replace(m, **changes)) if changes else story

