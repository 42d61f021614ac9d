"""Cutting a long run of rendered blocks into files, and recording where each anchor lands.

PocketBook and Kobo's Adobe engine choke on very large files, so a chapter (or the notes
appendix) over MAX_DOC_BYTES of XHTML is cut, at a scene break where one is near. As the
split places blocks it records which piece holds each anchored block (pandoc's EPUB writer
builds its reference table the same way), for `links.resolve`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ficbook.render.blocks import SCENE_BREAK

# Split documents above this many bytes of XHTML.
MAX_DOC_BYTES = 260_000

_CLOSE, _REOPEN = -1, -2  # in a piece: the `closing`/`reopen` fragments added at a cut


@dataclass(frozen=True)
class Piece:
    """One file's share of the blocks: its XHTML and the anchors it holds."""

    html: str
    anchors: tuple[str, ...] = ()


def split(rendered: list[str], anchors: dict[int, str] | None = None,
          closing: str = "", reopen: str = "") -> list[Piece]:
    """`rendered` cut into pieces under MAX_DOC_BYTES, preferring scene breaks; no piece
    starts with a scene break. `anchors` maps a block's index to the id it holds.

    `closing`/`reopen` wrap a cut that falls inside an open list (the notes appendix).
    """
    anchors = anchors or {}
    pieces: list[Sequence[int]] = _cut(rendered, closing)
    out = []
    for indices in pieces:
        if isinstance(indices, range):
            html = "".join(rendered[indices.start:])
        else:
            html = "".join(closing if i == _CLOSE else reopen if i == _REOPEN else rendered[i]
                           for i in indices)
        out.append(Piece(html, tuple(anchors[i] for i in indices if i in anchors)
                         if anchors else ()))
    return out


def _cut(rendered: list[str], closing: str) -> list[Sequence[int]]:
    """The indices of the blocks in each piece (with _CLOSE/_REOPEN where a list is cut)."""
    if sum(map(len, rendered)) <= MAX_DOC_BYTES:
        # Most chapters: the loop below would never cut. All the blocks, but leading
        # scene breaks (and empty blocks, which write nothing).
        for i, html in enumerate(rendered):
            if html and not html.startswith(SCENE_BREAK):
                return [range(i, len(rendered))]
        return []

    def text(i: int) -> str:
        return closing if i == _CLOSE else "" if i == _REOPEN else rendered[i]

    chunks: list[list[int]] = [[]]
    size = 0
    for j, html in enumerate(rendered):
        if not html:
            continue
        if size + len(html) > MAX_DOC_BYTES and chunks[-1] and html != closing:
            # Move back to the last scene break in this chunk, if it is not too far back.
            current = chunks[-1]
            cut = max((k for k, i in enumerate(current)
                       if i >= 0 and rendered[i].startswith(SCENE_BREAK)), default=-1)
            if cut > len(current) // 2:
                chunks[-1], rest = current[:cut], current[cut + 1:]
                chunks.append(rest)
            else:
                chunks.append([])
            size = sum(len(rendered[i]) for i in chunks[-1])
            if closing and text(chunks[-2][-1]) != closing and not html.startswith("<h2"):
                chunks[-2].append(_CLOSE)
                chunks[-1].insert(0, _REOPEN)
        if not chunks[-1] and html.startswith(SCENE_BREAK):
            continue  # never a scene break at the start of a file
        chunks[-1].append(j)
        size += len(html)
    return [c for c in chunks if c]
