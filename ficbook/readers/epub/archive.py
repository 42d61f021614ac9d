"""The EPUB's zip, read in memory and defensively: hrefs never resolve outside the book,
entry sizes and the total are capped (zip bombs), XML is parsed without entities or network."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from ficbook.errors import StoryError

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed beyond this on a big entry is a bomb

_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       recover=True)
# An internal DTD subset declares entities: a billion-laughs bomb (which makes lxml stop
# half-way and return a cut tree) or an external file. Package documents need none.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)


def parse_xml(data: bytes) -> etree._Element | None:
    """The document's root; None when recovery leaves nothing. Raises XMLSyntaxError."""
    return etree.fromstring(_INTERNAL_SUBSET.sub(b"", data, count=1), _XML)


class EpubArchive:
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
