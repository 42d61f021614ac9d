"""Convert text in memory and dump the story as readable lines for fixture comparison."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.errors import StoryError
from ficbook.model import (
    Block,
    BlockQuote,
    Epigraph,
    Inline,
    LineBreak,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    Styled,
    Text,
)
from ficbook.readers import read_story
from ficbook.readers.source import Source


def run(text: str | bytes, name: str = "story.txt", **options: object) -> ConvertResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_story(Source(Path(name), data), ConvertOptions(**options))  # type: ignore[arg-type]


def assert_same_as_plain(text: str, rules: tuple, plain: Callable[[pytest.MonkeyPatch], None]) -> None:
    """The story and every diagnostic, in order (or the same error), with the fast paths
    and with `plain` patching in the plain versions they replace."""
    def converted() -> object:
        try:
            return run(text, rules=rules)
        except StoryError as exc:
            return exc.message

    fast = converted()
    with pytest.MonkeyPatch.context() as mp:
        plain(mp)
        slow = converted()
    assert fast == slow


def inlines(nodes: tuple[Inline, ...]) -> str:
    out = []
    for n in nodes:
        if isinstance(n, Text):
            out.append(n.text)
        elif isinstance(n, Styled):
            out.append(f"<{n.kind}>{inlines(n.children)}</{n.kind}>")
        elif isinstance(n, LineBreak):
            out.append("<br>")
    return "".join(out)


def block(b: Block, indent: str = "  ") -> list[str]:
    if isinstance(b, Paragraph):
        return [f"{indent}p: {inlines(b.inlines)}"]
    if isinstance(b, SceneBreak):
        return [f"{indent}break"]
    if isinstance(b, Note):
        label = f" [{b.label}]" if b.label else ""
        head = [f"{indent}note {b.kind}{label}:"]
        return head + [x for c in b.blocks for x in block(c, indent + "  ")]
    if isinstance(b, Epigraph):
        return ([f"{indent}epigraph:"] + [x for c in b.blocks for x in block(c, indent + "  ")]
                + [f"{indent}  cite: {inlines(b.attribution)}"])
    if isinstance(b, BlockQuote):
        return [f"{indent}blockquote:"] + [x for c in b.blocks for x in block(c, indent + "  ")]
    return [f"{indent}{type(b).__name__}"]


def dump(result: ConvertResult) -> str:
    s: Story = result.story
    m = s.meta
    out = [f"title: {m.title}"]
    for field in ("authors", "rating", "fandoms", "pairings", "characters", "warnings", "genres",
                  "tags", "status", "series", "published", "extra"):
        value = getattr(m, field)
        if value:
            if field == "extra":
                value = "; ".join(f"{k}={v}" for k, v in value)
            elif isinstance(value, tuple):
                value = " | ".join(value)
            out.append(f"{field}: {value}")
    for b in s.summary:
        out.extend(block(b, "summary "))
    for n in s.front_notes:
        out.extend(["front:"] + block(n))
    for ch in s.chapters:
        out.append(f"chapter: {ch.title or '-'}" + (f" [in part: {ch.part}]" if ch.part else ""))
        for b in ch.summary:
            out.extend(block(b, "  summary "))
        for b in ch.blocks:
            out.extend(block(b))
    for n in s.end_notes:
        out.extend(["end:"] + block(n))
    for d in result.diagnostics:
        if d.severity != "info" or d.code == "chrome-dropped":
            out.append(f"{d.severity} {d.code} line {d.line}: {d.message}")
    return "\n".join(out) + "\n"
