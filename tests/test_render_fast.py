"""The renderer's and the word count's fast paths give exactly what the plain code gives.

Each fast path is compared with the plain formulation it replaced: `len(text.split())`
for words, `html.escape` for text, the general inline renderer for one-text paragraphs,
the cutting loop for chapters that fit in one file.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import inspect
import pickle
import sys
from dataclasses import dataclass

import pytest

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ficbook.model import (
    ASCII_SPACES, OTHER_SPACES, Block, BlockQuote, Book, BookMeta, BookStory, Chapter, Epigraph,
    LineBreak, ListBlock, Note, Paragraph, Part, SceneBreak, Story, StoryMeta, Styled, Table, TableCell,
    Text, _story_texts, count_text_words, count_words,
)
from ficbook.render.xhtml import (
    BlockWriter, StoryWriter, _BackMatter, _Draft, _resolve, _split, esc, ref, render_inlines,
    render_story,
)

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

ALL_CHARS = [chr(i) for i in range(sys.maxunicode + 1)]
# White space of every kind, and characters whose UTF-8 forms share bytes with it.
NEAR_SPACES = [*ASCII_SPACES, *OTHER_SPACES, "a", "é", "\u2019", "\u2014", "\u2026", "\u200b",
               "\u2010", "\u2030", "\u205e", "\u2060", "\u1681", "\u3001", "\x84", "\xa1",
               "\x00", "\ud800", "\udfff", "\U0001f600", "\ufeff", "\u00c2", "\u00e2"]
texts = st.text(alphabet=st.one_of(st.sampled_from(NEAR_SPACES), st.characters()), max_size=60)


# ------------------------------------------------------------------ counting words


def test_the_space_lists_are_what_str_split_splits_at() -> None:
    splitting = [c for c in ALL_CHARS if len(f"a{c}b".split()) == 2]
    assert sorted(ASCII_SPACES + OTHER_SPACES) == splitting
    assert all(c < "\x80" for c in ASCII_SPACES) and all(c >= "\x80" for c in OTHER_SPACES)


def test_every_space_splits_words_in_any_company() -> None:
    for space in ASCII_SPACES + OTHER_SPACES:
        for text in (f"a{space}b", space, f"{space}a", f"é{space}\u2019 x", f"\u2028{space}z",
                     f"\u2014{space}\u2014{space}{space}"):
            assert count_text_words(text) == len(text.split()), repr(text)


def test_every_character_counted_as_split_counts_it() -> None:
    # Every code point, lone surrogates included, apart and run together.
    apart = " ".join(ALL_CHARS)
    assert count_text_words(apart) == len(apart.split())
    together = "".join(ALL_CHARS)
    assert count_text_words(together) == len(together.split())


@SETTINGS
@given(texts)
def test_count_text_words_is_len_split(text: str) -> None:
    assert count_text_words(text) == len(text.split())


inlines = st.recursive(
    st.builds(Text, texts) | st.just(LineBreak()),
    lambda children: st.builds(lambda kind, c: Styled(kind, tuple(c)),
                               st.sampled_from(["em", "strong", "small-caps"]),
                               st.lists(children, max_size=3)),
    max_leaves=6)
paragraphs = st.builds(lambda inl, align: Paragraph(tuple(inl), align=align),
                       st.lists(inlines, max_size=4), st.sampled_from([None, "center"]))
blocks = st.recursive(
    paragraphs | st.just(SceneBreak()),
    lambda inner: st.one_of(
        st.builds(lambda bs: BlockQuote(tuple(bs)), st.lists(inner, max_size=3)),
        st.builds(lambda bs, kind: Note(kind, tuple(bs)), st.lists(inner, max_size=3),
                  st.sampled_from(["author-note", "disclaimer", "summary"])),
        st.builds(lambda ps, a: Epigraph(tuple(ps), tuple(a)), st.lists(paragraphs, max_size=2),
                  st.lists(inlines, max_size=2)),
        st.builds(lambda items, o: ListBlock(o, tuple(tuple(i) for i in items)),
                  st.lists(st.lists(inner, max_size=2), max_size=3), st.booleans()),
        st.builds(lambda rows: Table(tuple(tuple(TableCell(tuple(c)) for c in r) for r in rows)),
                  st.lists(st.lists(st.lists(inlines, max_size=2), max_size=2), max_size=2)),
    ),
    max_leaves=8)
stories = st.builds(
    lambda chapters: Story(StoryMeta("T"), tuple(Chapter(None, tuple(c)) for c in chapters)),
    st.lists(st.lists(blocks, max_size=6), min_size=1, max_size=3))


@SETTINGS
@given(stories)
def test_story_words_is_the_sum_of_its_blocks_words(story: Story) -> None:
    assert story.words == sum(count_words(b) for c in story.chapters for b in c.blocks
                              if not isinstance(b, Note))


# ------------------------------------------------------------------ rendering


@SETTINGS
@given(texts)
def test_esc_is_html_escape(text: str) -> None:
    assert esc(text) == html.escape(text, quote=True)


BOOK = Book(BookMeta("B", "urn:uuid:0", "en"), (Part(None, ()),))


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
@given(st.lists(blocks, max_size=8), st.sampled_from(["inline", "appendix", "story-end", "drop"]))
@example([Paragraph((Text(" \n\xa0"),)), Paragraph((Text(""),)), Paragraph((Text("<&>"),)),
          Paragraph((Text("a"),), align="center")], "inline")
def test_a_story_writes_each_block_as_block_writes_it(chapter: list[Block], notes: str) -> None:
    story = Story(StoryMeta("T"), (Chapter(None, tuple(chapter)),))
    writers = [StoryWriter(BOOK, BookStory(story, 1, notes), _BackMatter(), {}) for _ in "ab"]
    for w in writers:
        w.chapter = 1
    assert writers[0].each(tuple(chapter)) == [writers[1].block(b) for b in chapter]
    assert writers[0].back == writers[1].back and writers[0].story_end == writers[1].story_end


@SETTINGS
@given(stories, st.sampled_from(["inline", "appendix", "story-end", "drop"]))
def test_writing_a_story_counts_its_words_as_story_words_does(story: Story, notes: str) -> None:
    writer = StoryWriter(BOOK, BookStory(story, 1, notes), _BackMatter(), {})
    drafts, _ = render_story(BOOK, writer.bs, writer)
    assert writer.texts == _story_texts(story.chapters)
    plain = sum(count_words(b) for c in story.chapters for b in c.blocks if not isinstance(b, Note))
    assert story._words == plain == dataclasses.replace(story).words
    assert drafts[0].name == "text/s01-card.xhtml" and f"<dd>{plain:,}</dd>" in drafts[0].body


def test_a_word_count_made_is_kept() -> None:
    story = Story(StoryMeta("T"), (Chapter(None, (Paragraph((Text("one two"),)),)),))
    assert story.count_words_of(["a b c"]) == 3 and story.words == 3
    assert story.count_words_of(["a"]) == 3


def _split_plainly(rendered: list[str], limit: int, closing: str = "",
                   reopen: str = "") -> list[str]:
    """`_split` as it was, the limit a parameter: the cutting loop alone."""
    chunks: list[list[str]] = [[]]
    size = 0
    for html_ in rendered:
        if not html_:
            continue
        if size + len(html_) > limit and chunks[-1] and html_ != closing:
            current = chunks[-1]
            cut = max((i for i, h in enumerate(current) if h.startswith('<hr class="scene-break"')),
                      default=-1)
            if cut > len(current) // 2:
                chunks[-1], rest = current[:cut], current[cut + 1:]
                chunks.append(rest)
            else:
                chunks.append([])
            size = sum(len(h) for h in chunks[-1])
            if closing and chunks[-2][-1] != closing and not html_.startswith("<h2"):
                chunks[-2].append(closing)
                chunks[-1].insert(0, reopen)
        if not chunks[-1] and html_.startswith('<hr class="scene-break"'):
            continue
        chunks[-1].append(html_)
        size += len(html_)
    return ["".join(c) for c in chunks if c]


rendered_blocks = st.lists(st.sampled_from(
    ["", '<hr class="scene-break"/>\n', "<p>a</p>\n", "<p>" + "x" * 20 + "</p>\n",
     "</ol>\n", "<h2>t</h2>\n"]), max_size=30)


@SETTINGS
@given(rendered_blocks, st.integers(0, 200))
def test_split_is_the_cutting_loop(rendered: list[str], limit: int) -> None:
    import ficbook.render.xhtml as xhtml
    saved = xhtml.MAX_DOC_BYTES
    xhtml.MAX_DOC_BYTES = limit
    try:
        assert _split(rendered) == _split_plainly(rendered, limit)
        assert (_split(rendered, closing="</ol>\n", reopen="<ol>\n")
                == _split_plainly(rendered, limit, closing="</ol>\n", reopen="<ol>\n"))
    finally:
        xhtml.MAX_DOC_BYTES = saved


def test_resolve_links_across_documents_and_leaves_the_rest() -> None:
    drafts = [_Draft("text/a.xhtml", "a", "A", f'<a href="{ref("there")}">x</a>', "en"),
              _Draft("text/b.xhtml", "b", "B", '<p id="there">y</p>', "en")]
    docs = _resolve(drafts)
    assert b'<a href="b.xhtml#there">x</a>' in docs[0].content
    assert b'<p id="there">y</p>' in docs[1].content
    # A zero byte outside the body (the title) changes nothing.
    odd = _resolve([_Draft("text/a.xhtml", "a", "A\x00", "<p>x</p>", "en")])
    assert odd[0].content.count(b"<p>x</p>") == 1


def test_resolve_fails_as_it_always_did() -> None:
    link = f'<a href="{ref("nowhere")}">x</a>'
    with pytest.raises(AssertionError, match="nowhere"):
        _resolve([_Draft("text/a.xhtml", "a", "A", link, "en")])
    # A link to nowhere is reported before text that cannot be written, in the same page
    # or a later one; unwritable text in an earlier page is reported first.
    with pytest.raises(AssertionError, match="nowhere"):
        _resolve([_Draft("text/a.xhtml", "a", "A", link + "\ud800", "en")])
    with pytest.raises(AssertionError, match="nowhere"):
        _resolve([_Draft("text/a.xhtml", "a", "A", link, "en"),
                  _Draft("text/b.xhtml", "b", "B", "\ud800", "en")])
    with pytest.raises(UnicodeEncodeError):
        _resolve([_Draft("text/a.xhtml", "a", "A", "\ud800", "en"),
                  _Draft("text/b.xhtml", "b", "B", link, "en")])


# ------------------------------------------------------------------ building the model


@dataclass(frozen=True, slots=True)
class _PlainText:  # Text as the dataclass would build it
    text: str


@dataclass(frozen=True, slots=True)
class _PlainParagraph:
    inlines: tuple
    line: int | None = None
    align: str | None = None


CLASSES = [(Text, _PlainText, [("a",), (), ("a", 1)], [{"text": "b"}, {"txt": "b"}]),
           (Paragraph, _PlainParagraph,
            [((Text("a"),),), ((), 3), ((), 3, "center"), ((), 0, ""), (), ((), 1, None, 4)],
            [{"inlines": (), "align": "right"}, {"line": 2}, {"inlines": (), "inline": 3}])]


def _outcome(cls: type, args: tuple, kwargs: dict) -> object:
    try:
        obj = cls(*args, **kwargs)
    except TypeError as e:
        return ("TypeError", str(e).replace(cls.__name__, "CLS"))
    return (repr(obj).replace(cls.__name__, "CLS"), obj.__match_args__,
            [getattr(obj, f.name) for f in dataclasses.fields(obj)])


def test_text_and_paragraph_are_built_as_their_dataclasses_would_be() -> None:
    for cls, plain, positional, keywords in CLASSES:
        params = [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]
        assert params == [(p.name, p.kind, p.default)
                          for p in inspect.signature(plain).parameters.values()]
        assert ([(f.name, f.default, f.init, f.repr, f.compare) for f in dataclasses.fields(cls)]
                == [(f.name, f.default, f.init, f.repr, f.compare)
                    for f in dataclasses.fields(plain)])
        assert cls.__slots__ == plain.__slots__ and cls.__match_args__ == plain.__match_args__
        for args in positional:
            assert _outcome(cls, args, {}) == _outcome(plain, args, {}), args
        for kwargs in keywords:
            assert _outcome(cls, (), kwargs) == _outcome(plain, (), kwargs), kwargs


def test_text_and_paragraph_stay_frozen_slotted_dataclasses() -> None:
    p = Paragraph((Text("a"), Text("b")), 7, "center")
    assert not hasattr(p, "__dict__")
    for attempt in (lambda: setattr(p, "line", 8), lambda: delattr(p, "line"),
                    lambda: setattr(p.inlines[0], "text", "c"), lambda: setattr(p, "other", 1)):
        with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
            attempt()
    assert p.line == 7 and p.inlines[0].text == "a"
    same = Paragraph((Text("a"), Text("b")), line=7, align="center")
    assert p == same and hash(p) == hash(same) and p != Paragraph((Text("a"),), 7, "center")
    assert dataclasses.replace(p, line=9) == Paragraph(p.inlines, 9, "center")
    assert dataclasses.replace(Text("x"), text="y") == Text("y")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(p, protocol)) == p
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    assert Paragraph(()) == Paragraph((), None, None)
