"""`ficbook serve`: the library folder as an OPDS catalog and a plain HTML page, over HTTP.

Only what the catalog lists is served: its feeds, covers, and the books themselves
(matched by their exact path in the catalog, so no `..`, symbolic link or encoded path
reaches anything else, and no folder is ever listed). The standard library's threading
server is enough for a household's readers; optional basic authentication for a shared
network (over plain HTTP, so only on a network you trust).
"""

from __future__ import annotations

import base64
import hmac
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ficbook.delivery import opds
from ficbook.delivery.library import Library
from ficbook.delivery.pages import index_html, thumbnail

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Settings:
    folder: Path
    title: str = "ficbook library"
    user: str | None = None
    password: str | None = None
    page_size: int = opds.PAGE_SIZE
    log: bool = True


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], settings: Settings):
        self.settings = settings
        self.library = Library(settings.folder)
        self.lock = threading.Lock()  # the library's cache is shared by the request threads
        self.thumbs: dict[str, bytes | None] = {}
        super().__init__(address, Handler)

    def catalog(self) -> opds.Catalog:
        with self.lock:
            entries = self.library.entries()
        return opds.Catalog(entries, opds.SERVER, self.settings.title, self.settings.page_size)


def make_server(host: str, port: int, settings: Settings) -> Server:
    return Server((host, port), settings)


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "ficbook"
    sys_version = ""

    def do_GET(self) -> None:  # the names BaseHTTPRequestHandler calls
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:  # the standard library's signature
        if self.server.settings.log:
            super().log_message(format, *args)

    # ------------------------------------------------------------------ routing

    def _answer(self, body: bool) -> None:
        if not self._authorised():
            self._send(HTTPStatus.UNAUTHORIZED, b"login required\n", "text/plain; charset=utf-8",
                       body, {"WWW-Authenticate": 'Basic realm="ficbook", charset="UTF-8"'})
            return
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        catalog = self.server.catalog()
        host, port = self.server.server_address[:2]
        base = f"http://{self.headers.get('Host') or f'{host!s}:{port}'}"
        if path in ("/", "/index.html"):
            html = index_html(catalog.entries, opds.SERVER, catalog.title, base + "/opds")
            return self._send(HTTPStatus.OK, html, "text/html; charset=utf-8", body)
        if path in ("/opds", "/opds/", "/opds/index.xml"):
            return self._feed(catalog.feed("index.xml"), opds.NAVIGATION, body)
        if path == "/opds/search.xml":
            return self._send(HTTPStatus.OK, catalog.opensearch(base),
                              "application/opensearchdescription+xml; charset=utf-8", body)
        if path == "/opds/search":
            terms = (query.get("q") or [""])[0]
            page = _int((query.get("page") or ["1"])[0])
            return self._feed(catalog.search(terms, page) if page else None, opds.ACQUISITION, body)
        if path.startswith("/opds/covers/") or path.startswith("/opds/thumbs/"):
            return self._image(catalog, path[len("/opds/"):], body)
        if path.startswith("/opds/") and "/" not in path[len("/opds/"):]:
            name = path[len("/opds/"):]
            data = catalog.feed(name)
            kind = catalog.kind(name)
            return self._feed(data, kind, body)
        if path.startswith("/books/"):
            return self._book(path[len("/books/"):], body)
        self._not_found(body)

    def _feed(self, data: bytes | None, kind: str, body: bool) -> None:
        if data is None:
            return self._not_found(body)
        self._send(HTTPStatus.OK, data, f"{kind}; charset=utf-8", body)

    def _image(self, catalog: opds.Catalog, name: str, body: bool) -> None:
        for e in catalog.entries:
            if name == opds.cover_name(e):
                with self.server.lock:
                    data = self.server.library.cover(e)
                if data is not None:
                    return self._send(HTTPStatus.OK, data, e.cover_type or "image/jpeg", body)
            if name == opds.thumbnail_name(e):
                key = f"{e.key}:{e.size}:{e.modified.timestamp()}"
                if key not in self.server.thumbs:
                    with self.server.lock:
                        cover = self.server.library.cover(e)
                    self.server.thumbs[key] = thumbnail(cover) if cover else None
                data = self.server.thumbs[key]
                if data is not None:
                    return self._send(HTTPStatus.OK, data, "image/jpeg", body)
        self._not_found(body)

    def _book(self, rel: str, body: bool) -> None:
        with self.server.lock:
            path = self.server.library.file(rel)
        if path is None:
            return self._not_found(body)
        try:
            f = path.open("rb")
        except OSError:
            return self._not_found(body)
        with f:
            size = path.stat().st_size
            kind = opds.KEPUB_TYPE if rel.lower().endswith(".kepub.epub") else opds.EPUB_TYPE
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(size))
            self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
            self.send_header("Content-Disposition", f'attachment; filename="{path.name}"')
            self.end_headers()
            while body and (chunk := f.read(_CHUNK)):
                self.wfile.write(chunk)

    # ------------------------------------------------------------------ helpers

    def _authorised(self) -> bool:
        settings = self.server.settings
        if not settings.user:
            return True
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        ok_user = hmac.compare_digest(user.encode(), settings.user.encode())
        ok_password = hmac.compare_digest(password.encode(), (settings.password or "").encode())
        return ok_user and ok_password

    def _not_found(self, body: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else None
