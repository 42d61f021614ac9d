"""Properties of the converter over generated stories: it never raises (but StoryError for
no text), the book is well-formed XML, nothing is lost, and converting is repeatable and
idempotent."""

from __future__ import annotations

import html
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ficbook.convert import ConvertOptions
from ficbook.readers.decode import decode
from ficbook.convert.pipeline import run_block_rules
from ficbook.errors import StoryError
from ficbook.model import Story
from ficbook.text import block_text
from tests.convert.book import story_documents
from tests.convert.helpers import run

SETTINGS = settings(max_examples=int(__import__("os").environ.get("FICBOOK_EXAMPLES", 60)), derandomize=not __import__("os").environ.get("FICBOOK_RANDOM"), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Lines in the shapes fan fiction comes in, traps included.
FRAGMENTS = [
    "Title: The Long Way", "Author: Someone", "Rating: T", "Summary: A summary.",
    "Disclaimer: Not mine.", "Feedback: yes please", "A/N: a note here.", "AN: thanks!",
    "Spoilers: season 7", "Prompt: rain", "Author's note: the end notes.", "(A/N: brackets)",
    "Chapter 1", "Chapter Two: Title", "CHAPTER III.", "Prologue", "Epilogue", "I", "II",
    "Chapter Text", "Chapter one of her life ended.", "Part of her was glad.",
    "* * *", "***", "~~~", "oOo", "xXx", "#", "-----", "xxx", "*", "-",
    "You must login (register) to review.", "Please review!", "Back to index", "Reviews: 3",
    "\"Hello,\" she said.", "'Tis the '90s, rock 'n' roll.", "He said -- no . . . wait...",
    "i Touch/i the word", "b bold/b and u under/u", "She was *so* tired.", "_really_",
    "Five * three", "a<b and <3 and & and <i>tag</i> and &amp; and &eacute;",
    "<center>* * *</center>", "<hr>", "<p align=\"center\">centred</p>", "&nbsp;",
    "Implied S/B and A/N.", "--Elizabeth Barrett Browning", "~Spike", "— Buffy",
    "Sorry for the wait! Next chapter soon, please review :)", "Happy holidays, thanks for reading!",
    "The rain had not stopped for three days, and the crypt smelled of wet stone and old",
    "smoke. Spike sat in the dark with his boots on the table and pretended he was",
    "    Indented line of a hard-wrapped paragraph that goes on for a while here.",
    "\u00a0\u00a0", "   ", "", "", "", "",
]
line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
documents = st.builds(lambda lines, end: end.join(lines),
                      st.lists(line, min_size=1, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
WORD = re.compile(r"[^\W_]+")
_TAGS = re.compile(r"</?(?:i|em|b|strong|u|s|strike|del|sub|sup|cite)\s*>|<br\s*/?>|"
                   r"</?(?:center|p|div|span|font|blockquote)(?:\s[^<>]{0,200})?>", re.IGNORECASE)


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in WORD.findall(text))


def story_words(story: Story) -> Counter[str]:
    m = story.meta
    parts = [m.title, *m.authors, m.rating or "", *m.fandoms, *m.pairings, *m.characters,
             *m.warnings, *m.genres, *m.tags, m.status or "", m.series or "", m.published or "",
             *(f"{k} {v}" for k, v in m.extra)]
    blocks = [*story.summary, *story.front_notes, *story.end_notes]
    for c in story.chapters:
        parts.append(c.title or "")
        blocks.extend(c.summary)
        blocks.extend(c.blocks)
    parts.extend(block_text(b) for b in blocks)
    parts.extend(n.label or "" for n in (*story.front_notes, *story.end_notes))
    parts.extend(getattr(b, "label", None) or "" for c in story.chapters for b in c.blocks)
    return words("\n".join(parts))


def convert_or_none(text: str):
    try:
        return run(text)
    except StoryError as exc:
        assert exc.message.startswith(("story file has no text", "story has no text",
                                       "no story text left", "not a text file")), exc.message
        return None


@SETTINGS
@given(st.binary(max_size=300))
def test_never_raises_on_bytes(data: bytes) -> None:
    try:
        run(data)
    except StoryError:
        pass


@SETTINGS
@given(documents)
def test_output_is_well_formed_xml(text: str) -> None:
    result = convert_or_none(text)
    if result is None:
        return
    for doc in story_documents(result.story):
        etree.fromstring(doc.content)


@SETTINGS
@given(documents)
def test_nothing_lost(text: str) -> None:
    result = convert_or_none(text)
    if result is None:
        return
    source, _, _ = decode(text.encode("utf-8"), "story.txt")
    source = html.unescape(_TAGS.sub(" ", source))
    kept = story_words(result.story) + words("\n".join(d.message for d in result.diagnostics))
    missing = words(source) - kept
    assert not missing, f"lost {dict(missing)}"


@SETTINGS
@given(documents)
def test_repeatable_and_idempotent(text: str) -> None:
    first = convert_or_none(text)
    if first is None:
        return
    assert run(text) == first  # the same input gives the same story and log
    again, _ = run_block_rules(first.story, ConvertOptions(), "story.txt")
    assert again == first.story  # the block rules find nothing left to do
