"""A real OPDS client browses `ficbook serve`: foliate-js's OPDS module (the code of the
Foliate reader, from npm) in Debian's Chromium, driven by Playwright. It follows a
navigation link, searches through OpenSearch and downloads a book byte-identical."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from ficbook.build import BuildOptions, build
from ficbook.delivery.serve import Settings, make_server
from tests.conftest import RECIPES

CLIENT = Path(__file__).parent / "client"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags a closed network needs: no background connections Chromium would try to make.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the OPDS client test must run in CI: {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def foliate() -> Path:
    module = CLIENT / "node_modules" / "foliate-js" / "opds.js"
    if not module.is_file():
        if not shutil.which("npm"):
            _missing("npm is not installed (it brings foliate-js)")
        run = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(CLIENT)],
                             capture_output=True, text=True, timeout=300)
        if run.returncode != 0 or not module.is_file():
            _missing(f"npm could not install foliate-js: {run.stderr.strip()[-300:]}")
    return module.parent


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    root = tmp_path_factory.mktemp("client-library")
    for name in ("spuffy", "bangel", "everything"):
        build(RECIPES / f"{name}.yaml", BuildOptions(out_dir=root))
    srv = make_server("127.0.0.1", 0, Settings(root, log=False))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", root
    srv.shutdown()
    srv.server_close()


def test_foliate_browses_searches_and_downloads(foliate, catalog):
    if CHROMIUM is None:
        _missing("Chromium is not installed (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    base, root = catalog
    files = {"/__client/browse.js": CLIENT / "browse.js",
             "/__client/foliate-js/opds.js": foliate / "opds.js",
             "/__client/foliate-js/uri-template.js": foliate / "uri-template.js"}
    page_html = b"<!DOCTYPE html><title>client</title>"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()

            def client_files(route):  # the client's own code, from the same origin
                path = route.request.url.removeprefix(base)
                if path == "/__client/":
                    return route.fulfill(body=page_html, content_type="text/html")
                if path in files:
                    return route.fulfill(body=files[path].read_bytes(),
                                         content_type="text/javascript")
                return route.fulfill(status=404, body=b"")

            page.route(f"{base}/__client/**", client_files)
            page.goto(f"{base}/__client/")
            result = page.evaluate("""async () => {
                const { browse } = await import('/__client/browse.js')
                return await browse({ root: '/opds', navigate: 'By series', terms: 'sunnydale' })
            }""")
        finally:
            browser.close()

    assert result["title"] == "ficbook library"
    assert result["navigation"] == ["Newest first", "By series", "By author", "By editor"]
    assert result["group"] == "Buffyverse Sampler"
    assert [b["title"] for b in result["books"]] == [
        "Ashes and Embers", "Forever Is a Long Time", "The Sunnydale Shelf"]  # by series index
    assert result["books"][1]["authors"] == ["Singing Violin"]
    assert all(b["images"] == ["image/jpeg", "image/jpeg"] for b in result["books"])
    assert result["found"] == ["The Sunnydale Shelf"]
    assert result["searchUrl"] == f"{base}/opds/search?q=sunnydale"
    downloaded = base64.b64decode(result["book"])
    assert downloaded == (root / "everything.epub").read_bytes()
    assert result["bookUrl"] == f"{base}/books/everything.epub"
