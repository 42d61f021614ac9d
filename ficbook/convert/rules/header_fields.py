"""The labels of a story's header block (`Title:`, `Author:`, `Rating:`, `Summary:`,
`Disclaimer:`…): which field of the card each one fills, and how a line is read as one."""

from __future__ import annotations

import re
from functools import lru_cache

from ficbook.language import ENGLISH, Vocabulary, vocabulary
from ficbook.model import NoteKind

# The header labels are data (ficbook/data/languages/): `Vocabulary.header_labels`, label
# (lower case, spaces collapsed) -> StoryMeta field, or "note:<kind>", or "summary"; English's
# in EN, and a story in another language reads its own and English's.
EN = vocabulary(ENGLISH)
# Fields whose value may run over several lines; under any other, a line without a label
# ends the header.
RUNS_OVER = {"summary", "warnings", "characters", "tags", "pairings", "fandoms", "genres",
              "extra", "note:disclaimer", "note:feedback", "note:dedication",
              "note:author-note"}
# "note:<kind>" -> the kind of note it makes
NOTE_KINDS: dict[str, NoteKind] = {"note:disclaimer": "disclaimer", "note:feedback": "feedback",
                                   "note:dedication": "dedication", "note:author-note": "author-note"}
LIST_FIELDS = {"authors", "fandoms", "pairings", "characters", "warnings", "genres", "tags"}
SPLIT = {
    "authors": r",|;|&| and ",
    "fandoms": r",|;",
    "pairings": r",|;",
    "characters": r",|;|&| and ",
    "warnings": r",|;",
    "genres": r",|;|/",
    "tags": r",|;",
}

LABEL_RE = re.compile(r"^\s*([A-Za-z][A-Za-z'’./ ]{0,24}?)\s*[:：]\s*(.*)$", re.DOTALL)
UNKNOWN_LABEL = re.compile(r"^[A-Z][A-Za-z'’]*(?: [A-Za-z'’]+){0,2}$")
BY_LINE = re.compile(r"^\s*by\s+(\S.{0,60})$", re.IGNORECASE)
# The same in any script, for stories in other languages: "Título:", "Название:", "标题："
ANY_LABEL_RE = re.compile(r"^\s*([^\W\d_][\w'’./ ]{0,24}?)\s*[:：]\s*(.*)$", re.DOTALL)
_ANY_UNKNOWN_LABEL = re.compile(r"^[^\W\d_][^\W\d_'’]*(?: [^\W\d_'’]+){0,2}$")


def label_kind(label: str, vocab: Vocabulary = EN) -> str | None:
    key = " ".join(label.lower().replace("’", "'").split())
    return vocab.header_labels.get(key)


def field_of(text: str, vocab: Vocabulary = EN) -> tuple[str, str, str | None] | None:
    """(label, value, kind) when the line starts with a label; kind None when unknown."""
    m = (LABEL_RE if vocab is EN else ANY_LABEL_RE).match(text)
    if not m:
        return None
    label, value = m.group(1).strip(), m.group(2)
    kind = label_kind(label, vocab)
    if kind is None and not (UNKNOWN_LABEL.match(label) if vocab is EN else _unknown(label)):
        return None
    return label, value, kind


def _unknown(label: str) -> bool:
    """An unknown label in another language: capitalised, in a script with case (a line
    of Chinese dialogue holds a full-width colon too: only known labels count there)."""
    return label[:1].isupper() and _ANY_UNKNOWN_LABEL.match(label) is not None


def label_line_kind(text: str, vocab: Vocabulary = EN) -> str | None:
    """The field of the known label `text` starts with (None: no label, or an unknown one)."""
    m = (LABEL_RE if vocab is EN else ANY_LABEL_RE).match(text)
    return label_kind(m.group(1), vocab) if m else None


@lru_cache(maxsize=32)
def by_line(vocab: Vocabulary) -> re.Pattern[str]:
    """A "by Name" line in the vocabulary's words ("por", "par", "von"…)."""
    if vocab is EN:
        return BY_LINE
    return re.compile(rf"^\s*(?:{vocab.by_words})\s+(\S.{{0,60}})$", re.IGNORECASE)
