"""The one step that connects: before a build, fetch the recipes' `url:` links that the
download cache lacks (or, with `update`, ask each archive for new chapters).

Polite: the links are grouped by site, and each site's are fetched one after another
(one connection per site at a time, FanFicFare's pacing between requests); different
sites are fetched side by side. Each link that fails becomes one line naming the recipe
line and the link; the build goes on without it (the other stories and books still
build) and the run exits 4. Story files (`path:`) never cause a connection.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ficbook import outputs
from ficbook.sources import cache

MAX_SITES_AT_ONCE = 4


@dataclass(frozen=True)
class Failure:
    recipe: Path
    line: int | None
    url: str
    message: str

    def format(self) -> str:
        where = f"{self.recipe}:{self.line}" if self.line else str(self.recipe)
        return f"{where}: {self.url}: {self.message}"


@dataclass(frozen=True)
class _Link:
    recipe: Path
    line: int | None
    url: str
    folder: Path  # the download cache


def links_of(recipe_paths: Iterable[Path]) -> list[_Link]:
    """Every `url:` entry of these recipes, with its line; recipes that do not load are left
    to the build, which reports them."""
    from ficbook.errors import FicbookError

    found = []
    for path in recipe_paths:
        try:
            if not _may_have_links(Path(path)):  # most recipes: not parsed twice
                continue
            from ficbook.recipe import load_recipe  # pydantic: only for a recipe with links

            recipe = load_recipe(path)
        except (FicbookError, OSError):
            continue
        urls = [e.url for e in recipe.all_stories if e.url]
        if not urls:
            continue
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        for url in urls:
            line = next((i for i, text in enumerate(lines, 1) if url in text), None)
            found.append(_Link(Path(path), line, url, outputs.cache_dir(path)))
    return found


_LOOK_BYTES = 4_000_000  # above ficbook.recipe.schema.MAX_RECIPE_BYTES


def _may_have_links(path: Path) -> bool:
    """A cheap look first: only a regular file of recipe size is read (a device or a pipe
    given as a recipe is left to the build, which says what it is). Bounded without the
    recipe's own limit: importing the schema (pydantic) would cost a no-change rebuild
    a fifth of its time; a file too big for a recipe that mentions `url:` is then read
    by `load_recipe`, which refuses it."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_size > _LOOK_BYTES:
        return False
    return b"url:" in path.read_bytes()


def prepare(recipe_paths: Iterable[Path], update: bool = False, offline: bool = False) -> list[Failure]:
    """Makes the download cache hold every link of these recipes; returns the failures."""
    links = links_of(recipe_paths)
    if not links:
        return []
    failures: list[Failure] = []
    todo: dict[tuple[Path, str], list[_Link]] = {}
    for link in links:
        todo.setdefault((link.folder, link.url), []).append(link)
    indexes = {folder: cache.read_index(folder) for folder, _ in todo}
    if offline:
        for (folder, url), users in todo.items():
            for missing in _missing(url, folder, indexes[folder]):
                failures += [Failure(u.recipe, u.line, u.url, _not_fetched(missing, url))
                             for u in users]
        return failures
    fetcher = _Fetcher(indexes, update)
    by_site: dict[str, list[tuple[Path, str]]] = {}
    for folder, url in todo:
        by_site.setdefault(urlsplit(url).hostname or url, []).append((folder, url))
    from ficbook.sources.archive import quiet

    quiet()
    with ThreadPoolExecutor(min(MAX_SITES_AT_ONCE, len(by_site))) as pool:
        results = list(pool.map(fetcher.site, by_site.values()))
    for site_failures in results:
        for (folder, url), failed_url, message in site_failures:
            failures += [Failure(u.recipe, u.line, u.url, _message(failed_url, url, message))
                         for u in todo[(folder, url)]]
    for folder in fetcher.changed:
        cache.write_index(folder, indexes[folder])
    return failures


def _missing(url: str, folder: Path, index: dict[str, Any]) -> list[str]:
    """The links of `url` with no download yet: itself, or a listed series' works."""
    record = index.get(url)
    if record is None:
        return [url]
    works = record.get("works", []) if record.get("kind") == "series" else [url]
    return [w for w in works if not (folder / outputs.file_name(w)).is_file()]


def _not_fetched(missing: str, url: str) -> str:
    what = "not downloaded yet" if missing == url else f"its work {missing} is not downloaded yet"
    return f"{what}, and --offline makes no connection (build once without --offline)"


def _message(failed_url: str, url: str, message: str) -> str:
    return message if failed_url == url else f"its work {failed_url}: {message}"


class _Fetcher:
    def __init__(self, indexes: dict[Path, dict[str, Any]], update: bool):
        self.indexes = indexes
        self.update = update
        self.changed: set[Path] = set()
        self.lock = threading.Lock()

    def site(self, links: list[tuple[Path, str]]) -> list[tuple[tuple[Path, str], str, str]]:
        """One site's links, one at a time."""
        failed = []
        for key in links:
            folder, url = key
            for failed_url, message in self.link(folder, url):
                failed.append((key, failed_url, message))
        return failed

    def link(self, folder: Path, url: str) -> list[tuple[str, str]]:
        from ficbook.sources.archive import FetchFailed

        index = self.indexes[folder]
        record = index.get(url)
        if record is None or self.update or record.get("kind") == "story":
            try:
                record = self.one(folder, url, record)
            except FetchFailed as exc:
                return [(url, str(exc))]
        if record.get("kind") != "series":
            return []
        failed = []
        for work in record["works"]:
            try:
                self.one(folder, work, index.get(work), series=url)
            except FetchFailed as exc:
                failed.append((work, str(exc)))
        return failed

    def one(self, folder: Path, url: str, record: dict[str, Any] | None,
            series: str | None = None) -> dict[str, Any]:
        from ficbook.sources.archive import FetchFailed, fetch

        dest = folder / outputs.file_name(url)
        if record is not None and record.get("kind") == "story" and dest.is_file() and not self.update:
            return record
        got = fetch(url, dest, update=self.update and dest.is_file())
        if got.kind == "series" and series is not None:
            raise FetchFailed("not a story", "a series inside a series")
        new: dict[str, Any] = {"kind": got.kind, "title": got.title}
        if got.kind == "series":
            new["works"] = list(got.works)
        else:
            new["file"] = dest.name
        same = record is not None and {k: v for k, v in record.items() if k != "fetched"} == new
        if record is not None and (same or not got.changed):
            return record  # nothing new: the index (a build input) stays as it was
        new["fetched"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.lock:
            self.indexes[folder][url] = new
            self.changed.add(folder)
        return new
