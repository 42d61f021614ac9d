"""A calibre library as a source of stories: its books, found by a search in calibre's
language or by id, sorted, with calibre's metadata for the story cards.

With calibre installed, `calibredb list --for-machine` answers (calibre's own search).
Without it, `metadata.db` is read read-only (SQLite URI `mode=ro`) from its base tables
only: calibre's views need functions plain SQLite lacks, and a write would fire triggers
that need them too. Nothing is ever written to a library. Both give the same books.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ficbook.errors import Diagnostic, StoryError

if TYPE_CHECKING:
    from ficbook.recipe.schema import CalibreSource, StoryEntry

FIELDS = "title,authors,tags,series,series_index,comments,identifiers,pubdate,formats"


@dataclass(frozen=True)
class LibraryBook:
    """A book of the calibre library, with the metadata a story card uses."""

    id: int
    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]  # sorted, as calibre shows them
    series: str | None
    series_index: float | None
    comments: str | None  # calibre's HTML
    url: str | None  # the `url` identifier FanFicFare stores
    date: str | None  # the publication date, YYYY-MM-DD
    epub: Path | None

    @property
    def series_label(self) -> str | None:
        if not self.series:
            return None
        index = self.series_index
        return self.series if index is None else f"{self.series} [{index:g}]"


def calibredb() -> str | None:
    return shutil.which("calibredb")


def find_books(library: Path, search: str | None = None, ids: list[int] | None = None,
               sort: str = "series", via: str | None = None) -> list[LibraryBook]:
    """The library's books for a search (or these ids, in this order), sorted. `via`:
    "calibredb" or "sqlite"; by default calibredb where installed."""
    if not (library / "metadata.db").is_file():
        raise StoryError("not a calibre library (no metadata.db in it)", file=str(library))
    via = via or ("calibredb" if calibredb() else "sqlite")
    books = _by_calibredb(library, search) if via == "calibredb" else _by_sqlite(library, search)
    if ids:
        found = {b.id: b for b in books}
        missing = [i for i in ids if i not in found]
        if missing:
            raise StoryError(f"no book with id {', '.join(map(str, missing))} in the library",
                             file=str(library))
        return [found[i] for i in ids]
    return sorted(books, key=_SORTS[sort])


_SORTS = {
    # Series first, each in its index order; then the others by date. Ties by id.
    "series": lambda b: (b.series is None, (b.series or "").casefold(), b.series_index or 0,
                         b.date or "", b.id),
    "date": lambda b: (b.date or "", b.id),
    "title": lambda b: (_title_sort(b.title), b.id),
    "id": lambda b: b.id,
}


def _title_sort(title: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", title.casefold())


# ------------------------------------------------------------------ calibredb


def _by_calibredb(library: Path, search: str | None) -> list[LibraryBook]:
    exe = calibredb()
    if exe is None:
        raise StoryError("calibredb is not installed", file=str(library))
    cmd = [exe, "list", "--for-machine", f"--with-library={library}", "--fields", FIELDS,
           "--limit", "1000000"]
    if search:
        cmd += ["--search", search]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StoryError(f"calibredb failed: {exc}", file=str(library)) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise StoryError(f"calibredb failed: {last}", file=str(library))
    try:
        rows = json.loads(done.stdout or "[]")
    except ValueError:
        raise StoryError("calibredb answered something that is not JSON", file=str(library)) from None
    return [_from_calibredb(row) for row in rows]


def _from_calibredb(row: dict) -> LibraryBook:
    epubs = [Path(f) for f in row.get("formats") or () if f.lower().endswith(".epub")]
    series = row.get("series") or None
    return LibraryBook(int(row["id"]), row.get("title") or "", _authors(row.get("authors")),
                tuple(sorted(row.get("tags") or (), key=str.casefold)), series,
                float(row["series_index"]) if series and row.get("series_index") is not None else None,
                row.get("comments") or None, (row.get("identifiers") or {}).get("url"),
                _date(row.get("pubdate")), epubs[0] if epubs else None)


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(value)
    return tuple(a.strip() for a in str(value or "").split(" & ") if a.strip())


def _date(value: object) -> str | None:
    text = str(value or "")
    return text[:10] if re.match(r"\d{4}-\d\d-\d\d", text) and not text.startswith("0101") else None


# ------------------------------------------------------------------ metadata.db


def _by_sqlite(library: Path, search: str | None) -> list[LibraryBook]:
    from ficbook.sources.search import compile_search

    test = compile_search(search) if search else None
    uri = f"file:{quote(str((library / 'metadata.db').resolve()))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StoryError(f"cannot open metadata.db: {exc}", file=str(library)) from None
    try:
        rows, fields = _read_tables(db)
    except sqlite3.Error as exc:
        raise StoryError(f"cannot read metadata.db: {exc}", file=str(library)) from None
    finally:
        db.close()
    books = []
    for book_id, title, path, pubdate, series_index in rows:
        f = fields.get(book_id, {})
        record = {"id": [str(book_id)], "title": [title], **f}
        if test is not None and not test(record):
            continue
        series = _first(f.get("series"))
        name = _first(f.get("epub"))
        books.append(LibraryBook(book_id, title, tuple(f.get("authors", ())),
                          tuple(sorted(f.get("tags", ()), key=str.casefold)), series,
                          float(series_index) if series and series_index is not None else None,
                          _first(f.get("comments")), _first(f.get("url")),
                          _date(pubdate), library / path / f"{name}.epub" if name else None))
    return books


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _read_tables(db: sqlite3.Connection) -> tuple[list[tuple], dict[int, dict[str, list[str]]]]:
    """The books and, per book, each field's values, from calibre's base tables."""
    rows = db.execute("SELECT id, title, path, pubdate, series_index FROM books ORDER BY id").fetchall()
    fields: dict[int, dict[str, list[str]]] = {}

    def add(field: str, query: str) -> None:
        for book, value in db.execute(query):
            if value is not None:
                fields.setdefault(book, {}).setdefault(field, []).append(str(value))

    add("authors", "SELECT l.book, a.name FROM books_authors_link l JOIN authors a ON a.id = l.author "
                   "ORDER BY l.id")
    add("tags", "SELECT l.book, t.name FROM books_tags_link l JOIN tags t ON t.id = l.tag ORDER BY l.id")
    add("series", "SELECT l.book, s.name FROM books_series_link l JOIN series s ON s.id = l.series")
    add("comments", "SELECT book, text FROM comments")
    add("url", "SELECT book, val FROM identifiers WHERE type = 'url'")
    add("epub", "SELECT book, name FROM data WHERE format = 'EPUB' ORDER BY id")
    for num, label, normalized in db.execute(
            "SELECT id, label, normalized FROM custom_columns WHERE mark_for_delete = 0"):
        field = f"#{label}"
        if normalized:
            add(field, f"SELECT l.book, c.value FROM books_custom_column_{int(num)}_link l "
                       f"JOIN custom_column_{int(num)} c ON c.id = l.value")
        else:
            add(field, f"SELECT book, value FROM custom_column_{int(num)}")
    return rows, fields


# ------------------------------------------------------------------ recipe entries


def library_entries(source: CalibreSource, base_dir: Path,
                    recipe: str) -> tuple[list[StoryEntry], list[Path], list[Diagnostic]]:
    """The recipe's `calibre:` source as story entries, the files to watch, and warnings."""
    from ficbook.recipe import StoryEntry

    library = (base_dir / Path(source.library).expanduser()).resolve()
    books = find_books(library, source.search, source.ids or None, source.sort)
    entries: list[StoryEntry] = []
    diagnostics: list[Diagnostic] = []
    for book in books:
        if book.epub is None:
            diagnostics.append(Diagnostic("warning", "calibre-no-epub", f"calibre book {book.id} "
                                          f"({book.title}) has no EPUB: left out", recipe))
            continue
        over = source.books.get(book.id)
        values = {"path": str(book.epub), "title": book.title,
                  "author": " & ".join(book.authors) or None,
                  "summary": plain_text(book.comments), "source": book.url,
                  "tags": list(book.tags), "series": book.series_label}
        if over is not None:
            values.update({k: v for k, v in over.model_dump().items() if v is not None})
        entries.append(StoryEntry.model_validate(values))
    if not entries:
        raise StoryError("the calibre search found no book with an EPUB", file=recipe)
    return entries, [library / "metadata.db"], diagnostics


def plain_text(html: str | None) -> str | None:
    if not html:
        return None
    from bs4 import BeautifulSoup

    text = " ".join(BeautifulSoup(html, "lxml").get_text(" ").split())
    return text or None
