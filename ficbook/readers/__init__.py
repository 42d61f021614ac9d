"""Readers: any story file -> the same `Story`, then the converter's block rules.

`read_story` picks the reader by what the file is (see `sniff`): plain text (read by its
layout's profile when one is recognised, `readers/layouts`), saved pages (by the site or
layout that made them: AO3, FanFiction.Net, eFiction, Gutenberg, the selector profiles,
anything else), EPUBs, and the files writers write (DOCX, ODT, Markdown, FB2); the
converter's block rules then run on the paragraphs that come out. Nothing is ever fetched: images
come from the EPUB itself or from files beside a saved page, or are dropped with a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ficbook.convert import ConvertOptions, ConvertResult
from ficbook.errors import Diagnostic, StoryError
from ficbook.readers.sniff import Kind, sniff

if TYPE_CHECKING:
    from ficbook.model import Story
    from ficbook.readers.html.context import PageContext
    from ficbook.readers.source import Source

__all__ = ["Kind", "read_markup", "read_story", "sniff", "is_markup"]


def read_story(source: Source, options: ConvertOptions = ConvertOptions()) -> ConvertResult:
    """Any story file -> `Story`: saved pages and EPUBs by their markup, decided by the
    bytes (not the extension); everything else as plain text."""
    if is_markup(source):
        return read_markup(source, options)
    from ficbook.readers.layouts import convert_layout_text, text_layout
    from ficbook.readers.text.reader import convert_text

    profile = text_layout(source, options)
    if profile is not None:
        return convert_layout_text(source, options, profile)

    return convert_text(source, options)


def is_markup(source: Source) -> bool:
    return sniff(source.data, source.name) != "text"


def read_markup(source: Source, options: ConvertOptions) -> ConvertResult:
    kind = sniff(source.data, source.name)
    if kind == "zip":
        if not _opens_as_zip(source.data):
            raise StoryError("not a valid EPUB or zip: the archive is damaged or cut short "
                             "(save or download it again)", file=source.name)
        raise StoryError("a zip file without an EPUB package (no .opf inside)", file=source.name)
    if kind == "epub":
        from ficbook.readers.epub import read_epub

        story, diags = read_epub(source, options)
    elif kind == "html":
        story, diags = read_html(source, options)
    elif kind in ("docx", "odt", "fb2", "markdown"):
        story, diags = read_written(source, options, kind)
    else:
        raise StoryError("not an HTML page or an EPUB", file=source.name)
    story, options, said = settle_language(story, options, source.name)
    from ficbook.convert.pipeline import run_block_rules

    story, more = run_block_rules(story, options, source.name)
    return ConvertResult(story, tuple(diags) + said + tuple(more))


def settle_language(story: Story, options: ConvertOptions,
                    name: str) -> tuple[Story, ConvertOptions, tuple[Diagnostic, ...]]:
    """The story's language (the recipe's, the page's own, or its text's) on the story
    and in the options the rules read."""
    import dataclasses

    from ficbook.convert.context import Context
    from ficbook.convert.context import settle_language as settle
    from ficbook.text import block_text

    texts: list[str] = []
    size = 0
    for chapter in story.chapters:  # the first 40 KB or so is plenty to sample from
        for b in chapter.blocks:
            texts.append(block_text(b))
            size += len(texts[-1])
        if size > 40_000:
            break
    ctx = Context(options, name)
    options = settle(options, story.meta.language, "\n".join(texts), ctx)
    if options.language != story.meta.language:
        story = dataclasses.replace(story, meta=dataclasses.replace(story.meta,
                                                                    language=options.language))
    return story, options, tuple(ctx.diagnostics)


def _opens_as_zip(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return True


def read_html(source: Source, options: ConvertOptions) -> tuple[Story, list[Diagnostic]]:
    from ficbook.readers.html.common import decode_page
    from ficbook.readers.html.context import PageContext
    from ficbook.readers.images import file_loader

    text, diags = decode_page(source.data, source.name, options.encoding)
    ctx = PageContext(source.name, file_loader(source.path.parent))
    story = read_page(text, ctx, options)
    return story, diags + ctx.diagnostics


def read_page(text: str, ctx: PageContext, options: ConvertOptions | None = None) -> Story:
    """One decoded page (`ctx`: where its images come from, where problems go) -> Story, by the site or the layout
    that made it."""
    from ficbook.readers.html import ao3, efiction, ffnet, generic
    from ficbook.readers.html.tree import parse

    soup = parse(text)
    layout = options.layout if options is not None else None
    if layout is None or layout == "none":
        # the archives' own page structures first: exact, and a story page may name
        # another site in passing
        if ao3.is_ao3(soup):
            return ao3.read_ao3(soup, ctx)
        from ficbook.readers.html import ao3page

        if ao3page.is_ao3_page(soup):
            return ao3page.read_ao3_page(soup, ctx, text)
    if layout != "none":
        from ficbook.readers.html import gutenberg
        from ficbook.readers.html.sites import read_site, site_profile

        site = site_profile(text, layout)
        if site is not None:
            ctx.info("layout", site.describe())
            return read_site(soup, ctx, text, site.profile)
        if layout == "gutenberg" or (layout is None and gutenberg.is_gutenberg(soup, text)):
            ctx.info("layout", "layout gutenberg" + (" (set by the recipe)" if layout else
                                                     ", recognised by its edition markers"))
            return gutenberg.read_gutenberg(
                soup, ctx, keep_boilerplate=options is not None and options.boilerplate == "keep")
    if ffnet.is_ffnet(soup):
        return ffnet.read_ffnet(soup, ctx, text)
    if efiction.is_efiction(soup):
        return efiction.read_efiction(soup, ctx, text)
    return generic.read_generic(soup, ctx, text)


def read_written(source: Source, options: ConvertOptions,
                 kind: str) -> tuple[Story, list[Diagnostic]]:
    """A file a writer wrote (DOCX, ODT, Markdown, FB2) -> Story, headings as chapters."""
    from ficbook.errors import Diagnostic as Diag
    from ficbook.readers.document import story_of
    from ficbook.readers.html.context import PageContext
    from ficbook.readers.text.reader import title_from_path

    diags: list[Diagnostic] = []
    if kind == "docx":
        from ficbook.readers.docx import read_docx

        doc = read_docx(source.data, source.name)
    elif kind == "odt":
        from ficbook.readers.odt import read_odt

        doc = read_odt(source.data, source.name)
    elif kind == "fb2":
        from ficbook.readers.fb2 import read_fb2

        doc = read_fb2(source.data, source.name)
    else:
        from ficbook.readers.decode import decode_text

        decoded = decode_text(source.data, source.name, options.encoding,
                              mojibake=options.enabled("mojibake"))
        diags.extend(decoded.diagnostics)
        from ficbook.readers.markdown import read_markdown

        doc = read_markdown(decoded.text, source.name)
    ctx = PageContext(source.name)
    ctx.info("format", f"read as {kind.upper() if kind != 'markdown' else 'Markdown'}")
    for severity, code, message in doc.diagnostics:
        diags.append(Diag(severity, code, message, source.name))
    story = story_of(doc, ctx, title_from_path(source.path))
    if options.language:
        import dataclasses

        story = dataclasses.replace(story, meta=dataclasses.replace(story.meta,
                                                                    language=options.language))
    return story, diags + ctx.diagnostics

