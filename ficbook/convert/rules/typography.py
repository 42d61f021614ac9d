"""Typography for fiction: curly quotes (nested, after dashes and ellipses), apostrophes in
'90s, 'em, 'tis, rock 'n' roll, students'; -- and spaced hyphens to em dashes keeping the
author's spacing (or closing it: `close_dashes`); ... and . . . to …. Curly input is left
alone; no U+2060 word joiner is ever written. Quotation marks follow the story's language
(`quotes.py`: « » in French, „ “ in German…); Chinese and Japanese are left as they are."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from operator import is_
from typing import TYPE_CHECKING, Any

from ficbook.convert.context import Context
from ficbook.convert.inlines import ParagraphFix, TextFix, with_inlines
from ficbook.convert.rules.quotes import localiser
from ficbook.model import Inline, LineBreak, Paragraph, Story, Styled, Text
from ficbook.text import one_run

if TYPE_CHECKING:
    from ficbook.convert import ConvertOptions

# Words that begin with an elided letter: the apostrophe is ’, not an opening ‘.
_ELISIONS = {
    "em", "tis", "twas", "twere", "twill", "til", "till", "cause", "cos", "cuz", "bout",
    "round", "n", "ere", "ello", "im", "er", "is", "alf", "ave", "ow", "ome", "orrible",
    "nother", "fore", "gainst", "kay", "nuff", "sup", "scuse", "specially", "course", "ead",
    "eart", "ouse", "usband", "ang", "ad", "appen", "ands", "ey", "ell", "elp", "uh",
}
_ELISION = re.compile(r"([A-Za-z]+)(?![A-Za-z])")
_YEARS = re.compile(r"\d\d(?:s\b|(?!\d))")
_OPENERS = set(" \t\n([{<“‘\"'—–-/")
_DASHES = set("—–-")
_STRAIGHT = re.compile("[\"']")
# The patterns below start with a character they match and look behind after it: a scan
# for a first character is fast, a look-behind tried at every position is not.
# "..." not part of a longer run; ". . ." not after a word or a dot (nor before " .").
# (A space before ". . ." is left where it is.)
_ELLIPSIS = re.compile(r"\.(?<!\.\.)\.\.(?!\.)|\.(?<![.\w]\.) \. \.(?! \.)")
_DOTS = re.compile(r"\.(?:\.\.| \. \.)")  # "..." or ". . .": _ELLIPSIS may match
_DOUBLE_DASH = re.compile(r"-(?<!--)-{1,2}(?!-)")  # -- and ---, not part of a longer run
# a spaced hyphen between words (or after punctuation) is a dash
_SPACED_HYPHEN = re.compile(r" - (?<=[\w,.;:!?…’”\"')] - )(?=[\w“‘\"'(])")
# "Hellmouth- you": a hyphen hung on a word before a space is a dash too, except the
# suspended hyphen of "pre- and post-war"
_HUNG_HYPHEN = re.compile(r"- (?<=[a-z]- )(?!(?:and|or|nor|to|through|\s)\b)(?=\w)")
_AROUND_DASH = re.compile(r"\s*—\s*")
# The quotes whose character before settles them (see _double and _single), curled in one
# C pass; the loop below is left with those at the start of a word or run. (The quote
# comes first in each pattern, the look-behind after it: a literal start is searched fast.)
_CLOSING_DOUBLE = re.compile(r"\"(?<=[^ \t\n(\[{<“‘\"'—–\-/]\")")
_APOSTROPHE = re.compile(r"'(?<=(?:[^\W_]|[’”.,!?…])')")
_NOT_APOSTROPHE = re.compile(r"'(?<![^\W_]')(?<![’”.,!?…]')")  # a ' _APOSTROPHE leaves
_OPENING_DOUBLE = re.compile(r"\"(?<=[ \t\n(\[{<“‘/]\")(?=\S)")  # after an opener (not a dash), before a word
# The same, and at the start of the run: what _double gives a run's first " with no
# character before it (`prev` empty: a paragraph's first run), in the same C pass.
_OPENING_DOUBLE_OR_FIRST = re.compile(r"\"(?<![^ \t\n(\[{<“‘/]\")(?=\S)")


def smarten(text: str, prev: str, after: str = "") -> str:
    """One run of text; `prev` is the character before it and `after` the text after it
    (across inline boundaries: `"_Vale_," she said` opens before the italics)."""
    # each pattern needs its characters: most runs have no ellipsis, dash or quote (and a
    # test for one character is cheaper than for a string, a regex search than two tests)
    if _DOTS.search(text):
        text = _ELLIPSIS.sub("…", text)
    if "-" in text:
        if "--" in text:
            text = _DOUBLE_DASH.sub("—", text)
        if "- " in text:  # both hyphen patterns need it
            if " - " in text:
                text = _SPACED_HYPHEN.sub(" — ", text)
            text = _HUNG_HYPHEN.sub("— ", text)
    double, single = '"' in text, "'" in text
    if not double and not single:
        return text
    straight = text  # what _single reads after a quote: the quotes after it still straight
    if double:
        text = (_OPENING_DOUBLE if prev else _OPENING_DOUBLE_OR_FIRST).sub("“", _CLOSING_DOUBLE.sub("”", text))
    if single:
        if _NOT_APOSTROPHE.search(text):
            text = _APOSTROPHE.sub("’", text)
        else:  # every ' is one _APOSTROPHE curls (most runs): a plain replace is cheaper
            text = text.replace("'", "’")
    # A quote opening the run (most often a paragraph's first "): the patterns above need
    # a character before it, so none curled it; the loop would settle it by `prev`.
    first = text[0]
    if first == '"':
        text = _double(prev, text[1:2] or after[:1]) + text[1:]
    elif first == "'":
        text = _single(prev, (straight[1:40] + after)[:39]) + text[1:]
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _STRAIGHT.finditer(text):
        i = m.start()
        # the character before, as curled already when it was a quote too (i > 0: the
        # first character is curled above)
        before = out[-1] if pos == i else text[i - 1]
        out.append(text[pos:i])
        if m.group(0) == '"':
            out.append(_double(before, text[i + 1:i + 2] or after[:1]))
        else:
            out.append(_single(before, (straight[i + 1:i + 40] + after)[:39]))
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def _double(before: str, after: str) -> str:
    if not before or before in _OPENERS:
        if before in _DASHES and (not after or after.isspace() or after in ".,;:!?"):
            return "”"
        return "“" if after and not after.isspace() else "”"
    return "”"


def _single(before: str, rest: str) -> str:
    after = rest[:1]
    if before and (before.isalnum() or before in "’”.,!?…"):
        return "’"  # don't, students', it's
    if after.isdigit() and _YEARS.match(rest):
        return "’"  # '90s
    m = _ELISION.match(rest)
    if m and m.group(1).lower() in _ELISIONS:
        # 'n' in rock 'n' roll, 'em, 'tis… unless it is plainly a quoted word: 'em'
        word = m.group(1)
        closes = rest[len(word):len(word) + 1] == "'"
        if not closes or word.lower() == "n":
            return "’"
    if not before or before in _OPENERS:
        return "‘" if after and not after.isspace() else "’"
    return "’"


def _pieces(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """The texts of a paragraph's runs and line breaks, in reading order."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, LineBreak):
            yield "\n"
        elif isinstance(node, Styled):
            yield from _pieces(node.children)


def close_dashes(text: str) -> str:
    return _AROUND_DASH.sub("—", text) if "—" in text else text


def card_typography(story: Story, fix: Callable[[str], str]) -> Story:
    """Chapter and part headings and the card's fields with `fix` (a `line_fixer`): the
    paragraphs' typography, so no straight ' on a card. Authors' names stay as written.
    Applied as the book is assembled (the readers' stories keep their fields as read)."""
    def one(text: str | None) -> str | None:
        return fix(text) if text else text

    def each(values: tuple[str, ...]) -> tuple[str, ...]:
        new = tuple(map(fix, values))
        return values if all(map(is_, new, values)) else new

    chapters = tuple(ch if one(ch.title) is ch.title and one(ch.part) is ch.part
                     else dataclasses.replace(ch, title=one(ch.title), part=one(ch.part))
                     for ch in story.chapters)
    meta = story.meta
    changes: dict[str, Any] = {}
    for name in ("title", "series"):
        value = getattr(meta, name)
        if (text := one(value)) is not value:
            changes[name] = text
    for name in ("fandoms", "pairings", "characters", "warnings", "genres", "tags"):
        values = getattr(meta, name)
        if (texts := each(values)) is not values:
            changes[name] = texts
    extra = tuple((k, fix(v)) for k, v in meta.extra)
    if not all(a[1] is b[1] for a, b in zip(extra, meta.extra)):
        changes["extra"] = extra
    if not changes and all(map(is_, chapters, story.chapters)):
        return story
    return dataclasses.replace(story, meta=dataclasses.replace(meta, **changes) if changes else meta,
                               chapters=chapters)


def line_fixer(options: ConvertOptions) -> Callable[[str], str]:
    """One line outside a story's paragraphs (a heading, a card field, a title or summary
    the recipe gives) with the typography its paragraphs get: the language's quotes, the
    recipe's dash rule; the line as it is when the recipe turns typography off."""
    if not options.enabled("typography"):
        return str
    return fixer(Context(options, ""))[2]


def fixer(ctx: Context) -> tuple[ParagraphFix, Callable[[], None], TextFix]:
    """The `typography` rule for one paragraph; the summary to report once all are done;
    and the rule for the text of a paragraph of one run (the same object back when it
    stays as it is), which `pipeline.inline_rules` calls without the paragraph."""
    closing = ctx.enabled("close_dashes")
    changed = 0
    local = localiser(ctx.options.language, smarten)  # None: English quotes

    def run(text: str, before: str, after: str = "") -> str:
        new = smarten(text, before, after) if local is None else local.smarten(text, before, after)
        if closing:
            new = close_dashes(new)
        if "\u2060" in new:
            new = new.replace("\u2060", "")
        return new

    def fix_run(text: str) -> str:
        nonlocal changed
        if local is not None:
            local.reset()
        new = run(text, "")
        if new == text:
            return text
        changed += 1
        return new

    def fix_english_run(text: str) -> str:
        """fix_run for English quotes and the author's dash spacing (most stories): `run`
        inlined, a call less a paragraph."""
        nonlocal changed
        new = smarten(text, "")
        if "\u2060" in new:
            new = new.replace("\u2060", "")
        if new == text:
            return text
        changed += 1
        return new

    def fix(p: Paragraph) -> Paragraph:
        text = one_run(p.inlines)
        if text is not None:  # most paragraphs
            new = fix_run(text)
            return p if new is text else with_inlines(p, (Text(new),))
        prev = ""
        if local is not None:
            local.reset()
        pieces = list(_pieces(p.inlines))  # the texts in reading order, for what follows each
        seen = 0

        def walk(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
            # gives back `inlines` itself when no text changed
            nonlocal prev, changed, seen
            out: list[Inline] = []
            for node in inlines:
                if isinstance(node, (Text, LineBreak)):
                    seen += 1
                if isinstance(node, Text):
                    new = run(node.text, prev, "".join(pieces[seen:seen + 2])[:40])
                    if new != node.text:
                        changed += 1
                        node = Text(new)
                    out.append(node)
                    prev = new[-1:] or prev
                elif isinstance(node, Styled):
                    children = walk(node.children)
                    out.append(node if children is node.children else Styled(node.kind, children))
                elif isinstance(node, LineBreak):
                    out.append(node)
                    prev = "\n"
                else:
                    out.append(node)
            return inlines if all(a is b for a, b in zip(out, inlines)) else tuple(out)

        inlines = walk(p.inlines)
        return p if inlines is p.inlines else dataclasses.replace(p, inlines=inlines)

    def finish() -> None:
        if changed:
            ctx.report("info", "typography", f"typography: curly quotes, dashes and ellipses in {changed} "
                       "runs of text")

    return fix, finish, fix_english_run if local is None and not closing else fix_run
