"""Bytes to text: BOM, strict UTF-8, the recipe's encoding, then a cp1252 fallback."""

from __future__ import annotations

import codecs
import re

from ficbook.errors import Diagnostic, StoryError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, C1 controls, surrogates, FFFE/FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str, list[Diagnostic]]:
    """Return (text, encoding used, diagnostics); raise StoryError when it is not text."""
    diags: list[Diagnostic] = []
    text: str | None = None
    used = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, used = data[len(bom):].decode(codec, errors="replace"), codec
            break
    if text is None and encoding:
        try:
            text, used = data.decode(encoding), encoding
        except LookupError:
            raise StoryError(f"unknown encoding {encoding!r} (recipe `encoding:`)", file=name) from None
        except UnicodeDecodeError as exc:
            raise StoryError(f"not valid {encoding} at byte {exc.start} (recipe `encoding:`)",
                             file=name) from None
    if text is None:
        if b"\x00" in data[:4096]:
            raise StoryError("not a text file (binary data)", file=name)
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, used = data.decode("cp1252", errors="replace"), "cp1252"
            diags.append(Diagnostic("info", "encoding", "not UTF-8; read as cp1252", name))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    text = _XML_FORBIDDEN.sub("", text)
    return text, used, diags
