"""A story's language: the recipe's word for it, else the file's own, else its text's."""

from __future__ import annotations

from dataclasses import dataclass

from ficbook.language.detect import MIN_CONFIDENCE, Detection, detect


@dataclass(frozen=True, slots=True)
class StoryLanguage:
    code: str | None  # a BCP 47 tag; None: nothing said and too little text to tell
    source: str  # "recipe", "file", "detected", "book" (the recipe's book language)
    detection: Detection | None = None

    def describe(self) -> str:
        d = self.detection
        if self.source == "detected" and d is not None:
            if d.method == "common words":
                return f"{self.code} (detected: common English words are {d.confidence:.0%} of its words)"
            return f"{self.code} (detected: {d.method}, confidence {d.confidence:.2f})"
        if self.source == "book":
            why = (f"the text reads as {d.code} with confidence {d.confidence:.2f} only"
                   if d is not None else "too little text to tell")
            return f"{self.code} (the book's: {why})"
        if self.code is None:
            return "unknown (too little text to tell)"
        return f"{self.code} (from the {self.source})"  # the recipe's, or the file's


def choose(recipe: str | None, declared: str | None, text: str,
           book: str | None = None) -> StoryLanguage:
    """The recipe's `language:` for the story first, then what the file declares (AO3's
    language field), then detection; the book's language when detection is unsure."""
    if recipe:
        return StoryLanguage(recipe, "recipe")
    if declared:
        return StoryLanguage(declared, "file")
    found = detect(text)
    if found is not None and (found.method != "py3langid" or found.confidence >= MIN_CONFIDENCE):
        return StoryLanguage(found.code, "detected", found)
    if book:
        return StoryLanguage(book, "book", found)
    if found is not None:  # unsure, but nothing says better
        return StoryLanguage(found.code, "detected", found)
    return StoryLanguage(None, "unknown")
