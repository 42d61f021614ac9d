"""What the readers of writers' files share: XML without entities or network, zip
members read with a size limit, names split into people. Errors are StoryErrors."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ficbook.errors import StoryError

DC = "{http://purl.org/dc/elements/1.1/}"
# XML with no network, no entities from outside, and no billion laughs.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True)


def xml(data: bytes, name: str, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise StoryError(f"{what} is not well-formed XML ({exc.msg})", file=name) from None


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise StoryError(f"not a readable zip ({exc})", file=name) from None


def member(zf: zipfile.ZipFile, member: str, name: str, limit: int = 64 << 20) -> bytes | None:
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


def people(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(p.strip() for p in re.split(r";|,| and | & ", value) if p.strip())
