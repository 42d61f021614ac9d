"""The labels a book prints are in the book's language, wherever they stand; a story in
another language keeps its own `lang` on its documents, so each label in them carries the
book's (`<dt lang="fr">Mots</dt>` on a Spanish story's card in a French book), and a
story's note written on one of the book's pages (the notes appendix, the credits page)
carries the story's."""

from __future__ import annotations

import re

from ficbook.assemble import place
from ficbook.model import Book, BookMeta, Chapter, Note, Paragraph, Part, Story, StoryMeta, Text, label_of
from ficbook.render import render

FR = 'lang="fr" xml:lang="fr"'
ES = 'lang="es" xml:lang="es"'


def _para(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _story(lang: str, title: str) -> Story:
    note = Note("author-note", (_para("Escrita en una tarde de lluvia."),))
    chapters = (Chapter(None, (_para("El faro seguía encendido."), note)),
                Chapter(None, (_para("Nadie volvió a subir la escalera."),)))
    return Story(StoryMeta(title, rating="T", language=lang), chapters,
                 summary=(_para("Un farero y su gato."),))


def _docs(notes: str) -> dict[str, str]:
    label = lambda kind: label_of((), kind, "fr")  # noqa: E731 - the book's labels, in French
    stories = (place(_story("es", "El faro"), 1, notes, label=label),
               place(_story("fr", "Le phare"), 2, notes, label=label))
    book = Book(BookMeta("Phares", "urn:uuid:0", "fr"), (Part(None, stories),))
    return {d.name.removeprefix("text/"): d.content.decode() for d in render(book, None).documents}


def test_labels_on_a_story_in_another_language_carry_the_books() -> None:
    docs = _docs("inline")
    card = docs["s01-card.xhtml"]
    assert re.search(r'<html[^>]* lang="es" xml:lang="es"', card)  # the story's own
    for label in ("Classement", "Mots", "Chapitres"):
        assert f"<dt {FR}>{label}</dt>" in card, label
    assert f'<p class="story-author" {FR}>Auteur inconnu</p>' in card
    assert f'<p class="note-label" {FR}>Résumé</p>' in card
    chapter = docs["s01-c01.xhtml"]
    assert f'<h2 class="chapter-title" {FR}>Chapitre 1</h2>' in chapter
    assert f'<p class="note-label" {FR}>' in chapter  # the inline note's label
    assert '<aside class="author-note" role="note"><p' in chapter  # its text is the page's own


def test_a_story_in_the_books_language_has_no_marks() -> None:
    docs = _docs("inline")
    for name in ("s02-card.xhtml", "s02-c01.xhtml"):
        assert 'lang="' not in docs[name].split("<body", 1)[1], name
    assert "<dt>Mots</dt>" in docs["s02-card.xhtml"]


def test_a_storys_note_on_the_books_pages_carries_the_storys_language() -> None:
    docs = _docs("appendix")
    appendix = docs["notes.xhtml"]
    assert f'<aside class="author-note" role="note" {ES}><p class="note-label" {FR}>' in appendix
    assert '<aside class="author-note" role="note"><p class="note-label">' in appendix  # the French one
    assert f'<p class="noteref" {FR}>' in docs["s01-c01.xhtml"]  # the link left in its place
