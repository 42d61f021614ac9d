"""Headings, card fields and the text a recipe supplies get the typography of the story's
paragraphs (issue 13): no straight ' on a card, the story language's quotes, the recipe's
rules honoured. Applied as the book is assembled; the readers' stories keep what they read."""

from __future__ import annotations

from ficbook.assemble import assemble
from ficbook.model import Chapter, Paragraph, Story, StoryMeta, Text
from ficbook.recipe import Recipe


def _story(title: str, language: str = "en", **meta) -> Story:
    chapters = (Chapter("Chapter 1: 'Tis the \"Season\"", (Paragraph((Text("They walked."),)),),
                        part="Book One -- The Crossing"),
                Chapter("Chapter 2 - After", (Paragraph((Text("They rested."),)),)))
    return Story(StoryMeta(title, authors=("O'Neill",), language=language, **meta), chapters)


def _book(stories: list[Story], rules: dict | None = None, **recipe):
    data = {"title": "Don't Panic -- Stories", "language": "en", "date": "2024-05-01",
            "stories": [{"path": f"s{i}.txt", **recipe.pop(f"story{i}", {})} for i in range(len(stories))],
            "rules": rules or {}, **recipe}
    return assemble(Recipe.model_validate(data), stories)


def test_the_card_and_the_headings_get_the_stories_typography() -> None:
    story = _story("Don't Look Back -- A Story", tags=("Rock 'n' Roll", "Angst"),
                   series="The Watcher's Diaries", extra=(("Prompt", '"rain"'),))
    book = _book([story], subtitle="Ten 'little' tales", description="The editor's choice...",
                 editor="The Readers' Shelf")
    shown = book.parts[0].stories[0].story
    assert shown.meta.title == "Don’t Look Back — A Story"
    assert shown.meta.tags == ("Rock ’n’ Roll", "Angst")
    assert shown.meta.series == "The Watcher’s Diaries"
    assert shown.meta.extra == (("Prompt", "“rain”"),)
    assert [c.title for c in shown.chapters] == ["Chapter 1: ’Tis the “Season”", "Chapter 2 — After"]
    assert shown.chapters[0].part == "Book One — The Crossing"
    assert shown.meta.authors == ("O'Neill",), "a name stays as written"
    # the recipe's own text too, in the book's language
    assert book.meta.title == "Don’t Panic — Stories"
    assert book.meta.subtitle == "Ten ‘little’ tales"
    assert book.meta.description == "The editor’s choice…"
    assert book.meta.editor == "The Readers’ Shelf"  # on the title page and the cover


def test_the_recipes_title_and_summary_for_a_story() -> None:
    book = _book([_story("Untitled")], story0={"title": "Rain's End", "summary": 'She said "no" -- twice.'})
    shown = book.parts[0].stories[0].story
    assert shown.meta.title == "Rain’s End"
    assert [p.inlines for p in shown.summary] == [(Text("She said “no” — twice."),)]


def test_a_story_in_french_gets_french_marks_on_its_headings() -> None:
    story = Story(StoryMeta("L'été \"perdu\"", language="fr"),
                  (Chapter("Chapitre 1 : L'île", (Paragraph((Text("Elle attend."),)),)),))
    shown = _book([story]).parts[0].stories[0].story
    assert shown.meta.title == "L’été «\u00a0perdu\u00a0»"
    assert shown.chapters[0].title == "Chapitre 1\u00a0: L’île"


def test_typography_switched_off_leaves_the_card_as_written() -> None:
    story = _story("Don't Look Back -- A Story")
    off = _book([story], rules={"typography": False}).parts[0].stories[0].story
    assert off.meta.title == "Don't Look Back -- A Story"
    assert off.chapters[0].title == "Chapter 1: 'Tis the \"Season\""
    # a story's own rules win over the recipe's
    one = _book([story], story0={"rules": {"typography": False}}).parts[0].stories[0].story
    assert one.meta.title == "Don't Look Back -- A Story"


def test_the_stable_key_is_made_from_the_title_as_written() -> None:
    from ficbook.naming import story_key

    shown = _book([_story("Don't Look Back")]).parts[0].stories[0]
    assert shown.story.meta.title == "Don’t Look Back"
    assert shown.stable == story_key("s0.txt", "Don't Look Back")  # as before titles were curled
