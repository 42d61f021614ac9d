"""What a browser sees at the catalog's root: one plain HTML page of the books, newest
first, with covers and download links; and the cover thumbnails both use."""

from __future__ import annotations

import io
from html import escape

from ficbook.delivery.library import Entry
from ficbook.delivery.opds import Site, thumbnail_name

THUMB_SIZE = (240, 384)

_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 48em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
p.opds { margin-top: 0; color: #555; }
ul.books { list-style: none; padding: 0; }
li.book { display: flex; gap: 1em; padding: 0.8em 0; border-top: 1px solid #ddd; }
li.book img { width: 80px; height: auto; box-shadow: 0 1px 3px #888; }
li.book .blank { width: 80px; height: 128px; background: #eee; }
h2 { font-size: 1.1em; margin: 0 0 0.2em; }
.meta { color: #555; font-size: 0.9em; margin: 0.2em 0; }
a.get { display: inline-block; margin-right: 0.8em; }
"""


def index_html(entries: list[Entry], site: Site, title: str, opds_href: str) -> bytes:
    rows = []
    for e in entries:
        thumb = thumbnail_name(e)
        picture = (f'<img src="{escape(site.image(thumb))}" alt="">' if thumb
                   else '<div class="blank"></div>')
        people = []
        if e.authors:
            people.append("by " + ", ".join(e.authors))
        if e.editors:
            people.append("edited by " + ", ".join(e.editors))
        facts = []
        if e.series:
            facts.append(e.series + (f" {e.series_index}" if e.series_index else ""))
        if e.published:
            facts.append(e.published)
        facts.append(f"{e.size / 1e6:.1f} MB")
        links = [f'<a class="get" href="{escape(site.book(e.path))}" download>EPUB</a>']
        if e.kepub:
            links.append(f'<a class="get" href="{escape(site.book(e.kepub))}" download>Kobo KEPUB</a>')
        summary = f'<p class="meta">{escape(e.description)}</p>' if e.description else ""
        rows.append(
            f'<li class="book">{picture}<div><h2>{escape(e.title)}</h2>'
            f'<p class="meta">{escape("; ".join(people))}</p>'
            f'<p class="meta">{escape(" · ".join(facts))}</p>{summary}'
            f'<p>{" ".join(links)}</p></div></li>')
    count = f"{len(entries)} book{'s' * (len(entries) != 1)}"
    body = "\n".join(rows) or "<li>No books yet: build some with <code>ficbook build</code>.</li>"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(title)}</h1>"
            f'<p class="opds">{count}. E-readers: add the OPDS catalog '
            f'<a href="{escape(opds_href)}">{escape(opds_href)}</a> '
            f"(KOReader, PocketBook, Thorium, KyBook).</p>"
            f'<ul class="books">\n{body}\n</ul></body></html>\n').encode()


def thumbnail(cover: bytes) -> bytes | None:
    """A JPEG small enough for a list of books; None for a picture Pillow cannot read."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 50_000_000
    try:
        with Image.open(io.BytesIO(cover)) as im:
            im.draft("RGB", THUMB_SIZE)
            rgb = im.convert("RGB")
            rgb.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
