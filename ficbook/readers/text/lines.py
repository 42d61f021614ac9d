"""A plain text's lines and its paragraph style: the blank lines before each line, archive
chrome dropped (without making a scene break of the gap it leaves), and how paragraphs
are marked (blank lines, one a line, or hard-wrapped with indents or blank lines)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from ficbook.convert.context import Context
from ficbook.convert.rules.chrome import MAX_LENGTH, by_first_char, is_chrome
from ficbook.convert.rules.chrome import report as report_chrome

# The characters a sentence (or a line of dialogue) may end with.
SENTENCE_END = tuple(".!?…\"”’')»—–-*~")
_ENDS = frozenset(SENTENCE_END)


@dataclass(frozen=True, slots=True)
class Layout:
    style: str  # "blank-line", "one-per-line", "wrapped", "wrapped-indented"
    gap: int  # the file's normal paragraph gap in blank lines
    width: int  # wrap width for hard-wrapped files, else 0


class Lines(NamedTuple):
    """The non-blank, non-chrome lines, as three lists (one entry a line)."""

    numbers: list[int]  # 1-based
    texts: list[str]  # right-stripped; tabs four spaces, no-break spaces spaces
    gaps: list[int]  # blank lines before it


def read_lines(text: str, ctx: Context, plain: bool = False) -> Lines:
    """Every non-blank, non-chrome line: its number, its text, the blank lines before it.

    Blank runs on both sides of a dropped chrome line count as the longer of the two,
    never their sum, so dropping chrome never makes a scene break.
    """
    lines = Lines([], [], [])
    add_number, add_text, add_gap = lines.numbers.append, lines.texts.append, lines.gaps.append
    gap = run = 0
    chrome = ctx.enabled("chrome")
    not_chrome = ctx.not_chrome
    chrome_starts = by_first_char()
    # Tabs become four spaces and no-break spaces one, in the whole text at once: rstrip()
    # takes both, and is_chrome and the log's quote() squeeze them alike (tests). Looking
    # for one first is cheaper than replace() finding none.
    if "\t" in text:
        text = text.replace("\t", "    ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    for n, line in enumerate(text.split("\n"), 1):
        line = line.rstrip()  # str.rstrip() also takes other Unicode spaces
        if not line:
            run += 1
            continue
        if chrome and (pattern := chrome_starts[line[0]]) is not None:  # a quick no for most
            # in plain text a line with no leading or double space is squeezed already:
            # is_squeezed_chrome(line), inlined (its pattern is the one just looked up)
            if (len(line) <= MAX_LENGTH and pattern.fullmatch(line) is not None
                    if plain and line[0] != " " and "  " not in line else is_chrome(line)):
                report_chrome(ctx, line, n)
                gap, run = max(gap, run), 0
                continue
            not_chrome.add(line)  # the chrome rule need not look again
        add_number(n)
        add_text(line)
        add_gap(run if run > gap else gap)
        gap = run = 0
    return lines


def paragraph_style(lines: Lines) -> Layout:
    texts, gaps = lines.texts, lines.gaps[1:]
    count = len(texts)
    if count < 2:
        return Layout("blank-line", 1, 0)
    zero = gaps.count(0) / len(gaps)
    nonzero = Counter(gaps)  # first-seen order kept: most_common() breaks ties by it
    del nonzero[0]
    width = _wrap_width(texts, zero)
    if width:
        indents = sum(1 for t in texts if re.match(r"\s{2,}\S", t))
        indented = indents >= 0.05 * count and indents > sum(nonzero.values())
        if not indented and nonzero and sum(nonzero.values()) >= 0.05 * count:
            return Layout("wrapped", nonzero.most_common(1)[0][0], width)
        return Layout("wrapped-indented" if indented else "wrapped", 0, width)
    if zero >= 0.8 or (zero >= 0.6 and count >= 12):
        return Layout("one-per-line", 0, 0)
    return Layout("blank-line", nonzero.most_common(1)[0][0] if nonzero else 1, 0)


def _wrap_width(texts: list[str], zero: float) -> int:
    """The wrap width when the lines look hard-wrapped, else 0. `zero`: the share of lines
    with no blank line before them (most files have blank lines between all: they are
    settled before any line is measured)."""
    count = len(texts)
    if count < 6 or zero < 0.3:
        return 0
    lengths = sorted(map(len, map(str.strip, texts)))
    width = lengths[int(0.9 * (count - 1))]
    if not 45 <= width <= 100:
        return 0
    # counted by bisecting the sorted lengths, not one by one
    near = (count - bisect_left(lengths, 0.75 * width)) / count
    overlong = (count - bisect_right(lengths, width * 1.25 + 5)) / count
    if near < 0.3 or overlong > 0.05:
        return 0
    # hard-wrapped lines mostly end mid-sentence; one-paragraph-per-line text does not
    # (the texts are right-stripped, and every _SENTENCE_END is one character)
    unended = (count - sum(map(_ENDS.__contains__, map(itemgetter(-1), texts)))) / count
    return width if unended >= 0.3 else 0


def describe(layout: Layout) -> str:
    if layout.style == "blank-line":
        return f"paragraphs separated by {layout.gap} blank line{'s' if layout.gap > 1 else ''}"
    if layout.style == "one-per-line":
        return "one paragraph per line"
    how = "first-line indents" if layout.style == "wrapped-indented" else (
        f"{layout.gap} blank line{'s' if layout.gap > 1 else ''}" if layout.gap else "short last lines")
    return f"hard-wrapped at {layout.width} columns, paragraphs marked by {how}"
