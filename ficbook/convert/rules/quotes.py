"""Quotation marks by language, for the typography rule: the straight `"` a story typed
becomes its language's marks (« » in French, Spanish, Portuguese, Italian and Russian,
„ “ in German, „ ” in Polish), nested ones its inner marks (“ ” in French, „ “ in Russian,
‚ ‘ in German, « » in Polish). Marks the author typed are kept and counted, so a French
line opened with `"` and closed with `»` opens with «. French gets its no-break spaces
inside « » and before : ; ! ?. Chinese and Japanese are left as they are.

Everything else (apostrophes ’, dashes, ellipses) is English's `smarten`, which sees the
straight `"` as a placeholder it leaves alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ficbook.language import ENGLISH, language_data

_HOLD = "\ue000"  # a straight " while smarten runs (a private-use character: never in text)
# A straight " closes when what follows ends a quotation, or when a word is right before it.
_AFTER_CLOSE = frozenset(".,;:!?…)]}»«”“’—–-")
_BEFORE_OPEN = frozenset("([{«„“‘‚—–-/")

# French spacing: a no-break space (U+00A0) inside « », and before : ; ! ? (the author's
# own no-break or narrow no-break spaces are kept)
_FR_SPACE_BEFORE = re.compile(r"[ \t]+(?=[;:!?»])")
_FR_NONE_BEFORE = re.compile(r"(?:(?<=[^\W_])|(?<=»))(?=[;!?]+(?:\s|$|[»”\"')]))")
_FR_AFTER_OPEN = re.compile(r"«[ \t]*(?=[^\s\u00a0\u202f])")
_FR_BEFORE_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f])»")
_NBSP = "\u00a0"
# smarten's spaced hyphen next to a held quote (it sees a " there, and makes a dash)
_HYPHEN_AFTER_HELD = re.compile(r"(?<=\ue000) - (?=[\w“‘'(])")
_HYPHEN_BEFORE_HELD = re.compile(r"(?<=[\w,.;:!?…’”')]) - (?=\ue000)")
# German single quotes: ‚ ‘ for the pair smarten made ‘ ’ of
_GERMAN_SINGLE = re.compile(r"‘([^‘’\n]*?)’(?![^\W_])")


class Localiser:
    """`smarten` for one language; `reset` at each paragraph (nesting is counted within
    a paragraph, across its runs of text)."""

    def __init__(self, code: str, quotes: tuple[str, str, str, str],
                 english: Callable[[str, str, str], str]) -> None:
        self.english = english  # the typography rule's smarten: dashes, dots, apostrophes
        self.code = code
        self.marks = quotes
        self.french = code == "fr"
        self.cjk = code in ("zh", "ja")
        self.depth = 0

    def reset(self) -> None:
        self.depth = 0

    def smarten(self, text: str, prev: str, after: str = "") -> str:
        if self.cjk:
            return text  # untouched by the Latin rules
        smarten = self.english
        held = '"' in text
        new = smarten(text.replace('"', _HOLD) if held else text, prev, after)
        if held and " - " in new:
            new = _HYPHEN_BEFORE_HELD.sub(" — ", _HYPHEN_AFTER_HELD.sub(" — ", new))
        if self.code == "de" and "'" in text and "‘" in new:
            new = _GERMAN_SINGLE.sub(r"‚\1‘", new)
        marks = self._marks(new)
        if held or any(m in new for m in marks[1]):
            new = self._quotes(new, prev, marks)
        if self.french:
            new = french_spacing(new)
        return new

    def _marks(self, text: str) -> tuple[tuple[str, str, str, str], str]:
        """The marks to write, and the author's own opening and closing marks to count."""
        o1, c1, o2, c2 = self.marks
        if self.code == "de" and "»" in text:  # the text already uses » «: so do we
            return ("»", "«", "›", "‹"), "»«"
        return (o1, c1, o2, c2), o1 + c1

    def _quotes(self, text: str, prev: str, marks_own: tuple[tuple[str, str, str, str], str]) -> str:
        (o1, c1, o2, c2), own = marks_own
        own_open, own_close = own[0], own[1]
        out: list[str] = []
        before = prev
        n = len(text)
        for i, ch in enumerate(text):
            if ch == own_open and ch != own_close:
                self.depth += 1
            elif ch == own_close and ch != own_open:
                self.depth = max(0, self.depth - 1)
            elif ch == _HOLD:
                after = text[i + 1] if i + 1 < n else ""
                closes = after == "" or after.isspace() or after in _AFTER_CLOSE
                word_before = bool(before) and not before.isspace() and before not in _BEFORE_OPEN
                if self.depth == 0 and not (word_before and closes):
                    ch = o1
                    self.depth = 1
                elif self.depth == 0:
                    ch = c1  # a closing mark whose opening is not in this paragraph
                elif closes or word_before:
                    ch = c1 if self.depth == 1 else c2
                    self.depth -= 1
                else:
                    ch = o2
                    self.depth += 1
            out.append(ch)
            before = ch
        return "".join(out)


def french_spacing(text: str) -> str:
    if "«" in text:
        text = _FR_AFTER_OPEN.sub("«" + _NBSP, text)
    if "»" in text:
        text = _FR_BEFORE_CLOSE.sub(_NBSP + "»", text)
    if not any(c in text for c in ";:!?»"):
        return text
    text = _FR_SPACE_BEFORE.sub(_NBSP, text)
    return _FR_NONE_BEFORE.sub(_NBSP, text)


def localiser(tag: str | None, english: Callable[[str, str, str], str]) -> Localiser | None:
    """The story language's quotation rules; None for English's (and a language that
    quotes as English does, or has no data file)."""
    lang = language_data(tag)
    if lang.code == ENGLISH or (lang.quotes == language_data(ENGLISH).quotes
                                and lang.code not in ("zh", "ja")):
        return None
    return Localiser(lang.code, lang.quotes, english)
