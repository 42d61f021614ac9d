"""The EPUB's package: where the OPF is, its metadata, manifest, spine and guide, the NCX's
chapter titles, and whether the text is encrypted (DRM)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ficbook.readers.epub.archive import EpubArchive, parse_xml, resolve
from ficbook.readers.html.common import language_code

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}

# Font obfuscation (IDPF, Adobe) "encrypts" fonts only and leaves the text readable.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")

# id -> (path in the book, media type, properties)
Manifest = dict[str, tuple[str, str, str]]


def encrypted_text(book: EpubArchive) -> bool:
    """True when META-INF/encryption.xml encrypts anything but fonts, or Adobe DRM's
    rights.xml is there: decoding such files would put noise in the book."""
    if book.read("META-INF/rights.xml"):
        return True
    data = book.read("META-INF/encryption.xml")
    if not data:
        return False
    try:
        root = parse_xml(data)
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


def opf_path(book: EpubArchive) -> str | None:
    container = book.read("META-INF/container.xml")
    if container:
        try:
            root = parse_xml(container)
        except etree.XMLSyntaxError:
            root = None
        if root is not None:
            for rf in root.iterfind(".//c:rootfile", NS):
                path = resolve("", rf.get("full-path") or "")
                if path and path in book.infos:
                    return path
    return next((n for n in book.infos if n.lower().endswith(".opf")), None)


def opf_meta(opf: etree._Element) -> dict[str, Any]:
    md = opf.find(".//opf:metadata", NS)
    out: dict[str, Any] = {}
    if md is None:
        return out

    def texts(tag: str) -> list[str]:
        return [re.sub(r"\s+", " ", "".join(e.itertext())).strip()
                for e in md.iterfind(f"dc:{tag}", NS) if "".join(e.itertext()).strip()]

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
    for m in md.iterfind("opf:meta", NS):
        if m.get("name") == "calibre:series" and m.get("content"):
            out["series"] = m.get("content")
        elif m.get("property") == "belongs-to-collection" and (m.text or "").strip():
            out.setdefault("series", m.text.strip())
    return out


def manifest_items(opf: etree._Element, path: str) -> Manifest:
    out: Manifest = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", NS):
        href = resolve(path, item.get("href") or "")
        if href:
            out[item.get("id")] = (href, item.get("media-type") or "", item.get("properties") or "")
    return out


def spine_documents(opf: etree._Element, manifest: Manifest) -> list[str]:
    """The text documents in reading order (the EPUB 3 navigation document left out)."""
    spine: list[str] = []
    for ref in opf.iterfind(".//opf:spine/opf:itemref", NS):
        entry = manifest.get(ref.get("idref"))
        if entry and entry[1] in ("application/xhtml+xml", "text/html") and "nav" not in entry[2].split():
            spine.append(entry[0])
    return spine


def guide_furniture(opf: etree._Element, path: str) -> set[str]:
    out = set()
    for ref in opf.iterfind(".//opf:guide/opf:reference", NS):
        if (ref.get("type") or "").lower() in ("title-page", "toc", "cover", "copyright-page",
                                               "colophon"):
            target = resolve(path, ref.get("href") or "")
            if target:
                out.add(target)
    return out


def toc_titles(book: EpubArchive, manifest: Manifest) -> dict[str, str]:
    """Chapter titles by file, from the NCX (what every reader of ours will have)."""
    out: dict[str, str] = {}
    ncx = next((href for href, media, _ in manifest.values() if media == "application/x-dtbncx+xml"), None)
    if ncx is None:
        return out
    data = book.read(ncx)
    if not data:
        return out
    try:
        root = parse_xml(data)
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
