"""The `markers` engine: an edition wrapped around a book, as Project Gutenberg's. The text
runs from a start marker to an end marker; before it, a header with the card's fields;
after it, the licence; at its top, the edition's own paragraphs (`Produced by…`,
transcriber's notes) and the title page again. All of that is dropped and listed (or kept
as a disclaimer by `boilerplate: keep`); the book's chapters are found as in any text."""

from __future__ import annotations

import re

from ficbook.convert.context import Context, quote
from ficbook.errors import StoryError
from ficbook.readers.layouts.fields import store_field
from ficbook.readers.layouts.plan import ChapterPlan, Plan
from ficbook.readers.layouts.profiles import Profile

_LABEL = re.compile(r"^([A-Za-z][A-Za-z ]{0,24}):\s*(.*)$")


def read_markers(lines: list[str], profile: Profile, ctx: Context) -> Plan:
    plan = Plan(find_chapters=True, book_front=True)
    starts, ends = profile.patterns("start"), profile.patterns("end")
    n = len(lines)
    start = -1
    for i, line in enumerate(lines):
        if i > n // 2 and start >= 0:
            break
        if starts is not None and starts.match(line):
            start = i
    end = n
    for i in range(start + 1, n):
        if ends is not None and ends.match(lines[i]):
            end = i
            break
    _header(lines[:max(start, 0)], profile, plan, ctx)
    if start >= 0:
        _drop(plan, ctx, "Project Gutenberg header", lines, range(0, start + 1))
    if end < n:
        _drop(plan, ctx, "Project Gutenberg licence", lines, range(end, n))
    body = list(range(start + 1, end))
    if "authors" not in plan.fields:
        body = _title_page(lines, body, plan, ctx)
    body = _front_matter(lines, body, profile, plan, ctx)
    if not any(lines[i].strip() for i in body):
        raise StoryError("no story text: the file holds only Project Gutenberg boilerplate",
                         file=ctx.source)
    plan.chapters.append(ChapterPlan(None, None, body=body))
    return plan


def _header(lines: list[str], profile: Profile, plan: Plan, ctx: Context) -> None:
    labels = {k.lower(): v for k, v in (profile.get("labels") or {}).items()}
    ebook_of = profile.pattern("ebook_of")
    guess: tuple[str, str | None, int] | None = None
    for i, line in enumerate(lines):
        s = line.strip()
        if guess is None and ebook_of is not None and (m := ebook_of.match(s)):
            guess = (m.group("title"), m.group("author"), i)
            continue
        m = _LABEL.match(s)
        if m and m.group(1).lower() in labels and m.group(2).strip():
            value = m.group(2).strip()
            # a value continued on indented lines ("Author: A\n        B")
            k = i + 1
            while k < len(lines) and lines[k][:1].isspace() and lines[k].strip() \
                    and not _LABEL.match(lines[k].strip()):
                value += (" and " if labels[m.group(1).lower()] == "authors" else " ") \
                    + lines[k].strip()
                k += 1
            store_field(plan, m.group(1), labels[m.group(1).lower()], value, ctx, i + 1)
    if guess is not None:
        title, author, i = guess
        if "title" not in plan.fields:
            store_field(plan, "Title", "title", title, ctx, i + 1)
        if author and "authors" not in plan.fields:
            store_field(plan, "By", "authors", author, ctx, i + 1)


def _drop(plan: Plan, ctx: Context, label: str, lines: list[str], span: range,
          why: str | None = None) -> None:
    idx = [i for i in span if lines[i].strip()]
    if not idx:
        return
    plan.boilerplate.append((label, idx))
    first = lines[idx[0]].strip()
    ctx.report("info", "chrome-dropped",
               f"{why or label}: {_lines(idx)} "
               f"from {quote(first, 50)}", idx[0] + 1)


_NAME = re.compile(r"^(?:by\s+)?([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})$")
_CENTRED = re.compile(r"^\s{6,}\S")


def _title_page(lines: list[str], body: list[int], plan: Plan, ctx: Context) -> list[int]:
    """An old edition whose header names no author: the book's own title page at the top
    of the text (short centred lines: the title, the author's name) gives both."""
    runs = paragraph_runs(lines, body)[:6]
    title_run = author_run = None
    author = ""
    for k, run in enumerate(runs):
        if not all(_CENTRED.match(lines[i]) and len(lines[i].strip()) <= 60 for i in run):
            break
        text = " ".join(lines[i].strip() for i in run)
        if title_run is None:
            title_run = k
        elif author_run is None and len(run) == 1 and (named := _NAME.match(text)) \
                and not text.isupper():
            author_run, author = k, named.group(1)
            break
    if title_run is None or author_run is None:
        return body
    title = " ".join(lines[i].strip() for i in runs[title_run])
    if title.isupper():
        title = _title_case(title)
    plan.fields["title"] = title
    ctx.report("info", "header-field", f"title: {quote(title)} (the title page)", runs[title_run][0] + 1)
    store_field(plan, "By", "authors", author, ctx, runs[author_run][0] + 1)
    drop = {i for run in (runs[title_run], runs[author_run]) for i in run}
    for run in runs[author_run + 1:author_run + 3]:  # "THE MILLENNIUM FULCRUM EDITION 3.0"
        if all(_CENTRED.match(lines[i]) for i in run) and re.search(
                r"\bedition\b", " ".join(lines[i] for i in run), re.IGNORECASE):
            drop.update(run)
    _drop(plan, ctx, "title page", lines, range(min(drop), max(drop) + 1), why="title page")
    return [i for i in body if i not in drop]


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "the", "of", "in", "on", "at", "to", "for", "or", "by"}
    words = text.lower().split()
    return " ".join(w if k and w in small else w[:1].upper() + w[1:] for k, w in enumerate(words))


def _lines(idx: list[int]) -> str:
    if len(idx) == 1:
        return f"line {idx[0] + 1}"
    return f"lines {idx[0] + 1}–{idx[-1] + 1} ({len(idx)} lines)"


def paragraph_runs(lines: list[str], body: list[int]) -> list[list[int]]:
    """Runs of adjacent non-blank lines among the line indices `body`."""
    runs: list[list[int]] = []
    prev = -2
    for i in body:
        if not lines[i].strip():
            continue
        if runs and i == prev + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
        prev = i
    return runs


def _front_matter(lines: list[str], body: list[int], profile: Profile, plan: Plan,
                  ctx: Context) -> list[int]:
    """The body less the edition's paragraphs at its top and bottom and the title page."""
    edition = profile.patterns("front_boilerplate")
    title = _squeeze(str(plan.fields.get("title") or ""))
    authors = [_squeeze(a) for a in plan.fields.get("authors", ())]
    runs = paragraph_runs(lines, body)
    drop: set[int] = set()

    def edition_run(run: list[int]) -> bool:
        return edition is not None and edition.match(lines[run[0]]) is not None

    def title_page(run: list[int]) -> bool:
        for i in run:
            s = _squeeze(lines[i])
            if not s or s == title or (title and s in title and len(s) > 8):
                continue
            if s.startswith("by ") and (not authors or s[3:] in authors) or s in authors:
                continue
            if k and len(s) <= 60 and re.search(r"\bedition\b", s):
                continue  # "THE MILLENNIUM FULCRUM EDITION 3.0" under the title
            return False
        return True

    k = 0
    while k < len(runs) and k < 8:
        run = runs[k]
        if edition_run(run):
            run = _through_bracket(lines, runs, k)
            run = _under_label(lines, runs, k, run)
            _drop(plan, ctx, "Project Gutenberg edition notes", lines, range(run[0], run[-1] + 1))
        elif title and title_page(run):
            _drop(plan, ctx, "title page", lines, range(run[0], run[-1] + 1),
                  why="title page repeated")
        else:
            break
        drop.update(run)
        k += 1 + sum(1 for r in runs[k + 1:] if r[0] <= run[-1])
    for run in reversed(runs[k:]):
        if not edition_run(run):
            break
        _drop(plan, ctx, "Project Gutenberg edition notes", lines, range(run[0], run[-1] + 1))
        drop.update(run)
    # a transcriber's note under its own label near the end (`Au lecteur.` over the list of
    # corrections): the note runs to the end of the text
    tail = runs[max(k, len(runs) - 20):]
    label = next((n for n, run in enumerate(tail) if edition_run(run) and len(run) == 1
                  and len(lines[run[0]].split()) <= 5 and not set(run) & drop), None)
    if label is not None:
        rest = [i for run in tail[label:] for i in run if i not in drop]
        _drop(plan, ctx, "Project Gutenberg edition notes", lines, range(rest[0], rest[-1] + 1))
        drop.update(rest)
    return [i for i in body if i not in drop]


def _through_bracket(lines: list[str], runs: list[list[int]], k: int) -> list[int]:
    """A `[Transcriber's Note:` run that spans blank lines: all up to its closing `]`."""
    run = runs[k]
    if not lines[run[0]].lstrip().startswith("[") or "]" in "".join(lines[i] for i in run):
        return run
    out = list(run)
    for r in runs[k + 1:k + 6]:
        out.extend(r)
        if any("]" in lines[i] for i in r):
            return out
    return run


def _under_label(lines: list[str], runs: list[list[int]], k: int, run: list[int]) -> list[int]:
    """A label alone on its line (`Au lecteur`, `Nota de transcripción`): the label and the
    paragraphs set under it, one blank line apart, up to the wider gap that ends them."""
    if len(run) != 1 or len(lines[run[0]].split()) > 5:
        return run
    out = list(run)
    for r in runs[k + 1:k + 8]:
        if r[0] - out[-1] != 2:  # not one blank line apart: the note has ended
            break
        out.extend(r)
    return out


def _squeeze(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower().strip(" .")
