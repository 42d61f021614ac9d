"""A first plain-text reader: header block, blank-line paragraphs, glyph scene breaks.

The converter issue replaces this with the full list of named rules.
"""

from __future__ import annotations

import re
from pathlib import Path

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.convert.decode import decode
from ficbook.errors import Diagnostic, StoryError
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, StoryMeta, Text
from ficbook.sources import Source

_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z' /]{0,24}?)\s*:\s*(.*)$")
_SCENE = re.compile(r"^\s*([*~#=_+\-])(\s*\1){2,}\s*$")

# header label (lower case) -> StoryMeta field or set-apart kind
_FIELDS = {
    "title": "title", "author": "authors", "by": "authors", "rating": "rating",
    "category": "fandoms", "fandom": "fandoms", "pairing": "pairings", "pairings": "pairings",
    "relationship": "pairings", "ship": "pairings", "characters": "characters",
    "warnings": "warnings", "warning": "warnings", "genre": "genres", "status": "status",
    "series": "series",
}
_NOTES = {
    "summary": "summary", "disclaimer": "disclaimer", "feedback": "feedback",
    "a/n": "author-note", "an": "author-note", "author's note": "author-note",
    "story notes": "author-note", "notes": "author-note", "dedication": "dedication",
}


def convert_text(source: Source, options: ConvertOptions) -> ConvertResult:
    text, _, diags = decode(source.data, source.name, options.encoding)
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise StoryError("story has no text", file=source.name)

    meta: dict[str, object] = {}
    summary: list[Block] = []
    front: list[Note] = []
    extra: list[tuple[str, str]] = []
    i = 0
    while i < len(paragraphs):
        line_no, para = paragraphs[i]
        fields = _header_fields(para)
        if not fields:
            break
        for label, value in fields:
            key = label.lower()
            block = Paragraph((Text(value),), line=line_no)
            if key in _FIELDS:
                name = _FIELDS[key]
                if name in ("title", "rating", "status", "series"):
                    meta[name] = value
                else:
                    meta[name] = tuple(v.strip() for v in re.split(r",|;| & | and ", value) if v.strip())
            elif _NOTES.get(key) == "summary":
                summary.append(block)
            elif key in _NOTES:
                front.append(Note(_NOTES[key], (block,), label=label, line=line_no))
            else:
                extra.append((label, value))
        i += 1

    blocks: list[Block] = []
    for line_no, para in paragraphs[i:]:
        if _SCENE.match(para):
            if blocks and not isinstance(blocks[-1], SceneBreak):
                blocks.append(SceneBreak(line=line_no))
            continue
        blocks.append(Paragraph((Text(" ".join(para.split("\n"))),), line=line_no))
    while blocks and isinstance(blocks[-1], SceneBreak):
        blocks.pop()
    if not blocks:
        raise StoryError("story has a header but no text", file=source.name)

    title = str(meta.pop("title", "") or _title_from_path(source.path))
    story = Story(
        meta=StoryMeta(title=title, extra=tuple(extra), **meta),  # type: ignore[arg-type]
        chapters=(Chapter(title=None, blocks=tuple(blocks), line=blocks[0].line),),
        summary=tuple(summary),
        front_notes=tuple(front),
        path=source.name,
    )
    return ConvertResult(story, tuple(diags))


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs with the line each starts on."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip(" \t\u00a0"):
            if not current:
                start = n
            current.append(line.strip())
        elif current:
            out.append((start, "\n".join(current)))
            current = []
    if current:
        out.append((start, "\n".join(current)))
    return out


def _header_fields(para: str) -> list[tuple[str, str]]:
    """The label: value lines of a header paragraph, or [] if it is story text."""
    fields: list[tuple[str, str]] = []
    for line in para.split("\n"):
        m = _LABEL.match(line)
        if m and (m.group(1).lower() in _FIELDS or m.group(1).lower() in _NOTES):
            fields.append((m.group(1), m.group(2).strip()))
        elif fields:
            label, value = fields[-1]
            fields[-1] = (label, f"{value} {line.strip()}")
        else:
            return []
    return fields


def _title_from_path(path: Path) -> str:
    stem = re.sub(r"^\d+[_-]|[_-][0-9a-f]{8,}$", "", path.stem)
    return stem.replace("_", " ").replace("-", " ").strip().title() or path.stem
