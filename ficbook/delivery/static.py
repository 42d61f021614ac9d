"""`ficbook opds FOLDER` and `ficbook build --opds`: the catalog written as static files,
for any web server: FOLDER/index.html and FOLDER/opds/ (feeds, covers, thumbnails), every
link relative, so the folder can be served from any address. Rewriting replaces what an
earlier run wrote in opds/ and leaves every other file alone."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from ficbook.delivery import opds
from ficbook.delivery.library import Library
from ficbook.delivery.pages import index_html, thumbnail

# The HTML page sits at the library's root, beside the books.
_PAGE = opds.Site(feed=lambda n: f"opds/{n}", book=quote, image=lambda n: f"opds/{n}")


def write_catalog(folder: Path, title: str = "ficbook library",
                  page_size: int = opds.PAGE_SIZE) -> list[Path]:
    """Write the catalog; returns the files written (feeds, pictures, the page)."""
    library = Library(folder)
    entries = library.entries()
    catalog = opds.Catalog(entries, opds.STATIC, title, page_size)
    out = folder / "opds"
    files: dict[Path, bytes] = {}
    for name in catalog.names():
        feed = catalog.feed(name)
        if feed is not None:
            files[out / name] = feed
    for e in entries:
        cover, cover_name, thumb_name = library.cover(e), opds.cover_name(e), opds.thumbnail_name(e)
        if cover is None or cover_name is None or thumb_name is None:
            continue
        files[out / cover_name] = cover
        small = thumbnail(cover)
        if small is not None:
            files[out / thumb_name] = small
    files[folder / "index.html"] = index_html(entries, _PAGE, title, "opds/index.xml")
    for path, data in files.items():
        _write(path, data)
    _sweep(out, set(files))
    return sorted(files)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_bytes() == data:
            return  # unchanged: keep its time, so web caches keep theirs
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _sweep(out: Path, keep: set[Path]) -> None:
    """Feeds and pictures of books no longer in the library go."""
    for sub in (out, out / "covers", out / "thumbs"):
        if not sub.is_dir():
            continue
        for path in sub.iterdir():
            if path.is_file() and path not in keep and path.suffix in (".xml", ".jpg", ".png",
                                                                       ".gif", ".webp"):
                path.unlink()
