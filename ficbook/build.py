"""One anthology, from recipe to .epub. `build()` reads like the table of contents."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from ficbook.assemble import assemble, bind, frame
from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.cover.options import CoverOptions
from ficbook.errors import Diagnostic, OutputError, StoryError
from ficbook.model import Book, Resource, StoryChange
from ficbook.outputs import azw3_path, kepub_path, output_path, write_atomic
from ficbook.pieces import StoryPiece, renumbered, story_piece
from ficbook.readers import read_story
from ficbook.readers.source import read_source
from ficbook.recipe import Recipe, StoryEntry, load_recipe
from ficbook.render import render
from ficbook.sources.resolve import resolve as resolve_sources

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ficbook.cover.text import CoverText

T = TypeVar("T")

__all__ = ["STAGES", "BuildOptions", "BuildResult", "build", "output_path", "write_device_outputs"]

# The stages of one build, in order, as reported to `on_stage`.
STAGES = ("recipe", "convert", "assemble", "cover", "render", "package", "write")


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path | None = None  # default: build/ beside the recipes' folder
    kepub: bool = False  # also NAME.kepub.epub for Kobo
    azw3: bool = False  # also NAME.azw3 for Kindle (needs calibre's ebook-convert)
    # "new", "updated" or None for a story file since the book's previous build (the batch
    # records know); the contents page marks them. None: no previous build, no marks.
    story_change: Callable[[Path], StoryChange | None] | None = None
    split_mb: float | None = None  # volumes of at most this many MB (else the recipe's `split`)
    # An idle worker's `submit` (`concurrent.futures`): the cover is drawn there while this
    # process renders and packages the book.
    elsewhere: Callable[..., Future] | None = None


@dataclass(frozen=True)
class BuildResult:
    recipe: Path
    output: Path
    stories: int
    words: int
    size: int
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    # Every file that made the book (recipe, stories, cover style, fonts, pictures) and
    # every file written: what the incremental cache compares.
    inputs: tuple[Path, ...] = field(default=())
    outputs: tuple[Path, ...] = field(default=())
    book: Path | None = None  # written as volumes: the recipe's book path they stand for


class StoryConverter(Protocol):
    """Converts a story file, remembering what it converted (`ficbook.batch.memo.StoryMemo`),
    and hands over the stories a worker made into their piece of a book (`piece`)."""

    def convert(self, path: Path, display: str, options: ConvertOptions) -> ConvertResult: ...

    def piece(self, where: Callable[[], tuple]) -> StoryPiece | None: ...


def _silent(stage: str) -> None:
    pass


def build(recipe_path: Path, options: BuildOptions = BuildOptions(),
          on_stage: Callable[[str], None] = _silent, memo: StoryConverter | None = None,
          recipe: Recipe | None = None) -> BuildResult:
    """`on_stage` is called as each stage starts; `memo` shares converted stories between
    books; `recipe`: the recipe at `recipe_path` read already (a batch reads each once)."""
    on_stage("recipe")
    recipe = recipe or load_recipe(recipe_path)
    sources = resolve_sources(recipe)  # links and calibre searches to files; no network
    recipe = sources.recipe
    if not recipe.all_stories:
        raise StoryError("no story to build: none of its links is downloaded and no other "
                         "story is listed", file=str(recipe_path))
    on_stage("convert")
    split_mb = options.split_mb or recipe.split  # volumes are cut from the whole book's stories
    pieces = None if split_mb else story_pieces(recipe_path, recipe, memo)
    results = [_swept(convert_story(recipe, entry, memo)) for entry in recipe.all_stories] if pieces is None else []
    on_stage("assemble")
    changes = ([options.story_change(recipe.story_path(e)) for e in recipe.all_stories]
               if options.story_change else None)
    book = (assemble(recipe, [r.story for r in results], changes) if pieces is None
            else bind(recipe, renumbered([p.shell for p in pieces]), changes))
    on_stage("cover")
    cover = CoverJob(book, recipe, options.elsewhere)
    on_stage("render")
    rendition = render(book, cover.name, pieces)
    on_stage("package")
    from ficbook.epub.package import package_parts  # ebooklib: not in the workers' imports

    data = package_parts(book, rendition, cover.resource, cover.data)  # the zip in pieces
    size = sum(map(len, data))
    cover_diagnostics = cover.diagnostics
    on_stage("write")
    output = output_path(recipe_path, options.out_dir)
    refuse_overwriting_inputs(output, recipe)
    if split_mb and size > split_mb * 1_000_000 and len(book.stories) > 1:
        return build_volumes(recipe_path, recipe, book, rendition, size, options, output,
                             int(split_mb * 1_000_000), results)
    write_atomic(output, data)
    outputs = (output, *write_device_outputs(output, data, options))
    converted = tuple(chain.from_iterable(  # 60,000 of them in a 2,000-story book
        r.diagnostics for r in (results if pieces is None else pieces)))
    diagnostics = sources.diagnostics + converted + cover_diagnostics + book.diagnostics
    inputs = (recipe_path, *(recipe.story_path(e) for e in recipe.all_stories), *cover_inputs(recipe),
              *sources.inputs)
    return BuildResult(recipe_path, output, len(book.stories),
                       sum(s.words for s in book.stories), size, diagnostics,
                       inputs=inputs, outputs=outputs)


def build_volumes(recipe_path: Path, recipe: Recipe, book: Book, rendition, size: int,
                  options: BuildOptions, output: Path, limit: int, results) -> BuildResult:
    """The book, over `limit` bytes, written as NAME-vol1.epub, NAME-vol2.epub, …"""
    from ficbook import volumes
    from ficbook.epub.package import package

    def make(vol: Book) -> bytes:
        cover, _ = make_cover(vol, recipe)
        return package(vol, render(vol, cover.name), cover)

    weights, rest = volumes.story_weights(book, rendition.documents, rendition.resources)
    rest = max(rest, size - sum(weights.values()))  # the cover, fonts, the zip itself
    made, warnings = volumes.split(book, weights, rest, limit, make)
    outputs: list[Path] = []
    for n, (_, vol_data) in enumerate(made, 1):
        path = volumes.volume_path(output, n)
        refuse_overwriting_inputs(path, recipe)
        write_atomic(path, vol_data)
        outputs += [path, *write_device_outputs(path, vol_data, options)]
    diagnostics = (tuple(d for r in results for d in r.diagnostics) + book.diagnostics
                   + tuple(warnings))
    inputs = (recipe_path, *(recipe.story_path(e) for e in recipe.all_stories), *cover_inputs(recipe))
    return BuildResult(recipe_path, outputs[0], len(book.stories),
                       sum(s.words for s in book.stories), sum(len(d) for _, d in made),
                       diagnostics, inputs=inputs, outputs=tuple(outputs), book=output)


def refuse_overwriting_inputs(output: Path, recipe: Recipe) -> None:
    inputs = {recipe.story_path(e) for e in recipe.all_stories}
    if recipe.source:
        inputs.add(recipe.source.resolve())
    if output.resolve() in inputs:
        raise OutputError("the book would overwrite one of its own input files; "
                          "use --out to write it elsewhere", file=str(output))


def write_device_outputs(output: Path, data: bytes | list[bytes], options: BuildOptions) -> tuple[Path, ...]:
    """Writes the Kobo and Kindle copies asked for; returns their paths. `data`: the
    book's bytes, or its pieces (`package_parts`)."""
    written: list[Path] = []
    if options.kepub:
        from ficbook.devices.kepub import kepubify

        kepub = kepub_path(output)
        write_atomic(kepub, kepubify(data if isinstance(data, bytes) else b"".join(data)))
        written.append(kepub)
    if options.azw3:
        from ficbook.devices.azw3 import convert_azw3

        convert_azw3(output, azw3_path(output))
        written.append(azw3_path(output))
    return tuple(written)


def story_pieces(recipe_path: Path, recipe: Recipe, memo: StoryConverter | None = None) -> list[StoryPiece] | None:
    """Each story converted and made into its piece of the book (`ficbook.pieces`), or
    taken from the worker that made it; one at a time, so the book never holds its
    stories' parsed text. None when two stories would share a key (the same story twice
    in one book): `naming.unique` then needs the stories themselves."""
    shared = frame(recipe)
    pieces = []
    for number, entry in enumerate(recipe.all_stories, 1):
        made = memo.piece(partial(piece_place, recipe_path, number, recipe, entry)) if memo is not None else None
        pieces.append(made or _swept(story_piece(recipe, entry, number, convert_story(recipe, entry, memo), shared)))
    keys = {p.shell.key for p in pieces}
    return pieces if len(keys) == len(pieces) else None


def _swept(made: T) -> T:
    """`made`, a story's piece or conversion, once the story's garbage is gone: the cycles
    it left (an HTML story's parse tree) are found while they are young, a few objects,
    so a batch builds a book with automatic collection off (`batch.one._no_collections`:
    the collector no longer walks the pieces kept, over and over; about 5% of a build)."""
    gc.collect(0)
    return made


def piece_place(recipe_path: Path | str, number: int, recipe: Recipe, entry: StoryEntry) -> tuple:
    """What a story's piece is made for: the book, the story's place in it, its file and
    options (a worker's piece is used only where all four are the same)."""
    return (str(recipe_path), number, str(recipe.story_path(entry)), convert_options(recipe, entry))


def convert_story(recipe: Recipe, entry: StoryEntry, memo: StoryConverter | None = None) -> ConvertResult:
    path = recipe.story_path(entry)
    options = convert_options(recipe, entry)
    if memo is not None:
        return memo.convert(path, _display(path), options)
    return read_story(read_source(path, display=_display(path)), options)


def convert_options(recipe: Recipe, entry: StoryEntry) -> ConvertOptions:
    rules = {**recipe.rules, **entry.rules}
    return ConvertOptions(encoding=entry.encoding, rules=tuple(sorted(rules.items())),
                          notes_after=entry.notes_after, notes_before=entry.notes_before,
                          language=entry.language, book_language=recipe.language,
                          layout=entry.layout, boilerplate=entry.boilerplate or "drop")


COVER_LABELS = ("edited-by", "and", "more", "story", "stories", "stories-few")


def read_book(recipe: Recipe, memo: StoryConverter | None = None) -> Book:
    """The book as `build` assembles it, its stories read and converted (the cover preview)."""
    return assemble(recipe, [convert_story(recipe, e, memo).story for e in recipe.all_stories])


def make_cover(book: Book, recipe: Recipe,
               options: CoverOptions | None = None) -> tuple[Resource, tuple[Diagnostic, ...]]:
    """The book's cover: the recipe's `cover:` (or `options`), with the book's own words."""
    from ficbook.cover.render import render_cover  # Pillow: only where a cover is drawn

    return render_cover(cover_text(book), options or recipe.cover, base_dir=recipe.base_dir)


class CoverJob:
    """The book's cover, drawn here (`make_cover`), or by an idle worker (`elsewhere`)
    while this process renders and packages the book: its name is known at once, its
    bytes when `data()` is called. A drawn cover's name depends only on its kind (a
    finished file given by the recipe is read here)."""

    def __init__(self, book: Book, recipe: Recipe, elsewhere: Callable[..., Future] | None = None):
        self.book, self.recipe = book, recipe
        self.future: Future | None = None
        if elsewhere is not None and recipe.cover.file is None:
            from ficbook.cover import DRAWN_COVER, draw

            try:
                self.future = elsewhere(draw, cover_text(book), recipe.cover, recipe.base_dir)
            except Exception:  # noqa: BLE001 - a pool that broke meanwhile: drawn here
                pass
        self.diagnostics: tuple[Diagnostic, ...] = ()
        if self.future is not None:
            self.resource = Resource(DRAWN_COVER, "image/jpeg", b"")
        else:
            self.resource, self.diagnostics = make_cover(book, recipe)
        self.name = self.resource.name

    def data(self) -> bytes:
        if self.future is not None:
            try:
                drawn, self.diagnostics = self.future.result()
            except Exception:  # noqa: BLE001 - drawn here, it says what is wrong in its words
                drawn, self.diagnostics = make_cover(self.book, self.recipe)
            self.future = None
            assert drawn.name == self.name, "a drawn cover's name is known before it is drawn"
            self.resource = drawn
        return self.resource.data


def cover_text(book: Book) -> CoverText:
    """What the cover says: title, subtitle, editor, series, the stories' authors (after the
    recipe's overrides, as the title page has them; only when no editor is credited, since
    the cover names them only then) and the story count."""
    from ficbook.cover.layout import shows_authors
    from ficbook.cover.text import CoverText

    m = book.meta
    return CoverText(title=m.title, subtitle=m.subtitle, editor=m.editor,
                     authors=m.authors if shows_authors(m.editor) else (),
                     series=m.series, series_index=m.series_index,
                     story_count=len(book.stories),
                     labels=tuple((k, book.label(k)) for k in COVER_LABELS
                                  if k != "stories-few" or book.label(k) != k))


def cover_ahead(recipe: Recipe) -> CoverText | None:
    """The cover's words when the recipe alone gives them, before any story is read: a
    drawn cover crediting an editor. A worker can then draw it while the stories are
    converted (`batch.schedule`); the book uses that drawing only if its own `cover_text`
    turns out the same."""
    if recipe.cover.file is not None:
        return None
    from ficbook.cover.layout import shows_authors

    book = bind(recipe, [])  # the recipe's words, set as the book sets them
    if shows_authors(book.meta.editor):
        return None
    return replace(cover_text(book), story_count=len(recipe.all_stories))


def cover_inputs(recipe: Recipe) -> tuple[Path, ...]:
    """The files the cover is made from: a finished cover, or the style, its fonts, a picture."""
    from ficbook.cover.folder import covers_dir

    c = recipe.cover
    if c.file is not None:
        return ((recipe.base_dir / Path(c.file).expanduser()).resolve(),)
    folder = covers_dir()
    paths = [folder / f"{c.style}.yaml"]
    # Every font under covers/: a style names its fonts, but the set is small and a font
    # swapped under the same name must rebuild too.
    fonts = folder / "fonts"
    if fonts.is_dir():
        paths += sorted(p for p in fonts.iterdir() if p.suffix.lower() in (".ttf", ".otf"))
    if c.image is not None:
        paths.append((recipe.base_dir / Path(c.image).expanduser()).resolve())
    return tuple(paths)


def _display(path: Path) -> str:
    """Paths in messages: relative to the current folder when under it."""
    text = str(path)
    if os.sep == "/":  # `relative_to`'s answer, for a shelf of stories in a twentieth of the time
        cwd = os.getcwd()
        if text == cwd:
            return "."
        prefix = cwd.rstrip("/") + "/"
        return text[len(prefix):] if text.startswith(prefix) else text
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return text
