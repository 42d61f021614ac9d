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
from ficbook.convert.rules.header_fields import field_of

if TYPE_CHECKING:
    from ficbook.readers.text.paragraphs import RawPara

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|"
    "six|seven|eight|nine))?|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|"
    "seventh|eighth|ninth|tenth|last|final")
# A title with no separator before it ("Chapter 12 Snow Day"): a few capitalised words,
# small words between them, no sentence end.
_SMALL = r"(?:a|an|the|of|at|in|on|and|or|to|from|for|with|by|vs\.?)"
_TITLE_WORDS = rf"(?-i:[A-Z0-9][\w'’-]*(?:\s+(?:{_SMALL}|[A-Z0-9][\w'’-]*)){{0,7}})[!?]?"
_ROMAN = r"(?=[ivxlc])(?:c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_HEADING = re.compile(
    rf"(?P<word>chapter|chap\.|ch\.|part|book)\s+(?P<num>\d{{1,4}}|{_ROMAN}|{_NUMBER_WORDS})\b"
    rf"(?P<rest>\s*(?:[:.\-–—]\s*.*|\(.*\))?|\s+{_TITLE_WORDS})",
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


# A heading glued to its chapter's first sentence: "Chapter 7 – Old FriendsThe bell…",
# "Chapter 7The bell…" (no space where the line break was), and AO3's marker unwrapped
# into the text ("Chapter Text The story…").
_GLUED = re.compile(
    rf"\s*(?:(?P<head>(?:chapter|part|book)\s+(?:\d{{1,4}}|{_ROMAN}|{_NUMBER_WORDS})"
    rf"(?:\s*[:.\-–—]\s*(?-i:[A-Z0-9][\w'’]*(?:\s+[\w'’]+){{0,7}}?))?)(?-i:(?=[A-Z][a-z]))"
    rf"|(?P<marker>chapter text)\s+(?=\S))", re.IGNORECASE)


def glued_heading(line: str) -> tuple[int, int] | None:
    """(end of the heading, start of the text) when `line` is a heading glued to text."""
    m = _GLUED.match(line)
    if m is None or len(line[m.end():].split()) < 3:
        return None
    if m.group("head") is not None and heading(m.group("head")) is None:
        return None
    if not re.search(r"(?<!\S)[a-z]", line[m.end():m.end() + 200]):
        return None  # "Chapter 5: The MacGuffin Returns": a title, no sentence after it
    end = m.end("head") if m.group("head") is not None else m.end("marker")
    return end, m.end()


_TITLE_LINE = re.compile(rf"(?-i:[\"“‘']?[A-Z0-9][\w'’-]*(?:[ ,:;-]+(?:{_SMALL}|[A-Z0-9][\w'’-]*)){{0,8}}[.!?]?)",
                         re.IGNORECASE)


def title_line(head: str, text: str) -> str | None:
    """A heading with no title of its own ("CHAPTER III.", "IV") and the paragraph under
    it as one heading, when that paragraph reads as a title (a short line in title case or
    capitals): "IV. A Letter from Home"; else None."""
    squeezed = squeeze(text)
    if "\n" in text or len(squeezed) > 60 or not _TITLE_LINE.fullmatch(squeezed):
        return None
    if (f := field_of(squeezed)) is not None and f[2] is not None:
        return None  # "Rating: M" under the heading: a header field
    bare = _BARE_ROMAN.fullmatch(head)
    m = _HEADING.fullmatch(head) or _SPECIAL.fullmatch(head)
    if not bare and (m is None or m.group("rest").strip(" .:-–—")):
        return None  # the heading has a title already
    if squeezed.endswith((".", "!", "?")) and not squeezed.isupper() and len(squeezed.split()) < 3:
        return None  # "Run." under the heading is the story's first line
    title = squeezed.rstrip(".")
    if title.isupper():  # A LETTER FROM HOME -> A Letter from Home
        title = " ".join(w.lower() if i and re.fullmatch(_SMALL, w.lower()) else w.capitalize()
                         for i, w in enumerate(title.split()))
    return f"{head.strip().rstrip('.')}. {title}" if bare else f"{head.strip().rstrip(' .:')}: {title}"


# Words between numerals below which a sequence of bare numerals over lines of verse
# numbers a poem's stanzas.
_STANZA_WORDS = 60


def find_headings(paras: Sequence[RawPara], ctx: Context) -> dict[int, str | None]:
    """Index -> chapter title for the paragraphs that start a chapter (None: untitled)."""
    found: dict[int, str | None] = {}
    may = _MAY_START
    maybe = [i for i, p in enumerate(paras) if p.text and may[p.text[0]] and _MAYBE.match(p.text)]
    bare = [i for i in maybe if _BARE_ROMAN.fullmatch(paras[i].text)]
    # bare numerals count only as a sequence that starts at I, and with more than a
    # stanza of words between them (I. … V. inside a song are its stanzas)
    if len(bare) >= 2 and paras[bare[0]].text.strip().rstrip(".") == "I":
        spans = [paras[a + 1:b] for a, b in zip(bare, [*bare[1:], len(paras)], strict=True)]
        words = sum(len(p.text.split()) for span in spans for p in span)
        lines = [ln for span in spans for p in span for ln in p.text.split("\n")]
        verse = [ln for ln in lines if len(ln) <= 60 and not ln.rstrip().endswith((".", "!", "?", "”", '"'))]
        if words / len(spans) < _STANZA_WORDS and 2 * len(verse) > len(lines):
            ctx.report("info", "lines-kept", f"numerals {quote(paras[bare[0]].text)} … "
                       f"{quote(paras[bare[-1]].text)} number stanzas, not chapters",
                       paras[bare[0]].line)
        else:
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
