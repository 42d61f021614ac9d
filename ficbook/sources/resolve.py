"""A build's first step after the recipe: links and a calibre search become story files.

Never connects: a `url:` entry is read from the download cache (`links.prepare` filled
it), a series link becomes its works in series order, a `calibre:` source becomes the
library's books with calibre's metadata as per-story values. A link with no download is
left out of the book with a warning (the command line has already said why, exit 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ficbook import outputs
from ficbook.errors import Diagnostic
from ficbook.recipe import Recipe, StoryEntry
from ficbook.sources import cache


@dataclass(frozen=True)
class Resolved:
    recipe: Recipe
    inputs: tuple[Path, ...] = ()  # files whose change must rebuild the book
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def resolve(recipe: Recipe) -> Resolved:
    entries = recipe.all_stories
    has_links = any(e.url for e in entries)
    if not has_links and recipe.calibre is None:
        return Resolved(recipe)
    recipe_path = recipe.source or recipe.base_dir / "recipe.yaml"
    inputs: list[Path] = []
    diagnostics: list[Diagnostic] = []
    changes: dict[str, object] = {}
    stories: list[StoryEntry] | None = None  # the new list, when it changes
    if has_links:
        folder = outputs.cache_dir(recipe_path)
        index = cache.read_index(folder)
        inputs.append(cache.index_path(folder))

        def expand(stories: list[StoryEntry]) -> list[StoryEntry]:
            out: list[StoryEntry] = []
            for entry in stories:
                if entry.url:
                    out += _link_entries(entry, folder, index, str(recipe_path), diagnostics)
                else:
                    out.append(entry)
            return out

        if recipe.parts:
            changes["parts"] = [p.model_copy(update={"stories": expand(p.stories)})
                                for p in recipe.parts]
        else:
            stories = expand(recipe.stories)
    if recipe.calibre is not None:
        from ficbook.sources.calibre import library_entries

        found, library_inputs, library_notes = library_entries(recipe.calibre, recipe.base_dir,
                                                               str(recipe_path))
        inputs += library_inputs
        diagnostics += library_notes
        stories = [*(recipe.stories if stories is None else stories), *found]
    if stories is not None:
        changes["stories"] = stories
    resolved = recipe.model_copy(update=changes)
    return Resolved(resolved, tuple(inputs), tuple(diagnostics))


def _link_entries(entry: StoryEntry, folder: Path, index: dict, recipe: str,
                  diagnostics: list[Diagnostic]) -> list[StoryEntry]:
    url = (entry.url or "").strip()
    record = index.get(url) or {}
    works = record.get("works", []) if record.get("kind") == "series" else [url]
    if not record:
        works = []
    out = []
    for work in works:
        path = folder / outputs.file_name(work)
        if not path.is_file():
            diagnostics.append(Diagnostic("warning", "link-missing", f"{work}: not downloaded: "
                                          "the book is built without it", recipe))
            continue
        # A series' works are the series' own stories: the entry's per-story values (title,
        # summary…) would give them all the same one, so only its options carry over.
        if work != url:
            values = {"path": str(path), "url": None, "source": work, "title": None,
                      "author": None, "summary": None}
        else:
            values = {"path": str(path), "url": None, "source": entry.source or url}
        out.append(entry.model_copy(update=values))
    if not record:
        diagnostics.append(Diagnostic("warning", "link-missing", f"{url}: not downloaded: "
                                      "the book is built without it", recipe))
    return out
