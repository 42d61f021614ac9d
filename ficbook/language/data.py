"""One language's data, read from `ficbook/data/languages/<code>.yaml` once per process.

A file holds the words the converter reads in that language (header labels, note labels,
chapter words and numbers, end markers) and the words the book prints in it (`labels`).
Missing files and keys fall back to English, so a story in a language without a file is
read with the English words and a book in one prints English labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ficbook.datafiles import data_file, data_yaml

ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class LanguageData:
    code: str  # the primary subtag: "pt" for pt-BR
    name: str
    count: str  # "words", or "characters" (Chinese, Japanese)
    # outer opening, outer closing, inner opening, inner closing quotation marks
    quotes: tuple[str, str, str, str]
    dialogue_dashes: bool  # dialogue opens with a dash (—Hola), so a dash line is no attribution
    header: tuple[tuple[str, str], ...]  # (label as written, field) pairs
    by: tuple[str, ...]  # the word of a "by Name" line
    notes: tuple[str, ...]  # labels that open a note paragraph, matched ignoring case
    notes_exact: tuple[str, ...]  # the same, matched with their case
    notes_bare: tuple[str, ...]  # a paragraph that is only one of these heads a note
    chapter_words: tuple[str, ...]  # "chapter", "capítulo"…
    chapter_acts: tuple[str, ...]  # a play's "act", "acto": chapters, unless chapters hold them
    chapter_numbers: tuple[str, ...]  # "one", "uno", "première"…
    chapter_special: tuple[str, ...]  # "prologue", "épilogue"…
    chapter_patterns: tuple[str, ...]  # whole heading regexes (第三章) with num, word, rest
    ends: tuple[str, ...]  # end markers: "The End", "Fin", "Конец", "完"
    chrome: tuple[str, ...]  # whole-line regexes of archive chrome (as data/chrome.yaml's)
    labels: tuple[tuple[str, str], ...]  # the book's own labels: kind -> text


def primary(tag: str | None) -> str:
    """The primary language subtag, lower case: "pt-BR" -> "pt"; None -> "en"."""
    if not tag:
        return ENGLISH
    return tag.replace("_", "-").split("-", 1)[0].lower() or ENGLISH


@cache
def available() -> frozenset[str]:
    """The languages with a data file."""
    folder = data_file("languages")
    return frozenset(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=64)
def language_data(tag: str | None) -> LanguageData:
    """The data for `tag`'s language; English for a language without a file."""
    code = primary(tag)
    if code not in available():
        code = ENGLISH
    return _parse(code, _load(code))


def _load(code: str) -> dict:
    return data_yaml(f"languages/{code}.yaml") or {}


def _words(value: Iterable[object] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _parse(code: str, doc: dict) -> LanguageData:
    chapters = doc.get("chapters") or {}
    quotes = tuple(doc.get("quotes") or ("“", "”", "‘", "’"))
    header = tuple((str(label), str(field)) for field, labels in (doc.get("header") or {}).items()
                   for label in labels or ())
    labels = tuple((str(k), str(v)) for k, v in (doc.get("labels") or {}).items())
    return LanguageData(
        code=code, name=str(doc.get("name") or code), count=str(doc.get("count") or "words"),
        quotes=quotes,
        dialogue_dashes=doc.get("dialogue") == "dashes",
        header=header, by=_words(doc.get("by")), notes=_words(doc.get("notes")),
        notes_exact=_words(doc.get("notes_exact")), notes_bare=_words(doc.get("notes_bare")),
        chapter_words=_words(chapters.get("words")),
        chapter_acts=_words(chapters.get("acts")),
        chapter_numbers=_words(chapters.get("numbers")),
        chapter_special=_words(chapters.get("special")),
        chapter_patterns=_words(chapters.get("patterns")),
        ends=_words(doc.get("ends")), chrome=_words(doc.get("chrome")), labels=labels)


@lru_cache(maxsize=64)
def book_labels(tag: str | None) -> dict[str, str]:
    """The labels a book in `tag`'s language prints: its file's, English for the rest."""
    labels = dict(language_data(ENGLISH).labels)
    labels.update(language_data(tag).labels)
    return labels


def chrome_patterns() -> tuple[str, ...]:
    """Every language's chrome lines: whole lines, distinctive enough to drop in any story."""
    return tuple(p for code in sorted(available()) for p in language_data(code).chrome)


def counts_characters(tag: str | None) -> bool:
    """Chinese and Japanese are counted in characters, as AO3 counts them."""
    return language_data(tag).count == "characters"


def spaces_punctuation(tag: str | None) -> bool:
    """French sets « » ; : ! ? apart with spaces: they are no words when counting."""
    return language_data(tag).code == "fr"


def count_label(tag: str | None) -> str:
    """The label kind of a story's count: "character-count" in Chinese and Japanese."""
    return "character-count" if counts_characters(tag) else "words"


def numbered(label: str, n: int) -> str:
    """A numbered label: "Chapter 3", or the label's own pattern ("第{n}章" -> "第3章")."""
    return label.replace("{n}", str(n)) if "{n}" in label else f"{label} {n}"
