"""The text reader's fast paths give what the long way gives.

The long way is the reader as it was before them (kept below, shortened only where it
calls code that did not change): every line tested against the whole chrome alternation,
the layout measured line by line, a RawPara built line by line, every paragraph tested for
a heading, the decoding steps run on every file that is not plain. The fast reader must
give the same paragraphs, chapters and diagnostics, in the same order."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ficbook.convert import ConvertOptions
from ficbook.convert.context import Context
from ficbook.convert.inlines import squeeze
from ficbook.convert.rules import chrome
from ficbook.convert.rules.inline import parse_text
from ficbook.errors import Diagnostic, StoryError
from ficbook.model import Chapter, Paragraph
from ficbook.readers import decode as decoding
from ficbook.readers.text import chapters as chapter_rules
from ficbook.readers.text import lines as L
from ficbook.readers.text import paragraphs as P
from ficbook.readers.text.reader import _chapters

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ------------------------------------------------------------------- the long way


ALL_CHROME = re.compile("|".join(f"(?:{p})" for p in chrome._patterns()), re.IGNORECASE)


def slow_is_chrome(line: str) -> bool:
    text = squeeze(line)
    return bool(text) and len(text) <= 200 and ALL_CHROME.fullmatch(text) is not None


def slow_decode(data: bytes, mojibake: bool = True) -> tuple[str, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    text, _, _ = decoding._decode(data, "s.txt", None, diags)
    if decoding._NOT_PLAIN.search(text):
        text = decoding._LINE_ENDS.sub("\n", text)
        if mojibake:
            text = decoding._fix_mojibake(text, "s.txt", diags)
        text = unicodedata.normalize("NFC", text)
        text = decoding.strip_forbidden(text)
    if not text or text.isspace():
        raise StoryError("story file has no text", file="s.txt")
    decoding._replacement_characters(text, "s.txt", diags)  # U+FFFD: a warning with its line
    return text, diags


def slow_lines(text: str, ctx: Context) -> list[tuple[int, str, int]]:
    out = []
    gap = run = 0
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line:
            run += 1
            continue
        if ctx.enabled("chrome") and slow_is_chrome(line):
            chrome.report(ctx, line, n)
            gap, run = max(gap, run), 0
            continue
        line = line.replace("\t", "    ").replace("\u00a0", " ")
        out.append((n, line, max(gap, run)))
        gap = run = 0
    return out


def slow_layout(lines: list[tuple[int, str, int]]) -> P.Layout:
    if len(lines) < 2:
        return P.Layout("blank-line", 1, 0)
    gaps = [g for _, _, g in lines[1:]]
    zero = sum(1 for g in gaps if g == 0) / len(gaps)
    lengths = sorted(len(t.strip()) for _, t, _ in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= 0.75 * width) / len(lengths)
    overlong = sum(1 for n in lengths if n > width * 1.25 + 5) / len(lengths)
    unended = sum(1 for _, t, _ in lines if not t.rstrip().endswith(P.SENTENCE_END)) / len(lines)
    wrapped = (len(lines) >= 6 and 45 <= width <= 100 and near >= 0.3 and zero >= 0.3
               and overlong <= 0.05 and unended >= 0.3)
    nonzero = Counter(g for g in gaps if g > 0)
    if wrapped:
        indents = sum(1 for _, t, _ in lines if re.match(r"\s{2,}\S", t))
        indented = indents >= 0.05 * len(lines) and indents > sum(nonzero.values())
        if not indented and nonzero and sum(nonzero.values()) >= 0.05 * len(lines):
            return P.Layout("wrapped", nonzero.most_common(1)[0][0], width)
        return P.Layout("wrapped-indented" if indented else "wrapped", 0, width)
    if zero >= 0.8 or (zero >= 0.6 and len(lines) >= 12):
        return P.Layout("one-per-line", 0, 0)
    return P.Layout("blank-line", nonzero.most_common(1)[0][0] if nonzero else 1, 0)


def slow_group(lines: list[tuple[int, str, int]], layout: P.Layout, unwrap: bool) -> list[tuple]:
    paras: list[tuple] = []
    cur: list[str] = []
    start = gap = 0
    header_zone = True
    for i, (n, text, g) in enumerate(lines):
        if cur and g == 0 and header_zone and P._runs_over(cur[0], text):
            new = False
        else:
            new = not cur or g > 0 or P._starts_new(cur[-1], text, g, layout)
            if not new and layout.width:  # where a song's lines meet prose: asked of every line
                nxt = lines[i + 1][1] if i + 1 < len(lines) and lines[i + 1][2] == 0 else ""
                new = P._verse_edge(cur, text, nxt, layout.width)
        if new and header_zone and cur and not P._is_label(cur[0]):
            header_zone = False
        if new:
            if cur:
                paras.append((start, P._join(cur, layout, unwrap), gap, False))
            cur, start, gap = [text], n, g
        else:
            cur.append(text)
    if cur:
        paras.append((start, P._join(cur, layout, unwrap), gap, False))
    return paras


def slow_breaks(paras: list[tuple], layout: P.Layout, ctx: Context) -> list[tuple]:
    # (no fast path in marking breaks: the reader's own)
    return [tuple(p) for p in P._breaks([P.RawPara(*p) for p in paras], layout, ctx)]


def slow_split_paragraphs(text: str, ctx: Context) -> list[tuple]:
    lines = slow_lines(text, ctx)
    layout = slow_layout(lines)
    ctx.report("info", "paragraph-style", L.describe(layout))
    paras = slow_group(lines, layout, ctx.enabled("unwrap"))
    if ctx.enabled("unwrap"):
        P.report_lines_kept([P.RawPara(*p) for p in paras], ctx)
    return slow_breaks(paras, layout, ctx)


class _AnyFirst(dict):
    def __missing__(self, c: str) -> bool:
        return True


def slow_chapters(paras: list[tuple], ctx: Context) -> list[Chapter]:
    """The reader's chapters with every paragraph looked at for a heading (no first-character
    table)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(chapter_rules, "_MAY_START", _AnyFirst())
        return _chapters([P.RawPara(*p) for p in paras], ctx)


# --------------------------------------------------------------------- documents

CHROME = [
    "You must login (register) to review.", "Please review!", "Back to index", "Reviews: 3",
    "Back  to   top", "\tBack to top", "\u00a0Previous Chapter | Next Chapter\u00a0", "<< Prev",
    "« Previous | Index | Next »", "12 reviews", "Kudos: 1,024", "\u212audos: 5", "ſkip to content",
    "R&R!", "r & r", "^top", "Add to favourites", "Table of Contents | Home", "Story Options",
    "See the end of the chapter for more notes.", "This story is archived at example.org",
]
WRAPPED = [
    "The rain had not stopped for three days, and the crypt smelled of wet stone and old",
    "smoke. Spike sat in the dark with his boots on the table and pretended he was",
    "asleep, which fooled nobody, least of all the woman standing in the doorway who",
    "    Indented line of a hard-wrapped paragraph that goes on for a while here.",
    "Short last line.", "",
]
LINES = CHROME + WRAPPED + [
    "Title: The Long Way", "Author: Someone", "Summary: A summary that", "runs over a line.",
    "Disclaimer: Not mine.", "A/N: a note here.",
    "Chapter 1", "Chapter Two: Title", "CHAPTER III.", "Prologue", "Epilogue", "Part 2",
    "I", "II", "III.", "  IV  ", "Chapter Text", "chapter text", "Chapter one of her life ended.",
    "Part of her was glad.", "Chapter 1\nThe Bronze", "Chapter 2\nshe ran.", "Chapter 3.\nIt was dark.",
    "Interlude (a)", "Book 3 - The End", "ch. 4", "  Chapter 5", "\u00a0Chapter 6",
    "* * *", "***", "~~~", "oOo", "#", "-----", "<hr>",
    "\"Hello,\" she said.", "“Hello,” she said.", "“Back to top”", "'Tis the '90s.",
    "He said -- no . . . wait...", "She was *so* tired.", "— Buffy", "--Elizabeth Barrett Browning",
    "a<b and <i>tag</i> and &amp; here", "Thé end", "İstanbul", "ıt was", "\u2003Em space start",
    "Buffy Summers had been a slayer for long enough to know that the quiet nights were the "
    "worst of them all, and she said so to anyone who would listen, which was nobody at all. " * 2,
    "", "", "", "", "", "  ", "\t", "\u00a0",
]
line = st.one_of(st.sampled_from(LINES), st.text(max_size=30),
                 st.text(alphabet=" \t\u00a0\u2003abcXYZ\"“.-*:|<>&", max_size=20))
endings = st.sampled_from(["\n", "\n", "\r\n", "\r"])
documents = st.builds(lambda ls, end: end.join(ls), st.lists(line, min_size=1, max_size=50), endings)
# a blank line between every two lines: one paragraph a line, made in bulk
spaced = st.builds("\n\n".join, st.lists(line, min_size=1, max_size=50))
# hard-wrapped shapes, which the layout must measure alike
wrapped = st.builds(lambda ls, gap: "\n".join(ls).replace("\n\n", "\n" * gap),
                    st.lists(st.sampled_from(WRAPPED + CHROME[:3] + ["Chapter 2", "* * *"]),
                             min_size=4, max_size=40),
                    st.integers(1, 3))
OPTIONS = [ConvertOptions(), ConvertOptions(rules=(("chrome", False),)),
           ConvertOptions(rules=(("chapters", False), ("unwrap", False))),
           ConvertOptions(rules=(("scene_breaks", False), ("html_tags", False)))]


def _both(data: bytes, options: ConvertOptions):  # noqa: ANN202
    """(paragraphs, chapters, diagnostics, the reader's not-chrome lines), fast and slow."""
    try:
        text, diags = slow_decode(data, options.enabled("mojibake"))
    except StoryError:
        with pytest.raises(StoryError):
            decoding.decode_text(data, "s.txt", mojibake=options.enabled("mojibake"))
        return None
    slow_ctx = Context(options, "s.txt")
    slow_ctx.diagnostics.extend(diags)
    slow_paras = slow_split_paragraphs(text, slow_ctx)
    slow = (slow_paras, slow_chapters(slow_paras, slow_ctx), slow_ctx.diagnostics)

    decoded = decoding.decode_text(data, "s.txt", mojibake=options.enabled("mojibake"))
    ctx = Context(options, "s.txt")
    ctx.diagnostics.extend(decoded.diagnostics)
    paras, _ = P.split_paragraphs(decoded.text, ctx, plain=decoded.plain)
    fast = ([tuple(p) for p in paras], _chapters(paras, ctx), ctx.diagnostics)
    assert decoded.text == text
    if decoded.plain:
        assert not decoding._NOT_PLAIN.search(decoded.text)
    return fast, slow, ctx.not_chrome


STORIES = [  # shapes the generated documents may miss
    "Title: T\nSummary: A summary that\nruns over a line.\nRating: T\n\nChapter 1\n\nChapter Text\n\n"
    "Once.\n\n\n\nTwice.\n\nchapter text\n\nBack  to top\n\nThrice.\n\nFour.",
    "I\n\nOne.\n\nII.\n\nTwo.\n\n  III  \n\nThree.\n\nChapter 4\nThe Bronze\n\nFour.\n\n"
    "Chapter 5\nshe ran home.\nAnd on.\n\nFive.",
    "\n".join(WRAPPED * 4), "\n".join(CHROME) + "\n\nStory.\n\n" + "\n\n".join(CHROME),
]


@SETTINGS
@given(st.one_of(documents, spaced, wrapped), st.sampled_from(OPTIONS))
@example(STORIES[0], OPTIONS[0])
@example(STORIES[1], OPTIONS[0])
@example(STORIES[2], OPTIONS[0])
@example(STORIES[3], OPTIONS[0])
@example(STORIES[0], OPTIONS[3])
def test_reader_same_as_the_long_way(text: str, options: ConvertOptions) -> None:
    both = _both(text.encode("utf-8"), options)
    if both is None:
        return
    fast, slow, not_chrome = both
    assert fast == slow
    assert not any(slow_is_chrome(line) for line in not_chrome)  # only true negatives


# lengths on the layout's thresholds: 0.75 x 64 = 48, 64 x 1.25 + 5 = 85, 0.75 x 80 = 60 ...
LENGTHS = st.sampled_from([40, 45, 48, 60, 64, 72, 80, 85, 95, 100, 105]) | st.integers(1, 130)


@SETTINGS
@given(st.lists(st.tuples(LENGTHS, st.sampled_from(["a", ".", "”", " "]),
                          st.sampled_from([0, 0, 0, 1, 2]), st.booleans()), min_size=1, max_size=60))
def test_layout_same_as_the_long_way(shapes: list[tuple[int, str, int, bool]]) -> None:
    """Line lengths around the wrap widths, endings, gaps, indents: the layout measured in
    bulk (sorted lengths bisected, only when the gaps allow wrapping) is the same."""
    lines = [(n, ("  " if indent else "") + "x" * length + end.strip(), gap)
             for n, (length, end, gap, indent) in enumerate(shapes, 1)]
    fast = L.Lines([n for n, _, _ in lines], [t for _, t, _ in lines], [g for _, _, g in lines])
    assert L.paragraph_style(fast) == slow_layout(lines)


@pytest.mark.parametrize("lengths", [
    [10] * 7 + [48, 64, 64],  # width 64: three lines of 48 or more, 0.3 of them: wrapped
    [50] * 15 + [64] * 3 + [85] * 2,  # width 64: 85 is not overlong (more than 85 is)
    [50] * 15 + [64] * 3 + [86] * 2,
])
def test_layout_thresholds(lengths: list[int]) -> None:
    lines = [(n, "x" * length, 0) for n, length in enumerate(lengths, 1)]
    fast = L.Lines([n for n, _, _ in lines], [t for _, t, _ in lines], [0] * len(lines))
    assert L.paragraph_style(fast) == slow_layout(lines)
    assert L.paragraph_style(fast).style == ("wrapped" if lengths[-1] != 86 else "one-per-line")


@SETTINGS
@given(st.lists(st.sampled_from(["a", "Z", " ", "\n", "\r", "\r\n", "\t", "’", "“", "\u00a0",
                                 "\x85", "\u2028", "\x0b", "\x01", "é", "e\u0301", "Ã©", "\ufeff"]),
                max_size=40).map("".join))
def test_decode_same_as_the_long_way(text: str) -> None:
    for data in (text.encode("utf-8"), text.encode("utf-8", "replace")[:7] + b"\xff"):
        try:
            slow = slow_decode(data)
        except StoryError:
            with pytest.raises(StoryError):
                decoding.decode_text(data, "s.txt")
            continue
        decoded = decoding.decode_text(data, "s.txt")
        assert (decoded.text, decoded.diagnostics) == slow
        if decoded.plain:
            assert not decoding._NOT_PLAIN.search(decoded.text)


@pytest.mark.parametrize("tail", ["", "\r\n", "it\u00e2\u20ac\u2122s\n", "\u00e9", "\u2003", "\x01"])
def test_decode_looks_past_the_sample(tail: str) -> None:
    """The binary test reads 64 KB; what is not plain ASCII after it counts as well."""
    body = "“Plain,” she said — it’s plain.\n\n" * 3000  # over 64 KB
    data = (body + tail).encode("utf-8")
    assert len(data) > 65536
    decoded = decoding.decode_text(data, "s.txt")
    assert (decoded.text, decoded.diagnostics) == slow_decode(data)
    assert decoded.plain == (tail in ("", "\r\n"))


def test_plain_flag_of_a_crlf_file() -> None:
    decoded = decoding.decode_text("“Hi,” she said.\r\n\r\nNext.\r".encode(), "s.txt")
    assert decoded.text == "“Hi,” she said.\n\nNext.\n" and decoded.plain
    assert not decoding.decode_text("caf\u00e9\r\n".encode(), "s.txt").plain


# ------------------------------------------------------------- chrome, by first character


@SETTINGS
@given(st.sampled_from(range(len(chrome._patterns()))).flatmap(
    lambda i: st.from_regex(re.compile(chrome._patterns()[i], re.IGNORECASE), fullmatch=True)),
    st.sampled_from(["", " ", "\t", "\u00a0", "“", "I"]), st.sampled_from(["", " ", "  ", "\t"]))
def test_every_chrome_line_is_found(match: str, before: str, after: str) -> None:
    line = before + match + after
    assert chrome.is_chrome(line) == slow_is_chrome(line)
    text = squeeze(line)
    assert chrome.is_squeezed_chrome(text) == slow_is_chrome(line)


@SETTINGS
@given(st.lists(st.sampled_from(CHROME) | st.text(max_size=4)
                | st.sampled_from([" ", "  ", "\t", "\u212a", "ſ", "“", "i", "I"]), max_size=6).map("".join))
def test_chrome_same_as_the_whole_alternation(line: str) -> None:
    assert chrome.is_chrome(line) == slow_is_chrome(line)


def test_first_character_index_of_some_patterns() -> None:
    patterns = (r"back to top", r"\d+ reviews", r"(?:<<|«)?\s*next")
    index = chrome.FirstCharIndex(patterns)
    assert index["B"] is not None and index["b"].fullmatch("Back to top")
    assert index["I"] is None and index["“"] is None and index["\""] is None
    assert index["7"].fullmatch("7 reviews") and not index["7"].fullmatch("next")
    assert index["n"].fullmatch("next") and index["«"].fullmatch("« next")
    assert index[" "].pattern == chrome._alternation(patterns).pattern  # white space: all


def test_chrome_rule_still_drops_what_the_reader_let_through() -> None:
    from tests.convert.helpers import run

    text = "Story text one.\n\n“Back to top”\n\nBack to top\n\nMore story text here."
    result = run(text)
    assert "“Back to top”" in str(result.story)
    assert [d.line for d in result.diagnostics if d.code == "chrome-dropped"] == [5]


# ---------------------------------------------------------------------- headings


@SETTINGS
@given(st.from_regex(chapter_rules._MAYBE))
def test_a_heading_starts_with_a_character_the_walk_allows(text: str) -> None:
    if text and chapter_rules._MAYBE.match(text):
        assert chapter_rules._MAY_START[text[0]]


def test_first_character_index_stays_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of many different first characters: past the limit they are worked out
    each time, not remembered."""
    monkeypatch.setattr(chrome, "CACHED_CHARS", 3)
    index = chrome.FirstCharIndex((r"back to top", r"\d+ reviews"))
    looked = [index[c] for c in "ab1漢字b€"]
    assert len(index) == 3
    assert [p is not None for p in looked] == [False, True, True, False, False, True, False]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(["a", " ", "\n", "<", "i>", "&", "amp;", "<br>", "é"]),
                         max_size=8).map("".join), max_size=6),
       st.booleans())
def test_blocks_same_as_parse_text_each(texts: list[str], tags: bool) -> None:
    """`_blocks` looks at a run's texts joined to skip parse_text: the same paragraphs."""
    from ficbook.readers.text.reader import _blocks

    paras = [P.RawPara(i + 1, text, 1) for i, text in enumerate(texts)]
    assert _blocks(paras, tags) == [Paragraph(parse_text(text, tags), i + 1)
                                    for i, text in enumerate(texts)]


@pytest.mark.parametrize("line", [
    "Next chapter", "Review this story!", "Next chapter is the one I like best, really.",
    "Review this story and the next one too", "Reviews: 12 " + "and more " * 25,
    "Please review" + "!" * 190, "Please review" + "!" * 188,
])
def test_plain_lines_chrome_as_the_long_way(line: str) -> None:
    """Plain text takes its own way to the chrome test (the pattern already looked up):
    whole lines only, squeezed length limit included."""
    text = f"It was late.\n\n{line}\n\nShe left."
    ctx, slow_ctx = Context(ConvertOptions(), "s.txt"), Context(ConvertOptions(), "s.txt")
    fast = [(p.line, p.text, p.gap, p.brk) for p in P.split_paragraphs(text, ctx, plain=True)[0]]
    assert fast == slow_split_paragraphs(text, slow_ctx)
    assert ctx.diagnostics == slow_ctx.diagnostics
