"""One anthology, from recipe to .epub. `build()` reads like the table of contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ficbook.assemble import assemble
from ficbook.convert import ConvertOptions, ConvertResult, convert
from ficbook.cover.render import CoverText, render_cover
from ficbook.errors import Diagnostic
from ficbook.model import Book
from ficbook.package import package, write_atomic
from ficbook.recipe import Recipe, StoryEntry, load_recipe
from ficbook.sources import read_source
from ficbook.xhtml import render


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: build/ beside the recipes' folder
    kepub: bool = False  # also NAME.kepub.epub for Kobo
    azw3: bool = False  # also NAME.azw3 for Kindle (needs calibre's ebook-convert)


@dataclass(frozen=True)
class BuildResult:
    recipe: Path
    output: Path
    stories: int
    words: int
    size: int
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def output_path(recipe_path: Path, out_dir: Path | None) -> Path:
    """`--out DIR`, else `build/` beside the recipes' folder (recipes/x.yaml -> build/x.epub)."""
    folder = out_dir if out_dir is not None else recipe_path.resolve().parent.parent / "build"
    return folder / f"{recipe_path.stem}.epub"


def build(recipe_path: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    recipe = load_recipe(recipe_path)
    results = [convert_story(recipe, entry) for entry in recipe.all_stories]
    book = assemble(recipe, [r.story for r in results])
    cover = make_cover(book, recipe)
    rendition = render(book, cover[2])
    data = package(book, rendition, cover)
    output = output_path(recipe_path, options.out_dir)
    write_atomic(output, data)
    write_device_outputs(output, data, options)
    diagnostics = tuple(d for r in results for d in r.diagnostics)
    return BuildResult(recipe_path, output, len(book.stories),
                       sum(s.story.words for s in book.stories), len(data), diagnostics)


def write_device_outputs(output: Path, data: bytes, options: BuildOptions) -> None:
    if options.kepub:
        from ficbook.kepub import kepubify

        write_atomic(output.with_name(output.stem + ".kepub.epub"), kepubify(data))
    if options.azw3:
        from ficbook.azw3 import convert_azw3

        convert_azw3(output, output.with_suffix(".azw3"))


def convert_story(recipe: Recipe, entry: StoryEntry) -> ConvertResult:
    path = recipe.story_path(entry)
    source = read_source(path, display=_display(path))
    return convert(source, convert_options(recipe, entry))


def convert_options(recipe: Recipe, entry: StoryEntry) -> ConvertOptions:
    rules = {**recipe.rules, **entry.rules}
    return ConvertOptions(encoding=entry.encoding, rules=tuple(sorted(rules.items())),
                          notes_after=entry.notes_after, notes_before=entry.notes_before,
                          language=entry.language)


def make_cover(book: Book, recipe: Recipe) -> tuple[bytes, str, str]:
    m = book.meta
    text = CoverText(title=m.title, subtitle=m.subtitle, editor=m.editor, authors=m.authors,
                     series=m.series, series_index=m.series_index,
                     story_count=len(book.stories))
    data, media_type = render_cover(text, recipe.cover)
    return data, media_type, "cover.jpg" if media_type == "image/jpeg" else "cover.png"


def _display(path: Path) -> str:
    """Paths in messages: relative to the current folder when under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
