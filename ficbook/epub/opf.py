"""The package document (OPF), the navigation document and the NCX, written as strings.

ebooklib's writer built them as lxml trees, element by element, with a relative path
worked out for every link: half a second for a 2,000-story book, where these strings take
a few hundredths. The bytes are the ones ebooklib 0.20 writes (with `package`'s changes:
the package's `xml:lang`, the NCX's real depth), pretty-printed and escaped the way
libxml2 does it; tests/test_opf.py compares the two on books with every kind of entry and
on text with every character that needs escaping. The metadata are kept as ebooklib's
`EpubBook` kept them (`Metadata`): neither ebooklib's writer nor lxml is imported to
package a book (they were 60 ms of the tail of a build).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import ebooklib  # its version only: the package says what wrote it, as ebooklib's writer did

if TYPE_CHECKING:
    from ficbook.render import NavEntry

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
NAV_NAME = "nav.xhtml"
NCX_NAME = "toc.ncx"
LANDMARK_TYPES = {"notes": "rearnotes", "text": "bodymatter"}  # EPUB 2 guide -> EPUB 3

# What lxml refuses in a string ("All strings must be XML compatible"): C0 controls but
# tab, newline and return; U+FFFE, U+FFFF; lone surrogates (which UTF-8 cannot hold).
_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
_NOT_XML = re.compile(f"[{_BAD}]")
# One search finds the strings that need more than copying (most need none).
_TEXT_ANY = re.compile(f"[&<>\r{_BAD}]")
_ATTR_ANY = re.compile(f'[&<>"\n\r\t{_BAD}]')
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def text(value: str) -> str:
    """Element text as libxml2 writes it in UTF-8 (ValueError where lxml refuses it)."""
    return value if _TEXT_ANY.search(value) is None else _escape(value, _TEXT_SPECIAL, _TEXT_ESCAPES)


def attr(value: str) -> str:
    """An attribute value, quoted with ", as libxml2 writes it in UTF-8."""
    return value if _ATTR_ANY.search(value) is None else _escape(value, _ATTR_SPECIAL, _ATTR_ESCAPES)


def _escape(value: str, special: re.Pattern[str], escapes: dict[str, str]) -> str:
    if _NOT_XML.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes "
                         "or control characters")
    return special.sub(lambda m: escapes[m[0]], value)


def _as_is(value: str) -> str:
    return value


def _attrs(pairs: dict[str, str]) -> str:
    return "".join(f' {k}="{attr(v)}"' for k, v in pairs.items())


class Item(NamedTuple):
    """One file of the manifest (`href` relative to the package document; a named tuple,
    as `ocf.Entry`)."""

    href: str
    id: str
    media_type: str
    properties: str = ""


class Metadata:
    """The package's metadata, kept in the order ebooklib's `EpubBook` kept them (each
    namespace's entries together, the namespaces in the order first used: ebooklib's
    generator, Dublin Core from the identifier on, then plain `meta`), so that the package
    document is the one it wrote. `add_metadata` is `EpubBook`'s."""

    GENERATOR = "Ebook-lib " + ".".join(map(str, ebooklib.VERSION))
    SHORT = {"DC": DC_NS, "OPF": OPF_NS}

    def __init__(self, identifier: str, title: str, language: str) -> None:
        self.identifier, self.title, self.language = identifier, title, language
        self.entries: dict[str | None, dict[str, list[tuple[str | None, dict[str, str] | None]]]] = {
            OPF_NS: {"generator": [("", {"name": "generator", "content": self.GENERATOR})]},
            DC_NS: {"identifier": [(identifier, {"id": "id"})], "title": [(title, None)],
                    "language": [(language, None)]}}

    def add_metadata(self, namespace: str | None, name: str, value: str | None,
                     others: dict[str, str] | None = None) -> None:
        ns = self.SHORT.get(namespace, namespace) if namespace else None
        self.entries.setdefault(ns, {}).setdefault(name, []).append((value, others))


@dataclass(frozen=True, slots=True)
class Guide:
    """A landmark: the OPF's `guide` reference and the nav document's landmarks entry."""

    type: str
    href: str
    title: str


def package_document(meta: Metadata, items: Sequence[Item], spine: Sequence[str],
                     guide: Sequence[Guide], modified: datetime) -> bytes:
    """content.opf: the metadata, the manifest, the spine (ids), the guide."""
    out = [XML_DECLARATION,
           f'<package xmlns="{OPF_NS}" unique-identifier="id" version="3.0" '
           f'prefix="rendition: http://www.idpf.org/vocab/rendition/#" xml:lang="{attr(meta.language)}">\n',
           f'  <metadata xmlns:dc="{DC_NS}" xmlns:opf="{OPF_NS}">\n',
           f'    <meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>\n']
    for ns, names in meta.entries.items():
        for name, values in names.items():
            tag = "meta" if ns == OPF_NS else f"dc:{name}" if ns == DC_NS else name
            if ns not in (OPF_NS, DC_NS, None):
                raise ValueError(f"metadata in an unknown namespace: {ns}")
            for value, others in values:
                others = others or {}
                if ns == OPF_NS and others.get("property") == "dcterms:modified":
                    continue  # written above
                out.append(_metadata(tag, others, value or None if ns == OPF_NS else value))
    out.append("  </metadata>\n  <manifest>\n")
    # Names and ids are plain as a rule: one search over all of them spares 40,000 calls.
    clean = _ATTR_ANY.search("".join(chain.from_iterable(items))) is None
    put = _as_is if clean else attr
    for href, uid, media_type, properties in items:
        props = f' properties="{put(properties)}"' if properties else ""
        out.append(f'    <item href="{put(href)}" id="{put(uid)}" media-type="{put(media_type)}"{props}/>\n')
    out.append('  </manifest>\n  <spine toc="ncx">\n')
    put = _as_is if clean and _ATTR_ANY.search("".join(spine)) is None else attr
    out += [f'    <itemref idref="{put(uid)}"/>\n' for uid in spine]
    out.append("  </spine>\n")
    if guide:
        out.append("  <guide>\n")
        out += [f'    <reference type="{attr(g.type)}" title="{attr(g.title)}" href="{attr(g.href)}"/>\n'
                for g in guide]
        out.append("  </guide>\n")
    out.append("</package>\n")
    return "".join(out).encode("utf-8")


def _metadata(tag: str, attrs: dict[str, str], value: str | None) -> str:
    """A metadata element as ebooklib writes it: where lxml refuses an attribute the
    element is left out, where it refuses the text the element is left empty (ebooklib
    logs it and goes on)."""
    try:
        head = f"    <{tag}{_attrs(attrs)}"
    except ValueError:
        return ""
    try:
        return head + ("/>\n" if value is None else f">{text(value)}</{tag}>\n")
    except ValueError:
        return head + "/>\n"


def nav_document(language: str, title: str, toc: Sequence[NavEntry], guide: Sequence[Guide]) -> bytes:
    """nav.xhtml: the table of contents (`toc`) and the landmarks."""
    lang = attr(language)
    out = [XML_DECLARATION, "<!DOCTYPE html>\n",
           '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
           f'lang="{lang}" xml:lang="{lang}">\n',
           f"  <head>\n    <title>{text(title)}</title>\n  </head>\n  <body>\n",
           '    <nav epub:type="toc" id="id" role="doc-toc">\n',
           f"      <h2>{text(title)}</h2>\n"]
    _nav_list(out, "      ", toc)
    out.append("    </nav>\n")
    if guide:
        out.append('    <nav epub:type="landmarks">\n      <h2>Guide</h2>\n      <ol>\n')
        for g in guide:
            kind = LANDMARK_TYPES.get(g.type, g.type)
            out.append(f'        <li>\n          <a epub:type="{attr(kind)}" href="{attr(_href(g.href))}">'
                       f"{text(g.title)}</a>\n        </li>\n")
        out.append("      </ol>\n    </nav>\n")
    out.append("  </body>\n</html>\n")
    return "".join(out).encode("utf-8")


def _nav_list(out: list[str], indent: str, entries: Sequence[NavEntry]) -> None:
    inner = indent + "    "
    out.append(f"{indent}<ol>\n")
    if not entries:  # an empty list is written <ol/>
        out[-1] = f"{indent}<ol/>\n"
        return
    for e in entries:
        out.append(f"{indent}  <li>\n")
        if e.children and not e.href:
            out.append(f"{inner}<span>{text(e.title)}</span>\n")
        else:
            out.append(f'{inner}<a href="{attr(_href(e.href))}">{text(e.title)}</a>\n')
        if e.children:
            _nav_list(out, inner, e.children)
        out.append(f"{indent}  </li>\n")
    out.append(f"{indent}</ol>\n")


def _href(href: str) -> str:
    """The link from nav.xhtml (at the top of the content folder): the href itself, unless
    it has a part that ebooklib's `relpath(href, "")` would rewrite."""
    if href and href[0] not in "/." and "/." not in href and "//" not in href and href[-1] != "/":
        return href  # no part is "." or ".." (nor starts with a dot), none is empty
    return posixpath.relpath(href, "")


def ncx_document(uid: str, title: str, toc: Sequence[NavEntry], depth: int) -> bytes:
    """toc.ncx, for EPUB 2 reading systems; `depth`: the levels of `toc`."""
    out = [XML_DECLARATION,
           '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n  <head>\n',
           f'    <meta content="{attr(uid)}" name="dtb:uid"/>\n',
           f'    <meta content="{depth}" name="dtb:depth"/>\n',
           '    <meta content="0" name="dtb:totalPageCount"/>\n',
           '    <meta content="0" name="dtb:maxPageNumber"/>\n  </head>\n',
           f"  <docTitle>\n    <text>{text(title)}</text>\n  </docTitle>\n"]
    if toc:
        out.append("  <navMap>\n")
        _nav_points(out, "    ", toc, [0])
        out.append("  </navMap>\n")
    else:
        out.append("  <navMap/>\n")
    out.append("</ncx>\n")
    return "".join(out).encode("utf-8")


def _nav_points(out: list[str], indent: str, entries: Sequence[NavEntry], played: list[int],
                section: int = 0, parent_src: int | None = None) -> int:
    """ebooklib's numbering: `played`, the entries so far (a link's id `nav0007` and every
    entry's play order); `section`, the number the next section's id (`sep_N`) gets, passed
    on to its children plus one and returned for the sections after it. `parent_src`: where
    in `out` the enclosing section's `content` line is, given the first link below it when
    the section has no page of its own."""
    inner = indent + "  "
    for e in entries:
        played[0] += 1
        if not e.children and parent_src is not None and out[parent_src].endswith('src=""/>\n'):
            out[parent_src] = f'{indent}<content src="{attr(e.href)}"/>\n'
        nav_id = f"sep_{section}" if e.children else f"nav{played[0]:04d}"
        out.append(f'{indent}<navPoint id="{nav_id}" playOrder="{played[0]}">\n'
                   f"{inner}<navLabel>\n{inner}  <text>{text(e.title)}</text>\n{inner}</navLabel>\n")
        out.append(f'{inner}<content src="{attr(e.href)}"/>\n')
        if e.children:
            section = _nav_points(out, inner, e.children, played, section + 1, len(out) - 1)
        out.append(f"{indent}</navPoint>\n")
    return section
