"""DOCX through mammoth: Word's headings, italics, bold and quotes to HTML; the
title and author from the document's core properties."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ficbook.errors import StoryError
from ficbook.readers.document import Document
from ficbook.readers.written import DC, member, open_zip, people, xml

if TYPE_CHECKING:
    from mammoth.documents import Image as MammothImage

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

    zf = open_zip(data, name)
    core = member(zf, "docProps/core.xml", name)
    title = author = None
    if core:
        root = xml(core, name, "docProps/core.xml")
        title = (root.findtext(f"{DC}title") or "").strip() or None
        author = (root.findtext(f"{DC}creator") or "").strip() or None
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP,
                                         convert_image=mammoth.images.img_element(_no_image))
    except Exception as exc:  # mammoth raises many kinds on a damaged file
        raise StoryError(f"not a readable Word document ({type(exc).__name__}: {exc})",
                         file=name) from None
    doc = Document(result.value, title=title, authors=people(author))
    for message in result.messages:
        if "unrecognised" in message.message.lower() or "unrecognized" in message.message.lower():
            continue  # a style mammoth has no mapping for: its text is kept as paragraphs
        doc.diagnostics.append(("info", "docx", message.message))
    return doc


def _no_image(image: MammothImage) -> dict[str, str]:
    return {"alt": image.alt_text or ""}
