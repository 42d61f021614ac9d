"""Set-apart blocks shaped like what they claim to be.

A label (`Disclaimer:`, `A/N:`) says what follows is the author talking, not story. Real
files glue the story onto it (`Disclaimer: I own nothing.--The rain had not stopped…`,
12,000 characters on one line): taken whole, the story goes onto the card. So a note is
cut where the story starts — at a separator after a sentence (`--`, `—`, `~~`, `* * *`),
or, in a block far longer than a note, at the first sentence that is not the author
talking — and a block still far longer than a note, relative to its chapter, is not set
apart at all: it stays in the story, with a warning. When unsure, the text stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ficbook.model import Block
from ficbook.text import count_words

# Words a note may have before its shape is looked at more closely (a long disclaimer or
# thank-you list is still a note).
NOTE_WORDS = 120
# A set-apart block longer than this, and longer than this share of its chapter, is not
# a note: the chapter would be left (nearly) empty.
MAX_NOTE_WORDS = 250
MAX_NOTE_SHARE = 0.5

# A separator glued between the note and the story: after a sentence's end (or a
# closing bracket or quote), a run of dashes or glyphs, then the story's first word.
_SEPARATOR = re.compile(
    r"(?<=[.!?…)\]\"”’'*:])[ \t]*"
    r"(?:-{2,}|[—―]+|–+|~{2,}|={2,}|(?:\*[ \t]*){2,}|_{2,}|\+{2,}|#{2,}|(?:[oO0xX]){3,}(?=[ \t]))"
    r"[ \t]*(?=[\"“‘'(A-Z0-9*_])")
# Sentence ends, where a note in the author's voice may stop and the story start.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')]*\s+(?=[\"“‘'(A-Z])")
# The author talking: first and second person outside quotations, ownership and the
# archive's vocabulary.
_VOICE = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|me|my|mine|we|our|us|you|your)\b|"
    r"(?i:\b(?:own(?:s|ed)?|belongs?|property|copyright|rights|profit|money|sue|affiliated|"
    r"characters?|fic|fanfic|story|chapter|review\w*|readers?|thanks?|enjoy|beta|please|"
    r"disclaim\w*|trademark\w*|no infringement)\b)")


def words(text: str) -> int:
    return len(text.split())


def story_start(text: str) -> tuple[int, int] | None:
    """Where the story starts inside the text of a note (its label already taken off):
    (end of the note, start of the story), or None when the text is all note. (0, 0):
    nothing here reads as a note."""
    m = _SEPARATOR.search(text)
    if m and m.start() > 0:
        after = text[m.end():]
        # "Not mine. -- Enjoy, everyone!" is still the author talking; a long run or a
        # sentence in another voice is the story
        if words(after) > NOTE_WORDS or words(after) >= 3 and not _voice(after[:_sentences(after)[0]]):
            return m.start(), m.end()
    if words(text) <= NOTE_WORDS:
        return None
    # a block longer than a note: the note is the sentences in the author's voice
    end = 0
    for s in _sentences(text):
        if not _voice(text[end:s]):
            break
        end = s
    else:
        return None  # every sentence is the author talking
    return end, end  # (0, 0) when the first sentence already is not


def _voice(sentence: str) -> bool:
    """Does the sentence read as the author talking (not a quotation, not narration)?"""
    return sentence.lstrip()[:1] not in "\"“‘'" and _VOICE.search(sentence) is not None


def _sentences(text: str) -> list[int]:
    """The offsets where each sentence ends (the last: the end of the text)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]


def too_long(note_words: int, chapter: Iterable[Block]) -> bool:
    """Is a block of `note_words` too long to be set apart from `chapter` (the blocks
    around it, its own included)? The chapter is counted only for a block longer than
    MAX_NOTE_WORDS: most notes are short, and counting every chapter that has one cost
    a tenth of the converter's time."""
    return note_words > MAX_NOTE_WORDS and note_words > MAX_NOTE_SHARE * chapter_words(chapter)


def chapter_words(blocks: Iterable[Block]) -> int:
    return sum(map(count_words, blocks))
