"""Markdown through markdown-it-py: a YAML front matter for the title, author and tags;
footnotes set apart as notes; Pandoc attribute lines dropped."""

from __future__ import annotations

import re

from ficbook.readers.document import Document
from ficbook.readers.written import people

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


def read_markdown(text: str, name: str) -> Document:
    from markdown_it import MarkdownIt

    title = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    m = _FRONT.match(text)
    if m:
        fields = _front_matter(m.group(1))
        text = text[m.end():]
        title = str(fields.get("title") or "").strip() or None
        author = fields.get("author") or fields.get("authors")
        authors = tuple(str(a) for a in author) if isinstance(author, list) else people(
            str(author) if author else None)
        raw_tags = fields.get("tags")
        if isinstance(raw_tags, list):
            tags = tuple(str(t) for t in raw_tags)
    text, notes = _footnotes(text)
    text = _attribute_lines(text)
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    end: tuple = ()
    if notes:
        from ficbook.model import Note, Paragraph, Text

        end = (Note("author-note", tuple(Paragraph((Text(n),)) for n in notes), label="Notes"),)
    return Document(md.render(text), title=title, authors=authors, tags=tags, end_notes=end)


_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*(?:\n(?:[ \t]{2,}|\t).*)*)", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# A Pandoc attribute line under a block ("{ .md-time-to-read }"); site furniture by its class
_ATTRIBUTES = re.compile(r"^\{[ \t]*(?:[.#][\w-]+[ \t]*)+\}[ \t]*$", re.MULTILINE)
_FURNITURE_CLASS = re.compile(r"time-to-read|reading-time|read-time|word-?count|post-meta",
                              re.IGNORECASE)


def _footnotes(text: str) -> tuple[str, list[str]]:
    """Footnote definitions (`[^1]: text`) out of the text, as notes; references dropped."""
    notes = [" ".join(m.group(2).split()) for m in _FOOTNOTE_DEF.finditer(text)]
    if not notes:
        return text, []
    text = _FOOTNOTE_DEF.sub("", text)
    return _FOOTNOTE_REF.sub("", text), [n for n in notes if n]


def _attribute_lines(text: str) -> str:
    """Pandoc attribute lines are not text; a block whose class marks it as a site's
    counter (time to read, word count) goes with its line."""
    if "{" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if _ATTRIBUTES.match(line):
            if _FURNITURE_CLASS.search(line):
                while out and out[-1].strip():
                    out.pop()  # the block the attribute belongs to
            continue
        out.append(line)
    return "\n".join(out)


def _front_matter(text: str) -> dict:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from ficbook import fastyaml

    # a user's file: the C parser only when fastyaml finds it shallow (it crashes the
    # process on deep nesting), else the pure-Python one
    data = fastyaml.load(text)
    if data is None:
        try:
            data = YAML(typ="safe", pure=True).load(text)
        except (YAMLError, RecursionError):
            return {}
    return data if isinstance(data, dict) else {}
