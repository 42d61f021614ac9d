"""AO3 and FanFicFare EPUBs (built here), and hostile zips."""

from __future__ import annotations

import io
import zipfile

import pytest

from ficbook.errors import StoryError
from ficbook.model import Image, Note, Paragraph
from ficbook.text import block_text
from tests.readers.epubs import ao3_calibre_epub, ao3_epub, fff_epub, make_epub, xhtml
from tests.readers.helpers import all_text, chapter_text, read


def test_ao3_epub_reads_like_the_html_download():
    result = read("lights-out.epub", ao3_epub())
    story = result.story
    assert story.meta.title == "Lights Out"
    assert story.meta.authors == ("fivebyfive",)
    assert story.meta.rating == "Mature"
    assert story.meta.pairings == ("Faith Lehane/Buffy Summers",)
    assert story.meta.status == "Complete"
    assert [c.title for c in story.chapters] == ["Chapter 1: Dark", "Chapter 2: Light"]
    assert "Faith found the candles first." in chapter_text(story, 0)
    assert isinstance(story.chapters[1].blocks[-1], Note)
    assert story.end_notes and "one night" in all_text(story)
    images = [n for b in story.chapters[0].blocks if isinstance(b, Paragraph)
              for n in b.inlines if isinstance(n, Image)]
    assert len(images) == 1 and images[0].resource.media_type == "image/png"
    assert images[0].resource.name.isascii() and images[0].alt == "a crescent moon"
    text = all_text(story)
    assert "Posted originally" not in text and "drop by the Archive" not in text


def test_ao3_epub_with_calibres_class_names_and_split_preface():
    """AO3 serves EPUBs made by calibre: chapters are still chapters, the preface's summary
    and notes and the afterword's end notes are still set apart."""
    story = read("harbour-lights.epub", ao3_calibre_epub()).story
    assert (story.meta.title, story.meta.authors) == ("Harbour Lights", ("tidewatcher",))
    assert story.meta.rating == "General Audiences"
    assert [c.title for c in story.chapters] == ["Chapter 1: Departure", "Chapter 2: Arrival"]
    assert "ferry crossing" in " ".join(block_text(b) for b in story.summary)
    assert "My first try" in " ".join(block_text(n) for n in story.front_notes)
    notes = [[block_text(b) for b in c.blocks if isinstance(b, Note)] for c in story.chapters]
    assert any("Set before season two" in t for t in notes[0])
    assert any("One more to go" in t for t in notes[1])
    assert "long train ride" in " ".join(block_text(n) for n in story.end_notes)
    assert chapter_text(story, 1).strip() == "Cordelia saw the harbour lights first."
    assert "drop by the Archive" not in all_text(story)


def test_fanficfare_epub_title_and_log_pages_are_not_story_text():
    result = read("watcher.epub", fff_epub())
    story = result.story
    meta = story.meta
    assert meta.title == "The Watcher's Diary" and meta.authors == ("giles_fan",)
    assert meta.rating == "K+" and meta.status == "In progress"
    assert meta.fandoms == ("Buffy: The Vampire Slayer",)
    assert meta.characters == ("Rupert G.", "Buffy S.")
    assert meta.series == "Library Days"
    assert meta.source == "https://www.fanfiction.net/s/1/1/"
    assert meta.tags == ("Diary",)  # the subjects FanFicFare copies from other fields go
    assert [c.title for c in story.chapters] == ["Tuesday", "Wednesday"]
    text = all_text(story)
    for furniture in ("Update Log", "Packaged", "Publisher"):
        assert furniture not in text
    one = story.chapters[0]
    assert one.summary and "Tea is made." in all_text(story)
    assert "I have made tea again." in chapter_text(story, 0)
    assert isinstance(one.blocks[-1], Note) and "More soon" in all_text(story)
    assert "Buffy" in "".join(str(b) for b in story.summary)
    codes = [d.code for d in result.diagnostics]
    assert codes.count("epub-furniture") == 2


def test_any_epub_chapters_from_the_spine_with_headings():
    data = make_epub({"a.xhtml": xhtml("<h1>One</h1><p>First words.</p>"),
                      "b.xhtml": xhtml("<h2>Two</h2><p>Second words.</p>")},
                     "<dc:title>Plain</dc:title><dc:language>fr</dc:language>"
                     '<dc:identifier id="id">x</dc:identifier>', ["a.xhtml", "b.xhtml"])
    story = read("plain.epub", data).story
    assert [c.title for c in story.chapters] == ["One", "Two"]
    assert story.meta.language == "fr"


def test_not_an_epub_and_hostile_zips_are_clear_story_errors():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(StoryError, match="no .opf"):
        read("x.epub", buf.getvalue())
    with pytest.raises(StoryError):
        read("x.epub", b"PK\x03\x04 not really a zip at all")
    # An href that climbs out of the book is never followed.
    data = make_epub({"a.xhtml": xhtml('<p>The text of the story goes on <img src="../../../etc/passwd"/> here and on.</p>')},
                     '<dc:title>T</dc:title><dc:identifier id="id">x</dc:identifier>', ["a.xhtml"])
    result = read("t.epub", data)
    assert "image-dropped" in {d.code for d in result.diagnostics}
    # A zip bomb: a huge entry refuses to be read.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", "<container/>")
        zf.writestr("content.opf", b"<package/>" + b" " * (70 * 1024 * 1024))
    with pytest.raises(StoryError, match="too large"):
        read("bomb.epub", buf.getvalue())


def test_one_document_epub_whose_sections_say_what_they_are():
    """EPUB 3 in one file: the title page is set aside (its dedication to the card, its
    epigraph under the first heading), each body section a chapter, the back matter the
    author's end notes. Read as one page, the title page made it all furniture."""
    doc = xhtml(
        '<section epub:type="frontmatter"><section epub:type="titlepage"><h1>Salt Roads</h1>'
        '<div>M. Quill</div><div epub:type="epigraph"><p>The sea keeps what it is given.</p></div>'
        '<p epub:type="dedication">For the ferry crews.</p></section></section>'
        '<section epub:type="bodymatter"><section><h2>I. The Quay</h2><p>Rain came in off the '
        'water at dusk.</p></section><section><h2>II. The Crossing</h2><p>Nobody spoke until '
        'the lights of the island showed.</p></section></section>'
        '<section epub:type="backmatter"><section epub:type="rearnotes"><h2>Notes</h2><p>The '
        'quay is a real one, much changed.</p></section></section>')
    data = make_epub({"content.xhtml": doc},
                     '<dc:title>Salt Roads</dc:title><dc:creator>M. Quill</dc:creator>'
                     '<dc:language>en</dc:language><dc:identifier id="id">urn:uuid:3</dc:identifier>',
                     ["content.xhtml"])
    story = read("salt-roads.epub", data).story
    assert [c.title for c in story.chapters] == ["I. The Quay", "II. The Crossing"]
    first = chapter_text(story, 0)
    assert first.startswith("The sea keeps what it is given.") and "Rain came in" in first
    assert chapter_text(story, 1) == "Nobody spoke until the lights of the island showed."
    assert [(n.kind, block_text(n)) for n in story.front_notes] == [("dedication", "For the ferry crews.")]
    assert [(n.label, block_text(n)) for n in story.end_notes] == [("Notes", "The quay is a real one, much changed.")]
    assert "M. Quill" not in all_text(story)  # the title page's byline: the card has the author
    assert story.meta.authors == ("M. Quill",)
