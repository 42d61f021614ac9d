"""`ficbook new`: a starting recipe from what you have, a folder of story files or a
calibre library search. What each story says of itself (title, author, rating, summary,
series, date, as `inspect` finds them) is written as comments the user can uncomment and
edit; the stories are in series order where their files or calibre say so, then by date.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ficbook.errors import OutputError, StoryError

# The files the readers take (text, saved pages, EPUBs and the other formats they know).
STORY_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".epub", ".md", ".markdown",
                  ".docx", ".odt", ".fb2"}
_SERIES = re.compile(r"^(?P<name>.*?)\s*\[(?P<index>\d+(?:\.\d+)?)\]\s*$")


@dataclass(frozen=True)
class Found:
    path: Path
    title: str | None = None
    author: str | None = None
    rating: str | None = None
    summary: str | None = None
    series: str | None = None
    series_index: float | None = None
    date: str | None = None
    problem: str | None = None  # the file could not be read: said in a comment


def recipe_path(name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.suffix.lower() in (".yaml", ".yml") else path.with_name(path.name + ".yaml")


def write_new(target: Path, text: str) -> None:
    """Never overwrites: an existing recipe is the user's work."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise OutputError("a recipe with this name already exists; `ficbook new` never "
                          "overwrites one (choose another name or delete it)", file=str(target)) from None


def scan_folder(folder: Path) -> list[Found]:
    if not folder.is_dir():
        raise StoryError("not a folder", file=str(folder))
    if (folder / "metadata.db").is_file():
        raise StoryError("a calibre library: use --calibre (and --search)", file=str(folder))
    libraries = [p.parent for p in folder.rglob("metadata.db")]  # calibre's: not loose stories
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in STORY_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                   and not any(lib in p.parents for lib in libraries))
    if not files:
        raise StoryError("no story files (text, HTML, EPUB…) in this folder", file=str(folder))
    return order([inspect_file(p) for p in files])


def inspect_file(path: Path) -> Found:
    from ficbook.convert import ConvertOptions
    from ficbook.errors import FicbookError
    from ficbook.readers import read_story
    from ficbook.readers.source import read_source
    from ficbook.text import block_text

    try:
        story = read_story(read_source(path), ConvertOptions()).story
    except FicbookError as exc:
        return Found(path, problem=exc.message)
    m = story.meta
    summary = " ".join(" ".join(block_text(b).split()) for b in story.summary) or None
    name, index = m.series, None
    match = _SERIES.match(m.series or "")
    if match:
        name, index = match["name"], float(match["index"])
    return Found(path, m.title if m.title and m.title != "Untitled" else None,
                 " & ".join(m.authors) or None, m.rating, summary, name, index,
                 (m.published or "")[:10] or None)


def order(found: list[Found]) -> list[Found]:
    """Each series in its index order (series placed by their first work's date), then the
    rest by date, then by file name: as calibre's `sort: series`."""
    first_date: dict[str, str] = {}
    for f in found:
        if f.series:
            name = f.series.casefold()
            first_date[name] = min(first_date.get(name, "9999"), f.date or "9999")

    def key(f: Found) -> tuple:
        if f.series:
            s = f.series.casefold()
            return (0, first_date[s], s, f.series_index or 0, f.date or "9999", str(f.path))
        return (1, f.date or "9999", "", 0, "", str(f.path))

    return sorted(found, key=key)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _head(title: str, origin: str) -> list[str]:
    return [f"# Made by `ficbook new` from {origin}. What each story says of itself is",
            "# written as comments: uncomment a line to set it (or to override it).",
            f"title: {_q(title)}", "language: en"]


def folder_recipe(title: str, target: Path, found: list[Found], folder: Path) -> str:
    lines = _head(title, str(folder)) + ["stories:"]
    base = target.resolve().parent
    for f in found:
        lines.append(f"  - path: {_q(_relative(f.path, base))}")
        if f.problem:
            lines.append(f"    # could not read it: {f.problem}")
            continue
        lines += [f"    # {key}: {_q(value)}" for key, value in (
            ("title", f.title), ("author", f.author), ("rating", f.rating),
            ("summary", f.summary)) if value]
        about = ", ".join(x for x in (_series(f.series, f.series_index), f.date) if x)
        if about:
            lines.append(f"    # ({about})")
    return "\n".join(lines) + "\n"


def _relative(path: Path, base: Path) -> str:
    """Relative to the recipe, as recipes are written; absolute when they share no folder."""
    path = path.resolve()
    return str(path) if os.path.commonpath([path, base]) == os.sep else os.path.relpath(path, base)


def _series(name: str | None, index: float | None) -> str | None:
    if not name:
        return None
    return f"series {name}" + (f" [{index:g}]" if index is not None else "")


def calibre_recipe(title: str, target: Path, library: Path, search: str | None, sort: str) -> str:
    from ficbook.sources.calibre import find_books, plain_text

    books = find_books(library, search, sort=sort)
    if not books:
        raise StoryError("the calibre search found no book", file=str(library))
    base = target.resolve().parent
    lines = _head(title, f"the calibre library {library}") + [
        "calibre:", f"  library: {_q(_relative(library, base))}"]
    if search:
        lines.append(f"  search: {_q(search)}")
    lines += [f"  sort: {sort}",
              "  # books:  # by calibre id: the recipe's word over calibre's (uncomment to use)"]
    for b in books:
        values = {"title": b.title, "author": " & ".join(b.authors) or None,
                  "summary": plain_text(b.comments)}
        inner = ", ".join(f"{k}: {_q(v)}" for k, v in values.items() if v)
        about = ", ".join(x for x in (_series(b.series, b.series_index), b.date,
                                      None if b.epub else "no EPUB: left out") if x)
        lines.append(f"  #   {b.id}: {{{inner}}}" + (f"  # {about}" if about else ""))
    return "\n".join(lines) + "\n"
