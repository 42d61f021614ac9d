"""Archive chrome: whole site lines (review prompts, navigation, counters) dropped and logged.

The patterns are data (`ficbook/data/chrome.yaml`), so that a new archive's chrome is a
one-line change.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import CACHED_CHARS, char_test, first_regex
from ficbook.convert.inlines import para_text, squeeze, with_chapters
from ficbook.datafiles import data_yaml
from ficbook.model import Chapter, Paragraph, Story, Text

MAX_LENGTH = 200  # squeezed; a longer line is story text


@lru_cache(maxsize=1)
def _patterns() -> tuple[str, ...]:
    from ficbook.language.data import chrome_patterns

    data = data_yaml("chrome.yaml")
    return tuple(data["patterns"]) + chrome_patterns()  # and the languages' own


def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_either(patterns), re.IGNORECASE)


def _either(patterns: tuple[str, ...]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def is_chrome(line: str) -> bool:
    """Is the line, white space runs ignored, all of one chrome pattern?"""
    if not line or by_first_char()[line[0]] is None:  # most story lines are settled here
        return False
    return is_squeezed_chrome(squeeze(line))


def is_squeezed_chrome(text: str) -> bool:
    """`is_chrome` for a line already squeezed: no white space but single spaces between
    words."""
    if not text or len(text) > MAX_LENGTH:
        return False
    pattern = by_first_char()[text[0]]
    return pattern is not None and pattern.fullmatch(text) is not None


def report(ctx: Context, line_text: str, line: int | None) -> None:
    ctx.report("info", "chrome-dropped", f"dropped archive line {quote(line_text, 200)}", line)


def drop_paragraphs(story: Story, ctx: Context) -> Story:
    """Block rule: paragraphs that are one chrome line (as an HTML page gives them)."""
    chapters = []
    seen = ctx.not_chrome
    by_first = by_first_char()
    for ch in story.chapters:
        kept = []
        for b in ch.blocks:
            # the first character before the set of lines the reader checked: it needs no
            # hash of the text
            # (para_text's one-run case inlined: most paragraphs, no call)
            if isinstance(b, Paragraph) and (
                    text := b.inlines[0].text if len(b.inlines) == 1 and type(b.inlines[0]) is Text
                    else para_text(b)) and by_first[text[0]] and text not in seen and is_chrome(text):
                report(ctx, para_text(b), b.line)
                continue
            kept.append(b)
        chapters.append(ch if len(kept) == len(ch.blocks)
                        else Chapter(ch.title, tuple(kept), ch.line, ch.summary))
    return with_chapters(story, chapters)


# ---------------------------------------------------------- patterns by first character
#
# The whole alternation costs ~0.8 µs a line even when no pattern gets past the line's
# first character: the regex engine enters every alternative. A squeezed line starts with a
# character that is not white space; it matches the alternation only if it matches one of
# the patterns, and only a pattern whose matches can start with that character can match
# it. So each character met is looked up once: most story lines start with a character no
# pattern can ("I", a quote), and the others try a few patterns instead of all. Which
# characters a pattern's matches can start with comes from its parse tree (`firstchars`),
# and the regex engine itself tells whether a character is one of them (case ignored, as
# the patterns are).


@lru_cache(maxsize=1)
def by_first_char() -> FirstCharIndex:
    """First character of a line -> the alternation of the chrome patterns whose matches
    can start with it, None when none can. White space (squeezing drops it): all of them."""
    return FirstCharIndex(_patterns())


class FirstCharIndex(dict):
    """Character -> the alternation of the patterns whose matches can start with it (None:
    none can; white space: all), worked out the first time the character is looked up."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        super().__init__()
        self.patterns = patterns
        firsts = [first_regex(p) for p in patterns]
        self.tests = [char_test(regex) for regex in firsts]
        # one test settles most characters: can any pattern start with it?
        known = [f for f in firsts if f is not None]
        self.any_starts = char_test("|".join(known) if len(known) == len(firsts) else None)
        self.compiled: dict[tuple[str, ...], re.Pattern[str] | None] = {(): None}

    def __missing__(self, c: str) -> re.Pattern[str] | None:
        if c.isspace():
            chosen = self.patterns
        elif not self.any_starts(c):
            chosen = ()
        else:
            chosen = tuple(p for p, test in zip(self.patterns, self.tests) if test(c))
        if chosen not in self.compiled:
            self.compiled[chosen] = _alternation(chosen)
        if len(self) < CACHED_CHARS:  # a file of a million different characters
            self[c] = self.compiled[chosen]
        return self.compiled[chosen]
