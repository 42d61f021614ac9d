"""Author's notes anywhere: labelled notes, trailing notes sections, the recipe's overrides.
What stands after a story's end and unlabelled notes at either end: `endmatter`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import lru_cache
from operator import is_

from ficbook.convert.context import Context, quote
from ficbook.convert.firstchars import FirstChars
from ficbook.convert.inlines import (
    drop_prefix,
    drop_suffix,
    para_text,
    paragraphs_only,
    split_at,
    with_blocks,
    with_chapters,
)
from ficbook.convert.rules import shape
from ficbook.convert.rules.header_fields import field_of
from ficbook.errors import Severity
from ficbook.language import ENGLISH, Vocabulary, vocabulary
from ficbook.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, Text
from ficbook.text import count_words

# A note label at the very start of a paragraph, optionally in brackets: "A/N:", "(AN: …)",
# "Author's Notes -", "N/A:". Case matters for the short forms so that "An" (a word) is text.
# The words are data (ficbook/data/languages/): English's here; a story in another
# language matches its own and English's (`Vocabulary.note_label`).
EN = vocabulary(ENGLISH)
_LABEL = EN.note_label
_CLOSE = {"(": ")", "[": "]"}
# Most words a trailing notes section may have when it runs to the end of a chapter.
_MAX_TRAILING_WORDS = 400


# A paragraph that is only a label, as AO3 pages copy: "Notes", "Chapter End Notes".
_BARE = EN.note_bare


# First character -> can a label (or the white space and bracket before one) start with it:
# most paragraphs are settled by one lookup.
_MAY_LABEL = FirstChars(f"{_LABEL.pattern}|{_BARE.pattern}")


@lru_cache(maxsize=32)
def _may_start(vocab: Vocabulary) -> FirstChars:
    """`_MAY_LABEL` for a story language's labels and English's."""
    return FirstChars(f"{vocab.note_label.pattern}|{vocab.note_bare.pattern}")


def note_label(p: Paragraph, vocab: Vocabulary = EN) -> tuple[str, int, int] | None:
    """(label, characters to drop at the start, at the end) when the paragraph is a note."""
    text = para_text(p)
    if not (_MAY_LABEL if vocab is EN else _may_start(vocab))[text[:1]]:
        return None
    bare = vocab.note_bare.fullmatch(text)
    if bare:
        return bare.group(1), len(text), 0
    m = vocab.note_label.match(text)
    if not m:
        return None
    label = m.group("label")
    if label.lower() in vocab.one_word_notes and not m.group("sep").strip().startswith((":", "：")):
        return None  # "Note - " reads like text; "Note:" is a label
    tail = 0
    if m.group("open"):
        close = _CLOSE[m.group("open").strip()]
        if text.rstrip().endswith(close):
            tail = len(text) - len(text.rstrip()) + 1
    return label, m.end(), tail


def as_note(blocks: Sequence[Block], label: str | None, ctx: Context, why: str,
             severity: Severity = "info") -> Note:
    first = next((b for b in blocks if isinstance(b, Paragraph)), None)
    line = first.line if first else None
    words = sum(count_words(b) for b in blocks)
    shown = quote(para_text(first)) if first else ""
    ctx.report(severity, "author-note", f"author's note set apart ({why}, {words} words): {shown}",
               line)
    return Note("author-note", tuple(b for b in blocks if not isinstance(b, SceneBreak)),
                label=label, line=line)


def _strip_label(p: Paragraph, found: tuple[str, int, int]) -> Paragraph:
    _, head, tail = found
    return drop_suffix(drop_prefix(p, head), tail)


def set_apart(story: Story, ctx: Context) -> Story:
    """Block rule `author_notes`: labelled notes become Note blocks where they stand."""
    vocab = ctx.vocab
    chapters = tuple(_chapter_notes(ch, ctx, vocab) for ch in story.chapters)
    return lift(with_chapters(story, chapters), ctx)


def _next_note(blocks: tuple[Block, ...], start: int, vocab: Vocabulary = EN) -> int:
    """The index of the first paragraph with a note label from `start` on (or the end)."""
    may = _MAY_LABEL if vocab is EN else _may_start(vocab)
    for i in range(start, len(blocks)):
        b = blocks[i]
        if isinstance(b, Paragraph):
            inlines = b.inlines
            # note_label's first test, inlined for a paragraph of one run (most): the call
            # costs more than the lookup that settles most paragraphs
            if len(inlines) == 1 and type(run := inlines[0]) is Text and not may[run.text[:1]]:
                continue
            if note_label(b, vocab) is not None:
                return i
    return len(blocks)


def _chapter_notes(ch: Chapter, ctx: Context, vocab: Vocabulary = EN) -> Chapter:
    blocks = ch.blocks

    def next_note(start: int) -> int:
        return _next_note(blocks, start, vocab)

    i = next_note(0)
    if i == len(blocks):  # most chapters: no label, nothing to set apart
        return ch
    out: list[Block] = list(blocks[:i])  # kept as they are, as below
    seen_text = any(isinstance(b, Paragraph) for b in out)

    def set_apart(note: list[Block], labelled: Paragraph, taken: list[Block], why: str) -> None:
        """The note, unless it is far longer than a note for its chapter: then the blocks
        it would take (the `labelled` paragraph first) stay in the story."""
        nonlocal seen_text
        size = sum(count_words(x) for x in note)
        if shape.too_long(size, blocks):
            ctx.report("warning", "note-kept", f"{label}: {size:,} words, too long for a note "
                       f"in a chapter of {shape.chapter_words(blocks):,}; kept in the story: "
                       f"{quote(para_text(labelled))}", labelled.line)
            out.extend(taken)
            seen_text = True
        else:
            out.append(as_note(note, label, ctx, why))
    while i < len(blocks):
        # the blocks up to the next label are kept as they are
        upto = next_note(i)
        if upto > i:
            kept = blocks[i:upto]
            out.extend(kept)
            seen_text = seen_text or any(isinstance(b, Paragraph) for b in kept)
            i = upto
            continue
        b = blocks[i]
        assert isinstance(b, Paragraph)  # next_note stops at a labelled paragraph
        found = note_label(b, vocab)
        assert found is not None
        label, _, tail = found
        rest = list(blocks[i + 1:])
        first = _strip_label(b, found)
        body: list[Block] = [first] if para_text(first).strip() else []
        cut = shape.story_start(para_text(first)) if body else None
        if cut == (0, 0):  # no note: story text that starts with a label-like word
            ctx.report("warning", "note-kept", f"{label}: reads as story text, kept in the "
                       f"story: {quote(para_text(b))}", b.line)
            out.append(b)
            seen_text = True
            i += 1
            continue
        if cut is not None:  # "A/N: thanks.--The rain…": the note ends where the story starts
            note, story = split_at(first, *cut)
            ctx.report("info", "note-cut", f"{label}: the story starts inside it, "
                       f"{quote(para_text(story), 60)}", b.line)
            out.append(as_note([note], label, ctx, "labelled, cut where the story starts"))
            out.append(story)
            seen_text = True
            i += 1
            continue
        if tail:  # "(A/N: …)" closes itself
            set_apart(body, b, [b], "labelled")
            i += 1
            continue
        after_marker = bool(out) and isinstance(out[-1], SceneBreak)
        if seen_text and rest and _is_trailing(rest, after_marker, vocab):
            why = "after a scene break, runs to the end" if after_marker else "runs to the end"
            set_apart(body + rest, b, [b, *rest], why)
            i = len(blocks)
            continue
        taken: list[Block] = [b]
        if not body and rest and isinstance(rest[0], Paragraph) and not note_label(rest[0], vocab):
            # a label on its own line: the note is the paragraph under it
            body, rest = [rest[0]], rest[1:]
            taken.append(body[0])
            i += 1
        if len(taken) == 2 or not seen_text:
            # and the paragraphs after it that go on talking ("<b>Author's Note:</b>" over
            # three paragraphs; "A/N: thanks…" then "I wrote it in a week…"), while story
            # text follows
            more = _goes_on(rest, vocab)
            body += rest[:more]
            taken += rest[:more]
            i += more
            rest = rest[more:]
        extra = _up_to_marker(rest, vocab) if not seen_text else []
        why = "labelled, up to the scene break after it" if extra else "labelled"
        set_apart([*body, *extra], b, [*taken, *extra], why)
        i += 1 + len(extra)
    return with_blocks(ch, out)


def _goes_on(rest: list[Block], vocab: Vocabulary) -> int:
    """How many paragraphs after a note go on talking: at most four, with story text after
    them. The first person is a sign of the author only when the story after them does not
    speak in it too (a first-person story's opening is no note)."""
    def run(first_person: bool) -> int:
        more = 0
        while more < len(rest) - 1 and more < 5 and isinstance(r := rest[more], Paragraph) \
                and not note_label(r, vocab) and _talking(para_text(r), vocab, first_person) \
                and any(isinstance(x, Paragraph) for x in rest[more + 1:]):
            more += 1
        return more

    more = run(True)
    if more:
        after = [r for r in rest[more:more + 6] if isinstance(r, Paragraph) and _story_like(r, vocab)]
        if more == 5 or not after or any(FIRST_PERSON.search(para_text(r)) for r in after):
            more = run(False)  # no story after them, or a story told in the first person
    return min(more, 4)


def _story_like(b: Paragraph, vocab: Vocabulary) -> bool:
    """A paragraph of what reads as the story: no label, no end marker, not the archive's words."""
    if note_label(b, vocab):
        return False
    text = para_text(b)
    return field_of(text.strip(), vocab) is None and not is_end(text, vocab) and author_score(text) < 2


def _talking(text: str, vocab: Vocabulary = EN, first_person: bool = True) -> bool:
    """Does the paragraph read as the author talking (the archive's words; the first person)?"""
    if text[:1] in "\"“‘'" or "\n" in text.strip() \
            or ((f := field_of(text.strip(), vocab)) is not None and f[2] is not None):
        return False  # dialogue, lines kept as lines (a song), or a labelled field of its own
    return author_score(text) >= 2 or (first_person and bool(AUTHOR_VOICE.search(text[:200])))


def _up_to_marker(rest: list[Block], vocab: Vocabulary = EN) -> list[Paragraph]:
    """Paragraphs after a leading note, up to a scene break, when they read as the author
    talking (and real story text follows the break)."""
    upto = next((k for k, r in enumerate(rest[:5]) if isinstance(r, SceneBreak)), None)
    if not upto:
        return []
    paras = paragraphs_only(rest[:upto])
    if paras is not None and all(not note_label(r, vocab) and author_score(para_text(r)) >= 2 for r in paras) \
            and sum(count_words(r) for r in paras) <= 150 \
            and any(isinstance(r, Paragraph) for r in rest[upto:]):
        return paras
    return []


def _is_trailing(rest: list[Block], after_marker: bool, vocab: Vocabulary = EN) -> bool:
    """Does a labelled note at this point run to the end of the chapter?"""
    paras = paragraphs_only(rest)
    if paras is None or any(note_label(r, vocab) for r in paras):
        return False
    if after_marker and sum(count_words(r) for r in paras) <= _MAX_TRAILING_WORDS:
        return True
    return all(author_score(para_text(r)) >= 2 for r in paras) and len(paras) <= 4


def lift(story: Story, ctx: Context | None = None) -> Story:
    """Notes before the text of an untitled first chapter (the header area) go to the
    story's front notes; notes after the text of a one-chapter story to its end notes.
    Chapters and the story are kept as they are when nothing moves (`with_blocks`)."""
    if not story.chapters:
        return story
    chapters = list(story.chapters)
    front, end = list(story.front_notes), list(story.end_notes)
    first = chapters[0]
    if not first.title:
        blocks = list(first.blocks)
        if len(chapters) > 1 or _has_text(blocks):
            while blocks and isinstance(blocks[0], (Note, SceneBreak)):
                b = blocks.pop(0)
                if isinstance(b, Note):
                    front.append(b)
        if blocks or len(chapters) == 1 or first.summary:
            chapters[0] = with_blocks(first, blocks)
        else:
            chapters.pop(0)
    if len(chapters) == 1 and not chapters[0].title:
        blocks = list(chapters[0].blocks)
        tail: list[Note] = []
        while blocks and isinstance(blocks[-1], (Note, SceneBreak)) and _has_text(blocks):
            b = blocks.pop()
            if isinstance(b, Note):
                tail.insert(0, b)
        chapters[0] = with_blocks(chapters[0], blocks)
        end = tail + end
    # notes are only ever added to the front and end ones
    if len(front) == len(story.front_notes) and len(end) == len(story.end_notes) \
            and len(chapters) == len(story.chapters) and all(map(is_, chapters, story.chapters)):
        return story
    return dataclasses.replace(story, chapters=tuple(chapters), front_notes=tuple(front),
                               end_notes=tuple(end))


def _has_text(blocks: list[Block]) -> bool:
    return any(not isinstance(b, (Note, SceneBreak)) for b in blocks)


# ------------------------------------------------------------ recipe overrides


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower().replace("’", "'")).split())


def overrides(story: Story, ctx: Context) -> Story:
    """`notes_after: "first words"`: the note after the story starts there; `notes_before:
    "first words"`: the story starts there, and what comes before it is a note."""
    opts = ctx.options
    if opts.notes_after:
        story = _split(story, ctx, opts.notes_after, after=True)
    if opts.notes_before:
        story = _split(story, ctx, opts.notes_before, after=False)
    return story


def _split(story: Story, ctx: Context, words: str, after: bool) -> Story:
    key = _norm(words)
    order = range(len(story.chapters) - 1, -1, -1) if after else range(len(story.chapters))
    for c in order:
        ch = story.chapters[c]
        for k, b in enumerate(ch.blocks):
            if isinstance(b, Paragraph) and key and _norm(para_text(b)).startswith(key):
                head, tail = list(ch.blocks[:k]), list(ch.blocks[k:])
                if after:
                    note = as_note(tail, None, ctx, "recipe notes_after")
                    chapters = (*story.chapters[:c], dataclasses.replace(ch, blocks=tuple(head)),
                                *story.chapters[c + 1:])
                    return dataclasses.replace(story, chapters=tuple(chapters),
                                               end_notes=(note, *story.end_notes))
                note = as_note(head, None, ctx, "recipe notes_before")
                chapters = (*story.chapters[:c], dataclasses.replace(ch, blocks=tuple(tail)),
                            *story.chapters[c + 1:])
                return dataclasses.replace(story, chapters=tuple(chapters),
                                           front_notes=(*story.front_notes, note))
    name = "notes_after" if after else "notes_before"
    ctx.report("warning", "notes-override", f"recipe {name}: no paragraph starts with {quote(words)}")
    return story


# ------------------------------------------------------------ unlabelled trailing notes

# Each pattern starts with a look-ahead for the first letters of its alternatives (ignoring
# case, as they do): most positions fail that one test instead of every alternative (2-3x
# faster; tests/convert/test_rules_fast.py checks the letters against the alternatives).
_STRONG = re.compile(
    r"(?=[abdfhilmnoprstuw])"
    r"\b(?:reviews?|reviewing|reviewers?|review(?:ed)?\b.{0,20}\b(?:chapter|story|fic)|"
    r"updates?|updating|next chapter|last chapter|this (?:fic|story|chapter|one-?shot|ficlet)|"
    r"my (?:beta|readers|reviewers|muse)|beta(?:-?ing|'?d)?|thanks? (?:you )?(?:for|to) "
    r"(?:reading|reviewing|all|everyone)|hope you (?:all )?(?:enjoyed|liked)|fics?|ficlet|"
    r"one-?shot|hiatus|writing mode|writer'?s block|sequel|feedback|disclaimer|r ?& ?r|"
    r"holidays?|happy new year|merry christmas|happy holidays|author'?s note|readers|"
    r"(?:i'?ll|i will) (?:try to )?(?:post|update|write)|posted|posting|to be continued|tbc)\b",
    re.IGNORECASE)
_WEAK = re.compile(r"(?=[:;<ablpsx])(?::-?[)D(P]|;-?\)|\bx[dD]\b|<3|\blol\b|\bbelated\b|\bsorry for the "
                   r"(?:wait|delay)\b|\blet me know\b|\banything you'?d like\b|\bplease\b)",
                   re.IGNORECASE)


def author_score(text: str) -> int:
    strong = {m.group(0).lower() for m in _STRONG.finditer(text)}
    weak = {m.group(0).lower() for m in _WEAK.finditer(text)}
    return 2 * len(strong) + len(weak)


# "The End", "~Fin~", "THE END.", "TBC", "To be continued…": the story's last line.
END_MARKER = re.compile(r"[\s~*=_.\-–—()\[\]]*(?i:the\s+end|fin|finis|end|tbc|to\s+be\s+continued|"
                         r"end\s+of\s+(?:part|chapter|story|book)(?:\s+\w+)?)[\s~*=_.…!\-–—()\[\]]*")
def is_end(text: str, vocab: Vocabulary = EN) -> bool:
    """An end marker: the story language's ("Fin", "Конец") or English's, "End of Part Two" too."""
    return len(text) <= 40 and (vocab.is_end_marker(text) or END_MARKER.fullmatch(text) is not None)


FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'll|I’ll|I'd|I’d|(?i:me|my|myself))\b")
# The author talking about the story, not a narrator telling it: the present and the
# writing ("I hope", "I'm sorry", "I wrote", "my beta"); "I woke up late" is a story's.
AUTHOR_VOICE = re.compile(r"\bI(?:['’]m| am|['’]ve| have|['’]ll| will| hope| wrote| write| wanted to| promise|"
                           r" know| think| love| own| don['’]?t| do not| can['’]?t| just| really| apologi[sz]e)\b"
                           r"|\b(?i:my) (?:beta|muse|first|readers?|story|fic|chapter|sister|friend|editor|thanks)\b"
                           r"|\b(?i:thanks to|thank you)\b")
