"""An anthology too big for a device or a mail service, written as volumes.

Volumes break only between stories. Each is a whole book: its own identifier (derived
from the anthology's, so it stays stable across rebuilds), title "Title, Vol. N", cover,
contents and navigation, and the series set to the anthology with N as its number, so a
library groups and orders them. Stories keep their keys, so their file names inside a
volume are the ones they have in the whole book.

Sizes are estimated per story from the rendered book (its documents deflated, its
pictures as they are), and each volume is then packaged and measured: one still over the
limit is halved again. A single story over the limit becomes a volume of its own, with a
warning.
"""

from __future__ import annotations

import dataclasses
import uuid
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from ficbook.errors import Diagnostic
from ficbook.model import Book, BookStory, Part

# Below the limit by this share: the estimate is rough, and packaging then measures.
_MARGIN = 0.92


def story_weights(book: Book, documents: Sequence, resources: Sequence) -> tuple[dict[str, int], int]:
    """Each story's deflated bytes in the book, by story key, and the rest (cover, front
    and back matter, stylesheet)."""
    sizes = {r.name: len(r.data) for r in resources}
    weights = {bs.key: 0 for bs in book.stories}
    rest = 0
    keys = sorted(weights, key=len, reverse=True)
    for doc in documents:
        size = len(zlib.compress(doc.content, 1))
        owner = next((k for k in keys if doc.name.startswith(f"text/{k}-")), None)
        pictures = sum(n for name, n in sizes.items() if f"../images/{name}".encode() in doc.content)
        if owner is None:
            rest += size
        else:
            weights[owner] += size + pictures
    return weights, rest


def plan(book: Book, weights: dict[str, int], rest: int, limit: int) -> list[list[BookStory]]:
    """Stories in order, a new volume whenever the next would pass the limit."""
    room = int(limit * _MARGIN) - rest
    volumes: list[list[BookStory]] = [[]]
    used = 0
    for bs in book.stories:
        w = weights.get(bs.key, 0)
        if volumes[-1] and used + w > room:
            volumes.append([])
            used = 0
        volumes[-1].append(bs)
        used += w
    return volumes


def volume(book: Book, stories: Sequence[BookStory], number: int) -> Book:
    """The book holding `stories`, as volume `number`."""
    keep = {bs.key for bs in stories}
    parts = tuple(Part(p.title, tuple(bs for bs in p.stories if bs.key in keep))
                  for p in book.parts)
    parts = tuple(p for p in parts if p.stories)
    authors: list[str] = []
    for bs in stories:
        for a in bs.story.meta.authors:
            if a not in authors:
                authors.append(a)
    m = book.meta
    meta = dataclasses.replace(
        m, title=f"{m.title}, Vol. {number}", series=m.title, series_index=float(number),
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{m.identifier}#volume-{number}')}",
        authors=tuple(authors))
    return dataclasses.replace(book, meta=meta, parts=parts)


def split(book: Book, weights: dict[str, int], rest: int, limit: int,
          package: Callable[[Book], bytes]) -> tuple[list[tuple[Book, bytes]], list[Diagnostic]]:
    """The volumes, packaged, each under `limit` bytes unless it is a single story."""
    groups = plan(book, weights, rest, limit)
    done: list[tuple[list[BookStory], bytes]] = []
    warnings: list[Diagnostic] = []
    while groups:
        group = groups.pop(0)
        data = package(volume(book, group, 1))  # the number changes no size that matters here
        if len(data) > limit and len(group) > 1:
            half = len(group) // 2
            groups[:0] = [group[:half], group[half:]]
            continue
        if len(data) > limit:
            title = group[0].story.meta.title
            warnings.append(Diagnostic(
                "warning", "volume-too-big",
                f"“{title}” alone is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:g} MB "
                "asked for: volumes break only between stories"))
        done.append((group, data))
    out = []
    for n, (group, _) in enumerate(done, 1):
        vol = volume(book, group, n)
        out.append((vol, package(vol)))
    return out, warnings


def volume_path(output: Path, number: int) -> Path:
    """build/holdout.epub -> build/holdout-vol2.epub"""
    return output.with_name(f"{output.stem}-vol{number}{output.suffix}")


def all_volumes(output: Path) -> list[Path]:
    """The books a build wrote: NAME.epub, or NAME-vol1.epub and the volumes after it."""
    if not output.name.endswith("-vol1.epub"):
        return [output]
    stem = output.name[: -len("-vol1.epub")]
    found = []
    n = 1
    while (path := output.with_name(f"{stem}-vol{n}.epub")).is_file():
        found.append(path)
        n += 1
    return found
