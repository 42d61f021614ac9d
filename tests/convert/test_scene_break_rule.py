"""One definition of a scene break (`convert/rules/scenes.py`), for every reader: the
HTML and EPUB readers keep `<hr>` and hand glyph paragraphs to the `scene_breaks` rule,
so switching the rule off keeps them as text for every input."""

from __future__ import annotations

import pytest

from ficbook.convert.rules.scenes import is_glyph_line
from ficbook.model import Paragraph, SceneBreak
from ficbook.text import block_text
from tests.convert.helpers import run
from tests.readers.epubs import make_epub, xhtml

BODY = ("<p>The lamp went out.</p><p>* * *</p><p>Morning came.</p><p>♥♥♥</p>"
        "<p>She left.</p><hr/><p>The end of it.</p>")
META = '<dc:title>Lamp</dc:title><dc:language>en</dc:language><dc:identifier id="id">x</dc:identifier>'


def _inputs() -> dict[str, tuple[str, bytes]]:
    page = f"<html><head><title>Lamp</title></head><body>{BODY}</body></html>"
    return {
        "html": ("lamp.html", page.encode()),
        "epub": ("lamp.epub", make_epub({"a.xhtml": xhtml(BODY)}, META, ["a.xhtml"])),
        "text": ("lamp.txt", "The lamp went out.\n\n* * *\n\nMorning came.\n\n♥♥♥\n\nShe left.\n\n"
                             "<hr>\n\nThe end of it.\n".encode()),
    }


def _kinds(name: str, data: bytes, **options: object) -> list[str]:
    story = run(data, name, **options).story
    return ["break" if isinstance(b, SceneBreak) else block_text(b)
            for c in story.chapters for b in c.blocks]


@pytest.mark.parametrize("kind", ["html", "epub", "text"])
def test_glyph_lines_are_breaks_for_every_reader(kind: str) -> None:
    name, data = _inputs()[kind]
    assert _kinds(name, data) == ["The lamp went out.", "break", "Morning came.", "break",
                                  "She left.", "break", "The end of it."]


@pytest.mark.parametrize("kind", ["html", "epub", "text"])
def test_switching_the_rule_off_keeps_glyph_lines_as_text(kind: str) -> None:
    name, data = _inputs()[kind]
    got = _kinds(name, data, rules=(("scene_breaks", False),))
    assert "* * *" in got and "♥♥♥" in got
    if kind != "text":  # an <hr> element is markup, not a guess: it stays a break
        assert got.count("break") == 1


@pytest.mark.parametrize("line", ["* * *", "***", "~~~", "♥♥♥", "/ / /", "⁂", "※", "——", "-x-x-",
                                  "~o~o~", "oOo", "xXx", "o0o", "=-=-=", "<hr>", "#"])
def test_glyph_lines(line: str) -> None:
    assert is_glyph_line(line)


@pytest.mark.parametrize("line", ["xxx", "ooo", "—", "-", "...", "I", "x-ray", "o.O", "A/N",
                                  "\"* * *\"", "10", "hr"])
def test_not_glyph_lines(line: str) -> None:
    assert not is_glyph_line(line)


def test_a_paragraph_of_one_styled_glyph_line_is_a_break() -> None:
    page = b"<html><body><p>One.</p><p><b>* * *</b></p><p>Two.</p></body></html>"
    story = run(page, "s.html").story
    assert [type(b) for b in story.chapters[0].blocks] == [Paragraph, SceneBreak, Paragraph]
