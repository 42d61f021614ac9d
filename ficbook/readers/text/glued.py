"""Text whose paragraph breaks were lost: scene breaks glued inside a line, and paragraphs
glued into lines of thousands of characters.

- `…shut the door.* * * * *Morning came…`, `…o0o0o0o…`, `…~~~~~…`: a glyph run between two
  sentences is a scene break (when the `scene_breaks` rule is on).
- In a paragraph far longer than any real one (a whole chapter on one line), a new
  paragraph starts where dialogue shows one did: closing-then-opening quotes
  (`…back!’‘Four years,’ he said…`), a sentence end followed straight by a quote
  (`…she left."Why not?" she…`). A straight quote there opens the next paragraph when
  the quotes before it are paired, and closes the last one when they are not: so the
  split puts it where its direction says, and typography then curls it that way.
"""

from __future__ import annotations

import re
from operator import itemgetter

from ficbook.convert.context import Context, quote
from ficbook.readers.text.paragraphs import RawPara

# Glyph runs that can stand glued between sentences (each is also a glyph line): the run
# first, so that the search skips ahead by it; what stands around it is checked after.
_BREAK = re.compile(
    r"(?:\*[ \t]*){3,}|(?:[oO]0){2,}[oO]?|(?:0[oO]){2,}0?|~{3,}|#{3,}|={3,}|(?:-[ \t]*){4,}"
    r"|(?:_[ \t]*){4,}")
_BEFORE = frozenset(".!?…\"”’'")  # a sentence has ended before the run
_AFTER = re.compile(r"[ \t]*(?:[\"“‘'A-Z]|$)")  # and a new one starts after it (or none)
# Substrings one of which any _BREAK match holds: most files hold none, and a search for
# each is cheaper than the pattern.
_BREAK_HINTS = ("***", "* * *", "o0o", "0o0", "O0O", "0O0", "~~~", "###", "===", "----",
                "- - - -", "____", "_ _ _ _")
# A paragraph longer than this is glued: no author writes one this long.
GLUED_LENGTH = 3000
# A sentence end, then quotes with no space: `!’‘`, `."`, `”` before a capital.
_SEAM = re.compile(r"(?<=[.!?…])([\"”’']?)([\"“‘']?)(?=[A-Z])")


# One search for any of the hints, in a paragraph (`_split_breaks`).
_HINT = re.compile("|".join(map(re.escape, _BREAK_HINTS)))
# Over a whole story, the hints are found by `str.find`, each only when its first
# character that is no letter is in the text at all (an `in`, a memchr): twice as fast as
# the pattern's search over 10 MB, which tries the o0o hints at every "o".
_GATE = {hint: next(c for c in hint if not c.isalpha()) for hint in _BREAK_HINTS}


def unglue(paras: list[RawPara], ctx: Context) -> list[RawPara]:
    """The paragraphs with glued scene breaks and glued paragraphs split apart."""
    # (most stories have no paragraph that long: one C loop over the lengths says so)
    lengths = list(map(len, map(_text, paras)))
    todo = ({i for i, n in enumerate(lengths) if n > GLUED_LENGTH}
            if max(lengths, default=0) > GLUED_LENGTH else set())
    if ctx.enabled("scene_breaks"):
        todo |= _hinted(paras)
    if not todo:
        return paras
    out: list[RawPara] = []
    for i, p in enumerate(paras):
        if i not in todo:
            out.append(p)
            continue
        for piece in _split_breaks(p, ctx):
            out.extend(_split_glued(piece, ctx) if len(piece.text) > GLUED_LENGTH else (piece,))
    return out


def _hinted(paras: list[RawPara]) -> set[int]:
    """The paragraphs holding a break hint: found in the texts joined, placed by offset."""
    joined = "\n".join(map(_text, paras))  # a map, not a generator: a third of the time
    present = {c for c in _GATES if c in joined}
    found: list[int] = []
    for hint in _BREAK_HINTS:
        if _GATE[hint] in present:
            at = joined.find(hint)
            while at >= 0:
                found.append(at)
                at = joined.find(hint, at + len(hint))
    if not found:
        return set()
    # a hint's paragraph: the line breaks before it, counted from the one before
    found.sort()
    out: set[int] = set()
    index = last = 0
    for at in found:
        index += joined.count("\n", last, at)
        out.add(index)
        last = at
    return out


_text = itemgetter(1)  # RawPara.text
_GATES = frozenset(_GATE.values())


def _split_breaks(p: RawPara, ctx: Context) -> list[RawPara]:
    if "\n" in p.text:
        return [p]
    text = p.text
    if not _HINT.search(text):
        return [p]
    found = [m for m in _BREAK.finditer(text)
             if text[:m.start()].rstrip(" \t")[-1:] in _BEFORE and _AFTER.match(text, m.end())]
    if not found:
        return [p]
    out: list[RawPara] = []
    pos = 0
    brk = p.brk
    for m in found:
        head = p.text[pos:m.start()].strip()
        if head:
            out.append(RawPara(p.line, head, p.gap if not out else 0, brk))
            brk = False
        ctx.report("info", "glued-break", f"glyph run {quote(m.group(0).strip())} inside a line "
                   "is a scene break", p.line)
        brk = True
        pos = m.end()
    tail = p.text[pos:].strip()
    if tail:
        out.append(RawPara(p.line, tail, 0 if out else p.gap, brk))
    elif brk:  # "Nothing followed.*****": the break stands before the next paragraph
        out.append(RawPara(p.line, "", 0, True))
    return out


def _split_glued(p: RawPara, ctx: Context) -> list[RawPara]:
    text = p.text
    cuts: list[int] = []
    turned: list[int] = []  # closing quotes that open the paragraph the split makes
    for m in _SEAM.finditer(text):
        q1, q2 = m.group(1), m.group(2)
        if not q1 and not q2:
            continue  # "door.He": a missing space, not a paragraph
        if q1 and q2:
            cuts.append(m.start(2))  # closing then opening: between them
            continue
        if q2:
            cuts.append(m.start(2))  # an opening quote: before it
            continue
        # one quote after the sentence end: it closes a quotation still open since the
        # last split, or else it opens the next paragraph (`.”Why not?”`)
        start = cuts[-1] if cuts else 0
        if q1 == '"' or q1 == "'":
            still_open = text.count(q1, start, m.start(1)) % 2 == 1
        else:
            opener = "“" if q1 == "”" else "‘"
            still_open = text.count(opener, start, m.start(1)) > text.count(q1, start, m.start(1))
        if still_open:
            cuts.append(m.end(1))
        else:
            cuts.append(m.start(1))
            if q1 in "”’":
                turned.append(m.start(1))
    if turned:  # a curly quote that opens is an opening one
        chars = list(text)
        for k in turned:
            chars[k] = "“" if chars[k] == "”" else "‘"
        text = "".join(chars)
    if not cuts:
        ctx.report("warning", "glued-split", f"a paragraph of {len(text):,} characters with no "
                   "place to split it", p.line)
        return [p]
    ctx.report("info", "glued-split", f"a paragraph of {len(text):,} characters split into "
               f"{len(cuts) + 1} where dialogue starts new ones", p.line)
    out: list[RawPara] = []
    pos = 0
    for c in [*cuts, len(text)]:
        piece = text[pos:c].strip()
        if piece:
            out.append(RawPara(p.line, piece, p.gap if not out else 0, p.brk and not out))
        pos = c
    return out
