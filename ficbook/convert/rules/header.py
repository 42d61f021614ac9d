"""Header fields: the `Label: value` block at the top of a story (and labels repeated at
chapter tops) go to the card, the summary and set-apart notes; unknown labels are kept.
"""

from __future__ import annotations

import dataclasses
import re
from operator import is_
from typing import Any

from ficbook.convert.context import Context
from ficbook.convert.context import quote as _quote
from ficbook.convert.inlines import (
    drop_prefix,
    join_lines,
    para_text,
    split_at,
    split_lines,
    with_blocks,
)
from ficbook.convert.rules import shape
from ficbook.convert.rules.chapter_top import chapter_top
from ficbook.convert.rules.header_fields import (
    LABEL_RE,
    LIST_FIELDS,
    NOTE_KINDS,
    RUNS_OVER,
    SPLIT,
    by_line,
    field_of,
)
from ficbook.convert.rules.notes import note_label
from ficbook.convert.rules.scenes import is_glyph_line
from ficbook.model import (
    Block,
    Chapter,
    Inline,
    LineBreak,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    Text,
)
from ficbook.text import inline_text

# "For Sam, who…", "To my sister", "Dedicated to the night shift": at the very top.
_DEDICATION = re.compile(r"(?:for|to|dedicated to|this (?:one|story|fic) is (?:for|dedicated to))\s+"
                         r"(?-i:[A-Z]|my\b|the\b|all\b|everyone\b)", re.IGNORECASE)
_DEDICATION_WORDS = re.compile(r"(?i)\b(?:who|whose|with love|because|always|thank|without whom|"
                               r"forever|miss you|birthday)\b")


def read_header(story: Story, ctx: Context) -> Story:
    if not story.chapters:
        return story
    reader = HeaderReader(story, ctx)
    chapters: list[Chapter] = []
    reading = True
    for ch in story.chapters:
        if reading:
            reader.placed = []
            blocks = reader.read(ch.blocks)
            chapters.append(with_blocks(ch, blocks))
            # a chapter that held only the header (and notes): the header may go on
            # under the next chapter's heading
            reading = all(isinstance(b, (Note, SceneBreak)) or b in reader.placed
                          for b in blocks)
            reader.first_chapter = False
        else:
            chapters.append(chapter_top(ch, reader, ctx))
    return reader.finish(tuple(chapters))


class HeaderReader:
    def __init__(self, story: Story, ctx: Context):
        self.story = story
        self.ctx = ctx
        self.vocab = vocab = ctx.vocab
        self.by_line = by_line(vocab)
        self.meta: dict[str, Any] = {}
        self.extra: list[tuple[str, str]] = list(story.meta.extra)
        self.summary: list[Block] = list(story.summary)
        self.first_chapter = True
        self.placed: list[Block] = []  # set-apart notes, in the author's order, kept at the top

    def read(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """Consume label paragraphs at the top; return the blocks after them."""
        i = 0
        in_header = False
        pending: tuple[str, str, str | None, int | None] | None = None  # a label with no value yet
        while i < len(blocks):
            b = blocks[i]
            if isinstance(b, (Note, SceneBreak)) or (
                    isinstance(b, Paragraph) and pending is None
                    and (note_label(b, self.vocab) is not None or is_glyph_line(para_text(b)))):
                self.placed.append(b)  # a note above or inside the header: keep its place
                i += 1
                continue
            if not isinstance(b, Paragraph):
                break
            lines = _split_stats(split_lines(b))
            first_text = inline_text(lines[0]).strip()
            if pending is not None:
                # "Summary:" alone on its line (AO3: every label): the next paragraph is
                # its value, unless it is a label itself or too long for a one-line field
                p_label, _, p_kind, p_line = pending
                pending = None
                scalar = (p_kind or "extra") not in RUNS_OVER
                if field_of(first_text, self.vocab) is None and not (
                        scalar and (len(lines) > 1 or len(first_text) > 150)):
                    value, story = self.shaped(p_label, p_kind, b.inlines, p_line, blocks[i:],
                                               labelled=False)
                    if value is not None:
                        self.store(p_label, p_kind, value, p_line)
                    if story is not None:
                        return (*self.placed, story, *blocks[i + 1:])
                    i += 1
                    continue
                self.ctx.report("info", "header-field", f"empty header field {p_label}:", p_line)
            f = field_of(first_text, self.vocab)
            if f is None and not in_header and not self.meta and self.first_chapter:
                # "Story Title" over "by Author" at the very top, no labels
                taken = self.title_by_line(blocks, i)
                if taken:
                    in_header = True
                    i += taken
                    continue
            if f is None and self.first_chapter and self.dedication(blocks, i):
                i += 1
                continue
            if f is None and in_header and "title" not in self.meta and len(lines) <= 2 \
                    and all(len(inline_text(x).strip()) <= 80 for x in lines) \
                    and i + 1 < len(blocks) and isinstance(nxt := blocks[i + 1], Paragraph) \
                    and (nf := field_of(para_text(nxt).strip(), self.vocab)) and nf[2] is not None:
                # AO3's copied page: the title and author stand between label blocks
                texts = [inline_text(x).strip() for x in lines]
                self.store("Title", "title", (_t(texts[0]),), b.line, raw=texts[0])
                if len(texts) == 2:
                    name = re.sub(rf"^(?:{self.vocab.by_words})\s+", "", texts[1],
                                  flags=re.IGNORECASE)
                    self.store("By", "authors", (_t(name),), b.line, raw=texts[1])
                i += 1
                continue
            if f is None:
                if in_header and "title" in self.meta and "authors" not in self.meta \
                        and len(lines) == 1 and (m := self.by_line.match(first_text)):
                    self.store("By", "authors", (_t(m.group(1)),), b.line, raw=first_text)
                    i += 1
                    continue
                break
            label, _, kind = f
            if kind is None and not in_header:
                break
            in_header = True
            # Group the paragraph's lines into fields: a label line starts a field,
            # other lines continue the previous one.
            groups: list[tuple[str, str | None, list[tuple[Inline, ...]], int | None]] = []
            rest: Paragraph | None = None
            for n, line in enumerate(lines):
                text = inline_text(line).strip()
                if not text:
                    continue  # a line of spaces (an &nbsp;) inside the header
                lf = field_of(text, self.vocab)
                if lf is not None and (lf[2] is not None or groups or n == 0):
                    cut = len(inline_text(line)) - len(lf[1])
                    value_inl = drop_prefix(Paragraph(line), cut).inlines
                    groups.append((lf[0], lf[2], [value_inl],
                                   None if b.line is None else b.line + n))
                elif groups and groups[-1][1] == "title" and (bm := self.by_line.match(text)):
                    groups.append(("By", "authors", [(_t(bm.group(1)),)],
                                   None if b.line is None else b.line + n))
                elif groups and ((groups[-1][1] or "extra") in RUNS_OVER
                                 or not inline_text(join_lines(groups[-1][2])).strip()):
                    groups[-1][2].append(line)
                elif groups:
                    # a line under "Title: …" that is no label: the story starts here
                    rest = Paragraph(join_lines(lines[n:]),
                                     line=None if b.line is None else b.line + n)
                    break
            for k, (g_label, g_kind, g_lines, g_line) in enumerate(groups):
                value_inl = join_lines(g_lines)
                if not inline_text(value_inl).strip():
                    if k == len(groups) - 1 and rest is None:
                        pending = (g_label, "", g_kind, g_line)
                        continue
                    self.ctx.report("info", "header-field", f"empty header field {g_label}:", g_line)
                    continue
                value, story = self.shaped(g_label, g_kind, value_inl, g_line, blocks[i:])
                if value is not None:
                    self.store(g_label, g_kind, value, g_line)
                if story is not None:  # the story starts inside this field: it ends the header
                    rest = story if rest is None else Paragraph(
                        (*story.inlines, LineBreak(), *rest.inlines), story.line)
                    break
            i += 1
            if rest is not None:
                return (*self.placed, rest, *blocks[i:])
        return (*self.placed, *blocks[i:])

    def shaped(self, label: str, kind: str | None, value: tuple[Inline, ...], line: int | None,
               chapter: tuple[Block, ...], labelled: bool = True,
               ) -> tuple[tuple[Inline, ...] | None, Paragraph | None]:
        """A note field's value shaped like a note (`shape`): (what to set apart or None,
        story text to keep or None). Other fields are taken as they are."""
        if kind is None or not kind.startswith("note:"):
            return value, None
        text = inline_text(value)
        whole = (Text(f"{label}: "), *value) if labelled else value
        cut = shape.story_start(text)
        if cut == (0, 0) or cut is None and shape.too_long(shape.words(text), chapter):
            self.ctx.report("warning", "note-kept", f"{label}: {shape.words(text):,} words that "
                            f"read as story text, kept in the story: {_quote(text)}", line)
            return None, Paragraph(whole, line)
        if cut is None:
            return value, None
        note, story = split_at(Paragraph(value, line), *cut)
        self.ctx.report("info", "note-cut", f"{label}: the story starts inside it, "
                        f"{_quote(text[cut[1]:], 60)}; {shape.words(text[:cut[0]])} words set "
                        "apart", line)
        return note.inlines, story

    def dedication(self, blocks: tuple[Block, ...], i: int) -> bool:
        """A dedication at the very top ("For Sam, who taught me to sail."): set apart for
        the card, when story text follows it."""
        b = blocks[i]
        if not isinstance(b, Paragraph) or any(
                isinstance(x, Paragraph) and x not in self.placed for x in blocks[:i]):
            return False
        text = " ".join(para_text(b).split())
        if not _DEDICATION.match(text) or not any(isinstance(x, Paragraph) for x in blocks[i + 1:]):
            return False
        n = len(text.split())
        if n > 25 or n > 5 and not _DEDICATION_WORDS.search(text):
            return False  # "For Christmas, she bought a goose.": the story's first line
        self.placed.append(Note("dedication", (b,), line=b.line))
        self.ctx.report("info", "dedication", f"dedication set apart ({n} words): {_quote(text)}", b.line)
        return True

    def title_by_line(self, blocks: tuple[Block, ...], i: int) -> int:
        """How many paragraphs a bare title and a `by Name` line take at `i` (0: none)."""
        b = blocks[i]
        if not isinstance(b, Paragraph) or any(
                isinstance(x, Paragraph) and x not in self.placed for x in blocks[:i]):
            return 0
        lines = [inline_text(line).strip() for line in split_lines(b)]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if len(lines) == 2:
            title, by, taken = lines[0], lines[1], 1
        elif len(lines) == 1 and isinstance(nxt, Paragraph) and "\n" not in para_text(nxt):
            title, by, taken = lines[0], para_text(nxt).strip(), 2
        else:
            return 0
        m = self.by_line.match(by)
        name = m.group(1).strip() if m else ""
        if not m or len(name.split()) > 6 or re.search(r"\w{2,}[.!?,;]$", name) \
                or "," in name and " and " not in name and "&" not in name and len(name) > 40:
            return 0
        if len(title) > 80 or title.endswith((".", ",", ";", "!", "?", "\"", "”")) \
                or not any(x.isupper() for x in title[:1]):
            return 0
        if not any(isinstance(x, Paragraph) for x in blocks[i + taken:]):
            return 0
        self.store("Title", "title", (_t(title),), b.line, raw=title)
        self.store("By", "authors", (_t(m.group(1).strip()),), b.line, raw=by)
        return taken

    def store(self, label: str, kind: str | None, value: tuple[Inline, ...], line: int | None,
              raw: str | None = None) -> None:
        text = " ".join(inline_text(value).split())
        shown = raw or f"{label}: {text}"
        ctx = self.ctx

        def quote(t: str) -> str:  # header lines are quoted whole: the log keeps every word
            return _quote(t, 1000)

        ctx = self.ctx
        if kind == "summary":
            self.summary.append(Paragraph(value, line=line))
            ctx.report("info", "summary", f"summary set apart: {quote(shown)}", line)
        elif kind is not None and kind.startswith("note:"):
            note_kind = NOTE_KINDS[kind]
            self.placed.append(Note(note_kind, (Paragraph(value, line=line),), label=label, line=line))
            ctx.report("info", note_kind, f"{note_kind} set apart ({len(text.split())} words): "
                       f"{quote(shown)}", line)
        elif kind is None or kind == "extra":
            self.extra.append((label, text))
            ctx.report("info", "header-field", f"kept on the card: {quote(shown)}", line)
        elif kind == "words":
            ctx.report("info", "header-field",
                       f"the book counts words itself; dropped {quote(shown)}", line)
        elif kind in LIST_FIELDS:
            values = tuple(v.strip() for v in re.split(SPLIT[kind], text) if v.strip())
            self.meta[kind] = tuple(self.meta.get(kind, ())) + values
            ctx.report("info", "header-field", f"{kind}: {quote(shown)}", line)
        elif kind in self.meta and self.meta[kind] != text:
            self.extra.append((label, text))  # a second, different Title: stays on the card
            ctx.report("info", "header-field", f"kept on the card: {quote(shown)}", line)
        else:
            self.meta[kind] = text
            ctx.report("info", "header-field", f"{kind}: {quote(shown)}", line)

    def finish(self, chapters: tuple[Chapter, ...]) -> Story:
        story = self.story
        # fields, extras and summary paragraphs are only ever added
        if not self.meta and len(self.extra) == len(story.meta.extra) \
                and len(self.summary) == len(story.summary) \
                and all(map(is_, chapters, story.chapters)):
            return story  # no header here (most second passes)
        meta = dataclasses.replace(self.story.meta, **self.meta, extra=tuple(self.extra))
        return dataclasses.replace(self.story, meta=meta, chapters=chapters,
                                   summary=tuple(self.summary))


# AO3's stats line holds several fields: "Published: 2019-03-01 Words: 1,234 Chapters: 2/2".
_STATS_SPLIT = re.compile(r"\s+(?=(?:Published|Updated|Completed|Words|Chapters|Comments|Kudos|"
                          r"Bookmarks|Hits|Status|Language):\s)")


def _split_stats(lines: list[tuple[Inline, ...]]) -> list[tuple[Inline, ...]]:
    out: list[tuple[Inline, ...]] = []
    for line in lines:
        text = inline_text(line)
        if len(line) == 1 and LABEL_RE.match(text) and _STATS_SPLIT.search(text):
            out.extend((_t(part),) for part in _STATS_SPLIT.split(text.strip()))
        else:
            out.append(line)
    return out


def _t(text: str) -> Inline:
    from ficbook.model import Text

    return Text(text)
