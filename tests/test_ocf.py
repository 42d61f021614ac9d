"""The container writer: what zipfile (and so every reader) sees in the zips it writes."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficbook.epub.ocf import Entry, should_compress, write_zip

STAMP = (2024, 5, 1, 0, 0, 0)


def read_back(data: bytes) -> zipfile.ZipFile:
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.testzip() is None  # every CRC checked against the inflated bytes
    return zf


def test_entries_come_back_in_order_with_their_bytes_and_methods():
    text = ("<p>Spike said “no”.</p>\n" * 500).encode()
    entries = [Entry("mimetype", b"application/epub+zip", compress=False),
               Entry("META-INF/container.xml", b"<container/>"),
               Entry("epub/text/ch1.xhtml", text),
               Entry("epub/images/cover.jpg", b"\xff\xd8" + bytes(range(256)) * 4, compress=False)]
    zf = read_back(write_zip(entries, STAMP))
    assert [i.filename for i in zf.infolist()] == [e.name for e in entries]
    for entry, info in zip(entries, zf.infolist()):
        assert zf.read(info) == entry.data
        assert info.compress_type == (zipfile.ZIP_DEFLATED if entry.compress else zipfile.ZIP_STORED)
        assert info.date_time == STAMP
        assert info.external_attr >> 16 == 0o100644
    assert zf.getinfo("epub/text/ch1.xhtml").compress_size < len(text) // 10


def test_mimetype_is_first_stored_and_at_offset_30_as_ocf_requires():
    data = write_zip([Entry("mimetype", b"application/epub+zip", compress=False),
                      Entry("a.xhtml", b"<html/>")], STAMP)
    assert data[:4] == b"PK\x03\x04"
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"


def test_same_entries_same_bytes_and_dates_before_1980_clamped():
    entries = [Entry("a.txt", b"x" * 1000), Entry("b.txt", b"")]
    assert write_zip(entries, STAMP) == write_zip(entries, STAMP)
    assert read_back(write_zip(entries, (1970, 1, 1, 0, 0, 0))).infolist()[0].date_time[0] == 1980


def test_utf8_names_are_flagged_and_read_back():
    zf = read_back(write_zip([Entry("epub/text/café.xhtml", b"<p/>")], STAMP))
    assert zf.namelist() == ["epub/text/café.xhtml"]
    assert zf.infolist()[0].flag_bits & 0x800


def test_a_duplicate_name_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        write_zip([Entry("a", b"1"), Entry("a", b"2")], STAMP)


def test_images_and_mimetype_are_stored_text_compressed():
    assert not should_compress("mimetype")
    assert not should_compress("epub/images/cover.JPG")
    assert should_compress("epub/text/ch1.xhtml") and should_compress("epub/styles/book.css")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
                          st.binary(max_size=3000), st.booleans()),
                max_size=8, unique_by=lambda t: t[0]))
def test_any_entries_round_trip(items):
    entries = [Entry(name, data, compress) for name, data, compress in items]
    zf = read_back(write_zip(entries, STAMP))
    assert [(i.filename, zf.read(i)) for i in zf.infolist()] == [(e.name, e.data) for e in entries]


def test_an_entry_may_carry_its_own_date():
    zf = read_back(write_zip([Entry("a", b"1"), Entry("b", b"2", date_time=(2001, 2, 3, 4, 5, 6))], STAMP))
    assert [i.date_time for i in zf.infolist()] == [STAMP, (2001, 2, 3, 4, 5, 6)]
