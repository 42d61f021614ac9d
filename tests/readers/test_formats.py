"""Files writers write: DOCX, ODT, Markdown and FB2 read by their content, headings as
chapters, italics and bold kept, notes and disclaimers set apart by the usual rules."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ficbook.convert import ConvertOptions
from ficbook.errors import StoryError
from ficbook.model import Note, SceneBreak, Styled
from ficbook.readers import read_story, sniff
from ficbook.readers.source import Source

FORMATS = Path(__file__).resolve().parents[2] / "stories" / "formats"


def convert(name: str, data: bytes | None = None, as_name: str | None = None):
    path = FORMATS / name
    data = path.read_bytes() if data is None else data
    return read_story(Source(Path(as_name) if as_name else path, data), ConvertOptions())


def styled(story, kind: str) -> list[str]:
    from ficbook.text import inline_text

    out = []
    for ch in story.chapters:
        for b in ch.blocks:
            for node in getattr(b, "inlines", ()):
                if isinstance(node, Styled) and node.kind == kind:
                    out.append(inline_text(node.children))
    return out


@pytest.mark.parametrize("name, kind", [
    ("lighthouse-ledger.docx", "docx"), ("seven-bridges.odt", "odt"),
    ("clockmakers-cat.md", "markdown"), ("winter-post.fb2", "fb2")])
def test_sniffed_by_content_not_name(name, kind):
    data = (FORMATS / name).read_bytes()
    assert sniff(data, name) == kind
    if kind != "markdown":  # Markdown without its extension needs its front matter: it has one
        assert sniff(data, "story.txt") == kind
    assert sniff(data, "story.txt") == kind


def test_docx():
    story = convert("lighthouse-ledger.docx").story
    assert (story.meta.title, story.meta.authors) == ("The Lighthouse Ledger", ("Maren Holt",))
    assert [c.title for c in story.chapters] == ["Chapter One: Salt", "Chapter Two: Oil"]
    assert styled(story, "em") == ["This book was here before the tower."]
    assert styled(story, "strong") == ["answer"]
    first = story.chapters[0].blocks
    assert isinstance(first[0], Note) and first[0].label == "A/N"
    assert any(isinstance(b, SceneBreak) for b in first)


def test_odt():
    story = convert("seven-bridges.odt").story
    assert (story.meta.title, story.meta.authors) == ("Seven Bridges", ("Tomas Lind",))
    assert [c.title for c in story.chapters] == ["Part One", "Part Two"]
    assert [n.kind for n in story.front_notes] == ["disclaimer"]
    assert styled(story, "em") == ["fourth"] and styled(story, "strong") == ["loudly"]


def test_markdown_front_matter_and_headings():
    story = convert("clockmakers-cat.md").story
    assert (story.meta.title, story.meta.authors) == ("The Clockmaker's Cat", ("Ines Varga",))
    assert story.meta.tags == ("cats", "clocks")
    assert [c.title for c in story.chapters] == ["Chapter 1", "Chapter 2"]
    assert styled(story, "em") == ["largest"] and styled(story, "strong") == ["nobody"]
    assert isinstance(story.chapters[1].blocks[-1], Note)


def test_fb2():
    story = convert("winter-post.fb2").story
    m = story.meta
    assert (m.title, m.authors, m.language) == ("The Winter Post", ("Olga Sever",), "en")
    assert [c.title for c in story.chapters] == ["I", "II"]
    assert story.summary and styled(story, "em") == ["hands"]
    assert [n.label for n in story.end_notes] == ["Notes"]
    assert "The village is on no map" in story.end_notes[0].blocks[0].inlines[0].text


def test_fb2_entities_are_not_resolved():
    evil = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><description>'
            b'<title-info><book-title>T</book-title></title-info></description>'
            b'<body><section><p>Before &e; after.</p></section></body></FictionBook>')
    story = convert("winter-post.fb2", evil).story
    text = story.chapters[0].blocks[0].inlines[0].text
    assert "root:" not in text and text.startswith("Before")


@pytest.mark.parametrize("name", ["lighthouse-ledger.docx", "seven-bridges.odt"])
def test_damaged_document_is_a_story_error(name):
    data = (FORMATS / name).read_bytes()
    with pytest.raises(StoryError) as err:
        convert(name, data[: len(data) // 2])
    assert err.value.exit_code == 4


def test_docx_without_document_xml_text_is_refused_clearly():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", b"<not-xml")
    with pytest.raises(StoryError) as err:
        convert("lighthouse-ledger.docx", buf.getvalue())
    assert err.value.exit_code == 4


def test_plain_text_with_a_hash_line_stays_text():
    data = b"# of days since the storm: three.\n\nShe counted them on her fingers.\n"
    assert sniff(data, "story.txt") == "text"


def test_sample_files_are_what_the_script_makes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_formats", FORMATS / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.make_docx(module.DOCX_STORY)
    module.make_odt(module.ODT_STORY)
    module.make_markdown(module.MD_STORY)
    module.make_fb2(module.FB2_STORY)
    for f in tmp_path.iterdir():
        assert f.read_bytes() == (FORMATS / f.name).read_bytes(), f.name


def test_markdown_footnotes_and_site_counters():
    text = ("# A Quiet Harbour\n\n7 minutes\n{ .md-time-to-read }\n\n"
            "The boats came home[^1] before the storm.\n\n"
            "[^1]: Fishing boats, not ferries.\n\n## Part Two\n\nThe storm did not come.\n")
    story = convert("clockmakers-cat.md", text.encode(), as_name="harbour.md").story
    assert story.meta.title == "A Quiet Harbour"
    assert [c.title for c in story.chapters] == [None, "Part Two"]
    first = story.chapters[0].blocks[0].inlines[0].text
    assert first == "The boats came home before the storm."
    assert story.end_notes[0].blocks[0].inlines[0].text == "Fishing boats, not ferries."
    assert "minutes" not in first


def test_markdown_front_matter_nested_deep_is_read_without_crashing(tmp_path):
    """The C YAML parser recurses without a limit (a segfault no `except` catches): a front
    matter nested 100,000 deep must take the pure-Python path. In a child process, so a
    regression shows as a failed test rather than a dead test run."""
    import subprocess
    import sys

    md = tmp_path / "deep.md"
    md.write_text("---\ntitle: " + "[" * 100_000 + "\n---\n\n# One\n\nThe story starts here and goes on.\n")
    code = ("import sys; from pathlib import Path; from ficbook.readers import read_story; "
            "from ficbook.readers.source import Source; p = Path(sys.argv[1]); "
            "r = read_story(Source(p, p.read_bytes())); "
            "print(r.story.meta.title, '|', r.story.chapters[-1].blocks[-1].inlines[0].text)")
    run = subprocess.run([sys.executable, "-c", code, str(md)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip().endswith("| The story starts here and goes on.")


def test_markdown_quotation_before_the_chapters_is_their_epigraph():
    """`# Title`, a one-line quotation (the work's motto or the line crediting the world it
    borrows), then `##` chapters: the quotation heads the first chapter as its epigraph,
    it is no untitled chapter of its own. Alone before one chapter's text it stays put."""
    from ficbook.model import Epigraph
    from ficbook.text import block_text

    text = ("# Записки смотрителя\n\n> Рассказ по мотивам старой морской песни.\n\n"
            "## Заметка №1\n\nВетер дул с утра, и маяк скрипел всеми ступенями.\n\n"
            "## Заметка №2\n\nК вечеру пришла лодка с хлебом и письмами.\n")
    story = convert("clockmakers-cat.md", text.encode(), as_name="zapiski.md").story
    assert [c.title for c in story.chapters] == ["Заметка №1", "Заметка №2"]
    first = story.chapters[0].blocks[0]
    assert isinstance(first, Epigraph)
    assert block_text(first).strip() == "Рассказ по мотивам старой морской песни."
    one = text.split("## Заметка №2")[0]
    story = convert("clockmakers-cat.md", one.encode(), as_name="zapiski.md").story
    assert not any(isinstance(b, Epigraph) and "песни" in block_text(b)
                   for c in story.chapters[1:] for b in c.blocks)
    long_quote = text.replace("старой морской песни.", "старой морской песни. " + "Слово " * 90)
    story = convert("clockmakers-cat.md", long_quote.encode(), as_name="zapiski.md").story
    assert [c.title for c in story.chapters] == [None, "Заметка №1", "Заметка №2"]
