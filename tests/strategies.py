"""Hypothesis strategies for model objects, shared by the writer's and the text tests."""

from __future__ import annotations

from hypothesis import strategies as st

from ficbook.model import (
    BlockQuote,
    Chapter,
    Epigraph,
    LineBreak,
    ListBlock,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    StoryMeta,
    Styled,
    Table,
    TableCell,
    Text,
)
from ficbook.text import ASCII_SPACES, OTHER_SPACES

# White space of every kind, and characters whose UTF-8 forms share bytes with it.
NEAR_SPACES = [*ASCII_SPACES, *OTHER_SPACES, "a", "é", "\u2019", "\u2014", "\u2026", "\u200b",
               "\u2010", "\u2030", "\u205e", "\u2060", "\u1681", "\u3001", "\x84", "\xa1",
               "\x00", "\ud800", "\udfff", "\U0001f600", "\ufeff", "\u00c2", "\u00e2"]
texts = st.text(alphabet=st.one_of(st.sampled_from(NEAR_SPACES), st.characters()), max_size=60)


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
