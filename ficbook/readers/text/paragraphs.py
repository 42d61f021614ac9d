"""Paragraphs from lines: detect the file's style (blank-line separated, one paragraph per
line, hard-wrapped with blank lines or first-line indents), unwrap, and measure the
file's normal paragraph gap so that only longer runs of blank lines count as breaks."""

from __future__ import annotations

import re
from functools import partial
from itertools import repeat
from operator import itemgetter

from ficbook.convert.context import Context, quote
from ficbook.convert.rules.epigraphs import is_attribution_text
from ficbook.convert.rules.header_fields import LABEL_RE, label_kind, label_line_kind
from ficbook.convert.rules.scenes import is_glyph_line
from ficbook.language import Vocabulary
from ficbook.readers.text.lines import SENTENCE_END, Layout, Lines, describe, paragraph_style, read_lines
from ficbook.readers.text.raw import RawPara

_QUOTE_OPEN = tuple("\"“‘'«„—–")


# RawPara((line, text, gap, brk)), without the generated __new__ (half the time)
_raw_para = partial(tuple.__new__, RawPara)
_text, _gap = itemgetter(1), itemgetter(2)  # RawPara.text, RawPara.gap
_first_char = itemgetter(slice(None, 1))  # text[:1]


def split_paragraphs(text: str, ctx: Context, plain: bool = False) -> tuple[list[RawPara], Layout]:
    """`plain`: the text's only white space is spaces, tabs, no-break spaces and "\\n" (as in
    decode's plain text)."""
    lines = read_lines(text, ctx, plain)
    layout = paragraph_style(lines)
    ctx.report("info", "paragraph-style", describe(layout))
    vocab = ctx.vocab
    unwrap = ctx.enabled("unwrap")
    paras = _group(lines, layout, unwrap, None if vocab.english_only else vocab)
    if unwrap:
        report_lines_kept(paras, ctx)
    return _breaks(paras, layout, ctx), layout


def report_lines_kept(paras: list[RawPara], ctx: Context) -> None:
    """Each paragraph whose lines were kept (verse, a song's lines, a chat log, a letter),
    for `ficbook inspect`."""
    if "\n" not in "".join(map(_text, paras)):  # most files: one look, five times faster
        return
    for p in paras:
        if "\n" in p.text:
            ctx.report("info", "lines-kept", f"lines kept as lines ({p.text.count(chr(10)) + 1}): "
                       f"{quote(p.text.split(chr(10), 1)[0])} …", p.line)


def _starts_new(prev: str, cur: str, gap: int, layout: Layout,
                vocab: Vocabulary | None = None) -> bool:
    """Within a run of lines with no blank between them: does `cur` start a paragraph?"""
    s = cur.strip()
    if is_glyph_line(prev) or is_glyph_line(cur):
        return True
    if _is_label(s, vocab):
        return True
    if is_attribution_text(s) and len(prev.strip()) < 200:
        return True  # "— Name" under a quotation: its own paragraph, for the epigraph rule
    if layout.style == "one-per-line":
        return True
    ended = prev.rstrip().endswith(SENTENCE_END)
    if s.startswith(_QUOTE_OPEN) and ended:
        return True  # never merge two lines of dialogue
    if layout.width:
        if re.match(r"\s{2,}\S", cur) and layout.style == "wrapped-indented":
            return True
        return len(prev.strip()) < 0.7 * layout.width and ended
    return False


def _is_label(text: str, vocab: Vocabulary | None = None) -> bool:
    """Does `text` start with a known header label (English's, or `vocab`'s and English's)?"""
    if vocab is not None:
        return label_line_kind(text.strip(), vocab) is not None
    m = LABEL_RE.match(text.strip())
    return m is not None and label_kind(m.group(1)) is not None


# Header values that may run over several lines (a summary, a disclaimer, a note).
_MULTILINE = {"summary", "warnings", "characters", "tags", "pairings", "fandoms",
              "note:disclaimer", "note:feedback", "note:dedication", "note:author-note"}


def _runs_over(first: str, text: str, vocab: Vocabulary | None = None) -> bool:
    """Does `text` continue the header field that `first` starts?"""
    if vocab is not None:
        if label_line_kind(first.strip(), vocab) not in _MULTILINE:
            return False
    else:
        m = LABEL_RE.match(first.strip())
        if not m or label_kind(m.group(1)) not in _MULTILINE:
            return False
    s = text.strip()
    return not (_is_label(s, vocab) or is_glyph_line(s) or s.startswith(_QUOTE_OPEN + ("(", "["))
                or is_attribution_text(s))


def _group(lines: Lines, layout: Layout, unwrap: bool,
           vocab: Vocabulary | None = None) -> list[RawPara]:
    numbers, texts, gaps = lines
    # A line with a blank line before it starts a paragraph, whatever the layout and the
    # header: after the last line with none, each line is a paragraph of its own (most
    # files: almost all their lines), made in bulk.
    last_joined = len(gaps) - 1 - gaps[::-1].index(0) if 0 in gaps else -1
    paras: list[RawPara] = []
    cur: list[str] = []
    start = gap = 0
    header_zone = True  # the label block at the top: its values may run over lines
    bulk = len(texts)
    for i, (n, text, g) in enumerate(zip(numbers, texts, gaps)):
        if i > last_joined:
            bulk = i
            break
        if cur and g == 0 and header_zone and _runs_over(cur[0], text, vocab):
            new = False
        else:
            new = not cur or g > 0 or _starts_new(cur[-1], text, g, layout, vocab)
            if not new and layout.width and (len(cur[-1]) < 0.7 * layout.width
                                             or len(text) < 0.7 * layout.width):
                nxt = texts[i + 1] if i + 1 < len(texts) and gaps[i + 1] == 0 else ""
                new = _verse_edge(cur, text, nxt, layout.width)
        if new and header_zone and cur and not _is_label(cur[0], vocab):
            header_zone = False
        if new:
            if cur:
                paras.append(RawPara(start, _join(cur, layout, unwrap), gap))
            cur, start, gap = [text], n, g
        else:
            cur.append(text)
    if cur:
        paras.append(RawPara(start, _join(cur, layout, unwrap), gap))
    # a one-line paragraph's text is the line stripped (_join)
    paras += map(_raw_para, zip(numbers[bulk:], map(str.strip, texts[bulk:]), gaps[bulk:],
                                repeat(False)))
    return paras


def _verse_edge(cur: list[str], text: str, nxt: str, width: int) -> bool:
    """In a hard-wrapped file, where a song's (or a poem's) lines meet prose with no blank
    line between: after a run of them (three short lines, or two that start with a
    capital), a line as long as the wrap; or, after a sentence's end ("…and she sang
    along:"), two short lines that start with a capital. A short line in wrapped prose is
    a paragraph's last, and two in a row are seldom."""
    if len(text) >= 0.75 * width:
        return len(cur) >= 3 and max(map(len, cur)) < 0.7 * width \
            or len(cur) == 2 and all(_verse_line(ln, width) for ln in cur)
    return cur[-1].endswith(_LEAD_IN) and _verse_line(text, width) and _verse_line(nxt, width)


_LEAD_IN = (*SENTENCE_END, ":")
_VERSE_START = re.compile(r"\s*[*_~(]*[A-Z]")  # not a quote: dialogue is no verse


def _verse_line(line: str, width: int) -> bool:
    return 0 < len(line) < 0.7 * width and _VERSE_START.match(line) is not None


def _join(lines: list[str], layout: Layout, unwrap: bool) -> str:
    stripped = [ln.strip() for ln in lines]
    if len(stripped) == 1:
        return stripped[0]
    if unwrap and (layout.width or _looks_wrapped(stripped)) \
            and not _line_structured(stripped, layout.width):
        out = stripped[0]
        for ln in stripped[1:]:
            # a word hyphenated at the wrap ("some-\nthing") is kept hyphenated: the
            # hyphen may be real, and a wrong join loses nothing
            out += ln if out.endswith("-") and not out.endswith(" -") else " " + ln
        return out
    return "\n".join(stripped)  # poetry, letters, lists: keep the line breaks


# "Cordelia: did anyone see my shoes", "[21:04] Xander: define see": a chat log's lines.
_SPEAKER = re.compile(r"(?:\[[\d:. apm]{3,12}\]\s*)?[A-Z][\w.'’-]{0,20}(?: [A-Z][\w.'’-]{0,20})?:\s+\S")
_SALUTATION = re.compile(r"(?:Dear|My dear|Dearest|To)\s[^.!?]{1,40},$")


def _line_structured(lines: list[str], width: int) -> bool:
    """Lines that are lines, not wrapped prose: a chat log (every line a speaker's), a
    letter's salutation, or verse and song lyrics: in a hard-wrapped file, lines none near
    the wrap width (wrapping fills every line but the last; not a heading over its title);
    elsewhere, three or more lines each starting with a capital (wrapped prose's lines
    start where the words fall)."""
    if all(_SPEAKER.match(ln) for ln in lines):
        return True
    if _SALUTATION.match(lines[0]):
        return True
    if not width:
        return len(lines) >= 3 and all(_VERSE_START.match(ln) for ln in lines)
    if max(map(len, lines)) >= 0.75 * width:
        return False
    if len(lines) == 2:
        from ficbook.readers.text.chapters import heading

        return heading(lines[0]) is None  # "Chapter 7" over "The Gate": one heading
    return True


def _looks_wrapped(lines: list[str]) -> bool:
    body = [len(ln) for ln in lines[:-1]]
    return len(body) >= 2 and min(body) >= 45 and max(body) - min(body) <= 25 and max(body) <= 100


def _breaks(paras: list[RawPara], layout: Layout, ctx: Context) -> list[RawPara]:
    """Mark runs of blank lines longer than the gaps around them, unless long gaps are so
    common that they are just the author's irregular spacing. No break between two header
    lines or next to a chapter heading; a sentence cut in two by a stray run of blank
    lines is one paragraph again."""
    paras = _rejoin(paras, ctx)
    if not ctx.enabled("scene_breaks") or len(paras) < 3:
        return paras
    from ficbook.readers.text.chapters import heading

    vocab = ctx.vocab
    other = None if vocab.english_only else vocab  # _is_label's: None for English
    gaps = list(map(_gap, paras[1:]))
    why_not: dict[int, str] = {}  # gaps never taken for breaks, and why
    for k, g in enumerate(gaps):
        if g > layout.gap:
            prev, cur = paras[k].text, paras[k + 1].text
            if _is_label(prev, other) and _is_label(cur, other):
                why_not[k] = "between two header lines"
            elif heading(prev, vocab) is not None or heading(cur, vocab) is not None:
                why_not[k] = "next to a chapter heading"
    # those gaps count as ordinary ones when the file's spacing is measured
    gaps = [layout.gap if k in why_not else g for k, g in enumerate(gaps)]
    long = [g for g in gaps if g > layout.gap]
    if not long or len(long) > max(2, 0.3 * len(gaps)):
        if long:
            ctx.report("info", "scene-break",
                       f"blank-line runs vary too much to mark scene breaks "
                       f"({len(long)} of {len(gaps)} gaps are longer than {layout.gap})")
        return paras
    out = [paras[0]]
    for k, p in enumerate(paras[1:]):
        if p.gap <= layout.gap:
            out.append(p)
            continue
        why = why_not.get(k)
        if why is None:
            around = sorted(gaps[max(0, k - 4):k] + gaps[k + 1:k + 5])
            local = around[len(around) // 2] if around else layout.gap
            if p.gap <= local:
                why = f"no longer than the gaps around it ({local})"
        if why:
            ctx.report("info", "blank-run", f"{p.gap} blank lines {why}: not a scene break", p.line)
            out.append(p)
        else:
            out.append(p._replace(brk=True))
    return out


def _rejoin(paras: list[RawPara], ctx: Context) -> list[RawPara]:
    """A prose sentence cut in two by a stray run of blank lines is one paragraph again."""
    # most files: settled here, by C loops over the paragraphs' first characters
    if not any(map(str.islower, map(_first_char, map(_text, paras[1:])))):
        return paras
    out = [paras[0]]
    for k, p in enumerate(paras[1:], 1):
        prev = out[-1]
        if p.gap and not p.brk and _cut_sentence(prev.text, p.text) and not _in_verse(paras, k):
            ctx.report("info", "blank-run", f"{p.gap} blank line{'s' if p.gap > 1 else ''} inside "
                       f"a sentence: one paragraph, …{quote(prev.text[-30:])} {quote(p.text[:30])}…",
                       p.line)
            out[-1] = prev._replace(text=f"{prev.text} {p.text}")
        else:
            out.append(p)
    return out


def _in_verse(paras: list[RawPara], k: int) -> bool:
    """Paragraphs k-1 and k in a run of three or more short lines: a song's lines a blank
    line apart ("and the lights go out" under "I have walked this road"), not a cut sentence."""
    def short(j: int) -> bool:
        return 0 <= j < len(paras) and len(paras[j].text) < 60 and "\n" not in paras[j].text
    return short(k - 1) and short(k) and (short(k - 2) or short(k + 1))


def _cut_sentence(prev: str, cur: str) -> bool:
    """Two halves of one prose sentence: no sentence end before, a small letter after."""
    return (len(prev) > 40 and "\n" not in prev + cur and cur[:1].islower()
            and (prev[-1:].isalpha() or prev[-1:] == ","))
