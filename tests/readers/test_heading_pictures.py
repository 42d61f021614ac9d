"""A chapter heading that also holds a picture is still a chapter heading (issue 13): an
ornament beside the words, a heading drawn as a picture (its alt text is the title), a
heading inside the chapter's wrapper. Traps: text before the heading keeps it in the text."""

from __future__ import annotations

from ficbook.text import block_text
from tests.readers.epubs import _png, make_epub, xhtml
from tests.readers.helpers import read

TEXT = ("<p>The ferry came on Friday and the lamp went out, and nobody said a word.</p>"
        "<p>She did not mind. She had the cat, and the cat had the stove.</p>")
PICTURES = '<item id="i1" href="orn.png" media-type="image/png"/><item id="i2" href="ch3.png" media-type="image/png"/>'


def _epub(bodies: dict[str, str]) -> bytes:
    files: dict[str, str | bytes] = {name: xhtml(body) for name, body in bodies.items()}
    files |= {"orn.png": _png(), "ch3.png": _png()}
    meta = "<dc:title>The Lamp</dc:title><dc:creator>Wren Hollis</dc:creator><dc:language>en</dc:language>"
    return make_epub(files, meta, list(bodies), extra_manifest=PICTURES)


def test_an_epub_heading_with_a_picture_in_it_is_the_chapters_heading() -> None:
    story = read("lamp.epub", _epub({
        "c1.xhtml": '<h2><img src="orn.png" alt=""/> Chapter One</h2>' + TEXT,
        "c2.xhtml": '<div class="chapter"><h2>Chapter Two <img src="orn.png" alt=""/></h2>' + TEXT + "</div>",
        "c3.xhtml": '<h2><img src="ch3.png" alt="Chapter Three"/></h2>' + TEXT,
        "c4.xhtml": '<div><h2><img src="orn.png" alt=""/><br/>Chapter Four: The Gate</h2></div>' + TEXT,
    })).story
    assert [c.title for c in story.chapters] == ["Chapter One", "Chapter Two", "Chapter Three",
                                                 "Chapter Four: The Gate"]
    for ch in story.chapters:  # the heading is not left in the text as well
        assert block_text(ch.blocks[0]).startswith("The ferry came"), ch.title


def test_text_before_a_heading_keeps_the_heading_in_the_text() -> None:
    story = read("lamp.epub", _epub({
        "c1.xhtml": "<div><p>It was late.</p><h2>Not a Chapter</h2>" + TEXT + "</div>",
        "c2.xhtml": '<h2><img src="orn.png" alt=""/></h2>' + TEXT,  # an ornament alone: no title
    })).story
    texts = [block_text(b) for b in story.chapters[0].blocks]
    assert texts[:2] == ["It was late.", "Not a Chapter"]
    assert story.chapters[1].title is None  # an ornament is no title: the book numbers it


def test_a_markdown_heading_with_a_picture() -> None:
    md = (b"# The Lamp\n\n## ![](orn.png) Chapter One\n\nThe ferry came on Friday.\n\n"
          b"## ![Chapter Two](ch2.png)\n\nThe lamp went out.\n")
    story = read("lamp.md", md).story
    assert [c.title for c in story.chapters] == ["Chapter One", "Chapter Two"]
