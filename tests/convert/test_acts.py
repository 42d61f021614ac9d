"""A play's acts are its chapters ("ACT II.", "Acto segundo"); a contents list that names
them first, a synopsis under each, is not; and a play inside a novel's chapter keeps its
acts in that chapter's text."""

from __future__ import annotations

from ficbook.text import block_text
from tests.convert.helpers import run

SPEECH = ("WARDEN. The tide is late tonight, and the lamp will not hold its flame.\n\n"
          "KEEPER. Then we keep it by hand, as our mothers did, until the boats are in.\n\n")


def play(heads: list[str], speeches: int = 6) -> str:
    return "".join(f"{h}\n\n{SPEECH * speeches}" for h in heads)


def titles(text: str, **options: object) -> list[str | None]:
    return [c.title for c in run(text, **options).story.chapters]


def test_a_plays_acts_are_its_chapters() -> None:
    text = "DRAMATIS PERSONAE\n\nWARDEN, of the light.\n\n" + play(["ACT I. SCENE I.", "ACT II.", "ACT III."])
    assert titles(text)[1:] == ["ACT I. SCENE I.", "ACT II", "ACT III"]


def test_acts_in_another_language() -> None:
    assert titles(play(["ACTO PRIMERO", "ACTO SEGUNDO"]), language="es") == ["ACTO PRIMERO", "ACTO SEGUNDO"]


def test_a_contents_list_with_a_synopsis_under_each_act_is_not_chapters() -> None:
    contents = ("ACT I.\n\nSCENE I. On the breakwater. The lamp fails.\n\n"
                "ACT II.\n\nSCENE I. In the lamp room. The keeper's vigil.\n\n"
                "ACT III.\n\nSCENE I. At dawn. The boats come in.\n\n")
    story = run("THE LAMP ROOM\n\n" + contents + play(["ACT I.", "ACT II.", "ACT III."])).story
    assert [c.title for c in story.chapters] == [None, "ACT I", "ACT II", "ACT III"]
    front = " ".join(block_text(b) for b in story.chapters[0].blocks)
    assert "The keeper’s vigil." in front  # kept, where it was (typography: its apostrophe)


def test_a_play_inside_a_novels_chapter_keeps_its_acts_there() -> None:
    novel = "Chapter 1\n\n" + "The children put on a play that winter.\n\n" * 20
    text = novel + play(["ACT I.", "ACT II."], speeches=2) + "Chapter 2\n\n" + "Spring came.\n\n" * 20
    story = run(text).story
    assert [c.title for c in story.chapters] == ["Chapter 1", "Chapter 2"]
    assert "ACT II." in " ".join(block_text(b) for b in story.chapters[0].blocks)


def test_acts_retold_in_the_books_last_pages_are_not_its_chapters() -> None:
    """A translation's closing note that sums up the sequel act by act: the book's text
    before them is not a front matter to drop, nor one untitled chapter before five."""
    body = "The play itself, in scenes that carry no act headings.\n\n" * 120
    note = play(["ACTO PRIMERO", "ACTO SEGUNDO"], speeches=1)
    story = run(body + note, language="es").story
    assert [c.title for c in story.chapters] == [None]
    text = " ".join(block_text(b) for b in story.chapters[0].blocks)
    assert text.count("The play itself") == 120 and "ACTO SEGUNDO" in text


HEADER = ("The Project Gutenberg eBook of The Lamp Room\n\nThis ebook is for the use of anyone "
          "anywhere in the United States and\nmost other parts of the world at no cost.\n\n"
          "Title: The Lamp Room\n\nAuthor: Nell Arden\n\nLanguage: English\n\n"
          "*** START OF THE PROJECT GUTENBERG EBOOK THE LAMP ROOM ***\n\n\n")
FOOTER = "\n\n*** END OF THE PROJECT GUTENBERG EBOOK THE LAMP ROOM ***\n"


def test_a_plays_cast_before_its_first_act_is_the_plays_own() -> None:
    """In an edition whose title page and contents before chapter one are dropped, the
    cast of a play (a column of roles and players, short lines) stays: it is the play's."""
    front = ("THE LAMP ROOM\n\nA PLAY IN TWO ACTS\n\n\n"
             "  CHARACTERS            ORIGINAL CAST\n\n  Warden                Ada Moss.\n\n"
             "  Keeper                Ivo Lund.\n\n\n")
    story = run(HEADER + front + play(["ACT I.", "ACT II."]) + FOOTER, name="lamp.txt").story
    assert [c.title for c in story.chapters] == [None, "ACT I", "ACT II"]
    first = " ".join(block_text(b) for b in story.chapters[0].blocks)
    assert "Ada Moss." in first and "Ivo Lund." in first
