"""Epigraphs: a short quotation followed by an attribution line (`--Name`, `— Name`,
`~Name`) at the start or end of a story or chapter."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import FirstChars
from ficbook.convert.inlines import drop_prefix, para_text, with_blocks, with_chapters
from ficbook.convert.rules.notes import END_MARKER
from ficbook.model import Block, Chapter, Epigraph, Note, Paragraph, SceneBreak, Story
from ficbook.text import count_words

_ATTRIBUTION = re.compile(r"^\s*(?:-{1,3}|[—–―~]{1,2})\s*(?P<who>\S.{0,150})$")
# "~ Love, K.", "-- Yours, J.": a sign-off, not a name under a quotation.
_SIGN_OFF = re.compile(r"(?i:love|lots of love|yours|xoxo|xx|hugs|cheers|regards|best|sincerely|"
                       r"thanks|ta|later|peace|always|fondly|ever yours|your friend)\b")
# A letter's opening and closing: its signature is no attribution.
_SALUTATION = re.compile(r"\s*(?i:dear|my dear|dearest|to whom|hi|hey|hello)\b")
_MAX_QUOTE_PARAS = 6
_MAX_QUOTE_WORDS = 150


# First character -> can an attribution line start with it (white space or its dash).
_MAY_START = FirstChars(_ATTRIBUTION.pattern)


def attribution(p: Block) -> int | None:
    """Characters before the name when `p` is an attribution line, else None."""
    if not isinstance(p, Paragraph):
        return None
    text = para_text(p)
    if not _MAY_START[text[:1]] or "\n" in text.strip():
        return None
    return _cut(text)


def is_attribution_text(text: str) -> bool:
    return _cut(text) is not None


def _cut(text: str) -> int | None:
    m = _ATTRIBUTION.match(text)
    if not m:
        return None
    who = m.group("who").rstrip()
    first = who[0]
    if not (first.isupper() or first.isdigit() or first in "\"“'‘*_"):
        return None  # "--and then he left" is dialogue, not a name
    if who.endswith(("?", "!", "--", "—")) or len(who.split()) > 24:
        return None
    if _SIGN_OFF.match(who) or END_MARKER.fullmatch(text):
        return None  # a sign-off, or "~ THE END ~", stays where it is
    return m.start("who")


def find(story: Story, ctx: Context) -> Story:
    chapters = tuple(_chapter_epigraphs(ch, ctx) for ch in story.chapters)
    return with_chapters(story, chapters)


def _chapter_epigraphs(ch: Chapter, ctx: Context) -> Chapter:
    # each step gives back the very blocks it was given when it finds nothing (most
    # chapters): then nothing is copied
    blocks = _at_start(_at_end(ch.blocks, ctx), ctx)
    return ch if blocks is ch.blocks else with_blocks(ch, blocks)


def _quote_ok(paras: Sequence[Block]) -> bool:
    if paras and isinstance(paras[0], Paragraph) and _SALUTATION.match(para_text(paras[0])):
        return False  # "Dear Tom, …" over "— J. Marlowe": a letter and its signature
    if paras and isinstance(paras[-1], Paragraph) and para_text(paras[-1]).rstrip().endswith(","):
        return False  # "Yours ever," over the name
    return (0 < len(paras) <= _MAX_QUOTE_PARAS
            and all(isinstance(p, Paragraph) and attribution(p) is None for p in paras)
            and sum(count_words(p) for p in paras) <= _MAX_QUOTE_WORDS)


def _make(paras: Sequence[Block], attr: Paragraph, cut: int, ctx: Context) -> Epigraph:
    who = drop_prefix(attr, cut).inlines
    ctx.report("info", "epigraph", f"epigraph attributed {quote(para_text(attr))}", attr.line)
    first = paras[0]
    return Epigraph(tuple(p for p in paras if isinstance(p, Paragraph)), who,
                    line=getattr(first, "line", None))


def _at_end(blocks: Sequence[Block], ctx: Context) -> Sequence[Block]:
    tail = len(blocks)  # set-apart notes below the epigraph keep their place
    while tail > 0 and isinstance(blocks[tail - 1], Note):
        tail -= 1
    head = blocks[:tail]
    bottom = _at_bottom(head, ctx)
    return blocks if bottom is head else [*bottom, *blocks[tail:]]


def _spoken(p: Paragraph) -> bool:
    """In a language that opens dialogue with a dash (Spanish, Russian…): a dash line that
    ends a sentence, holds a second dash (`—Nadie —dijo él—.`) or runs long is a line
    of dialogue, not an attribution."""
    who = para_text(p).strip().lstrip("-—–―~").strip()
    return who.endswith((".", "!", "?", "…", ",", ";", ":")) or len(who.split()) > 8 \
        or any(d in who for d in ("—", "–", "--"))


def _at_bottom(blocks: Sequence[Block], ctx: Context) -> Sequence[Block]:
    last = blocks[-1] if blocks else None
    if len(blocks) < 3 or not isinstance(last, Paragraph) or (cut := attribution(last)) is None \
            or (ctx.vocab.dialogue_dashes and _spoken(last)) \
            or ctx.vocab.is_end_marker(para_text(last)):  # "~Fin~" ends, attributes nothing
        return blocks
    # the quotation: paragraphs back to the nearest scene break; without one, one paragraph
    k = len(blocks) - 1
    while k > 0 and isinstance(blocks[k - 1], Paragraph) and attribution(blocks[k - 1]) is None \
            and len(blocks) - 1 - k < _MAX_QUOTE_PARAS:
        k -= 1
    if k > 0 and isinstance(blocks[k - 1], SceneBreak) and _quote_ok(blocks[k:-1]) \
            and any(isinstance(b, Paragraph) for b in blocks[:k - 1]):
        return [*blocks[:k - 1], _make(blocks[k:-1], last, cut, ctx)]
    if _quote_ok(blocks[-2:-1]) and any(isinstance(b, Paragraph) for b in blocks[:-2]):
        return [*blocks[:-2], _make(blocks[-2:-1], last, cut, ctx)]
    return blocks


def _at_start(blocks: Sequence[Block], ctx: Context) -> Sequence[Block]:
    lead = 0  # set-apart notes above the epigraph keep their place
    while lead < len(blocks) and isinstance(blocks[lead], Note):
        lead += 1
    rest = blocks[lead:]
    top = _at_top(rest, ctx)
    return blocks if top is rest else [*blocks[:lead], *top]


def _at_top(blocks: Sequence[Block], ctx: Context) -> Sequence[Block]:
    for idx in range(1, min(len(blocks), _MAX_QUOTE_PARAS + 1)):
        if not isinstance(blocks[idx - 1], Paragraph):
            return blocks
        attr = blocks[idx]
        if not isinstance(attr, Paragraph):
            continue
        cut = attribution(attr)
        if cut is None or (ctx.vocab.dialogue_dashes and _spoken(attr)):
            continue
        quote_paras, after = blocks[:idx], blocks[idx + 1:]
        if after and isinstance(after[0], SceneBreak):
            after = after[1:]
        elif idx > 1:
            return blocks  # without a marker after it, only a one-paragraph quotation
        if not _quote_ok(quote_paras) or not any(isinstance(b, Paragraph) for b in after):
            return blocks
        return [_make(quote_paras, attr, cut, ctx), *after]
    return blocks
