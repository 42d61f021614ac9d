"""Never a word moved out of the story, as a property (issue 13): stories built from
pieces an editor can tell apart — story paragraphs (third and first person, dialogue, a
song's lines, a letter) and the author's pieces around them (labelled notes with their
talking paragraphs, bare labels, disclaimers, end markers with back matter, headers,
dedications) — are converted, and

- the body keeps every word of every story paragraph (the share a careful editor keeps:
  all of the story; the author's pieces may go either way);
- no chapter is left without story text when its source chapter had some;
- every set-apart block is in the log at its line with its word count.

`test_the_property_catches_a_rule_that_takes_story_text` shows it failing on a notes rule
broken to take every paragraph after a label."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficbook.errors import StoryError
from ficbook.model import Note, Paragraph, SceneBreak, Story
from ficbook.text import block_text, count_words
from tests.convert.helpers import run
from tests.convert.test_properties import words

SETTINGS = settings(max_examples=int(os.environ.get("FICBOOK_EXAMPLES", 60)),
                    derandomize=not os.environ.get("FICBOOK_RANDOM"), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Story paragraphs: the story's own words, in the voices stories are told in.
THIRD = [
    "The ferry came on Friday and the lamp went out, and nobody in the village said a word about it.",
    "Mara climbed the stairs with the oil can and counted them out loud, the way her father had.",
    "By the third winter the ice had come twice and gone twice, and the cat had grown fat on the stove.",
    "The gulls sat on the rail and watched her work, and the water below was the colour of slate.",
    "She found the letter under the floorboard, folded small, the ink gone brown at the edges.",
]
FIRST = [
    "I woke up late, and my head hurt the way it always did after the harbour fair.",
    "I went down the stairs with one hand on the wall, and my mother did not look up.",
    "My brother had taken the boat again, so I walked the long way round the point.",
    "I kept the lamp lit myself that winter, because nobody else in the house would.",
]
DIALOGUE = [
    "\"You'll freeze out there,\" the postman said, and she told him she would not.",
    "\"Where were you?\" he asked. \"Out,\" I said, and shut the door behind me.",
    "'Morning,' Mum said, without looking up from the stove.",
]
SONG = ["I have walked this road for years\nWith a lantern and a borrowed coat\nAnd the lamps go out behind me"]
LETTER = ["Dear Tom,\nThe lamp is lit every night and the cat is fat.\nCome home when the ice breaks.\nYours, M."]

# The author's pieces: set apart or not, as the rules see fit.
NOTES = [
    ["A/N: This one is for the night shift at the harbour clinic."],
    ["A/N: Thanks to everyone who asked for this one.", "I wrote it in a week, and I am sorry about the ending."],
    ["Author's Note:", "Thanks to my beta, who read it twice and still likes me.",
     "Please review, it makes my day!"],
    ["Disclaimer: I own nothing but the cat."],
    ["(A/N: the song is my own, lyrics and all.)"],
]
HEADERS = [[], ["Title: The Lamp", "Author: Wren Hollis"], ["THE LAMP", "by Wren Hollis"],
           ["For Sam, who taught me to keep a light on."]]
ENDINGS = [[], ["The End"], ["~Fin~", "Thank you all for reading! I will update the sequel soon."],
           ["THE END", "So that's it! This took me two years to finish, and I cried writing it.",
            "Please do not archive this story elsewhere without asking me first."]]

story_paragraph = st.tuples(st.just("story"), st.sampled_from(THIRD + DIALOGUE + SONG + LETTER))
first_person = st.tuples(st.just("story"), st.sampled_from(FIRST + DIALOGUE))
note = st.sampled_from(NOTES).map(lambda ps: [("note", p) for p in ps])


@st.composite
def chapter(draw: Callable, voice: st.SearchStrategy) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    if draw(st.booleans()):
        pieces += draw(note)
    pieces += draw(st.lists(voice, min_size=2, max_size=5))
    if draw(st.booleans()):
        pieces.append(("break", "* * *"))
        pieces += draw(st.lists(voice, min_size=1, max_size=3))
    if draw(st.booleans()):
        pieces += draw(note)
    return pieces


@st.composite
def stories(draw: Callable) -> list[list[tuple[str, str]]]:
    voice = draw(st.sampled_from([story_paragraph, first_person]))
    chapters = draw(st.lists(chapter(voice), min_size=1, max_size=3))
    head = [("note", p) for p in draw(st.sampled_from(HEADERS))]
    end = [("end", p) for p in draw(st.sampled_from(ENDINGS))]
    chapters[0] = head + chapters[0]
    chapters[-1] = chapters[-1] + end
    return chapters


def text_of(chapters: list[list[tuple[str, str]]]) -> str:
    out: list[str] = []
    for n, pieces in enumerate(chapters, 1):
        if len(chapters) > 1:
            out.append(f"Chapter {n}")
        out += [p for _, p in pieces]
    return "\n\n".join(out) + "\n"


def body_words(story: Story) -> Counter[str]:
    return words("\n".join(block_text(b) for c in story.chapters for b in c.blocks if not isinstance(b, Note)))


def moved(chapters: list[list[tuple[str, str]]]) -> Counter[str]:
    """Words of the story paragraphs that are not in the converted story's body."""
    story = run(text_of(chapters)).story
    wanted = words("\n".join(p for pieces in chapters for kind, p in pieces if kind == "story"))
    return wanted - body_words(story)


@SETTINGS
@given(stories())
def test_the_story_stays_in_the_story(chapters: list[list[tuple[str, str]]]) -> None:
    missing = moved(chapters)
    assert not missing, f"story words out of the body: {dict(missing)}"


@SETTINGS
@given(stories())
def test_no_empty_chapter_and_every_block_set_apart_is_logged(chapters: list[list[tuple[str, str]]]) -> None:
    try:
        result = run(text_of(chapters))
    except StoryError:
        pytest.fail("a story with story paragraphs was refused")
    story = result.story
    if len(chapters) > 1:
        assert len(story.chapters) == len(chapters)
        for ch in story.chapters:
            assert any(isinstance(b, Paragraph) for b in ch.blocks), f"chapter {ch.title!r} left empty"
    notes = [*story.front_notes, *story.end_notes,
             *(b for c in story.chapters for b in c.blocks if isinstance(b, Note))]
    for n in notes:
        size = count_words(n)
        assert any(d.line == n.line and f"{size} words" in d.message for d in result.diagnostics), \
            f"a {n.kind} of {size} words at line {n.line} is not in the log"
    assert not any(isinstance(b, SceneBreak) for b in story.chapters[0].blocks[:1])


def test_the_property_catches_a_rule_that_takes_story_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notes rule that takes every paragraph after a label as the author talking moves a
    first-person story's opening out of the story: `moved` must see it."""
    from ficbook.convert.rules import notes

    chapters = [[("note", "A/N: Thanks to everyone who asked for this one."),
                 ("story", FIRST[0]), ("story", FIRST[1]), ("story", THIRD[0])]]
    assert not moved(chapters)
    monkeypatch.setattr(notes, "_talking", lambda text, vocab=None, first_person=True: True)
    assert moved(chapters)
