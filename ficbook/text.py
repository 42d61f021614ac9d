"""Facts about text that every stage shares: plain text of blocks, word counts, XML-safe text."""

from __future__ import annotations

import re

from ficbook.language.data import counts_characters, spaces_punctuation
from ficbook.model import (
    Block,
    BlockQuote,
    Chapter,
    Epigraph,
    Inline,
    LineBreak,
    ListBlock,
    Note,
    Paragraph,
    Styled,
    Table,
    Text,
)

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, C1 controls, surrogates, FFFE/FFFF),
# plus invisible joiners many readers have no glyph for. The surrogates are the regex's
# escapes, not characters: a compiled module (ficbook.native) cannot hold them in a literal.
_XML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f" r"\ud800-\udfff" "\ufffe\uffff\u2060\ufeff]")


def strip_forbidden(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def one_run(inlines: tuple[Inline, ...]) -> str | None:
    """The text of inlines that are one run of text (most paragraphs), else None."""
    return inlines[0].text if len(inlines) == 1 and type(inlines[0]) is Text else None


def inline_text(inlines: tuple[Inline, ...]) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Styled):
            out.append(inline_text(node.children))
        elif isinstance(node, LineBreak):
            out.append("\n")
    return "".join(out)


def block_text(block: Block) -> str:
    """The plain text of a block, for word counts and 'nothing lost' checks."""
    if isinstance(block, Paragraph):
        text = one_run(block.inlines)
        return inline_text(block.inlines) if text is None else text
    if isinstance(block, (BlockQuote, Note)):
        return "\n".join(block_text(b) for b in block.blocks)
    if isinstance(block, Epigraph):
        return "\n".join([*(block_text(b) for b in block.blocks),
                          inline_text(block.attribution)])
    if isinstance(block, ListBlock):
        return "\n".join(block_text(b) for item in block.items for b in item)
    if isinstance(block, Table):
        return "\n".join(inline_text(c.inlines) for row in block.rows for c in row)
    return ""


def story_texts(chapters: tuple[Chapter, ...]) -> list[str]:
    """`[block_text(b) for c in chapters for b in c.blocks if not isinstance(b, Note)]`.

    A one-text paragraph (nine blocks in ten) gives its text here without the call:
    block_text's own first case, so the texts are the same.
    """
    texts: list[str] = []
    add = texts.append
    for chapter in chapters:
        for b in chapter.blocks:
            if type(b) is Paragraph:
                inlines = b.inlines
                if len(inlines) == 1 and type(inlines[0]) is Text:
                    add(inlines[0].text)
                    continue
            if not isinstance(b, Note):
                add(block_text(b))
    return texts


def count_words(block: Block) -> int:
    return len(block_text(block).split())


# `str.split()` splits at runs of the characters `str.isspace()` accepts: these (a test
# checks both lists against every code point).
ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
OTHER_SPACES = ("\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _by_lead_byte(chars: str) -> tuple[tuple[bytes, re.Pattern[bytes]], ...]:
    """For each first byte of the characters' UTF-8 forms: the byte and a pattern for them.

    `lead in data` is a memchr (fast), so a pattern runs only where its first byte is there;
    the regex engine seeks a pattern's literal first byte quickly too. Each pattern is that
    byte then (middle bytes, a class of last bytes) | …: a class is one test where a list of
    whole forms would be tried one by one at every match of the first byte.
    """
    groups: dict[bytes, dict[bytes, bytes]] = {}
    for c in chars:
        utf8 = c.encode()
        lasts = groups.setdefault(utf8[:1], {})
        lasts[utf8[1:-1]] = lasts.get(utf8[1:-1], b"") + utf8[-1:]
    return tuple(
        (lead, re.compile(re.escape(lead) + b"(?:" + b"|".join(
            re.escape(middle) + b"[" + re.escape(last) + b"]" for middle, last in lasts.items())
            + b")"))
        for lead, lasts in groups.items())


_OTHER_SPACES_UTF8 = _by_lead_byte(OTHER_SPACES)
# A UTF-8 byte -> b" " for an ASCII space, b"w" for anything else: every byte of a
# non-ASCII character is >= 0x80, so none of them looks like an ASCII space.
_SPACE_OR_WORD = bytes(0x20 if chr(i) in ASCII_SPACES else 0x77 for i in range(256))


def count_text_words(text: str) -> int:
    """`len(text.split())`, without a string per word (1.8 million in a 10 MB book)."""
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates: 3 bytes >= 0x80 each
    if any(lead in data and pattern.search(data) for lead, pattern in _OTHER_SPACES_UTF8):
        return len(text.split())  # a no-break space or the like: rare in stories
    # Only ASCII spaces split words here: each word is a run of b"w"; count where runs start.
    flat = data.translate(_SPACE_OR_WORD)
    return flat.count(b" w") + flat.startswith(b"w")


def story_words(chapters: tuple[Chapter, ...], language: str | None = None) -> int:
    """The words of the chapters' blocks but notes: what the card, contents and log report.
    In Chinese and Japanese each Han or kana character counts as a word, as AO3 counts them
    (`count_cjk_words`).

    Counted over the blocks' texts joined by "\\n": a separator that is white space, so no
    word straddles two blocks and each counts its own words.
    """
    if counts_characters(language):
        return count_cjk_words("\n".join(story_texts(chapters)))
    if spaces_punctuation(language):  # French: « mot » and "mot !" are one word each
        return count_lettered_words("\n".join(story_texts(chapters)))
    return count_text_words("\n".join(story_texts(chapters)))


def join_names(names: tuple[str, ...]) -> str:
    """"A", "A & B", "A, B & C": authors as the cards, the contents and the description name them."""
    if len(names) <= 2:
        return " & ".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def number_text(x: float) -> str:
    """A series position as written: 2, not 2.0; 2.5 stays 2.5."""
    return str(int(x)) if float(x).is_integer() else str(x)


# Han ideographs (with extensions and compatibility forms), hiragana and katakana: each
# counts as a word, as AO3 counts Chinese and Japanese.
_CJK = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  "\U00020000-\U0003134f]")
_ALNUM = re.compile(r"[^\W_]")


def count_cjk_words(text: str) -> int:
    """Chinese and Japanese characters, plus the words of anything else (Latin names,
    numbers) between them; punctuation (，。「」) is no word."""
    chars = len(_CJK.findall(text))
    if not chars:
        return len(text.split())
    return chars + sum(1 for w in _CJK.sub(" ", text).split() if _ALNUM.search(w))


def count_lettered_words(text: str) -> int:
    """The words of `text` that hold a letter or digit: the punctuation French typography
    sets apart with a (no-break) space is no word."""
    return sum(1 for w in text.split() if _ALNUM.search(w))
