"""The rules' vocabulary for one story language: its words and English's, made into the
patterns the header, notes and chapters rules match, compiled once per language.

Words in the data are plain text matched ignoring case: a space stands for any run of
white space, an apostrophe for ' or ’, a hyphen between letters for a hyphen or a space;
everything else is literal. Longer words are
tried first, so "notes" is never cut to "note".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ficbook.language.data import ENGLISH, LanguageData, language_data

_MARKER_TRIM = " \t~*-–—=_.!()[]（）【】「」"  # decoration around "~Fin~", "-The End-", "（完）"
# A Roman numeral (lower case; the heading pattern ignores case).
ROMAN = r"(?=[ivxlc])(?:c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"


def word_regex(word: str) -> str:
    """One plain word or phrase of the data as a regex."""
    out: list[str] = []
    for part in re.split(r"( +|'|(?<=\w)-(?=\w))", word):
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif part == "'":
            out.append("['’]")
        elif part == "-":  # twenty-one, dix-sept: a hyphen or a space
            out.append(r"[-\s]")
        else:
            out.append(re.escape(part))
    return "".join(out)


def alternation(words: Iterable[str]) -> str:
    """The words as one alternation, longest first, each once."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(word_regex(w) for w in unique)


def label_key(label: str) -> str:
    """A header label as the lookup table holds it: lower case, ’ as ', spaces collapsed."""
    return " ".join(label.lower().replace("’", "'").split())


@dataclass(frozen=True, slots=True, eq=False)  # one per language (cached): hashed by identity
class Vocabulary:
    """What the rules read in one story language (English merged in)."""

    code: str
    languages: tuple[LanguageData, ...]  # the story's language, then English
    header_labels: dict[str, str]  # label_key(label) -> field, "note:<kind>" or "summary"
    by_words: str  # an alternation: the word of a "by Name" line
    note_label: re.Pattern[str]  # notes._LABEL
    note_bare: re.Pattern[str]  # notes._BARE (fullmatch)
    one_word_notes: frozenset[str]  # lower-case labels that need a colon ("note", "nota")
    heading_words: str  # chapters: "chapter|chap\.|…"
    heading_acts: str  # a play's: "act|…"
    heading_numbers: str
    heading_special: str
    heading_patterns: tuple[str, ...]  # whole-heading regexes (第三章)
    ends: frozenset[str]  # end markers, lower case
    dialogue_dashes: bool  # the story language's own (not English's)

    @property
    def english_only(self) -> bool:
        return self.code == ENGLISH

    def is_end_marker(self, text: str) -> bool:
        """"The End", "~Fin~", "КОНЕЦ", "（完）": a paragraph that only ends the story."""
        return len(text) <= 40 and " ".join(text.strip(_MARKER_TRIM).lower().split()) in self.ends


def _all(langs: tuple[LanguageData, ...], attr: str) -> list[str]:
    return [w for lang in langs for w in getattr(lang, attr)]


def vocabulary(tag: str | None) -> Vocabulary:
    """The vocabulary for a story in `tag`'s language (English's for English, or for a
    language without a data file): one object per language."""
    return _vocabulary(language_data(tag).code)


@lru_cache(maxsize=32)
def _vocabulary(code: str) -> Vocabulary:
    english = language_data(ENGLISH)
    langs = (english,) if code == ENGLISH else (language_data(code), english)
    header: dict[str, str] = {}
    for lang in reversed(langs):  # the story's language wins over English on a clash
        for label, field in lang.header:
            header[label_key(label)] = field
    notes = _all(langs, "notes")
    exact = _all(langs, "notes_exact")
    note_label = (r"^\s*(?P<open>[(\[]\s*)?"
                  rf"(?P<label>(?i:{alternation(notes)})|{alternation(exact)})"
                  r"(?P<sep>\s*[:：]\s*|\s+[-–—]+\s+|\s*[-–—]\s+)")
    note_bare = rf"\s*({alternation(_all(langs, 'notes_bare'))})\s*[:：]?\s*"
    # a one-word label of a cased script reads like text before a dash ("Note - "): only
    # "Note:" is a label
    one_word = frozenset(w.lower() for w in notes
                         if re.fullmatch(r"[^\W\d_]+", w) and w.lower() != w.upper())
    return Vocabulary(
        code=code, languages=langs, header_labels=header,
        by_words=alternation(_all(langs, "by")) or "by",
        note_label=re.compile(note_label), note_bare=re.compile(note_bare, re.IGNORECASE), one_word_notes=one_word,
        heading_words=alternation(_all(langs, "chapter_words")),
        heading_acts=alternation(_all(langs, "chapter_acts")),
        heading_numbers=alternation(_all(langs, "chapter_numbers")),
        heading_special=alternation(_all(langs, "chapter_special")),
        heading_patterns=tuple(_all(langs, "chapter_patterns")),
        ends=frozenset(" ".join(w.lower().split()) for w in _all(langs, "ends")),
        dialogue_dashes=langs[0].dialogue_dashes)


story_vocabulary = vocabulary
