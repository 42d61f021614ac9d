"""A folder of built books, as an OPDS catalog sees it: each EPUB's metadata read from its
package document (title, creators and their roles, series, dates, description, cover),
the Kobo copy beside it, exact sizes and times. Only regular files inside the folder
count: a symbolic link that leads out of it is not part of the library.

Books are read once per (size, mtime): a catalog served for days rereads only what changed.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ficbook.outputs import KEPUB_SUFFIX

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
_MAX_XML = 4 * 1024 * 1024  # a package document is a few KB; refuse to inflate a bomb
_MAX_COVER = 16 * 1024 * 1024
_SKIP_DIRS = {".ficbook-cache", "opds"}  # our own records and a static catalog written here


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str  # "aut", "edt", ...


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # stable, URL-safe: from the identifier and the path
    path: str  # relative to the library, POSIX
    identifier: str
    title: str
    people: tuple[Person, ...]
    language: str | None
    description: str | None
    subjects: tuple[str, ...]
    series: str | None
    series_index: str | None
    published: str | None  # dc:date as written
    size: int
    modified: datetime  # the file's mtime, UTC
    cover: str | None  # the image's path inside the zip
    cover_type: str | None
    kepub: str | None = None
    kepub_size: int | None = None
    words: str = field(default="", compare=False)  # lower-case text searched

    @property
    def authors(self) -> list[str]:
        return [p.name for p in self.people if p.role != "edt"]

    @property
    def editors(self) -> list[str]:
        return [p.name for p in self.people if p.role == "edt"]


def fold(text: str) -> str:
    """For search: case and accents folded ("Café" finds "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    """An ASCII, lower-case file-name part, unique by a short hash of the full text."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    tag = hashlib.blake2b(text.encode(), digest_size=4).hexdigest()
    return f"{base}-{tag}" if base else tag


class Library:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self._cache: dict[str, tuple[tuple[int, int], Entry | None]] = {}

    def entries(self) -> list[Entry]:
        """Every readable book, newest first; unreadable files are left out."""
        found: list[Entry] = []
        seen: set[str] = set()
        for path in sorted(self.root.rglob("*.epub")):
            rel_parts = path.relative_to(self.root).parts
            if any(p in _SKIP_DIRS or p.startswith(".") for p in rel_parts):
                continue
            if path.name.lower().endswith(KEPUB_SUFFIX):
                continue
            rel = "/".join(rel_parts)
            entry = self._read(path, rel)
            if entry is not None:
                seen.add(rel)
                found.append(entry)
        for gone in set(self._cache) - seen:
            del self._cache[gone]
        found.sort(key=lambda e: (-e.modified.timestamp(), e.title.casefold(), e.path))
        return found

    def file(self, rel: str) -> Path | None:
        """The file for a catalog path, only when it is one of the catalog's books."""
        for entry in self.entries():
            if rel == entry.path:
                return self.root / entry.path
            if rel == entry.kepub:
                return self.root / entry.kepub
        return None

    def cover(self, entry: Entry) -> bytes | None:
        if not entry.cover:
            return None
        try:
            with zipfile.ZipFile(self.root / entry.path) as z:
                info = z.getinfo(entry.cover)
                if info.file_size > _MAX_COVER:
                    return None
                return z.read(info)
        except (OSError, KeyError, zipfile.BadZipFile):
            return None

    def _read(self, path: Path, rel: str) -> Entry | None:
        try:
            real = path.resolve()
            if not real.is_relative_to(self.root) or not real.is_file():
                return None
            st = real.stat()
        except OSError:
            return None
        stamp = (st.st_size, st.st_mtime_ns)
        cached = self._cache.get(rel)
        if cached and cached[0] == stamp:
            entry = cached[1]
        else:
            entry = _read_book(real, rel, st.st_size, st.st_mtime)
            self._cache[rel] = (stamp, entry)
        if entry is None:
            return None
        kepub = path.with_name(path.name[: -len(".epub")] + KEPUB_SUFFIX)
        try:
            if kepub.resolve().is_relative_to(self.root) and kepub.is_file():
                return _with_kepub(entry, rel.rpartition("/")[0], kepub)
        except OSError:
            pass
        return entry


def _with_kepub(entry: Entry, folder: str, kepub: Path) -> Entry:
    return replace(entry, kepub=f"{folder}/{kepub.name}" if folder else kepub.name,
                   kepub_size=kepub.stat().st_size)


def _read_book(path: Path, rel: str, size: int, mtime: float) -> Entry | None:
    try:
        with zipfile.ZipFile(path) as z:
            container = _xml(z, "META-INF/container.xml")
            opf_path = container.xpath("string(//c:rootfile/@full-path)", namespaces=_NS) \
                if container is not None else ""
            opf = _xml(z, opf_path) if opf_path else None
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    if opf is None:
        return None
    return _entry(opf, posixpath.dirname(opf_path), rel, size, mtime)


def _xml(z: zipfile.ZipFile, name: str):
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_XML:
        return None
    try:
        return etree.fromstring(z.read(info), _XML)
    except etree.XMLSyntaxError:
        return None


def _entry(opf, base: str, rel: str, size: int, mtime: float) -> Entry:
    def texts(xpath: str) -> list[str]:
        return [" ".join(t.split()) for t in opf.xpath(xpath, namespaces=_NS) if t.strip()]

    def first(xpath: str) -> str | None:
        found = texts(xpath)
        return found[0] if found else None

    roles = {m.get("refines", "")[1:]: (m.text or "").strip()
             for m in opf.xpath("//opf:metadata/opf:meta[@property='role']", namespaces=_NS)}
    people = []
    for el in opf.xpath("//opf:metadata/dc:creator | //opf:metadata/dc:contributor", namespaces=_NS):
        name = " ".join((el.text or "").split())
        role = roles.get(el.get("id", "")) or el.get(f"{{{_NS['opf']}}}role") or (
            "aut" if el.tag.endswith("creator") else "ctb")
        if name and role in ("aut", "edt"):
            people.append(Person(name, role))
    series = first("//opf:meta[@property='belongs-to-collection']/text()") or first(
        "//opf:meta[@name='calibre:series']/@content")
    index = first("//opf:meta[@property='group-position']/text()") or first(
        "//opf:meta[@name='calibre:series_index']/@content")
    identifier = first("//opf:metadata/dc:identifier/text()") or f"file:{rel}"
    title = first("//opf:metadata/dc:title/text()") or Path(rel).stem
    cover, cover_type = _cover(opf, base)
    entry = Entry(
        key=hashlib.blake2b(f"{identifier}\0{rel}".encode(), digest_size=8).hexdigest(), path=rel,
        identifier=identifier, title=title, people=tuple(people),
        language=first("//opf:metadata/dc:language/text()"),
        description=first("//opf:metadata/dc:description/text()"),
        subjects=tuple(texts("//opf:metadata/dc:subject/text()")),
        series=series, series_index=index if series else None,
        published=first("//opf:metadata/dc:date/text()"), size=size,
        modified=datetime.fromtimestamp(int(mtime), UTC), cover=cover, cover_type=cover_type)
    words = " ".join([title, *(p.name for p in people), series or "", *entry.subjects,
                      entry.description or ""])
    return replace(entry, words=fold(words))


def _cover(opf, base: str) -> tuple[str | None, str | None]:
    items = opf.xpath("//opf:manifest/opf:item[contains(concat(' ', @properties, ' '), ' cover-image ')]",
                      namespaces=_NS)
    if not items:
        cover_id = opf.xpath("string(//opf:meta[@name='cover']/@content)", namespaces=_NS)
        items = opf.xpath("//opf:manifest/opf:item[@id=$i]", namespaces=_NS, i=cover_id) if cover_id else []
    for item in items:
        media = item.get("media-type", "")
        href = unquote(item.get("href", ""))
        full = posixpath.normpath(posixpath.join(base, href))
        if media in ("image/jpeg", "image/png", "image/gif", "image/webp") and not full.startswith(".."):
            return full, media
    return None, None
