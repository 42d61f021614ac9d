"""Layouts: the shapes people save stories in (AO3 copied as text, Project Gutenberg,
LiveJournal posts…), recognised from the content and read by their profile
(`ficbook/data/layouts/*.yaml`) before the converter's generic rules run.

The layout stage hands the rules a Story whose card, notes and chapters it already
knows; the rules then do what they do for any story (scene breaks, typography, notes
inside the text). A recipe can force a layout per story (`layout: gutenberg`) or switch
detection off (`layout: none`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.convert.context import Context, settle_language
from ficbook.errors import StoryError
from ficbook.readers.layouts.detect import Detection, detect, recognise
from ficbook.readers.layouts.plan import Plan
from ficbook.readers.layouts.profiles import Profile, layout_names, profiles
from ficbook.readers.source import Source

__all__ = ["Detection", "detect", "recognise", "layout_names", "profiles", "text_layout",
           "convert_layout_text"]


# Card fields a layout reads from the site's card: the story's own header lines (which the
# generic header rule reads, where the layout keeps it) do not overwrite them.
_KEPT = ("title", "authors", "rating", "language", "source", "published", "status",
         "characters", "pairings", "genres", "fandoms")


def _engine(name: str) -> Callable[[list[str], Profile, Context], Plan]:
    if name == "sections":
        from ficbook.readers.layouts.sections import read_sections

        return read_sections
    if name == "markers":
        from ficbook.readers.layouts.markers import read_markers

        return read_markers
    if name == "cardline":
        from ficbook.readers.layouts.cardline import read_cardline

        return read_cardline
    if name == "plain":
        from ficbook.readers.layouts.plain import read_plain

        return read_plain
    raise ValueError(f"layout engine {name!r} unknown")


def text_layout(source: Source, options: ConvertOptions) -> Profile | None:
    """The layout profile a plain-text story is read by, or None (the generic reader)."""
    forced = options.layout
    if forced == "none":
        return None
    if forced:
        return profiles()[forced]
    return recognise(source.data, "text")


def convert_layout_text(source: Source, options: ConvertOptions,
                        profile: Profile) -> ConvertResult:
    from ficbook.convert.pipeline import apply_block_rules
    from ficbook.readers.decode import decode_text
    from ficbook.readers.text.reader import title_from_path

    # The layout reads the card itself: the generic header rule would read story text
    # that starts with a label ("Rating: nine," she said) as a header. A layout whose
    # stories carry their own header lines (FanFiction.Net's) keeps the rule.
    decoded = decode_text(source.data, source.name, options.encoding,
                          mojibake=options.enabled("mojibake"))
    lines = decoded.text.split("\n")
    header_rule = bool(profile.get("header_rule"))
    if not header_rule:
        options = dataclasses.replace(options, rules=(*options.rules, ("header", False)))
    ctx = Context(options, source.name)
    ctx.diagnostics.extend(decoded.diagnostics)
    found = detect(decoded.text, "text", forced=profile.name) if options.layout \
        else detect(decoded.text, "text") or detect(decoded.text, "text", forced=profile.name)
    ctx.report("info", "layout", found.describe() if found else f"layout {profile.name}")
    plan = _engine(profile.engine)(lines, profile, ctx)
    # the story's language (the recipe's, the edition's `Language:` field, or the text's)
    # before its chapters are found: `Erstes Kapitel`, `CHAPITRE PREMIER` are its words
    ctx.options = options = settle_language(ctx.options, plan.fields.get("language"),
                                            decoded.text, ctx)
    if header_rule and not _header_safe(lines, plan):
        ctx.options = dataclasses.replace(options, rules=(*options.rules, ("header", False)))
        ctx.report("info", "layout", "the text's first lines read as story, not a header: "
                                     "the header rule is off for this story")
    from ficbook.readers.layouts.build import build_story

    story = build_story(lines, plan, ctx, path=source.name,
                        fallback_title=title_from_path(source.path), plain=decoded.plain,
                        keep_boilerplate=options.boilerplate == "keep")
    known = {k: getattr(story.meta, k) for k in _KEPT if plan.fields.get(k)}
    story = apply_block_rules(story, ctx)
    if known and profile.get("header_rule"):
        # what the layout read from the page's own card outranks the story's header lines
        story = dataclasses.replace(story, meta=dataclasses.replace(story.meta, **known))
    from ficbook.model import Note, SceneBreak

    if not any(not isinstance(b, (Note, SceneBreak)) for c in story.chapters for b in c.blocks):
        raise StoryError("no story text left once the layout's header, notes and furniture "
                         "are set apart (see `ficbook inspect`)", file=source.name)
    return ConvertResult(story, tuple(ctx.diagnostics))


_SCALAR_LABEL = re.compile(r"^\s*(?:rating|rated|title|author|by|status|category|genre)\s*:\s*(.*)$",
                           re.IGNORECASE)


def _header_safe(lines: list[str], plan: Plan) -> bool:
    """No line near the top of the story that a header rule would take for a one-line
    field but that reads as a sentence (`Rating: the one thing he never asked for was…`,
    a script's character named Rating): such a story keeps its first lines as text."""
    body = [i for cp in plan.chapters[:1] for i in cp.body if lines[i].strip()][:12]
    for i in body:
        m = _SCALAR_LABEL.match(lines[i])
        if m and (len(m.group(1).split()) > 8 or any(q in m.group(1) for q in "\"“”")):
            return False
    return True
