"""The five sample stories come out as issue 3 lists; golden XHTML for each, reviewed as diffs
(`pytest --update-golden` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ficbook.model import Epigraph, Note, Paragraph, SceneBreak, Styled
from ficbook.readers import read_story
from ficbook.readers.source import read_source
from ficbook.text import block_text, inline_text
from tests.conftest import ROOT, STORIES
from tests.convert.book import story_documents

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = sorted(STORIES.glob("*.txt"))


def sample(prefix: str):
    path = next(p for p in SAMPLES if p.name.startswith(prefix))
    return read_story(read_source(path))


def texts(story) -> list[str]:
    return [block_text(b) for c in story.chapters for b in c.blocks if isinstance(b, Paragraph)]


def breaks(story) -> list[SceneBreak]:
    return [b for c in story.chapters for b in c.blocks if isinstance(b, SceneBreak)]


def test_000_last_paragraph_is_an_authors_note() -> None:
    r = sample("000")
    s = r.story
    assert [n.kind for n in s.end_notes] == ["author-note"]
    assert block_text(s.end_notes[0]).startswith("A belated happy new year")
    assert not any("belated" in t for t in texts(s))
    assert texts(s)[-1].startswith("Outside, the sun shines")
    assert any(d.severity == "warning" and d.code == "author-note" and d.line == 55
               for d in r.diagnostics)


def test_001_breaks_trailing_note_and_chrome() -> None:
    r = sample("001")
    s = r.story
    assert len(breaks(s)) == 4
    assert len(s.end_notes) == 1
    note = block_text(s.end_notes[0])
    assert note.startswith("You didn’t think I’d make it easy")
    assert note.rstrip().endswith("As always, please review.")
    assert s.end_notes[0].label == "Author's note"
    assert not any("review" in t.lower() for t in texts(s)[-3:])
    assert texts(s)[-1].startswith("Spike took the cigarette")
    dropped = [d for d in r.diagnostics if d.code == "chrome-dropped"]
    assert [(d.line, "You must login (register) to review." in d.message) for d in dropped] \
        == [(138, True)]
    all_text = "\n".join(texts(s) + [block_text(n) for n in s.end_notes])
    assert "You must login" not in all_text
    assert "* * *" not in all_text


def test_002_notes_breaks_and_closing_epigraph() -> None:
    s = sample("002").story
    labels = [(n.kind, n.label) for n in s.front_notes]
    assert labels == [("author-note", "Story Notes"), ("author-note", "A/N"),
                      ("disclaimer", "Disclaimer")]
    assert len(breaks(s)) == 8
    blocks = s.chapters[0].blocks
    assert isinstance(blocks[0], Paragraph) and block_text(blocks[0]).startswith("Buffy had known")
    epigraph = blocks[-1]
    assert isinstance(epigraph, Epigraph)
    assert [block_text(p) for p in epigraph.blocks] == [
        "If thou must love me, let it be for nought", "Except for love’s sake only."]
    assert inline_text(epigraph.attribution).startswith("Excerpt of sonnet XIV")
    assert not isinstance(blocks[-2], SceneBreak)
    assert not any(t.startswith(("Story Notes", "A/N", "Disclaimer")) for t in texts(s))


def test_003_stripped_italic_tag_repaired() -> None:
    s = sample("003").story
    para = next(b for c in s.chapters for b in c.blocks
                if isinstance(b, Paragraph) and "sprang unbidden" in block_text(b))
    styled = [n for n in para.inlines if isinstance(n, Styled)]
    assert [(n.kind, inline_text(n.children)) for n in styled] == [("em", "Touch")]
    assert "i Touch/i" not in block_text(para)


def test_004_header_on_the_card() -> None:
    s = sample("004").story
    m = s.meta
    assert (m.title, m.authors, m.rating) == ("Fight For Me", ("Singing Violin",), "K")
    assert m.fandoms == ("Buffy: The Vampire Slayer",)
    assert [block_text(b) for b in s.summary] == [
        "One last reunion. A request, denied. Another granted. Love. Peace."]
    assert [n.kind for n in s.front_notes] == ["disclaimer", "feedback"]
    first = texts(s)[0]
    assert first == "They gather outside her room and speak in hushed tones."
    assert not any(t.startswith(("Title:", "Author:", "Rating:", "Summary:", "Disclaimer:",
                                 "Feedback:")) for t in texts(s))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_golden_xhtml(path: Path, update_golden: bool) -> None:
    story = read_story(read_source(path)).story
    docs = story_documents(story)
    got = "".join(f"<!-- {d.name} -->\n{d.content.decode('utf-8')}\n" for d in docs
                  if d.name.startswith("text/s01"))
    for d in docs:
        etree.fromstring(d.content)  # well-formed XML, every document
    golden = GOLDEN / f"{path.name[:3]}.xhtml"
    if update_golden:
        golden.write_text(got, "utf-8")
    assert golden.exists(), "run pytest --update-golden and review the diff"
    assert got == golden.read_text("utf-8")


def test_no_notes_inside_story_text() -> None:
    for path in SAMPLES:
        s = read_story(read_source(path)).story
        for c in s.chapters:
            for b in c.blocks:
                assert not (isinstance(b, Note) and b.kind == "disclaimer"), path.name
