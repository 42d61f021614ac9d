"""The end of a story, and unlabelled notes at either end: after an end marker ("The End",
"~Fin~", "Fin", "Конец") what follows is back matter (the author's notes set apart whole,
notices as the disclaimer, the marker kept); with no marker, a few last paragraphs, or the
paragraphs before a first scene break, that read as the author talking are set apart with
a warning. The author's voice is judged as for labelled notes (`notes.author_score`).
"""

from __future__ import annotations

import dataclasses
import re

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import para_text, paragraphs_only, with_blocks, with_chapters
from ficbook.convert.rules import shape
from ficbook.convert.rules.notes import FIRST_PERSON, as_note, author_score, is_end
from ficbook.model import Block, Note, Paragraph, SceneBreak, Story
from ficbook.text import count_words

# Back matter that is a notice about the text, not a note: it goes to the disclaimer.
_NOTICE = re.compile(r"(?i)(?:copyright|©|\(c\) ?\d|all rights reserved|do not (?:archive|repost|"
                     r"post|copy|distribute|translate)|don'?t (?:archive|repost)|not to be "
                     r"(?:archived|reposted)|ask (?:me )?(?:before|first) (?:archiving|posting)|"
                     r"archive (?:it )?elsewhere)")
_BACK_MATTER_BLOCKS = 40  # the most blocks after an end marker that are looked at


def after_end(story: Story, ctx: Context) -> Story:
    """What follows an end marker in the last chapter is back matter: the author's notes
    set apart whole (all their paragraphs), notices (copyright, "do not archive") as the
    disclaimer. The marker itself stays, the story's last line as the author wrote it."""
    if not story.chapters:
        return story
    ch = story.chapters[-1]
    blocks = ch.blocks
    vocab = ctx.vocab
    # looked for among the last blocks only: back matter is a few paragraphs (and a marker
    # further up leaves the text where it is), and the whole chapter is no place to search
    found = next(((k, p) for k in range(len(blocks) - 1, max(-1, len(blocks) - 1 - _BACK_MATTER_BLOCKS), -1)
                  if isinstance(p := blocks[k], Paragraph) and is_end(para_text(p), vocab)), None)
    if found is None:
        return story
    mark, marker = found
    if not any(isinstance(b, Paragraph) for b in blocks[mark + 1:]):
        return story
    if not any(isinstance(b, Paragraph) for b in blocks[:mark]):
        return story  # nothing before it: no story ended there
    rest = blocks[mark + 1:]
    paras = [b for b in rest if isinstance(b, Paragraph)]
    size = sum(count_words(b) for b in paras)
    # The cues of the author talking are English words; in another language, one to three
    # short paragraphs at the very end are taken by their shape ("Gracias por leer").
    short = not vocab.english_only and len(rest) <= 3 and len(paras) == len(rest) and size <= 200
    if not short and not all(_NOTICE.search(t) or author_score(t) >= 2 or FIRST_PERSON.search(t[:200])
                             for t in map(para_text, paras)):
        return story  # story text goes on after it: "End." was dialogue, or a chapter's end
    if shape.too_long(size, blocks):
        ctx.report("warning", "end-marker", f"{size:,} words after the end marker "
                   f"{quote(para_text(marker))}: too long for back matter, kept in the story",
                   marker.line)
        return story
    out: list[Block] = list(blocks[:mark + 1])
    notes: list[Paragraph] = []
    notices: list[Paragraph] = []
    for b in rest:
        if isinstance(b, Paragraph):
            (notices if _NOTICE.search(para_text(b)) else notes).append(b)
        elif isinstance(b, Note):
            out.append(b)
    ctx.report("info", "end-marker", f"after the end marker {quote(para_text(marker))}: "
               f"{len(notes) + len(notices)} paragraphs of back matter set apart",
               marker.line)
    if notes:
        out.append(as_note(notes, None, ctx, f"after the end marker {quote(para_text(marker))}; a "
                            "recipe `notes_after:` or `rules: {trailing_notes: false}` settles it"))
    if notices:
        first = notices[0]
        n = sum(count_words(b) for b in notices)
        ctx.report("info", "disclaimer", f"disclaimer set apart (after the end marker, {n} words): "
                   f"{quote(para_text(first))}", first.line)
        out.append(Note("disclaimer", tuple(notices), line=first.line))
    return with_chapters(story, (*story.chapters[:-1], with_blocks(ch, out)))


def trailing_heuristic(story: Story, ctx: Context) -> Story:
    """Block rule `trailing_notes`: back matter after an end marker (`after_end`); unlabelled
    notes — at most three last paragraphs, or the paragraphs before a first scene break,
    that read as the author talking (updates, reviews, holidays, emoticons). Reported as
    warnings."""
    story = after_end(story, ctx)
    story = _leading_unlabelled(story, ctx)
    if story.end_notes or not story.chapters:
        return story
    ch = story.chapters[-1]
    blocks = list(ch.blocks)
    k = len(blocks)
    while k > 0 and len(blocks) - k < 3:
        b = blocks[k - 1]
        if not isinstance(b, Paragraph) or count_words(b) > 120 or author_score(para_text(b)) < 4:
            break
        k -= 1
    why = ("unlabelled, reads as the author talking; a recipe `notes_after:` or "
           "`rules: {trailing_notes: false}` settles it")
    if k == len(blocks) or not any(isinstance(b, Paragraph) for b in blocks[:k]):
        return story
    note = as_note(blocks[k:], None, ctx, why, severity="warning")
    chapters = (*story.chapters[:-1], dataclasses.replace(ch, blocks=tuple(blocks[:k])))
    if len(story.chapters) == 1 and not ch.title:
        return dataclasses.replace(story, chapters=chapters, end_notes=(note,))
    return with_chapters(story, (*story.chapters[:-1], dataclasses.replace(ch, blocks=(*blocks[:k], note))))


def _leading_unlabelled(story: Story, ctx: Context) -> Story:
    if story.front_notes or not story.chapters or story.chapters[0].title:
        return story
    ch = story.chapters[0]
    blocks = list(ch.blocks)
    upto = next((k for k, b in enumerate(blocks[:4]) if isinstance(b, SceneBreak)), None)
    if not upto:
        return story
    paras = paragraphs_only(blocks[:upto])
    if paras is None or not all(count_words(p) <= 120 and author_score(para_text(p)) >= 3 for p in paras) \
            or sum(author_score(para_text(p)) for p in paras) < 4 \
            or not any(isinstance(b, Paragraph) for b in blocks[upto:]):
        return story
    note = as_note(paras, None, ctx, "unlabelled, before the first scene break, reads as the "
                    "author talking; a recipe `notes_before:` or `rules: {trailing_notes: false}` "
                    "settles it", severity="warning")
    chapters = (dataclasses.replace(ch, blocks=tuple(blocks[upto + 1:])), *story.chapters[1:])
    return dataclasses.replace(story, chapters=chapters, front_notes=(note,))
