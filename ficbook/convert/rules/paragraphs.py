"""Paragraphs from lines: detect the file's style (blank-line separated, one paragraph per
line, hard-wrapped with blank lines or first-line indents), unwrap, and measure the
file's normal paragraph gap so that only longer runs of blank lines count as breaks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ficbook.convert.context import Context
from ficbook.convert.rules.epigraphs import is_attribution_text
from ficbook.convert.rules.chrome import is_chrome, report as report_chrome
from ficbook.convert.rules.header import LABEL_RE, label_kind
from ficbook.convert.rules.scenes import is_glyph_line

_QUOTE_OPEN = tuple("\"“‘'«„—–")
_SENTENCE_END = tuple(".!?…\"”’')»—–-*~")


@dataclass(frozen=True, slots=True)
class RawPara:
    line: int  # 1-based line of its first line
    text: str  # lines joined: " " where unwrapped, "\n" where a line break stays
    gap: int  # blank lines before it
    brk: bool = False  # a scene break before it (blank-line run)


@dataclass(frozen=True, slots=True)
class Layout:
    style: str  # "blank-line", "one-per-line", "wrapped", "wrapped-indented"
    gap: int  # the file's normal paragraph gap in blank lines
    width: int  # wrap width for hard-wrapped files, else 0


def split_paragraphs(text: str, ctx: Context) -> tuple[list[RawPara], Layout]:
    lines = _lines(text, ctx)
    layout = _layout(lines)
    ctx.report("info", "paragraph-style", _describe(layout))
    paras = _group(lines, layout, ctx.enabled("unwrap"))
    return _breaks(paras, layout, ctx), layout


def _lines(text: str, ctx: Context) -> list[tuple[int, str, int]]:
    """(line number, text, blank lines before) for every non-blank, non-chrome line.

    Blank runs on both sides of a dropped chrome line count as the longer of the two,
    never their sum, so dropping chrome never makes a scene break.
    """
    out: list[tuple[int, str, int]] = []
    gap = 0
    run = 0
    chrome = ctx.enabled("chrome")
    not_chrome = ctx.not_chrome
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()  # str.rstrip() also takes NBSP and other Unicode spaces
        if not line:
            run += 1
            continue
        if chrome and is_chrome(line):
            report_chrome(ctx, line, n)
            gap, run = max(gap, run), 0
            continue
        line = line.replace("\t", "    ").replace("\u00a0", " ")
        if chrome:
            not_chrome.add(line)
        out.append((n, line, max(gap, run)))
        gap = run = 0
    return out


def _layout(lines: list[tuple[int, str, int]]) -> Layout:
    if len(lines) < 2:
        return Layout("blank-line", 1, 0)
    gaps = [g for _, _, g in lines[1:]]
    zero = sum(1 for g in gaps if g == 0) / len(gaps)
    lengths = sorted(len(t.strip()) for _, t, _ in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= 0.75 * width) / len(lengths)
    overlong = sum(1 for n in lengths if n > width * 1.25 + 5) / len(lengths)
    # hard-wrapped lines mostly end mid-sentence; one-paragraph-per-line text does not
    unended = sum(1 for _, t, _ in lines if not t.rstrip().endswith(_SENTENCE_END)) / len(lines)
    wrapped = (len(lines) >= 6 and 45 <= width <= 100 and near >= 0.3 and zero >= 0.3
               and overlong <= 0.05 and unended >= 0.3)
    nonzero = Counter(g for g in gaps if g > 0)
    if wrapped:
        indents = sum(1 for _, t, _ in lines if re.match(r"\s{2,}\S", t))
        indented = indents >= 0.05 * len(lines) and indents > sum(nonzero.values())
        if not indented and nonzero and sum(nonzero.values()) >= 0.05 * len(lines):
            return Layout("wrapped", nonzero.most_common(1)[0][0], width)
        return Layout("wrapped-indented" if indented else "wrapped", 0, width)
    if zero >= 0.8 or (zero >= 0.6 and len(lines) >= 12):
        return Layout("one-per-line", 0, 0)
    return Layout("blank-line", nonzero.most_common(1)[0][0] if nonzero else 1, 0)


def _describe(layout: Layout) -> str:
    if layout.style == "blank-line":
        return f"paragraphs separated by {layout.gap} blank line{'s' if layout.gap > 1 else ''}"
    if layout.style == "one-per-line":
        return "one paragraph per line"
    how = "first-line indents" if layout.style == "wrapped-indented" else (
        f"{layout.gap} blank line{'s' if layout.gap > 1 else ''}" if layout.gap else "short last lines")
    return f"hard-wrapped at {layout.width} columns, paragraphs marked by {how}"


def _starts_new(prev: str, cur: str, gap: int, layout: Layout) -> bool:
    """Within a run of lines with no blank between them: does `cur` start a paragraph?"""
    s = cur.strip()
    if is_glyph_line(prev) or is_glyph_line(cur):
        return True
    if _is_label(s):
        return True
    if is_attribution_text(s) and len(prev.strip()) < 200:
        return True  # "— Name" under a quotation: its own paragraph, for the epigraph rule
    if layout.style == "one-per-line":
        return True
    ended = prev.rstrip().endswith(_SENTENCE_END)
    if s.startswith(_QUOTE_OPEN) and ended:
        return True  # never merge two lines of dialogue
    if layout.width:
        if re.match(r"\s{2,}\S", cur) and layout.style == "wrapped-indented":
            return True
        return len(prev.strip()) < 0.7 * layout.width and ended
    return False


def _is_label(text: str) -> bool:
    m = LABEL_RE.match(text.strip())
    return bool(m) and label_kind(m.group(1)) is not None


# Header values that may run over several lines (a summary, a disclaimer, a note).
_MULTILINE = {"summary", "warnings", "characters", "tags", "pairings", "fandoms",
              "note:disclaimer", "note:feedback", "note:dedication", "note:author-note"}


def _runs_over(first: str, text: str) -> bool:
    """Does `text` continue the header field that `first` starts?"""
    m = LABEL_RE.match(first.strip())
    if not m or label_kind(m.group(1)) not in _MULTILINE:
        return False
    s = text.strip()
    return not (_is_label(s) or is_glyph_line(s) or s.startswith(_QUOTE_OPEN + ("(", "["))
                or is_attribution_text(s))


def _group(lines: list[tuple[int, str, int]], layout: Layout, unwrap: bool) -> list[RawPara]:
    paras: list[RawPara] = []
    cur: list[str] = []
    start = gap = 0
    header_zone = True  # the label block at the top: its values may run over lines
    for n, text, g in lines:
        if cur and g == 0 and header_zone and _runs_over(cur[0], text):
            new = False
        else:
            new = not cur or g > 0 or _starts_new(cur[-1], text, g, layout)
        if new and header_zone and cur and not _is_label(cur[0]):
            header_zone = False
        if new:
            if cur:
                paras.append(RawPara(start, _join(cur, layout, unwrap), gap))
            cur, start, gap = [text], n, g
        else:
            cur.append(text)
    if cur:
        paras.append(RawPara(start, _join(cur, layout, unwrap), gap))
    return paras


def _join(lines: list[str], layout: Layout, unwrap: bool) -> str:
    stripped = [ln.strip() for ln in lines]
    if len(stripped) == 1:
        return stripped[0]
    if unwrap and (layout.width or _looks_wrapped(stripped)):
        out = stripped[0]
        for ln in stripped[1:]:
            # a word hyphenated at the wrap ("some-\nthing") is kept hyphenated: the
            # hyphen may be real, and a wrong join loses nothing
            out += ln if out.endswith("-") and not out.endswith(" -") else " " + ln
        return out
    return "\n".join(stripped)  # poetry, letters, lists: keep the line breaks


def _looks_wrapped(lines: list[str]) -> bool:
    body = [len(ln) for ln in lines[:-1]]
    return len(body) >= 2 and min(body) >= 45 and max(body) - min(body) <= 25 and max(body) <= 100


def _breaks(paras: list[RawPara], layout: Layout, ctx: Context) -> list[RawPara]:
    """Mark runs of blank lines longer than the normal gap, unless long gaps are so common
    that they are just the author's irregular spacing."""
    if not ctx.enabled("scene_breaks") or len(paras) < 3:
        return paras
    gaps = [p.gap for p in paras[1:]]
    long = [g for g in gaps if g > layout.gap]
    if not long or len(long) > max(2, 0.3 * len(gaps)):
        if long:
            ctx.report("info", "scene-break",
                       f"blank-line runs vary too much to mark scene breaks "
                       f"({len(long)} of {len(gaps)} gaps are longer than {layout.gap})")
        return paras
    out = [paras[0]]
    for p in paras[1:]:
        if p.gap > layout.gap:
            p = RawPara(p.line, p.text, p.gap, True)
        out.append(p)
    return out
