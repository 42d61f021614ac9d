"""Pure text layout for covers: the words on the cover, balanced line breaks, fitting.

Nothing here touches fonts or files: widths come from a `measure(text) -> float`
function the caller builds from a real font (or, in tests, from `len`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Measure = Callable[[str], float]

# ---------------------------------------------------------------- the words


def credit_lines(editor: str | None, authors: Sequence[str],
                 labels: Mapping[str, str] = {}) -> tuple[str | None, str | None]:
    """(small label, names) for the credit: "Edited by" + editor, or the authors.

    Up to three authors are named; more become "A, B, C and 4 more". `labels`: the
    book's labels in its language ("edited-by", "and", "more").
    """
    if not shows_authors(editor):
        return labels.get("edited-by", "Edited by"), editor.strip()  # type: ignore[union-attr]
    names = _unique([a.strip() for a in authors if a and a.strip()])
    if not names:
        return None, None
    if len(names) == 1:
        return None, names[0]
    if len(names) <= 3:
        return None, ", ".join(names[:-1]) + f" {labels.get('and', 'and')} " + names[-1]
    return None, (", ".join(names[:3])
                  + f" {labels.get('and', 'and')} {len(names) - 3} {labels.get('more', 'more')}")


def shows_authors(editor: str | None) -> bool:
    """Whether the cover names the stories' authors: only when no editor is credited."""
    return clean(editor) is None  # None for nothing, spaces only included


def _unique(items: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def series_line(series: str | None, index: float | None) -> str | None:
    """"Name · Book 3" (or just the name); whole numbers without ".0"."""
    if not series or not series.strip():
        return None
    if index is None:
        return series.strip()
    number = int(index) if float(index).is_integer() else index
    return f"{series.strip()} · Book {number}"


def count_line(story_count: int, labels: Mapping[str, str] = {}) -> str | None:
    if story_count <= 0:
        return None
    if story_count == 1:
        return f"1 {labels.get('story', 'story')}"
    if "stories-few" in labels:  # Slavic plurals: 2-4, 22-24… (not 12-14); 21, 31… singular
        ones, tens = story_count % 10, story_count % 100
        if ones == 1 and tens != 11:
            return f"{story_count} {labels.get('story', 'story')}"
        if 2 <= ones <= 4 and not 12 <= tens <= 14:
            return f"{story_count} {labels['stories-few']}"
    return f"{story_count} {labels.get('stories', 'stories')}"


# A cover line longer than this is cut at a word, with an ellipsis: no cover can show
# more, and wrapping and fitting cost grows with the text (a 1 MB title must not take
# minutes). 200 characters set at the smallest title size fill the cover.
MAX_COVER_CHARS = 200


def shorten(text: str, limit: int = MAX_COVER_CHARS) -> str:
    """`text`, or its first words up to `limit` characters and "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def clean(text: str | None) -> str | None:
    """NFC, one line, single spaces; None for nothing."""
    if text is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text or None


_GREEK_ACCENTS = {"\u0301", "\u0300", "\u0342", "\u0313", "\u0314", "\u0345"}


def caps(text: str) -> str:
    """Upper case as typesetters do it: Greek capitals lose their accents (ΆΝΟΙΞΗ → ΑΝΟΙΞΗ)."""
    out: list[str] = []
    base_is_greek = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base_is_greek and char in _GREEK_ACCENTS:
                continue
        else:
            base_is_greek = "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff"
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out).upper())


# ---------------------------------------------------------------- line breaking


def greedy_lines(words: Sequence[str], measure: Measure, max_width: float, sep: str = " ") -> int:
    """How many lines first-fit needs: the fewest any wrap can use."""
    lines, current = 0, None
    for word in words:
        candidate = word if current is None else f"{current}{sep}{word}"
        if current is not None and measure(candidate) <= max_width:
            current = candidate
        else:
            lines += 1
            current = word
    return lines


def balanced_wrap(words: Sequence[str], measure: Measure, max_width: float,
                  sep: str = " ") -> list[str] | None:
    """Break `words` into the fewest lines that fit, with lengths as even as possible.

    A title set flush-greedy reads "The Long Way to a Small, Angry / Planet"; balanced
    it reads as two similar lines. Among layouts with the fewest lines it minimises
    the squared slack of every line (the last included) and avoids a one-word last
    line whenever another split with that many lines exists. Returns None if some
    single word is wider than `max_width` (the caller shrinks or splits it).
    """
    words = list(words)
    if not words:
        return []
    if any(measure(w) > max_width for w in words):
        return None
    n = len(words)
    k = greedy_lines(words, measure, max_width, sep)
    width: dict[tuple[int, int], float] = {}

    def line_width(i: int, j: int) -> float:
        if (i, j) not in width:
            width[(i, j)] = measure(sep.join(words[i:j]).strip())
        return width[(i, j)]

    orphan_penalty = (max_width * 2) ** 2
    inf = float("inf")
    # best[m][j]: least cost of words[:j] in m lines; back[m][j]: where line m starts.
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for m in range(1, k + 1):
        for j in range(m, n + 1):
            for i in range(j - 1, m - 2, -1):
                if best[m - 1][i] == inf:
                    continue
                w = line_width(i, j)
                if w > max_width:
                    break  # earlier starts only make the line longer
                cost = best[m - 1][i] + (max_width - w) ** 2
                if m == k and j == n and k > 1 and j - i == 1:
                    cost += orphan_penalty
                if cost < best[m][j]:
                    best[m][j], back[m][j] = cost, i
    lines: list[str] = []
    j = n
    for m in range(k, 0, -1):
        i = back[m][j]
        lines.append(sep.join(words[i:j]).strip())
        j = i
    return lines[::-1]


def split_word(word: str, measure: Measure, max_width: float) -> list[str]:
    """Cut a word too wide for any line into pieces that fit (a last resort)."""
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


# Chinese and Japanese break between any two characters, but not before closing punctuation
# nor after opening punctuation (kinsoku): each such character, with the punctuation around
# it, is a unit; other text keeps its words, each with the space after it.
_CJK_CHAR = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_UNIT = re.compile(rf"[「『（【〈《“‘\uff08]*[{_CJK_CHAR}\u3000-\u303f\uff01-\uff60]"
                       r"[、。，．：；！？）」』】〉》”’\uff09\uff0c\uff0e\uff1a\uff1b\uff01\uff1f]*\s*"
                       rf"|[^\s{_CJK_CHAR}\u3000-\u303f\uff01-\uff60]+\s*|\s+")
_HAS_CJK = re.compile(f"[{_CJK_CHAR}]")


def wrap(text: str, measure: Measure, max_width: float, allow_split: bool = False) -> list[str] | None:
    if _HAS_CJK.search(text):
        return balanced_wrap(_CJK_UNIT.findall(text.strip()), measure, max_width, sep="")
    words = text.split()
    lines = balanced_wrap(words, measure, max_width)
    if lines is None and allow_split:
        pieces = [p for w in words for p in (split_word(w, measure, max_width)
                                            if measure(w) > max_width else [w])]
        lines = balanced_wrap(pieces, measure, max_width)
    return lines


# ---------------------------------------------------------------- fitting


@dataclass(frozen=True, slots=True)
class Fit:
    size: int
    lines: tuple[str, ...]


def fit_text(text: str, measure_at: Callable[[int], Measure], height_of: Callable[[int, int], float],
             max_width: float, max_height: float, min_size: int, max_size: int,
             max_lines: int | None = None, allow_split: bool = False) -> Fit | None:
    """The largest size in [min_size, max_size] at which `text` wraps within the box.

    `measure_at(size)` gives a width function for that size; `height_of(size, lines)`
    the block height. Width and height both grow with size, so a binary search over
    whole pixel sizes finds the answer. None if even `min_size` does not fit.
    """
    def attempt(size: int) -> Fit | None:
        lines = wrap(text, measure_at(size), max_width, allow_split)
        if lines is None or (max_lines and len(lines) > max_lines):
            return None
        if height_of(size, len(lines)) > max_height:
            return None
        return Fit(size, tuple(lines))

    found = attempt(min_size)
    if found is None:
        return None
    lo, hi = min_size, max_size  # lo always fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        fit = attempt(mid)
        if fit is not None:
            lo, found = mid, fit
        else:
            hi = mid - 1
    # A lone last word ("…Winter / Woods") is worth a slightly smaller title, not a much smaller one.
    if has_orphan(found.lines):
        for size in range(found.size - 2, max(min_size, round(found.size * 0.8)) - 1, -2):
            fit = attempt(size)
            if fit is not None and not has_orphan(fit.lines):
                return fit
    return found


def has_orphan(lines: Sequence[str]) -> bool:
    """A one-word last line where another word could have joined it."""
    return (len(lines) > 1 and len(lines[-1].split()) == 1
            and sum(len(line.split()) for line in lines) > len(lines))
