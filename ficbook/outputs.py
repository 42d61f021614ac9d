"""Where books are written: the book for a recipe and its copies for devices. One
definition, used by the build, the batch records, sideloading and the cover preview."""

from __future__ import annotations

from pathlib import Path

# The copies a book can have beside it, by device format.
KEPUB_SUFFIX = ".kepub.epub"  # Kobo's own engine
AZW3_SUFFIX = ".azw3"  # Kindle (made with calibre)


def output_path(recipe_path: Path, out_dir: Path | None) -> Path:
    """`--out DIR`, else `build/` beside the recipes' folder (recipes/x.yaml -> build/x.epub)."""
    folder = out_dir if out_dir is not None else recipe_path.resolve().parent.parent / "build"
    return folder / f"{recipe_path.stem}.epub"


def kepub_path(book: Path) -> Path:
    return book.with_name((book_stem(book) or book.stem) + KEPUB_SUFFIX)


def azw3_path(book: Path) -> Path:
    return book.with_name((book_stem(book) or book.stem) + AZW3_SUFFIX)


def book_stem(book: Path) -> str | None:
    """NAME for NAME.epub, NAME.kepub.epub and NAME.azw3 alike; None for other files."""
    name = book.name
    for suffix in (KEPUB_SUFFIX, AZW3_SUFFIX, ".epub"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return None
