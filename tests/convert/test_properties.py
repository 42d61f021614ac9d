"""Properties of the converter over generated stories: it never raises (but StoryError for
no text), the book is well-formed XML, nothing is lost, and converting is repeatable and
idempotent."""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ficbook.convert import ConvertOptions
from ficbook.convert.pipeline import run_block_rules
from ficbook.convert.rules.header_fields import EN
from ficbook.convert.rules.inline import _STRIPPED
from ficbook.errors import StoryError
from ficbook.model import Story, Styled
from ficbook.readers.decode import decode
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
_TAGS = re.compile(r"</?(?:i|em|b|strong|u|s|strike|del|sub|sup|cite)\s*>|<(?:br|hr)\s*/?>|"
                   r"</?(?:center|p|div|span|font|blockquote)(?:\s[^<>]{0,200})?>", re.IGNORECASE)


# a heading glued to its text ("FerryThe", "7The") is two words the converter may part
_GLUE = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])")


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in WORD.findall(_GLUE.sub(" ", text)))


def story_words(story: Story) -> Counter[str]:
    m = story.meta
    parts = [m.title, *m.authors, m.rating or "", *m.fandoms, *m.pairings, *m.characters,
             *m.warnings, *m.genres, *m.tags, m.status or "", m.series or "", m.published or "",
             *(f"{k} {v}" for k, v in m.extra)]
    blocks = [*story.summary, *story.front_notes, *story.end_notes]
    for c in story.chapters:
        parts.append(c.title or "")
        parts.append(c.part or "")
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


def dropped_words(result) -> Counter[str]:
    """Words the converter may leave out of the book: archive lines it dropped and listed,
    header fields it read (their labels, and counts the book makes itself), glyph lines made
    scene breaks (oOo), and AO3's "Chapter Text" marker. Nothing else a diagnostic quotes counts as kept."""
    kept: Counter[str] = Counter()
    for d in result.diagnostics:
        if d.code in ("chrome-dropped", "header-field", "scene-glyph", "glued-break") or (
                d.code == "chapter" and d.message.startswith("AO3 chapter marker")):
            kept += words(d.message)
    return kept + _LABEL_WORDS


# the labels of header fields and notes, which go to the card's field names and note labels
_LABEL_WORDS = Counter({w: 1000 for key in EN.header_labels for w in words(key)})


def lost_words(text: str) -> Counter[str]:
    """Words of `text` that are neither in the book nor dropped as `dropped_words` allows."""
    result = convert_or_none(text)
    if result is None:
        return Counter()
    source, _, _ = decode(text.encode("utf-8"), "story.txt")
    source = html.unescape(_TAGS.sub(" ", source))
    source = _STRIPPED.sub(lambda m: m.group("body"), source)  # i Touch/i: the tag letters go
    return words(source) - story_words(result.story) - dropped_words(result)


@SETTINGS
@given(documents)
def test_nothing_lost(text: str) -> None:
    missing = lost_words(text)
    assert not missing, f"lost {dict(missing)}"


def test_nothing_lost_catches_a_rule_that_deletes_emphasised_words(monkeypatch) -> None:  # noqa: ANN001
    """The property must fail on a converter that drops every emphasised word (the log still
    quotes them: a property that counted any quoted word as kept would pass it)."""
    from ficbook.convert.rules import inline

    text = "She was *so* tired.\n\nHe said _really_ twice."
    assert not lost_words(text)
    real = inline.emphasis_fixer

    def deleting(ctx):  # noqa: ANN001, ANN202
        fix = real(ctx)

        def drop(p):  # noqa: ANN001, ANN202
            p = fix(p)
            return dataclasses.replace(p, inlines=tuple(n for n in p.inlines if not isinstance(n, Styled)))
        return drop

    monkeypatch.setattr(inline, "emphasis_fixer", deleting)
    assert lost_words(text) == Counter({"so": 1, "really": 1})


@SETTINGS
@given(documents)
def test_repeatable_and_idempotent(text: str) -> None:
    first = convert_or_none(text)
    if first is None:
        return
    assert run(text) == first  # the same input gives the same story and log
    again, _ = run_block_rules(first.story, ConvertOptions(), "story.txt")
    assert again == first.story  # the block rules find nothing left to do
