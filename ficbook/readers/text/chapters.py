"""Chapter headings in plain text: `Chapter 1`, `Chapter One: Title`, `CHAPTER I.`,
`Part 2`, `Prologue`, `Epilogue`, `Interlude`, a play's `ACT II.`, a bare roman numeral on
its own line, and AO3's copied `Chapter Text`. A heading is a paragraph of one short line;
a sentence that begins "Chapter" is not one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import FirstChars
from ficbook.convert.inlines import squeeze
from ficbook.convert.rules.header_fields import field_of
from ficbook.language import ENGLISH, Vocabulary, vocabulary
from ficbook.language.vocab import ROMAN

if TYPE_CHECKING:
    from ficbook.readers.text.raw import RawPara

# The words are data (ficbook/data/languages/): English's here; a story in another language
# reads its own and English's (`_patterns(vocab)`): `Capítulo uno`, `Глава первая`, `第三章`.
_EN = vocabulary(ENGLISH)
_NUMBER_WORDS = _EN.heading_numbers
# A title with no separator before it ("Chapter 12 Snow Day"): a few capitalised words,
# small words between them, no sentence end.
_SMALL = r"(?:a|an|the|of|at|in|on|and|or|to|from|for|with|by|vs\.?)"
_TITLE_WORDS = rf"(?-i:[A-Z0-9][\w'’-]*(?:\s+(?:{_SMALL}|[A-Z0-9][\w'’-]*)){{0,7}})[!?]?"
_ROMAN = ROMAN
_REST = rf"(?P<rest>\s*(?:[:.\-–—]\s*.*|\(.*\))?|\s+{_TITLE_WORDS})"
_SPECIAL_REST = r"(?P<rest>\s*(?:[:.\-–—]\s*.*|\s\d{1,3}|\(.*\))?)"
# in other languages: the full-width colon too, and no English title words
_ANY_REST = r"(?P<rest>\s*(?:[:：.\-–—]\s*.*|\(.*\))?)"
_ANY_SPECIAL_REST = r"(?P<rest>\s*(?:[:：.\-–—]\s*.*|\s\d{1,3}|\(.*\))?)"
_BARE_ROMAN = re.compile(r"\s*[IVXLC]{1,9}\.?\s*")  # spaces around: no stripped copy of each paragraph
_AO3_TEXT = re.compile(r"\s*chapter text\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Patterns:
    heading: re.Pattern[str]  # "Chapter 1: Title"
    special: re.Pattern[str]  # "Prologue"
    whole: tuple[re.Pattern[str], ...]  # the language's own shapes: 第三章
    start: re.Pattern[str]  # the words a heading starts with: a quick test first
    maybe: re.Pattern[str]  # one test for headings, AO3's "Chapter Text" and bare numerals
    may_start: FirstChars  # character -> can `maybe` match from it
    act: re.Pattern[str]  # a heading's title that is a play's act: "ACT II."


@lru_cache(maxsize=32)
def _patterns(vocab: Vocabulary) -> _Patterns:
    english = vocab is _EN
    rest, special_rest = (_REST, _SPECIAL_REST) if english else (_ANY_REST, _ANY_SPECIAL_REST)
    # "Book the First": a number word may follow "the"
    numbers = "|".join(x for x in (_ROMAN, vocab.heading_numbers and
                                   rf"(?:the\s+)?(?:{vocab.heading_numbers})") if x)
    # the words a heading starts with, and the whole shapes without their group names
    divisions = "|".join(x for x in (vocab.heading_words, vocab.heading_acts) if x)
    words = "|".join(x for x in (divisions, vocab.heading_special,
                                 *(re.sub(r"\(\?P<\w+>", "(?:", p) for p in vocab.heading_patterns))
                     if x)
    # One test for all three: a heading and AO3's "Chapter Text" start with one of the
    # words, and a bare numeral is all numeral.
    maybe = rf"\s*(?:(?i:{words})|[IVXLC]{{1,9}}\.?\s*\Z)"
    return _Patterns(
        heading=re.compile(rf"(?P<word>{divisions or '(?!)'})\s+"
                           rf"(?P<num>\d{{1,4}}|{numbers})\b{rest}", re.IGNORECASE),
        special=re.compile(rf"(?P<word>{vocab.heading_special or '(?!)'}){special_rest}",
                           re.IGNORECASE),
        whole=tuple(re.compile(p, re.IGNORECASE) for p in vocab.heading_patterns),
        start=re.compile(rf"\s*(?:{words})", re.IGNORECASE),
        # Character -> can a heading, marker or numeral start with it (most paragraphs are
        # settled by one lookup; those starting "I" or "C" need the regex).
        maybe=re.compile(maybe), may_start=FirstChars(maybe),
        act=re.compile(rf"(?:{vocab.heading_acts or '(?!)'})\b", re.IGNORECASE))


_EN_PATTERNS = _patterns(_EN)
_HEADING = _EN_PATTERNS.heading
_SPECIAL = _EN_PATTERNS.special
_START = _EN_PATTERNS.start
_MAYBE = _EN_PATTERNS.maybe
_MAY_START = _EN_PATTERNS.may_start


def is_act(title: str | None, vocab: Vocabulary = _EN) -> bool:
    """Is the heading a play's act ("ACT II.", "Acto segundo")?"""
    pats = _EN_PATTERNS if vocab is _EN else _patterns(vocab)
    return title is not None and pats.act.match(title) is not None


def heading(text: str, vocab: Vocabulary = _EN) -> str | None:
    """The heading's title when `text` (one paragraph) is a chapter heading."""
    pats = _EN_PATTERNS if vocab is _EN else _patterns(vocab)
    if not pats.start.match(text):  # story text: settled at its first word
        return None
    s = squeeze(text)
    if not s or len(s) > 90 or "\n" in text.strip():
        return None
    m = pats.heading.fullmatch(s) or pats.special.fullmatch(s)
    if not m:
        m = next((m for p in pats.whole if (m := p.fullmatch(s))), None)
        if not m:
            return None
    rest = m.group("rest").strip()
    body = rest.lstrip(":：.-–— ").strip()
    if body and body.endswith((".", ",", ";", "。", "，", "；")) and len(body.split()) > 3:
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


_PART = re.compile(r"\s*(?:part|book)\b", re.IGNORECASE)


def is_part(title: str | None) -> bool:
    """Does the heading name a part above chapters ("Book One", "Part I", "BOOK THE FIRST")?"""
    return title is not None and _PART.match(title) is not None


# First character -> can a glued heading start with it: the reader asks of every paragraph.
MAY_GLUE = FirstChars(_GLUED.pattern)


def glued_heading(line: str) -> tuple[int, int] | None:
    """(end of the heading, start of the text) when `line` is a heading glued to text."""
    if not MAY_GLUE[line[:1]]:
        return None
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


_text = itemgetter(1)  # RawPara.text


# Words between numerals below which a sequence of bare numerals over lines of verse
# numbers a poem's stanzas.
_STANZA_WORDS = 60


def find_headings(paras: Sequence[RawPara], ctx: Context) -> dict[int, str | None]:
    """Index -> chapter title for the paragraphs that start a chapter (None: untitled)."""
    found: dict[int, str | None] = {}
    vocab = ctx.vocab
    pats = _EN_PATTERNS if vocab is _EN else _patterns(vocab)
    may, maybe_re = pats.may_start, pats.maybe
    maybe = [i for i, t in enumerate(map(_text, paras)) if t and may[t[0]] and maybe_re.match(t)]
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
        title = heading(t, vocab)
        if title is not None:
            found[i] = title
        elif _AO3_TEXT.fullmatch(t):
            found[i] = None
    for i in _acts_kept_as_text(found, paras, ctx):
        del found[i]
    for i in _contents(found, paras):  # among the headings left: a contents list of the acts
        del found[i]
    for i, title in sorted(found.items()):
        what = "AO3 chapter marker" if title is None else "chapter heading"
        ctx.report("info", "chapter", f"{what} {quote(paras[i].text)}", paras[i].line)
    return found


def _acts_kept_as_text(found: dict[int, str | None], paras: Sequence[RawPara], ctx: Context) -> list[int]:
    """A play's act headings that are not the book's chapters: those inside a novel's
    chapters (a play the children put on), or only in the book's last pages (a closing
    note that retells a sequel act by act: fewer words after the first act than before)."""
    vocab = ctx.vocab
    acts = sorted(i for i, t in found.items() if is_act(t, vocab))
    if not acts:
        return []
    pats = _EN_PATTERNS if vocab is _EN else _patterns(vocab)
    within = any(not is_act(t, vocab) and pats.heading.fullmatch(t) for t in found.values() if t)
    before = sum(len(p.text.split()) for p in paras[:acts[0]])
    if not within and before <= sum(len(p.text.split()) for p in paras[acts[0]:]):
        return []
    where = "inside the chapters" if within else "in the book's last pages"
    ctx.report("info", "lines-kept", f"headings {quote(paras[acts[0]].text)} … are a play's acts "
               f"{where}, kept in their text", paras[acts[0]].line)
    return acts


# Under a contents entry, at most this many words: its synopsis.
_SYNOPSIS_WORDS = 150


def _contents(found: dict[int, str | None], paras: Sequence[RawPara]) -> list[int]:
    """The first headings, when the same headings follow again in the same order and the
    first ones head a few lines each: a contents list, a synopsis under each entry (a
    play's "ACT I. / SCENE I. In the Witch's Orchard…" before its first act)."""
    at = sorted(found)
    names = [re.sub(r"\W+", " ", t).strip().casefold() if t else None for t in map(found.get, at)]
    if len(at) < 4 or names[0] is None:
        return []
    k = next((j for j in range(1, len(at)) if names[j] == names[0]), 0)
    if k < 2 or names[k:2 * k] != names[:k]:
        return []
    for a, b in zip(at[:k], at[1:k + 1], strict=True):
        if sum(len(p.text.split()) for p in paras[a + 1:b]) > _SYNOPSIS_WORDS:
            return []
    return at[:k]
