"""AO3 "Download → HTML": metadata, notes and chapters in their places; no site chrome."""

from __future__ import annotations

from ficbook.model import ListBlock, Note, Paragraph, SceneBreak, Table
from tests.readers.helpers import all_text, chapter_text, read


def test_ao3_metadata_goes_to_story_meta():
    meta = read("ao3_multichapter.html").story.meta
    assert meta.title == "The Long Way Round"
    assert meta.authors == ("wickedwillow",)
    assert meta.rating == "Teen And Up Audiences"
    assert meta.warnings == ("No Archive Warnings Apply",)
    assert meta.fandoms == ("Buffy the Vampire Slayer (TV)",)
    assert meta.pairings == ("Buffy Summers/Spike",)
    assert meta.characters == ("Buffy Summers", "Spike (Buffyverse)", "Dawn Summers")
    # A tag with a comma in it stays one tag.
    assert meta.tags == ("Post-Canon", "Road Trip", "Slow Burn, Very Slow")
    assert meta.language == "en"
    assert meta.series == "After the Crater"
    assert meta.status == "In progress"  # Chapters: 3/5
    assert meta.source == "https://archiveofourown.org/works/1234567"
    assert meta.published == "2023-03-01"
    assert ("Relationship type", "F/M") in meta.extra


def test_ao3_notes_everywhere_land_in_their_places():
    story = read("ao3_multichapter.html").story
    assert [b.inlines[0].text for b in story.summary][0].startswith("Sunnydale is a crater.")
    assert [n.kind for n in story.front_notes] == ["author-note"]
    assert "beta" in all_text(story)
    assert "Tumblr" in " ".join(p.inlines[0].text for n in story.end_notes for p in n.blocks)
    one, two, three = story.chapters
    assert one.title == "Chapter 1: Crater"
    assert two.title == "Chapter 2"
    assert three.title == "Chapter 3: Vegas, Baby"
    assert one.summary and "The bus stops" in one.summary[0].inlines[0].text
    assert isinstance(one.blocks[0], Note) and "after Chosen" in one.blocks[0].blocks[0].inlines[0].text
    assert isinstance(one.blocks[-1], Note) and "ice machine" in one.blocks[-1].blocks[0].inlines[0].text
    assert not any(isinstance(b, Note) for b in two.blocks)
    assert isinstance(three.blocks[-1], Note)


def test_ao3_text_structure():
    story = read("ao3_multichapter.html").story
    one = story.chapters[0].blocks
    kinds = [type(b).__name__ for b in one]
    # <p>&nbsp;</p> and <p></p> vanish; <hr/> and "* * *" are scene breaks.
    assert kinds == ["Note", "Paragraph", "Paragraph", "SceneBreak", "Paragraph", "SceneBreak",
                     "Paragraph", "Note"]
    two = story.chapters[1].blocks
    texts = [chapter_text(story, 1).split("\n")]
    assert "She paid cash." in texts[0] and "He waited in the car." in texts[0]
    # <br><br> splits paragraphs; <br><br><br> is a scene break.
    i = texts[0].index("He waited in the car.")
    assert isinstance([b for b in two if not isinstance(b, Note)][i + 1], SceneBreak)
    assert any(isinstance(b, Table) for b in two)
    assert any(isinstance(b, ListBlock) for b in two)
    centred = [b for b in two if isinstance(b, Paragraph) and b.align == "center"]
    assert [c.inlines[0].text for c in centred] == ["Room 12"]


def test_ao3_chrome_and_active_content_never_survive():
    result = read("ao3_multichapter.html")
    text = all_text(result.story)
    for chrome in ("Posted originally", "drop by the Archive", "See the end of", "Preface",
                   "Afterword", "alert(", "Type here", "tracking"):
        assert chrome not in text
    assert "The ice machine hummed all night." in text
    codes = {d.code for d in result.diagnostics}
    assert "image-remote" in codes and "chrome-dropped" in codes
