"""Chapter headings in plain text: `Chapter 1`, `Chapter One: Title`, `CHAPTER I.`,
`Part 2`, `Prologue`, `Epilogue`, `Interlude`, a bare roman numeral on its own line, and
AO3's copied `Chapter Text`. A heading is a paragraph of one short line; a sentence that
begins "Chapter" is not one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import FirstChars
from ficbook.convert.inlines import squeeze

if TYPE_CHECKING:
    from ficbook.readers.text.paragraphs import RawPara

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|"
    "six|seven|eight|nine))?|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|"
    "seventh|eighth|ninth|tenth|last|final")
_ROMAN = r"(?=[ivxlc])(?:c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_HEADING = re.compile(
    rf"(?P<word>chapter|chap\.|ch\.|part|book)\s+(?P<num>\d{{1,4}}|{_ROMAN}|{_NUMBER_WORDS})\b"
    rf"(?P<rest>\s*(?:[:.\-–—]\s*.*|\(.*\))?)",
    re.IGNORECASE)
_SPECIAL = re.compile(r"(?P<word>prologue|epilogue|interlude|afterword|foreword|coda)"
                      r"(?P<rest>\s*(?:[:.\-–—]\s*.*|\s\d{1,3}|\(.*\))?)", re.IGNORECASE)
# The words a heading starts with (a quick test before squeezing the paragraph's spaces).
_WORDS = r"chapter|chap\.|ch\.|part|book|prologue|epilogue|interlude|afterword|foreword|coda"
_START = re.compile(rf"\s*(?:{_WORDS})", re.IGNORECASE)
_BARE_ROMAN = re.compile(r"\s*[IVXLC]{1,7}\.?\s*")  # spaces around: no stripped copy of each paragraph
_AO3_TEXT = re.compile(r"\s*chapter text\s*", re.IGNORECASE)
# One test for all three: a heading and AO3's "Chapter Text" start with one of the words,
# and a bare numeral is all numeral.
_MAYBE = re.compile(rf"\s*(?:(?i:{_WORDS})|[IVXLC]{{1,7}}\.?\s*\Z)")


# Character -> can a heading, marker or numeral start with it (most paragraphs are settled
# by one lookup; those starting "I" or "C" need the regex).
_MAY_START = FirstChars(_MAYBE.pattern)


def heading(text: str) -> str | None:
    """The heading's title when `text` (one paragraph) is a chapter heading."""
    if not _START.match(text):  # story text: settled at its first word
        return None
    s = squeeze(text)
    if not s or len(s) > 90 or "\n" in text.strip():
        return None
    m = _HEADING.fullmatch(s) or _SPECIAL.fullmatch(s)
    if not m:
        return None
    rest = m.group("rest").strip()
    body = rest.lstrip(":.-–— ").strip()
    if body and body.endswith((".", ",", ";")) and len(body.split()) > 3:
        return None  # "Chapter 1. It was dark." reads like a sentence
    if rest.startswith(".") and body and body[0].islower():
        return None
    return s.rstrip(".") if not body else s


def find_headings(paras: Sequence[RawPara], ctx: Context) -> dict[int, str | None]:
    """Index -> chapter title for the paragraphs that start a chapter (None: untitled)."""
    found: dict[int, str | None] = {}
    may = _MAY_START
    maybe = [i for i, p in enumerate(paras) if p.text and may[p.text[0]] and _MAYBE.match(p.text)]
    bare = [i for i in maybe if _BARE_ROMAN.fullmatch(paras[i].text)]
    # bare numerals count only as a sequence that starts at I
    if len(bare) >= 2 and paras[bare[0]].text.strip().rstrip(".") == "I":
        for i in bare:
            found[i] = paras[i].text.strip().rstrip(".")
    for i in maybe:
        t = paras[i].text
        title = heading(t)
        if title is not None:
            found[i] = title
        elif _AO3_TEXT.fullmatch(t):
            found[i] = None
    for i, title in sorted(found.items()):
        what = "AO3 chapter marker" if title is None else "chapter heading"
        ctx.report("info", "chapter", f"{what} {quote(paras[i].text)}", paras[i].line)
    return found
