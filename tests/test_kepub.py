"""The KEPUB follows kepubify's rules (pgaskin/kepubify kepub/transform.go) and stays valid EPUB."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ficbook.build import BuildOptions, build
from ficbook.devices.kepub import KOBO_STYLE, kepubify, kepubify_xhtml
from tests.bookcheck import NS, Book, build_rich, link_problems
from tests.conftest import RECIPES

KOBO_ID = re.compile(r"^kobo\.(\d+)\.(\d+)$")


@pytest.fixture(scope="module")
def kepubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("kepub")
    result = build(RECIPES / "everything.yaml", BuildOptions(out_dir=out, kepub=True))
    rich, _ = build_rich(out, "appendix", "credits")
    rich_kepub = out / "rich.kepub.epub"
    rich_kepub.write_bytes(kepubify(rich.read_bytes()))
    return {"everything": (result.output, out / "everything.kepub.epub"),
            "rich": (rich, rich_kepub)}


# EPUBCheck runs on these KEPUBs in tests/test_devices.py, with every other device book.


def test_build_writes_the_kepub_beside_the_book(kepubs) -> None:
    epub, kepub = kepubs["everything"]
    assert kepub.name == "everything.kepub.epub" and kepub.parent == epub.parent
    names = zipfile.ZipFile(kepub).namelist()
    assert names == zipfile.ZipFile(epub).namelist()
    assert names[0] == "mimetype"
    assert zipfile.ZipFile(kepub).getinfo("mimetype").compress_type == zipfile.ZIP_STORED


def _content_docs(book: Book) -> list[str]:
    return [book.path(i.get("href")) for i in book.items.values()
            if i.get("media-type") == "application/xhtml+xml"
            and "nav" not in (i.get("properties") or "")]


@pytest.mark.parametrize("name", ["everything", "rich"])
def test_every_content_document_follows_kepubify_rules(kepubs, name: str) -> None:
    epub, kepub = (Book(p) for p in kepubs[name])
    docs = _content_docs(kepub)
    assert docs
    for path in docs:
        root = kepub.doc(path)
        styles = root.findall("x:head/x:style[@class='kobostylehacks']", NS)
        assert [s.text for s in styles] == [KOBO_STYLE], path
        assert root.find("x:head", NS)[-1] is styles[0]  # at the end of head
        body = root.find("x:body", NS)
        assert [c.get("id") for c in body] == ["book-columns"], path
        assert [c.get("id") for c in body[0]] == ["book-inner"], path
        # Every piece of text is in a koboSpan; whitespace is too when directly in a <p>.
        for el in body.iter():
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            inside_span = el.get("class") == "koboSpan"
            if el.text and (el.text.strip() or local == "p") and not inside_span:
                pytest.fail(f"{path}: bare text {el.text!r} in <{local}>")
            parent = el.getparent()
            if el.tail and parent is not None and (
                    el.tail.strip() or etree.QName(parent).localname == "p"):
                pytest.fail(f"{path}: bare text {el.tail!r} after <{local}>")
        spans = body.findall(".//x:span[@class='koboSpan']", NS)
        ids = [KOBO_ID.match(s.get("id")) for s in spans]
        assert all(ids), path
        pairs = [(int(m.group(1)), int(m.group(2))) for m in ids]
        # Paragraph numbers never go back; sentences count from 1 within each paragraph.
        for (p0, s0), (p1, s1) in zip([(pairs[0][0], 0)] + pairs, pairs):
            assert (p1 == p0 and s1 == s0 + 1) or (p1 > p0 and s1 == 1), (path, p0, s0, p1, s1)
        assert not any(s.find("x:span", NS) is not None for s in spans), "nested koboSpans"
        for img in body.iter(f"{{{NS['x']}}}img"):
            assert img.getparent().get("class") == "koboSpan", path
        # Not a word lost or added.
        original = epub.doc(path).find("x:body", NS)
        assert "".join(body.itertext()) .split() == "".join(original.itertext()).split()
    assert link_problems(kepub) == []


def test_sentences_are_split_the_way_kobo_does() -> None:
    doc = (b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
           b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>\n'
           b'<h1>Title</h1>\n<p>\xe2\x80\x9cRun!\xe2\x80\x9d she said. Why? Because: this</p>\n'
           b'<p><em>F.</em> G <img src="x.png" alt=""/> H.</p>\n'
           b'<ul><li>One.</li> <li>Two</li></ul></body></html>')
    root = etree.fromstring(kepubify_xhtml(doc))
    spans = [(s.get("id"), s.text if s.text is not None else "<img>")
             for s in root.iter(f"{{{NS['x']}}}span")]
    assert spans == [
        ("kobo.0.1", "Title"),  # text before any paragraph belongs to paragraph 0
        ("kobo.1.1", "\u201cRun!\u201d "), ("kobo.1.2", "she said. "), ("kobo.1.3", "Why? "),
        ("kobo.1.4", "Because: "), ("kobo.1.5", "this"),
        ("kobo.2.1", "F."), ("kobo.2.2", " G "),
        ("kobo.3.1", "<img>"),  # an image is a paragraph of its own
        ("kobo.3.2", " H."),
        ("kobo.4.1", "One."), ("kobo.4.2", "Two"),
    ]


def test_kepubify_is_deterministic_and_idempotent(kepubs) -> None:
    epub, kepub = kepubs["rich"]
    once = kepub.read_bytes()
    assert kepubify(epub.read_bytes()) == once
    assert kepubify(once) == once  # already Kobo markup: left as it is


def test_cover_keeps_its_cover_image_property(kepubs) -> None:
    book = Book(kepubs["everything"][1])
    cover_id = book.opf.find(".//opf:meta[@name='cover']", NS).get("content")
    assert "cover-image" in book.items[cover_id].get("properties").split()


def test_not_an_epub_is_a_clear_error() -> None:
    from ficbook.errors import OutputError

    with pytest.raises(OutputError, match="not a readable EPUB"):
        kepubify(b"not a zip")
