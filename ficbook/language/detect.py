"""Which language a story is in, from a few KB of its text.

py3langid (langid.py's maintained fork: a naive Bayes model over byte n-grams for 97
languages, shipped inside the package, nothing downloaded) names the language. Loading
its model takes most of a second, so plain English, most of what ficbook reads, is settled
first by its commonest words, and the model is loaded only for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# A text whose words are this often one of these is English: none of them is common in the
# other languages of ficbook/data/languages/ ("a", "in", "is", "it" are, so they are out).
_ENGLISH_WORDS = frozenset(
    "the and was he she you that with his her had for but they this what have said not of "
    "him were would could there been from".split())
# English prose: 0.17-0.35 of its words (the bench's 200 stories, counted as below: words
# with their punctuation, so "her," is missed); other languages: 0
_ENGLISH_SHARE = 0.12
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
SAMPLE_CHARS = 1200  # each of three slices: 3.6 KB in all
ENGLISH_SAMPLE_CHARS = 400  # the same for the English test
MIN_CONFIDENCE = 0.8  # below this the model's answer is not used (short or mixed text)


@dataclass(frozen=True, slots=True)
class Detection:
    code: str  # ISO 639-1, as py3langid names it ("en", "es", "zh")
    # 0-1: the model's probability; for the English test, the share of the words that are
    # common English ones (0.15 and over)
    confidence: float
    method: str  # "py3langid", or "common words" (the English test)


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """Three slices of `text`, at a fifth, a half and four fifths of it (the whole of a
    short one): the header and the closing notes, often in English, weigh little."""
    if len(text) <= 3 * size:
        return text
    out = []
    for at in (len(text) // 5, len(text) // 2, len(text) * 4 // 5):
        start = max(0, min(at - size // 2, len(text) - size))
        out.append(text[start:start + size])
    return "\n".join(out)


def detect(text: str) -> Detection | None:
    """The language of `text` (a sample of it is read), or None when there is too little
    text to tell."""
    s = sample(text)
    if len(s.split(None, 4)) < 5 and len(s.strip()) < 20:  # (Chinese and Japanese have no spaces)
        return None
    # the English test reads a third of the model's sample: 200-odd words are plenty to
    # tell plain English (a share of 0.2-0.36 on the bench's stories, 0.12 needed), and it
    # runs on every story
    small = sample(text, ENGLISH_SAMPLE_CHARS)
    english = _english_share(small, small.lower().split())
    if english is not None:
        return Detection("en", round(english, 2), "common words")
    try:
        identifier = _identifier()
    except (OSError, MemoryError, ValueError):
        # py3langid unpacks its model through a temporary file: a full disk or a file size
        # limit leaves the story undetected (the book's language), never a failed build
        return None
    code, prob = identifier.classify(s)
    return Detection(str(code), round(float(prob), 2), "py3langid")


def _english_share(s: str, words: list[str]) -> float | None:
    """The share of the words that are common English ones, when the text is plain
    English (ASCII letters, and enough of those words); None otherwise. Cheap: it runs on
    every story, the model only when this says no."""
    if len(words) < 20:
        return None
    if not s.isascii() and sum(map(str.isalpha, _NON_ASCII.findall(s))) > 0.02 * len(s):
        return None
    share = sum(map(_ENGLISH_WORDS.__contains__, words)) / len(words)
    return share if share >= _ENGLISH_SHARE else None


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Unpacking the model (LZMA) takes most of two seconds; its pickle in the user's cache
    # loads in a tenth of that, in every process that meets a story not in plain English.
    import numpy
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from ficbook.usercache import cached

    model = MODEL_DIR / MODEL_FILE
    stat = model.stat()
    key = (f"{getattr(py3langid, '__version__', '')} {numpy.__version__} {model} "
           f"{stat.st_size} {stat.st_mtime_ns}").encode()
    return cached("py3langid", key, lambda: LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
