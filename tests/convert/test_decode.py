"""Decoding: BOMs, UTF-16 without a BOM, cp1252 with CRLF, mojibake, binary files."""

from __future__ import annotations

import codecs

import pytest

from ficbook.errors import StoryError
from ficbook.readers.decode import decode
from tests.convert.helpers import run

TEXT = "“Hi,” she said — it’s the café.\nNaïve façade, ’90s.\n"


def dec(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    text, used, _ = decode(data, "s.txt", encoding)
    return text, used


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks(codec: str) -> None:
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert dec(data)[0] == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text(codec: str) -> None:
    assert dec(TEXT.encode(codec)) == (TEXT, codec)


def test_cp1252_with_crlf() -> None:
    text, used = dec(TEXT.replace("\n", "\r\n").encode("cp1252"))
    assert (text, used) == (TEXT, "cp1252")


def test_latin1_in_recipe_reads_as_cp1252() -> None:
    data = "“Quoted” in a latin-1 file".encode("cp1252")
    assert dec(data, "latin-1") == ("“Quoted” in a latin-1 file", "cp1252")


def test_cp1251_guessed() -> None:
    text = "Привет, мир! Как дела? Всё хорошо, спасибо. Она улыбнулась.\n"
    assert dec(text.encode("cp1251")) == (text, "cp1251")


def test_mojibake_repaired_quotes_stay_curly() -> None:
    broken = TEXT.encode("utf-8").decode("cp1252", errors="ignore")
    # the C1 byte 0x9D has no cp1252 character; ftfy still mends the rest
    text, _, diags = decode(broken.encode("utf-8"), "s.txt")
    assert "café" in text and "’90s" in text and "Naïve" in text
    assert "â€" not in text
    assert any(d.code == "mojibake" for d in diags)


def test_mojibake_rule_can_be_switched_off() -> None:
    broken = "itâ€™s".encode()
    text, _, _ = decode(broken, "s.txt", mojibake=False)
    assert text == "itâ€™s"


def test_line_ends_and_forbidden_characters() -> None:
    text, _ = dec("one\rtwo\x85three\u2028four\r\nfive\x00\x07\x1b six\u2060\ufffe".encode("utf-8"))
    assert text == "one\ntwo\nthree\nfour\nfive six"


def test_nbsp_lines_are_blank() -> None:
    story = run("One paragraph.\n\u00a0\u00a0\u00a0\nTwo paragraph.\n").story
    assert len(story.chapters[0].blocks) == 2


@pytest.mark.parametrize("data,what", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
    (b"%PDF-1.4\n", "PDF"),
    (b"\x00\x01\x02\x03\xff\xfe\x00\x00garbage\x00\x00\x00\x01", "binary"),
])
def test_binary_files_are_refused(data: bytes, what: str) -> None:
    with pytest.raises(StoryError, match="not a text file") as exc:
        decode(data, "renamed.txt")
    assert exc.value.file == "renamed.txt"


def test_bad_recipe_encoding_is_a_clear_error() -> None:
    with pytest.raises(StoryError, match="unknown encoding"):
        decode(b"caf\xe9", "s.txt", "no-such-codec")


def test_empty_after_decoding() -> None:
    with pytest.raises(StoryError, match="no text"):
        decode("\u00a0\n\x00\n".encode("utf-8"), "s.txt")


def test_mostly_utf8_with_cp1252_lines() -> None:
    lines = ["Buffy’s line is UTF-8 — “quoted”.", "Willow’s line is cp1252 — “quoted”.",
             "Xander’s café line is UTF-8.", "Giles’s naïve line is cp1252."]
    data = b"\n".join(ln.encode("utf-8" if i % 2 == 0 else "cp1252") for i, ln in enumerate(lines))
    text, used, diags = decode(data, "mixed.txt")
    assert text == "\n".join(lines)
    assert used == "utf-8+cp1252"
    assert any("2 lines in cp1252" in d.message for d in diags)
