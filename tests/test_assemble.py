"""`assemble.place`: each note and disclaimer goes exactly where its mode says; words are
counted once, from the story text alone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficbook.assemble import place
from ficbook.model import (
    Block,
    Chapter,
    DisclaimerPlacement,
    Note,
    NoteKind,
    NoteRef,
    NotesPlacement,
    Paragraph,
    Story,
    StoryMeta,
    Text,
)

SETTINGS = settings(max_examples=200, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def p(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def note(kind: NoteKind, text: str) -> Note:
    return Note(kind, (p(text),))


def test_words_are_the_story_texts_words_and_only_those() -> None:
    story = Story(StoryMeta("T"), (Chapter(None, (p("one two"), note("author-note", "three"))),),
                  front_notes=(note("author-note", "four five"),))
    assert place(story, 1).words == 2
    assert place(story, 1, "appendix").words == 2  # placing notes changes no count


kinds = st.sampled_from(["author-note", "disclaimer", "feedback"])
notes_ = st.builds(note, kinds, st.sampled_from(["A", "B", "C"]))
chapter_blocks = st.lists(st.one_of(notes_, st.builds(p, st.just("text"))), max_size=5)
stories = st.builds(
    lambda front, chapters, end: Story(StoryMeta("T"), tuple(Chapter(None, tuple(c)) for c in chapters),
                                       front_notes=tuple(front), end_notes=tuple(end)),
    st.lists(notes_, max_size=3), st.lists(chapter_blocks, min_size=1, max_size=3),
    st.lists(notes_, max_size=2))


def _shown(blocks: tuple[Block, ...]) -> list[Block]:
    return [b for b in blocks if isinstance(b, (Note, NoteRef))]


@SETTINGS
@given(stories, st.sampled_from(["inline", "story-end", "appendix", "drop"]),
       st.sampled_from(["story", "credits", "drop"]), st.integers(1, 5))
def test_every_note_lands_once_where_its_mode_puts_it(
        story: Story, notes: NotesPlacement, disclaimers: DisclaimerPlacement, first: int) -> None:
    bs = place(story, 1, notes, disclaimers, first_note=first)
    written = [n for n in (*story.front_notes, *(b for c in story.chapters for b in c.blocks),
                           *story.end_notes) if isinstance(n, Note)]
    author = [n for n in written if n.kind != "disclaimer"]
    placed = _shown(bs.card) + [b for c in bs.chapters for b in _shown(c.blocks)] + _shown(bs.after)
    # The story text itself is untouched, in order.
    assert ([b for c in bs.chapters for b in c.blocks if isinstance(b, Paragraph)]
            == [b for c in story.chapters for b in c.blocks if isinstance(b, Paragraph)])
    # Author's notes: in place, gathered at the end, linked from the appendix, or reported.
    inline = [b for b in placed if isinstance(b, Note) and b.kind != "disclaimer"]
    refs = [b for b in placed if isinstance(b, NoteRef)]
    assert inline == (author if notes == "inline" else [])
    assert [m.note for m in bs.story_end] == (author if notes == "story-end" else [])
    assert [m.note for m in bs.appendix] == (author if notes == "appendix" else [])
    assert [r.number for r in refs] == [m.number for m in bs.appendix] \
        == list(range(first, first + len(bs.appendix)))
    # Disclaimers: each text once, on the card or the credits page, or each one reported.
    distinct = list({n.blocks: n for n in written if n.kind == "disclaimer"}.values())
    on_card = [b for b in placed if isinstance(b, Note) and b.kind == "disclaimer"]
    assert on_card == (distinct if disclaimers == "story" else [])
    assert list(bs.credits) == (distinct if disclaimers == "credits" else [])
    dropped = (len(author) if notes == "drop" else 0) + (
        sum(n.kind == "disclaimer" for n in written) if disclaimers == "drop" else 0)
    assert len(bs.diagnostics) == dropped
    assert all(d.code == "note-dropped" for d in bs.diagnostics)
