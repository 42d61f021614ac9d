"""A printed book inside a Project Gutenberg edition, in the book's own language: its
front matter (transcriber's note under a label, title page, imprint, contents table) and
back matter (printer's line, corrections after the end marker) are not chapters; a
bracketed note is set apart, a lone poem before chapter one is its epigraph, a preface
without a heading stays the story's opening; the chapters are found by the words of the
language the edition names (`Language: Italian`)."""

from __future__ import annotations

from pathlib import Path

from ficbook.convert import ConvertOptions
from ficbook.model import Epigraph, Note
from ficbook.readers import read_story
from ficbook.readers.layouts.bookmatter import kind
from ficbook.readers.source import Source
from ficbook.text import block_text
from tests.readers.helpers import all_text, chapter_text
from tests.readers.test_layouts import convert


def _body(story) -> str:
    return "\n".join(chapter_text(story, i) for i in range(len(story.chapters)))


def _dropped(result) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == "chrome-dropped"]


def test_italian_edition_front_and_back_matter():
    result = convert("gutenberg_book_it.txt")
    story = result.story
    assert story.meta.language == "it"
    assert [c.title for c in story.chapters] == [
        "CAPITOLO I: IL MULINO SUL FIUME", "CAPITOLO II: LA NOTTE DELLA PIENA",
        "CAPITOLO III: LA LANTERNA RITROVATA"]
    body = _body(story)
    for furniture in ("VENTIMIGLIA", "Stamperia dei Tre Ponti", "PROPRIETÀ LETTERARIA", "INDICE",
                      "Racconto per fanciulli", "Errata", "mulno", "trattini bassi"):
        assert furniture not in all_text(story), furniture
    assert body.startswith("Quando la ruota gira piano")  # the poem, at the head of chapter I
    first = story.chapters[0].blocks[0]
    assert isinstance(first, Epigraph) and "e guarda il sole sopra il monte" in block_text(first)
    assert [n.kind for n in story.front_notes] == ["author-note"]
    assert "la maestra del suo paese" in block_text(story.front_notes[0])
    assert "la maestra" not in body
    assert chapter_text(story, 2).endswith("FINE.")
    dropped = _dropped(result)
    assert any(d.startswith("the printed book's front matter") for d in dropped)
    assert any("back matter after the end marker “FINE.”" in d for d in dropped)


def test_front_matter_kept_by_the_recipe_switch():
    story = convert("gutenberg_book_it.txt", boilerplate="keep").story
    kept = "\n".join(block_text(n) for n in story.front_notes if n.kind == "disclaimer")
    assert "PROPRIETÀ LETTERARIA" in kept and "Pagina 12" in kept
    assert "PROPRIETÀ" not in _body(story)


def test_french_title_page_heading_over_the_contents_is_front_matter():
    """`Tome I (1871)` on the title page reads as a heading; what it heads is only the
    contents table, so it is the front's, not a chapter. The transcriber's notes under
    `Au lecteur.` at both ends go with the edition."""
    result = convert("gutenberg_book_fr.txt")
    story = result.story
    assert story.meta.language == "fr"
    assert [c.title for c in story.chapters] == ["I", "II", "III"]
    text = all_text(story)
    for furniture in ("Table des matières", "Tome I (1871)", "IMPRIMERIE", "traits bas",
                      "gardein", "Au lecteur"):
        assert furniture not in text, furniture
    assert chapter_text(story).startswith("Le gardien.\nLe gardien du phare")
    assert chapter_text(story, 2).endswith("FIN DU TOME PREMIER.")


def test_german_preface_without_heading_stays_the_opening():
    story = convert("gutenberg_book_de.txt").story
    assert [c.title for c in story.chapters] == [None, "Erstes Kapitel", "Zweites Kapitel",
                                                 "Drittes Kapitel"]
    assert chapter_text(story) == ("Wer dieses Büchlein aufschlägt, soll wissen, dass die "
                                   "Geschichte sich wirklich so zugetragen hat, wie sie hier "
                                   "steht, nur die Namen habe ich geändert, damit niemand im "
                                   "Dorf sich darin wiederfinden muss.\n"
                                   "Kestenholz, im Herbst 1887.")
    for furniture in ("Zweite Auflage", "Verlag der Brüder Hainbuch", "Eine Erzählung"):
        assert furniture not in all_text(story), furniture


def test_runs_sorted_by_their_shape():
    assert kind(["LONDRA:", "MACMILLAN AND CO."]) == "matter"  # shouts
    assert kind(["I. Il mulino sul fiume                    5",
                 "II. La notte della piena                  19"]) == "matter"
    assert kind(["Cantava il gallo sopra il tetto,", "e il vento rispondeva piano,",
                 "La luna usciva dal suo letto", "a guardare il grano."]) == "verse"
    # a paragraph wrapped at a fixed width is prose, not verse
    assert kind(["Il mulino stava dove il fiume faceva una curva larga, e l'acqua vi",
                 "girava intorno come un cane che cerca il suo posto per dormire, e Teo",
                 "vi era nato e non conosceva altro rumore che quello della ruota del",
                 "mulino, giorno e notte."]) == "prose"
    assert kind(["[Illustrazione]"]) == "matter"
    assert kind(["See https://example.org/book for the pictures of this edition, which",
                 "are not included here, and for the list of corrections made."]) == "matter"


def test_a_fan_fiction_text_keeps_its_opening():
    """Only an edition's front is the printed book's: a story's text before `Chapter 1`
    is not touched by this (its header and notes rules read it)."""
    text = ("THE LONG WINTER\n\nby someone\n\n\nChapter 1\n\nSnow fell on the roofs of the "
            "town all night long, and nobody went out.\n\nChapter 2\n\nIn the morning the "
            "roads were gone under it, and the bakers came late.\n")
    story = read_story(Source(Path("long-winter.txt"), text.encode()), ConvertOptions()).story
    assert "THE LONG WINTER" in all_text(story)
    assert not any(isinstance(n, Note) and "THE LONG WINTER" in block_text(n)
                   for n in story.front_notes if n.kind == "disclaimer")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def test_long_bare_numerals_are_chapters_too():
    """A book of 138 chapters numbered by bare numerals: LXXXVIII and CXXXVIII (eight
    letters) head their chapters like the rest."""
    sentence = ("The ferry left the quay at seven and the gulls followed it as far as the "
                "lighthouse, where they turned back to wait for the fishing boats. ")
    text = "".join(f"{_roman(n)}\n\n{sentence * 3}\n\n" for n in range(1, 139))
    story = read_story(Source(Path("ferry.txt"), text.encode()), ConvertOptions()).story
    titles = [c.title for c in story.chapters]
    assert len(titles) == 138
    assert "LXXXVIII" in titles and "CXXXVIII" in titles


def test_gutenberg_html_heading_with_a_linked_numeral_reads_as_one_line():
    """`<h2><a href="#voc_2">II</a>. The Sugar Bowl.</h2>`: the numeral's link does not cut
    the heading in two; a `<br>` does (`CHAPTER III.<br>THE ROOF`)."""
    page = ("<html><body>"
            "<h2><a href='#v1'>I</a>. The Kettle.</h2><p>The kettle sang on the stove all morning.</p>"
            "<h2><a href='#v2'>II</a>. The Sugar Bowl.</h2><p>Paul climbed on the table again.</p>"
            "<h2>CHAPTER III.<br/>THE ROOF</h2><p>The rain came through the roof at night.</p>"
            "</body></html>")
    story = read_story(Source(Path("lessons.html"), page.encode()),
                       ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters] == ["I. The Kettle", "II. The Sugar Bowl",
                                                 "CHAPTER III: THE ROOF"]


def test_gutenberg_html_front_sections_are_not_chapters():
    """The printed front matter cut into sections by its own headings (`By NAME`, the
    contents, the title again) holds no prose: not chapters. A preface in sentences stops
    it and stays."""
    chapters = "".join(f"<h2>CHAPTER {n}.</h2><p>The {w} lamp was lit at dusk and put out at dawn, "
                       f"and the keeper wrote it down in the log each time.</p>"
                       for n, w in (("I", "first"), ("II", "second"), ("III", "third")))
    front = ("<h2>By Orla Penhallow</h2><p>AUTHOR OF “THE SALT ROAD”</p><p>LONDON: SMALL AND SONS</p>"
             "<h2>Contents</h2><ul><li><a href='#c1'>CHAPTER I.</a></li><li><a href='#c2'>CHAPTER II.</a></li></ul>")
    page = f"<html><body>{front}{chapters}</body></html>"
    story = read_story(Source(Path("lamp.html"), page.encode()), ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]
    preface = ("<h2>Preface</h2><p>These pages were written on the island over three winters, "
               "and I have changed nothing in them but the names of the boats.</p>")
    page = f"<html><body>{front}{preface}{chapters}</body></html>"
    story = read_story(Source(Path("lamp.html"), page.encode()), ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters] == ["Preface", "CHAPTER I", "CHAPTER II", "CHAPTER III"]


def test_gutenberg_html_printing_history_and_transcription_credit_are_front_matter():
    """A title page followed by the book's printing history ("Reprinted March 1892;
    June 1894.", "Pocket Edition, 1901.") and the transcriber's "Transcribed from the …
    edition by …" line: the edition's, not a chapter, though its lines end in full stops."""
    chapters = "".join(f"<h2>CHAPTER {n}.</h2><p>The {w} lamp was lit at dusk and put out at dawn, "
                       f"and the keeper wrote it down in the log each time.</p>"
                       for n, w in (("I", "first"), ("II", "second"), ("III", "third")))
    front = ("<p>Transcribed from the 1901 Small and Sons edition by a volunteer, email v@example.org</p>"
             "<h1>The Lamp Keeper, by Orla Penhallow</h1><p>THE LAMP KEEPER</p><p>by ORLA PENHALLOW</p>"
             "<p>First printed in the Harbour Gazette, 1889.</p><p>Reprinted March 1892; June 1894.</p>"
             "<p>Pocket Edition, 1901.</p>")
    page = f"<html><body>{front}{chapters}</body></html>"
    story = read_story(Source(Path("lamp.html"), page.encode()), ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]
    assert "Reprinted March" not in all_text(story) and "Transcribed from" not in all_text(story)


def test_gutenberg_html_footnotes_after_the_last_chapter_are_its_notes():
    """A last section headed FOOTNOTES whose paragraphs open with their marks: the book's
    notes, set apart after the story; a last chapter called "Notes" in sentences stays one."""
    chapters = "".join(f"<h2>CHAPTER {n}.</h2><p>The {w} lamp was lit at dusk and put out at dawn, "
                       f"and the keeper wrote it down[{k}] in the log each time.</p>"
                       for k, (n, w) in enumerate((("I", "first"), ("II", "second"), ("III", "third")), 1))
    notes = ("<h2>FOOTNOTES:</h2><p>[1]  The log survives, water-stained, in the harbour office.</p>"
             "<p>[2]  Some say the second keeper was the first one's daughter.</p>")
    page = f"<html><body>{chapters}{notes}</body></html>"
    story = read_story(Source(Path("lamp.html"), page.encode()), ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters] == ["CHAPTER I", "CHAPTER II", "CHAPTER III"]
    [note] = story.end_notes
    assert note.label == "FOOTNOTES" and "water-stained" in block_text(note.blocks[0])
    prose = "<h2>Notes</h2><p>She kept notes too, in a hand nobody else could read, until the spring.</p>"
    story = read_story(Source(Path("lamp.html"), f"<html><body>{chapters}{prose}</body></html>".encode()),
                       ConvertOptions(layout="gutenberg")).story
    assert [c.title for c in story.chapters][-1] == "Notes" and not story.end_notes
