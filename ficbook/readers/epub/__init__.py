"""EPUBs as stories: AO3's, FanFicFare's, and any other.

Chapters come from the spine, metadata from the OPF (`package`). The source book's own
furniture (cover page, title page, update log, table of contents) is recognised and not
repeated as story text: our book makes its own (`pages`). AO3 EPUBs carry AO3's download
markup and go through the AO3 reader; FanFicFare's notes divs become our notes.

The zip is read in memory and defensively (`archive`): hrefs never resolve outside the
book, entry sizes and the total are capped (zip bombs), XML is parsed without entities or
network.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from lxml import etree

from ficbook.errors import Diagnostic, StoryError
from ficbook.model import Chapter, Note, Resource, Story
from ficbook.readers.epub import package, pages
from ficbook.readers.epub.archive import EpubArchive, parse_xml, resolve
from ficbook.readers.epub.sections import split_sections
from ficbook.readers.html import ao3
from ficbook.readers.html.blocks import blocks_of, tidy
from ficbook.readers.html.common import finish_blocks, story_chapters
from ficbook.readers.html.context import ImageLoader, PageContext
from ficbook.readers.html.tree import parse
from ficbook.readers.images import to_resource

if TYPE_CHECKING:
    from ficbook.convert import ConvertOptions
    from ficbook.readers.source import Source


def read_epub(source: Source, options: ConvertOptions) -> tuple[Story, list[Diagnostic]]:
    book = EpubArchive(source.data, source.name)
    if package.encrypted_text(book):
        raise StoryError("EPUB is DRM-protected (its text is encrypted); ficbook cannot read "
                         "it: use a DRM-free copy", file=source.name)
    opf_path = package.opf_path(book)
    opf_bytes = book.read(opf_path) if opf_path else None
    if not opf_path or opf_bytes is None:
        raise StoryError("not an EPUB: no package document (.opf) inside", file=source.name)
    try:
        opf = parse_xml(opf_bytes)
    except etree.XMLSyntaxError:
        opf = None
    if opf is None:
        raise StoryError(f"EPUB package document {opf_path!r} is not XML", file=source.name)

    diags: list[Diagnostic] = []
    images: dict[str, Resource | None] = {}

    def loader_for(doc_path: str) -> ImageLoader:
        def load(src: str) -> Resource | None:
            path = resolve(doc_path, src)
            if path is None:
                return None
            if path not in images:
                data = book.read(path)
                images[path] = to_resource(data) if data else None
            return images[path]
        return load

    manifest = package.manifest_items(opf, opf_path)
    spine = package.spine_documents(opf, manifest)
    repeated = len(spine) - len(set(spine))
    if repeated:  # each document is read once, where it first stands in the reading order
        spine = list(dict.fromkeys(spine))
        diags.append(Diagnostic("warning", "epub-spine-repeats",
                                f"the spine lists {repeated} document(s) more than once; each "
                                "is read once", source.name))
    if not spine:
        raise StoryError("EPUB has no text documents in its spine", file=source.name)

    furniture = package.guide_furniture(opf, opf_path)
    titles = package.toc_titles(book, manifest)
    meta = package.opf_meta(opf)
    docs: list[tuple[str, BeautifulSoup]] = []
    for path in spine:
        data = book.read(path)
        if data is None:
            diags.append(Diagnostic("warning", "epub-missing-file",
                                    f"spine file {path!r} is missing from the EPUB", source.name))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            docs.append((path, parse(data.decode("utf-8", errors="replace"))))

    if any(ao3.is_ao3(soup) for _, soup in docs):
        story, more = _read_ao3_epub(docs, source.name, loader_for)
        diags.extend(more)
        return _with_opf(story, meta), diags

    ctx_diags: list[Diagnostic] = []
    fff_fields: dict[str, str] = {}
    chapters: list[Chapter] = []
    end_notes: list[Note] = []
    front_notes: list[Note] = []
    for path, soup in docs:
        body = soup.body or soup
        parts = split_sections(body)
        for what in parts.front:
            ctx_diags.append(Diagnostic("info", "epub-furniture",
                                        f"skipped the source book's {what} section ({path})", source.name))
        ctx = PageContext(source.name, loader_for(path), ctx_diags)
        for part in parts.chapters:
            kind = pages.furniture(path, part, furniture, meta) if part is body else None
            if kind:
                if kind == "title page":
                    fff_fields.update(pages.title_page_fields(body))
                ctx_diags.append(Diagnostic("info", "epub-furniture",
                                            f"skipped the source book's {kind} ({path})", source.name))
                continue
            chapter = pages.chapter(part, ctx, titles.get(path) if part is body else None)
            if chapter is not None:
                chapters.append(chapter)
        for part in parts.dedications:
            blocks = tidy(blocks_of(part, ctx))
            if blocks:
                front_notes.append(Note("dedication", finish_blocks(blocks)))
        for part in parts.back:
            note = pages.back_matter(part, ctx)
            if note is not None:
                end_notes.append(note)
                ctx_diags.append(Diagnostic("info", "author-note", f"the source book's back matter "
                                            f"set apart as end notes ({path})", source.name))
    diags.extend(ctx_diags)
    if not chapters:
        raise StoryError("no story text found in the EPUB", file=source.name)
    story_meta = pages.merge_fields(meta, fff_fields)
    summary = pages.summary_blocks(meta.pop("description", None) or fff_fields.get("summary"),
                                   source.name, diags)
    if len(chapters) == 1 and chapters[0].title and chapters[0].title.strip().lower() == story_meta.title.lower():
        chapters[0] = replace(chapters[0], title=None)
    story = Story(meta=story_meta, chapters=story_chapters(chapters, source.name),
                  summary=summary, front_notes=tuple(front_notes), end_notes=tuple(end_notes),
                  path=source.name)
    return story, diags


# ------------------------------------------------------------------ AO3 inside an EPUB


def _read_ao3_epub(docs: list[tuple[str, BeautifulSoup]], name: str,
                   loader_for: Callable[[str], ImageLoader]) -> tuple[Story, list[Diagnostic]]:
    """AO3's EPUB is its HTML download split into files: join the bodies, read it as AO3."""
    joined = parse("<html><body></body></html>")
    assert joined.body is not None
    diags: list[Diagnostic] = []
    for path, soup in docs:
        body = soup.body or soup
        # Image paths are relative to their own file: make them absolute in the book first.
        for img in body.find_all("img"):
            src = str(img.get("src") or "")
            resolved = resolve(path, src) if src and not src.startswith(("data:", "http", "//")) else None
            if resolved:
                img["src"] = resolved
        for child in list(body.children):
            joined.body.append(child.extract())
    ctx = PageContext(name, loader_for("root.xhtml"), diags)
    return ao3.read_ao3(joined, ctx), diags


def _with_opf(story: Story, meta: dict[str, Any]) -> Story:
    """The AO3 preface is richer than the OPF; the OPF fills only what it lacks."""
    m = story.meta
    changes = {}
    if m.title == "Untitled" and meta.get("title"):
        changes["title"] = meta["title"]
    if not m.authors and meta.get("authors"):
        changes["authors"] = meta["authors"]
    if not m.language and meta.get("language"):
        changes["language"] = meta["language"]
    if not m.source and meta.get("source"):
        changes["source"] = meta["source"]
    return replace(story, meta=replace(m, **changes)) if changes else story
