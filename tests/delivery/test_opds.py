"""The OPDS catalog: served (`ficbook serve`) and static (`ficbook opds`). Every feed
validates against the OPDS 1.2 RELAX NG schema; sizes and dates are exact; paging,
search, covers; nothing outside the library is served."""

from __future__ import annotations

import base64
import os
import shutil
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import etree
from typer.testing import CliRunner

from ficbook.build import BuildOptions, build
from ficbook.cli.app import app
from ficbook.delivery.serve import Settings, make_server
from ficbook.delivery.static import write_catalog
from tests.conftest import RECIPES
from tests.delivery.opdscheck import assert_valid_opds

NS = {"a": "http://www.w3.org/2005/Atom"}
FEED_TYPE = "application/atom+xml"


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The three sample books with their Kobo copies, in a folder with things that are
    not books (records, a text file) and a subfolder."""
    root = tmp_path_factory.mktemp("library")
    for name in ("spuffy", "bangel", "everything"):
        build(RECIPES / f"{name}.yaml", BuildOptions(out_dir=root, kepub=name != "bangel"))
    (root / "shelf").mkdir()
    shutil.move(root / "bangel.epub", root / "shelf" / "bangel.epub")
    (root / "notes.txt").write_text("not a book\n")
    times = {"spuffy.epub": 1_700_000_000, "shelf/bangel.epub": 1_700_100_000,
             "everything.epub": 1_700_200_000}
    for rel, t in times.items():
        os.utime(root / rel, (t, t))
    return root


@pytest.fixture(scope="module")
def server(library):
    srv = make_server("127.0.0.1", 0, Settings(library, page_size=2, log=False))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def get(url: str, auth: str | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def crawl(start: str) -> dict[str, bytes]:
    """Every feed reachable from `start` by navigation, paging and search links."""
    seen: dict[str, bytes] = {}
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        status, headers, body = get(url)
        assert status == 200, url
        assert headers["Content-Type"].startswith(FEED_TYPE + ";profile=opds-catalog"), url
        seen[url] = body
        for link in etree.fromstring(body).iterfind(".//a:link", NS):
            if (link.get("type") or "").startswith(FEED_TYPE):
                todo.append(urljoin(url, link.get("href")))
    return seen


def test_every_served_feed_is_valid_opds(server, tmp_path):
    feeds = crawl(server + "/opds")
    feeds[server + "/opds/search?q=buffy"] = get(server + "/opds/search?q=buffy")[2]
    feeds[server + "/opds/search?q=buffy&page=2"] = get(server + "/opds/search?q=buffy&page=2")[2]
    names = {u.rsplit("/", 1)[1] for u in feeds}
    assert {"opds", "new.xml", "new-2.xml", "series.xml", "authors.xml", "editors.xml"} <= names
    assert any(n.startswith("series-") for n in names) and any(n.startswith("author-") for n in names)
    files = []
    for i, body in enumerate(feeds.values()):
        files.append(tmp_path / f"feed{i}.xml")
        files[-1].write_bytes(body)
    assert_valid_opds(files)


def test_the_root_navigates_by_series_author_editor_and_newest(server):
    root = etree.fromstring(get(server + "/opds")[2])
    titles = [e.findtext("a:title", namespaces=NS) for e in root.iterfind("a:entry", NS)]
    assert titles == ["Newest first", "By series", "By author", "By editor"]
    search = root.find("a:link[@rel='search']", NS)
    assert search.get("type") == "application/opensearchdescription+xml"
    status, headers, body = get(urljoin(server + "/opds", search.get("href")))
    assert status == 200 and b"{searchTerms}" in body


def entries(body: bytes) -> list:
    return etree.fromstring(body).findall("a:entry", NS)


def test_newest_first_with_paging_exact_sizes_and_dates(server, library):
    first = etree.fromstring(get(server + "/opds/new.xml")[2])
    nxt = first.find("a:link[@rel='next']", NS).get("href")
    second = etree.fromstring(get(urljoin(server + "/opds/new.xml", nxt))[2])
    assert second.find("a:link[@rel='next']", NS) is None
    assert second.find("a:link[@rel='previous']", NS) is not None
    books = first.findall("a:entry", NS) + second.findall("a:entry", NS)
    assert [b.findtext("a:title", namespaces=NS) for b in books] == [
        "The Sunnydale Shelf", "Forever Is a Long Time", "Ashes and Embers"]
    for book in books:
        links = {link.get("type"): link for link in book.iterfind("a:link", NS)}
        epub = links["application/epub+zip"]
        path = library / epub.get("href").removeprefix("/books/")
        assert int(epub.get("length")) == path.stat().st_size
        when = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
        assert book.findtext("a:updated", namespaces=NS) == when.strftime("%Y-%m-%dT%H:%M:%SZ")
        # the book's dc:date as written: the recipe's day at noon UTC (calibre keeps the day)
        assert book.findtext("{http://purl.org/dc/terms/}issued") == "2024-05-01T12:00:00Z"
        assert links["image/jpeg"] is not None
        rels = {link.get("rel") for link in book.iterfind("a:link", NS)}
        assert {"http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"} <= rels
    kobo = [b for b in books if any(link.get("type") == "application/kepub+zip"
                                    for link in b.iterfind("a:link", NS))]
    assert len(kobo) == 2  # bangel was built without --kepub


def test_books_covers_and_thumbnails_download(server, library):
    feed = etree.fromstring(get(server + "/opds/new.xml")[2])
    book = feed.find("a:entry", NS)
    for link in book.iterfind("a:link", NS):
        status, headers, body = get(urljoin(server + "/opds/new.xml", link.get("href")))
        assert status == 200, link.get("href")
        assert headers["Content-Type"] == link.get("type")
        if link.get("length"):
            assert len(body) == int(link.get("length"))
    status, headers, body = get(server + "/books/everything.epub")
    assert body == (library / "everything.epub").read_bytes()
    assert headers["Content-Type"] == "application/epub+zip"


def test_search_finds_by_title_author_and_series_folding_case(server):
    def titles(q: str) -> list[str]:
        status, _, body = get(server + "/opds/search?q=" + q)
        return [e.findtext("a:title", namespaces=NS) for e in entries(body)] if status == 200 else []
    assert titles("SUNNYDALE") == ["The Sunnydale Shelf"]
    assert titles("singing%20violin") == ["The Sunnydale Shelf", "Forever Is a Long Time"]
    assert titles("no-such-thing") == []


@pytest.mark.parametrize("path", [
    "/books/../../../etc/passwd", "/books/%2e%2e/%2e%2e/etc/passwd", "/books/..%2fnotes.txt",
    "/books/notes.txt", "/notes.txt", "/books/", "/books/shelf/", "/books//etc/passwd",
    "/books/.ficbook-cache/spuffy.json", "/opds/../notes.txt", "/opds/%2e%2e/notes.txt",
    "/opds/covers/../../notes.txt", "/etc/passwd", "/shelf/", "/books/shelf",
    "/books/spuffy.epub/../notes.txt",
])
def test_nothing_outside_the_catalog_is_served(server, library, path):
    import http.client
    conn = http.client.HTTPConnection(server.removeprefix("http://"), timeout=10)
    conn.request("GET", path)  # sent as written, not normalised by a client
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 404, path
    assert b"not a book" not in body and b"root:" not in body


def test_a_link_out_of_the_library_is_not_a_book(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    build(RECIPES / "spuffy.yaml", BuildOptions(out_dir=outside))
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "linked.epub").symlink_to(outside / "spuffy.epub")
    srv = make_server("127.0.0.1", 0, Settings(lib, log=False))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        assert entries(get(url + "/opds/new.xml")[2]) == []
        assert get(url + "/books/linked.epub")[0] == 404
    finally:
        srv.shutdown()
        srv.server_close()


def test_basic_authentication(library):
    srv = make_server("127.0.0.1", 0, Settings(library, user="reader", password="s3cret", log=False))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        status, headers, _ = get(url + "/opds")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
        assert get(url + "/books/spuffy.epub", "reader:wrong")[0] == 401
        assert get(url + "/opds", "reader:s3cret")[0] == 200
        assert get(url + "/books/spuffy.epub", "reader:s3cret")[0] == 200
    finally:
        srv.shutdown()
        srv.server_close()


def test_html_page_lists_the_books(server):
    status, headers, body = get(server + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    for title in ("Ashes and Embers", "Forever Is a Long Time", "The Sunnydale Shelf"):
        assert title in page
    assert 'href="/books/shelf/bangel.epub"' in page and "/opds" in page


def test_static_catalog_is_the_same_catalog_and_valid(library, tmp_path):
    copy = tmp_path / "lib"
    shutil.copytree(library, copy)
    written = write_catalog(copy, page_size=2)
    feeds = [p for p in written if p.suffix == ".xml"]
    assert_valid_opds(feeds)
    assert (copy / "opds" / "index.xml") in feeds and (copy / "index.html") in written
    for feed in feeds:  # every relative link leads to a file that is there
        for link in etree.parse(str(feed)).iterfind(".//a:link", NS):
            if link.get("rel") in ("search",):
                continue
            target = (feed.parent / link.get("href").replace("%20", " ")).resolve()
            assert target.is_file(), (feed.name, link.get("href"))
    index = etree.parse(str(copy / "opds" / "index.xml")).getroot()
    assert index.find("a:link[@rel='search']", NS) is None  # no server, no search
    # Rewriting after a book is removed drops its feeds and pictures, nothing else.
    (copy / "shelf" / "bangel.epub").unlink()
    again = write_catalog(copy, page_size=2)
    thumbs = set((copy / "opds" / "thumbs").iterdir())
    assert len(thumbs) == 2 and thumbs == {p for p in again if p.parent.name == "thumbs"}
    assert {p for p in (copy / "opds").glob("*.xml")} == {p for p in again if p.suffix == ".xml"}
    assert (copy / "notes.txt").read_text() == "not a book\n"


def test_cli_opds_and_build_opds(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(RECIPES / "spuffy.yaml"), "--out", str(tmp_path),
                                 "--jobs", "1", "--quiet", "--opds"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "opds" / "index.xml").is_file()
    assert "Ashes and Embers" in (tmp_path / "index.html").read_text()
    result = runner.invoke(app, ["opds", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not a folder" in result.output
