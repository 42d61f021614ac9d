"""A printed book's front and back matter inside an edition (Project Gutenberg's).

Before the book's first chapter heading: title page, imprint, printer's and censor's
lines, printing history, publisher's catalogue, contents table, illustration markers.
After its end marker (`THE END`, `FIN.`, `Конец`): the printer's line, a list of
corrections. That is the printed book's furniture, not a chapter (the book makes its own
card and contents): dropped and listed like the edition's header (kept as a disclaimer by
`boilerplate: keep`). Kept: prose (a preface without a heading stays the story's untitled
opening), verse (a dedicatory poem before chapter one becomes the first chapter's
epigraph when it is all that is left of the front) and a bracketed note in running
sentences (the author's word on the translation), set apart.

Each run of lines (lines between blank lines) is judged as the file sets it, so the
shape holds in any language: a title page shouts or sets short lines, a catalogue and a
contents table end their lines in prices and page numbers, verse runs several lines of
lower-case words, prose runs long lines of sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ficbook.convert.context import Context, quote
from ficbook.convert.rules.inline import parse_text
from ficbook.model import Epigraph, Paragraph
from ficbook.readers.layouts.markers import paragraph_runs
from ficbook.readers.layouts.plan import NotePlan, Plan
from ficbook.readers.text.raw import RawPara

_EDITION = re.compile(r"project gutenberg|https?://|www\.", re.IGNORECASE)
_ENDS_IN_NUMBER = re.compile(r"[\d$£€]\W*$")
_STARTS_WITH_NUMERAL = re.compile(r"^\s*(?:[IVXLC]+|\d+)[.)]?(?:\s|$)")
_SENTENCE_END = re.compile(r"[.!?…»”\"']\s*$|[.!?…]\s+\S")

PROSE_WORDS = 20  # a run of fewer words is a line of the title page, not a preface
NOTE_WORDS = 15  # a bracketed run of fewer is a caption or a rights line
SIGN_OFF_WORDS = 8  # a line under prose: its place and date
NEAR = 0.1  # share of the body, at its top or bottom, where front or back matter may be
NEAR_LINES = 150  # … or this many lines in a short book


@dataclass
class Runs:
    """Runs of lines sorted by what they are: 0-based line indices of each."""

    prose: list[list[int]] = field(default_factory=list)
    verse: list[list[int]] = field(default_factory=list)
    notes: list[list[int]] = field(default_factory=list)
    matter: list[list[int]] = field(default_factory=list)

    @property
    def text(self) -> bool:
        """Anything a reader reads: prose, verse or a note."""
        return bool(self.prose or self.verse or self.notes)


def sort_runs(lines: list[str], idx: list[int]) -> Runs:
    runs = Runs()
    last = ""
    for run in paragraph_runs(lines, idx):
        texts = [lines[i].strip() for i in run]
        what = kind(texts)
        if what == "matter" and last == "prose" and len(run) == 1 \
                and len(texts[0].split()) <= SIGN_OFF_WORDS and not shouts(texts[0]):
            what = "prose"  # the place and date under a preface: its sign-off
        getattr(runs, what).append(run)
        last = what
    return runs


def kind(texts: list[str]) -> str:
    """"prose", "verse", "notes" or "matter", for a run's stripped lines."""
    joined = " ".join(texts)
    words = joined.split()
    if _EDITION.search(joined):
        return "matter"  # the edition's own note that survived its header
    if joined.startswith("[") and joined.endswith("]") and len(words) >= NOTE_WORDS \
            and _SENTENCE_END.search(joined[:-1]):
        return "notes"
    if shouts(joined):
        return "matter"
    if _verse(texts):
        return "verse"
    if len(words) >= PROSE_WORDS and len(texts[0]) >= 40 and _SENTENCE_END.search(joined) \
            and not any(_ENDS_IN_NUMBER.search(t) for t in texts):
        return "prose"
    return "matter"


def shouts(text: str) -> bool:
    """Mostly capitals: a title page's lines."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.3 * len(letters)


def _verse(texts: list[str]) -> bool:
    """Four lines or more of words, short and of uneven length: a stanza. A list of
    titles with page numbers or prices, a contents table's numerals, a paragraph wrapped
    at a fixed width (its lines all about as long) are not."""
    if len(texts) < 4:
        return False
    if any(len(t) > 75 or _ENDS_IN_NUMBER.search(t) or _STARTS_WITH_NUMERAL.match(t)
           for t in texts):
        return False
    if sum(len(t.split()) for t in texts) < 3 * len(texts):
        return False
    return sum(len(t) > 60 for t in texts) <= len(texts) // 4


def book_front(lines: list[str], paras: list[RawPara], body: list[int], plan: Plan,
               ctx: Context) -> tuple[list[RawPara], Epigraph | None]:
    """The paragraphs less the front matter before the book's first chapter heading (a
    bracketed note goes to `plan.front`), and the epigraph a lone poem there makes."""
    first = _first_heading(lines, paras, body, ctx)
    if first is None:
        return paras, None
    front = sort_runs(lines, [i for i in body if i + 1 < first])
    gone = _drop(lines, front, plan, ctx, "front matter (title page, imprint, contents…)")
    for run in front.notes:
        plan.front.append(NotePlan(None, "author-note", run))
        gone.update((i + 1, "note") for i in run)
        ctx.report("info", "note", f"bracketed note before the first chapter: "
                                   f"{quote(lines[run[0]].strip(), 50)}", run[0] + 1)
    poem = bool(front.verse) and not front.prose
    if poem:
        gone.update((i + 1, "verse") for run in front.verse for i in run)
    if not gone:
        return paras, None
    kept = _kept(paras, gone)
    if not poem:
        return kept, None
    tags = ctx.enabled("html_tags")
    verse = tuple(Paragraph(parse_text(p.text, tags), p.line) for p in paras
                  if gone.get(p.line) == "verse")
    ctx.report("info", "epigraph", f"verse before the first chapter "
                                   f"{quote(lines[front.verse[0][0]].strip(), 50)} is the "
                                   "book's epigraph", front.verse[0][0] + 1)
    return kept, Epigraph(verse, (), verse[0].line) if verse else None


def book_back(lines: list[str], paras: list[RawPara], body: list[int], plan: Plan,
              ctx: Context) -> list[RawPara]:
    """The paragraphs less the back matter after the book's own end marker."""
    if not body:
        return paras
    vocab = ctx.vocab
    floor = body[-1] - max(int((body[-1] - body[0]) * NEAR), NEAR_LINES)
    end = next((i for i in reversed(body) if i >= floor and lines[i].strip()
                and vocab.is_end_marker(lines[i].strip())), None)
    if end is None:
        return paras
    back = sort_runs(lines, [i for i in body if i > end])
    gone = _drop(lines, back, plan, ctx,
                 f"back matter after the end marker {quote(lines[end].strip())}")
    return _kept(paras, gone) if gone else paras


def _first_heading(lines: list[str], paras: list[RawPara], body: list[int],
                   ctx: Context) -> int | None:
    """The 1-based line of the book's first chapter heading, when text stands before it
    and two chapters or more follow. A heading near the top whose chapter holds no
    text (`Tome I` over the contents table) is the front's."""
    from ficbook.readers.text.chapters import find_headings, is_act
    from ficbook.readers.text.reader import _split_headings

    scratch = Context(ctx.options, ctx.source)  # a first look: its reports are not kept
    split = _split_headings(paras, scratch)
    found = find_headings(split, scratch)
    order = sorted(found)
    if not body or len(order) < 2:
        return None
    near = body[0] + max(int((body[-1] - body[0]) * NEAR), NEAR_LINES)
    k = 0
    while k + 2 < len(order) and split[order[k + 1]].line - 1 < near:
        span = [i for i in body if split[order[k]].line <= i + 1 < split[order[k + 1]].line]
        if sort_runs(lines, span).text:
            break
        k += 1
    if len(order) - k < 2 or order[k] == 0:
        return None
    if is_act(found[order[k]], ctx.vocab):
        return None  # what stands before a play's first act (its cast, its scenes) is the play's
    return split[order[k]].line


def _drop(lines: list[str], runs: Runs, plan: Plan, ctx: Context, what: str) -> dict[int, str]:
    """Drop the runs of matter (listed; kept by `boilerplate: keep`): 1-based line -> "matter"."""
    gone: dict[int, str] = {}
    for run in runs.matter:
        plan.boilerplate.append(("front matter", run))
        gone.update((i + 1, "matter") for i in run)
    if runs.matter:
        first = runs.matter[0][0]
        n = f"{len(gone)} line{'s' if len(gone) > 1 else ''}"
        ctx.report("info", "chrome-dropped", f"the printed book's {what}: {n} from "
                                             f"{quote(lines[first].strip(), 50)}", first + 1)
    return gone


def _kept(paras: list[RawPara], gone: dict[int, str]) -> list[RawPara]:
    kept = [p for p in paras if gone.get(p.line) is None]
    if kept and kept[0].brk:
        kept[0] = kept[0]._replace(brk=False)
    return kept
