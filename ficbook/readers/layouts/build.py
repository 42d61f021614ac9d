"""A layout's plan -> Story: the chapters' text lines through the plain-text reader's
paragraph splitter in one go (other lines blanked, so line numbers and the file's
paragraph style hold), notes and summaries as paragraphs of their own lines."""

from __future__ import annotations

from typing import Any

from ficbook.convert.context import Context
from ficbook.convert.rules.inline import parse_text
from ficbook.language import Vocabulary
from ficbook.model import Block, Chapter, Epigraph, Note, Paragraph, Story, StoryMeta, Text
from ficbook.readers.layouts.plan import NotePlan, Plan
from ficbook.readers.text.paragraphs import RawPara, split_paragraphs

_LIST_FIELDS = ("authors", "fandoms", "pairings", "characters", "warnings", "genres", "tags")
_FIELDS = ("rating", "status", "series", "language", "source", "published")


def build_story(lines: list[str], plan: Plan, ctx: Context, *, path: str, fallback_title: str,
                plain: bool, keep_boilerplate: bool = False) -> Story:
    from ficbook.readers.text.reader import _blocks, _chapters

    if plan.replaced:
        lines = list(lines)
        for i, text in plan.replaced.items():
            lines[i] = text
    tags = ctx.enabled("html_tags")
    owner: dict[int, int] = {}  # 1-based line -> chapter plan index
    for k, cp in enumerate(plan.chapters):
        for i in cp.body:
            owner[i + 1] = k
    blanked = [""] * len(lines)
    for n in owner:
        blanked[n - 1] = lines[n - 1]
    paras, _ = split_paragraphs("\n".join(blanked), ctx, plain=plain) if owner else ([], None)
    per: list[list[RawPara]] = [[] for _ in plan.chapters]
    for p in paras:
        if p.brk and _after_dropped(lines, blanked, p.line - 2):
            p = p._replace(brk=False)  # the gap a dropped line left is no scene break
        per[owner[p.line]].append(p)
    chapters: list[Chapter] = []
    for k, cp in enumerate(plan.chapters):
        mine = per[k]
        if mine and mine[0].brk:  # a gap after a dropped marker is no scene break
            mine[0] = mine[0]._replace(brk=False)
        before = [n for n in (_note(lines, np, tags) for np in cp.before) if n]
        after = [n for n in (_note(lines, np, tags) for np in cp.after) if n]
        summary = tuple(_paragraphs(lines, cp.summary, tags))
        line = None if cp.line is None else cp.line + 1
        if plan.find_chapters and mine:
            titled = _titled_headings(mine, ctx.vocab)
            epigraph: Epigraph | None = None
            if plan.book_front:
                from ficbook.readers.layouts.bookmatter import book_back, book_front

                titled, epigraph = book_front(lines, titled, cp.body, plan, ctx)
                titled = book_back(lines, titled, cp.body, plan, ctx)
            found = _chapters(titled, ctx)
            if epigraph is not None:
                found[0] = Chapter(found[0].title, (epigraph, *found[0].blocks), found[0].line,
                                   found[0].summary)
            found[0] = Chapter(found[0].title, (*before, *found[0].blocks), found[0].line,
                               summary)
            found[-1] = Chapter(found[-1].title, (*found[-1].blocks, *after), found[-1].line,
                                found[-1].summary)
            chapters.extend(found)
            continue
        blocks = _blocks(mine, tags) if mine else []
        if not blocks and not before and not after and not summary and cp.title is None:
            continue
        chapters.append(Chapter(cp.title, (*before, *blocks, *after), line, summary))
    front = [n for n in (_note(lines, np, tags) for np in plan.front) if n]
    end = [n for n in (_note(lines, np, tags) for np in plan.end) if n]
    if keep_boilerplate:
        front += [n for n in (_note(lines, NotePlan(label, "disclaimer", idx), tags)
                              for label, idx in plan.boilerplate) if n]
    return Story(meta=_meta(plan, fallback_title, ctx), chapters=tuple(chapters) or
                 (Chapter(None, ()),), summary=tuple(_paragraphs(lines, plan.summary, tags)),
                 front_notes=tuple(front), end_notes=tuple(end), path=path)


def _after_dropped(lines: list[str], blanked: list[str], i: int) -> bool:
    """A line the layout dropped in the blank run that ends at line index i."""
    while i >= 0 and not blanked[i].strip():
        if lines[i].strip():
            return True
        i -= 1
    return False


def _meta(plan: Plan, fallback_title: str, ctx: Context) -> StoryMeta:
    f = plan.fields
    kwargs: dict[str, Any] = {}
    for key in _LIST_FIELDS:
        if f.get(key):
            kwargs[key] = tuple(f[key])
    for key in _FIELDS:
        if f.get(key):
            kwargs[key] = f[key]
    if ctx.options.language:
        kwargs["language"] = ctx.options.language
    title = str(f.get("title") or fallback_title)
    return StoryMeta(title=title, extra=tuple(plan.extra), **kwargs)


def _note(lines: list[str], np: NotePlan, tags: bool) -> Note | None:
    blocks = tuple(_paragraphs(lines, np.lines, tags))
    if not blocks:
        return None  # a label whose only content was dropped ("see the end"): no empty box
    return Note(np.kind, blocks, label=np.label, line=np.lines[0] + 1)


def _paragraphs(lines: list[str], idx: list[int], tags: bool) -> list[Block]:
    """Paragraphs of a few lines (a note, a summary): runs of adjacent non-blank lines; a
    run of hard-wrapped lines is one paragraph, other runs a paragraph a line."""
    runs: list[list[int]] = []
    last = -2
    for i in idx:
        if not lines[i].strip():
            last = -2
            continue
        if i == last + 1 and runs:
            runs[-1].append(i)
        else:
            runs.append([i])
        last = i
    out: list[Block] = []
    for run in runs:
        texts = [" ".join(lines[i].split()) for i in run]
        wrapped = len(texts) > 1 and all(len(lines[i].rstrip()) >= 50 for i in run[:-1])
        groups = [(run[0], " ".join(texts))] if wrapped else list(zip(run, texts))
        for i, text in groups:
            inlines = parse_text(text, tags) if tags and ("<" in text or "&" in text) \
                else (Text(text),)
            out.append(Paragraph(inlines, i + 1))
    return out


def _titled_headings(paras: list[RawPara], vocab: Vocabulary) -> list[RawPara]:
    """`CHAPTER I.` with its title as the next paragraph (a blank line between, as books
    set them): one paragraph of two lines, which the reader reads as `CHAPTER I: Title`.
    The story language's headings too (`CAPITOLO I.` over `GIÙ NELLA CONIGLIERA.`: a title
    in capitals keeps no full stop)."""
    from ficbook.readers.text.chapters import heading

    out: list[RawPara] = []
    k = 0
    while k < len(paras):
        p = paras[k]
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if nxt is not None and not nxt.brk and "\n" not in p.text and "\n" not in nxt.text \
                and heading(p.text, vocab) is not None and _is_title(nxt.text) \
                and heading(nxt.text, vocab) is None and _is_bare(p.text):
            title = nxt.text.strip()
            if title.isupper():
                title = title.rstrip(".")
            out.append(p._replace(text=f"{p.text.strip()}\n{title}"))
            k += 2
            continue
        out.append(p)
        k += 1
    return out


def _is_bare(text: str) -> bool:
    """A heading with no title of its own: `CHAPTER I.`, `Chapter 3`."""
    words = text.strip().rstrip(".:").split()
    return len(words) == 2


def _is_title(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 60 and t[:1].isupper() and not t.endswith((".", ",", ";", "?", "!", "\"", "”", "’", "'")) \
        or (0 < len(t) <= 60 and t.isupper())

