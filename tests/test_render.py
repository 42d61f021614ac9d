"""The writer: its fast paths give what the plain code gives; the split and the links keep
their promises (sizes, order, nothing lost, each anchor in the file that holds it)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ficbook.render.split as split_module
from ficbook.assemble import place
from ficbook.model import (
    Block,
    Book,
    BookMeta,
    Chapter,
    LineBreak,
    Note,
    Paragraph,
    Part,
    SceneBreak,
    Story,
    StoryMeta,
    Text,
)
from ficbook.render.blocks import SCENE_BREAK, BlockWriter, render_inlines
from ficbook.render.links import ref, resolve
from ficbook.render.rendition import Draft, esc
from ficbook.render.split import split
from ficbook.render.story import render_story
from tests.strategies import blocks, paragraphs, stories, texts

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

BOOK = Book(BookMeta("B", "urn:uuid:0", "en"), (Part(None, ()),))


@SETTINGS
@given(texts)
def test_esc_is_html_escape(text: str) -> None:
    assert esc(text) == html.escape(text, quote=True)


@SETTINGS
@given(paragraphs)
@example(Paragraph(()))
@example(Paragraph((Text(""),)))
@example(Paragraph((Text(" \n\xa0\u3000"),), align="right"))
@example(Paragraph((Text(" "), LineBreak())))
def test_a_paragraph_renders_as_its_inlines(p: Paragraph) -> None:
    body = render_inlines(p.inlines, {})
    cls = f' class="{p.align}"' if p.align else ""
    assert BlockWriter(BOOK).block(p) == ("" if not body.strip() else f"<p{cls}>{body}</p>\n")


@SETTINGS
@given(st.lists(blocks, max_size=8))
@example([Paragraph((Text(" \n\xa0"),)), Paragraph((Text(""),)), Paragraph((Text("<&>"),)),
          Paragraph((Text("a"),), align="center")])
def test_a_chapter_writes_each_block_as_block_writes_it(chapter: list[Block]) -> None:
    writer = BlockWriter(BOOK)
    assert writer.each(tuple(chapter)) == [writer.block(b) for b in chapter]


@SETTINGS
@given(stories, st.sampled_from(["inline", "appendix", "story-end", "drop"]))
def test_the_card_shows_the_words_assemble_counted(story: Story, notes: str) -> None:
    bs = place(story, 1, notes)
    drafts, _ = render_story(BOOK, bs, BlockWriter(BOOK))
    assert drafts[0].name == "text/s01-card.xhtml" and f"<dd>{bs.words:,}</dd>" in drafts[0].body


# ------------------------------------------------------------------ splitting


rendered_blocks = st.lists(st.sampled_from(
    ["", SCENE_BREAK, "<p>a</p>\n", "<p>" + "x" * 20 + "</p>\n", "</ol>\n", "<h2>t</h2>\n"]),
    max_size=30)


_TOKEN = re.compile(r"<p>[ax]*</p>\n|</ol>\n|<ol>\n|<h2>t</h2>\n|<hr[^>]*/>\n")


def _check_split(rendered: list[str], limit: int, closing: str, reopen: str) -> None:
    anchors = {i: f"a{i}" for i, h in enumerate(rendered) if h.startswith("<p>")}
    pieces = split(rendered, anchors, closing=closing, reopen=reopen)
    kept = [h for h in rendered if h]
    # Nothing but scene breaks (where a file starts or is cut) and the wrapping is lost,
    # and the order stays.
    joined = "".join(p.html for p in pieces)
    if closing:
        joined = joined.replace(closing + reopen, "")  # the wrapping added at a cut
        assert reopen not in joined
    assert joined.replace(SCENE_BREAK, "") == "".join(kept).replace(SCENE_BREAK, "")
    for p in pieces:
        assert p.html and not p.html.startswith(SCENE_BREAK)
        # A file goes over the limit only by its last block (and a cut list's wrapping).
        tokens = _TOKEN.findall(p.html)
        assert "".join(tokens) == p.html
        if closing:  # a list's end never starts a file, and the wrapping does not count
            tokens = [t for t in tokens if t not in (closing, reopen)]
        assert sum(map(len, tokens[:-1])) <= limit
    # Every anchor is in the piece that holds its block, once.
    assert [a for p in pieces for a in p.anchors] == [anchors[i] for i in sorted(anchors)]


@SETTINGS
@given(rendered_blocks, st.integers(0, 200))
@example(["<p>a</p>\n"] * 10 + [SCENE_BREAK] + ["<p>a</p>\n"] * 3, 90)
def test_split_keeps_every_block_in_order_under_the_limit(rendered: list[str], limit: int) -> None:
    saved = split_module.MAX_DOC_BYTES
    split_module.MAX_DOC_BYTES = limit
    try:
        _check_split(rendered, limit, "", "")
        # A list is cut only in the notes appendix, where no scene break stands.
        _check_split([h for h in rendered if h != SCENE_BREAK], limit, "</ol>\n", "<ol>\n")
    finally:
        split_module.MAX_DOC_BYTES = saved


def test_split_cuts_at_the_scene_break_near_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split_module, "MAX_DOC_BYTES", 90)
    para = "<p>a</p>\n"  # 9 bytes
    pieces = split([para] * 6 + [SCENE_BREAK] + [para] * 6)
    assert [p.html for p in pieces] == [para * 6, para * 6]  # the break is where it cut
    assert split([SCENE_BREAK, "", para]) == split([para])  # never a break first


# ------------------------------------------------------------------ links


def test_resolve_writes_links_from_the_anchor_table() -> None:
    drafts = [Draft("text/a.xhtml", "a", "A", f'<a href="{ref("there")}">x</a>', "en"),
              Draft("text/b.xhtml", "b", "B", '<p id="there">y</p>', "en", anchors=("there",))]
    docs = resolve(drafts)
    assert b'<a href="b.xhtml#there">x</a>' in docs[0].content
    assert b'<p id="there">y</p>' in docs[1].content
    # A zero byte outside the body (the title) changes nothing.
    odd = resolve([Draft("text/a.xhtml", "a", "A\x00", "<p>x</p>", "en")])
    assert odd[0].content.count(b"<p>x</p>") == 1


def test_resolve_fails_on_a_link_to_an_id_no_draft_holds() -> None:
    link = f'<a href="{ref("nowhere")}">x</a>'
    # An id written in a body but not declared as an anchor is not looked for.
    with pytest.raises(AssertionError, match="nowhere"):
        resolve([Draft("text/a.xhtml", "a", "A", link + '<p id="nowhere"/>', "en")])
    with pytest.raises(AssertionError, match="nowhere"):
        resolve([Draft("text/a.xhtml", "a", "A", link + "\ud800", "en")])
    with pytest.raises(UnicodeEncodeError):
        resolve([Draft("text/a.xhtml", "a", "A", "\ud800", "en"),
                 Draft("text/b.xhtml", "b", "B", link, "en")])


def test_a_split_chapter_links_each_note_to_the_file_it_landed_in(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ficbook.render import render

    monkeypatch.setattr(split_module, "MAX_DOC_BYTES", 400)
    blocks: list[Block] = []
    for n in range(1, 9):
        blocks += [Paragraph((Text(f"Scene {n} " + "word " * 30),)), SceneBreak(),
                   Note("author-note", (Paragraph((Text(f"NOTE{n}"),)),))]
    story = Story(StoryMeta("T"), (Chapter(None, tuple(blocks)),))
    bs = place(story, 1, "appendix")
    book = Book(BookMeta("B", "urn:uuid:0", "en"), (Part(None, (bs,)),))
    docs = {d.name.removeprefix("text/"): d.content.decode() for d in render(book, None).documents}
    chapters = sorted(n for n in docs if n.startswith("s01-c01"))
    assert len(chapters) > 2
    for n in range(1, 9):
        holder = next(name for name in chapters if f'id="noteref-{n:03d}"' in docs[name])
        appendix = next(name for name in docs if f'id="note-{n:03d}"' in docs[name])
        assert f'href="{appendix}#note-{n:03d}"' in docs[holder]
        assert f'href="{holder}#noteref-{n:03d}"' in docs[appendix]


def test_the_landmarks_name_the_cover_the_contents_and_the_first_story() -> None:
    from ficbook.render import render

    stories = tuple(place(Story(StoryMeta(t), (Chapter(None, (Paragraph((Text("x"),)),)),)), n)
                    for n, t in enumerate(("One", "Two"), 1))
    book = Book(BookMeta("B", "urn:uuid:0", "en"), (Part("First", stories[:1]),
                                                    Part("Second", stories[1:])))
    with_cover = render(book, "cover.jpg")
    names = [d.name for d in with_cover.documents]
    marks = with_cover.landmarks
    assert (marks.cover, marks.contents, marks.start) == (
        names[0], "text/contents.xhtml", "text/s01-card.xhtml")
    assert {marks.cover, marks.contents, marks.start} <= set(names)
    from ficbook.render.front import part_name
    part = f"text/{part_name(book, 1)}"  # named from the part's title: part-first-….xhtml
    assert part.startswith("text/part-first-")
    assert names.index(marks.start) > names.index(part)  # the story, not its part
    assert render(book, None).landmarks.cover is None
