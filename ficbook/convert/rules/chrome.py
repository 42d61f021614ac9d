"""Archive chrome: whole site lines (review prompts, navigation, counters) dropped and logged.

The patterns are data (`ficbook/data/chrome.yaml`), so that a new archive's chrome is a
one-line change.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources

from ficbook.convert.context import Context, quote
from ficbook.convert.inlines import para_text, squeeze
from ficbook.model import Chapter, Paragraph, Story


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(resources.files("ficbook").joinpath("data/chrome.yaml").read_text("utf-8"))
    alternatives = "|".join(f"(?:{p})" for p in data["patterns"])
    return re.compile(alternatives, re.IGNORECASE)


def is_chrome(line: str) -> bool:
    text = squeeze(line)
    return bool(text) and len(text) <= 200 and _pattern().fullmatch(text) is not None


def report(ctx: Context, line_text: str, line: int | None) -> None:
    ctx.report("info", "chrome-dropped", f"dropped archive line {quote(line_text, 200)}", line)


def drop_paragraphs(story: Story, ctx: Context) -> Story:
    """Block rule: paragraphs that are one chrome line (as an HTML page gives them)."""
    chapters = []
    seen = ctx.not_chrome
    for ch in story.chapters:
        kept = []
        for b in ch.blocks:
            if isinstance(b, Paragraph) and (text := para_text(b)) not in seen and is_chrome(text):
                report(ctx, para_text(b), b.line)
                continue
            kept.append(b)
        chapters.append(ch if len(kept) == len(ch.blocks)
                        else Chapter(ch.title, tuple(kept), ch.line, ch.summary))
    return dataclasses.replace(story, chapters=tuple(chapters))
