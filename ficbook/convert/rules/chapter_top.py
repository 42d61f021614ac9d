"""Labels repeated at the top of a later chapter: its summary set apart, fields already on
the card dropped (others kept on it), a chapter's own disclaimer, dedication or feedback
line set apart as a note shaped like one. The story's header itself: `header`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import drop_prefix, para_text, strip_inlines, with_blocks
from ficbook.convert.rules import shape
from ficbook.convert.rules.header_fields import NOTE_KINDS, field_of
from ficbook.convert.rules.notes import note_label
from ficbook.convert.rules.scenes import is_glyph_line
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak
from ficbook.text import inline_text

if TYPE_CHECKING:
    from ficbook.convert.rules.header import HeaderReader


def chapter_top(ch: Chapter, reader: HeaderReader, ctx: Context) -> Chapter:
    """Labels repeated at a chapter's top: its summary; fields already on the card."""
    blocks = ch.blocks
    summary = list(ch.summary)
    i = 0  # notes and breaks above the labels keep their place: blocks[:i]
    while i < len(blocks) and (isinstance(b := blocks[i], (Note, SceneBreak)) or (
            isinstance(b, Paragraph) and (note_label(b, reader.vocab) is not None
                                          or is_glyph_line(para_text(b))))):
        i += 1
    j = i  # the label paragraphs taken: blocks[i:j]
    while j < len(blocks) and isinstance(p := blocks[j], Paragraph):
        f = field_of(para_text(p).strip(), reader.vocab)
        if f is None:
            break
        label, value, kind = f
        if kind is None or kind.startswith("note:") or kind == "extra":
            break
        rest = drop_prefix(p, len(para_text(p)) - len(value))
        text = " ".join(value.split())
        if kind == "summary":
            summary.append(dataclasses.replace(rest, inlines=strip_inlines(rest.inlines)))
            ctx.report("info", "summary", f"chapter summary set apart: {quote(text)}", p.line)
        elif kind == "title":
            break  # a chapter's own title line: story text decides
        else:
            known = reader.story.meta
            current = reader.meta.get(kind, getattr(known, kind, None))
            current_text = ", ".join(current) if isinstance(current, tuple) else (current or "")
            if " ".join(current_text.lower().split()) != text.lower():
                reader.extra.append((label, text))
                ctx.report("info", "header-field", f"kept on the card: {quote(label + ': ' + text)}",
                           p.line)
            else:
                ctx.report("info", "header-field",
                           f"repeated header field at a chapter top: {quote(label + ': ' + text)}",
                           p.line)
        j += 1
    top = _top_note(blocks, j, reader)
    if j == i and top is None:  # most chapters: no labels at the top, nothing taken
        return ch
    after = blocks[j:] if top is None else (*top, *blocks[j + 1:])
    if len(summary) == len(ch.summary):  # nothing set apart as the summary
        return with_blocks(ch, (*blocks[:i], *after))
    return dataclasses.replace(ch, blocks=(*blocks[:i], *after), summary=tuple(summary))


_TOP_NOTES = ("note:disclaimer", "note:dedication", "note:feedback")  # A/N: the notes rule's


def _top_note(blocks: tuple[Block, ...], j: int, reader: HeaderReader) -> list[Block] | None:
    """A disclaimer (dedication, feedback line) at a chapter's top: set apart, shaped like
    one; None when there is none."""
    p = blocks[j] if j < len(blocks) else None
    if not isinstance(p, Paragraph):
        return None
    text = para_text(p)
    f = field_of(text.strip(), reader.vocab) if text[:1].isalpha() else None
    if f is None:
        return None
    label, value, kind = f
    if kind is None or kind not in _TOP_NOTES or not value.strip():
        return None
    note_kind = NOTE_KINDS[kind]
    inlines = drop_prefix(p, len(text) - len(value)).inlines
    note, story = reader.shaped(label, kind, inlines, p.line, blocks[j:])
    out: list[Block] = []
    if note is not None:
        reader.ctx.report("info", note_kind, f"{note_kind} set apart ({shape.words(inline_text(note))} "
                          f"words): {quote(label + ': ' + inline_text(note))}", p.line)
        out.append(Note(note_kind, (Paragraph(note, line=p.line),), label=label, line=p.line))
    if story is not None:
        out.append(story)
    return out
