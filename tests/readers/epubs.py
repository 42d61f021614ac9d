"""EPUBs written in the tests, in the layout AO3 and FanFicFare use."""

from __future__ import annotations

import io
import zipfile

CONTAINER = ('<?xml version="1.0"?><container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>')


def xhtml(body: str, title: str = "x") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f'<head><title>{title}</title><link rel="stylesheet" href="stylesheet.css"/></head>'
            f'<body>{body}</body></html>')


def make_epub(files: dict[str, str | bytes], metadata: str, spine: list[str],
              opf_dir: str = "OEBPS", extra_manifest: str = "", guide: str = "") -> bytes:
    items = "".join(
        f'<item id="f{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(spine))
    refs = "".join(f'<itemref idref="f{i}"/>' for i in range(len(spine)))
    opf = (f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           f'version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
           f'xmlns:opf="http://www.idpf.org/2007/opf">{metadata}</metadata>'
           f'<manifest>{items}{extra_manifest}</manifest><spine>{refs}</spine>{guide}</package>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", CONTAINER.format(opf=f"{opf_dir}/content.opf"))
        zf.writestr(f"{opf_dir}/content.opf", opf)
        for name, data in files.items():
            zf.writestr(f"{opf_dir}/{name}", data)
    return buf.getvalue()


def ao3_epub() -> bytes:
    """AO3's EPUB: its HTML download, split into files by calibre."""
    preface = xhtml(
        '<div id="preface"><h2 class="toc-heading">Preface</h2>'
        '<p class="message"><b>Lights Out</b><br/>Posted originally on the '
        '<a href="https://archiveofourown.org/">Archive of Our Own</a> at '
        '<a href="https://archiveofourown.org/works/424242">https://archiveofourown.org/works/424242</a>.</p>'
        '<div class="meta"><dl class="tags"><dt>Rating:</dt><dd><a href="#">Mature</a></dd>'
        '<dt>Fandom:</dt><dd><a href="#">Buffy the Vampire Slayer (TV)</a></dd>'
        '<dt>Relationship:</dt><dd><a href="#">Faith Lehane/Buffy Summers</a></dd>'
        '<dt>Additional Tags:</dt><dd><a href="#">Power Outage</a></dd>'
        '<dt>Language:</dt><dd>English</dd>'
        '<dt>Stats:</dt><dd>Published: 2021-01-01 Words: 120 Chapters: 2/2</dd></dl>'
        '<h1>Lights Out</h1><div class="byline">by <a rel="author" href="#">fivebyfive</a></div>'
        '<p>Summary</p><blockquote class="userstuff"><p>The power goes out in Cleveland.</p></blockquote>'
        '</div></div>', "Preface")
    ch1 = xhtml(
        '<div id="chapters" class="userstuff"><div class="meta group"><h2 class="heading">'
        'Chapter 1: Dark</h2><p>Chapter Notes</p><blockquote class="userstuff"><p>Short one.</p>'
        '</blockquote></div><div class="userstuff"><p>Faith found the candles first.</p>'
        '<p><img src="images/moon.png" alt="a crescent moon"/></p></div></div>', "Chapter 1")
    ch2 = xhtml(
        '<div id="chapters" class="userstuff"><div class="meta group"><h2 class="heading">'
        'Chapter 2: Light</h2></div><div class="userstuff"><p>Buffy found the matches.</p></div>'
        '<div class="meta" id="endnotes2"><p>Chapter End Notes</p><blockquote class="userstuff">'
        '<p>Thanks for reading!</p></blockquote></div></div>', "Chapter 2")
    after = xhtml(
        '<div id="afterword"><h2 class="toc-heading">Afterword</h2><div class="meta">'
        '<div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Written in one '
        'night.</p></blockquote></div></div><p class="message">Please <a href="#">drop by the '
        'Archive and comment</a> to let the creator know if you enjoyed their work!</p></div>',
        "Afterword")
    return make_epub(
        {"Lights_Out_split_000.xhtml": preface, "Lights_Out_split_001.xhtml": ch1,
         "Lights_Out_split_002.xhtml": ch2, "Lights_Out_split_003.xhtml": after,
         "images/moon.png": _png()},
        '<dc:title>Lights Out</dc:title><dc:creator opf:role="aut">fivebyfive</dc:creator>'
        '<dc:language>en</dc:language><dc:identifier id="id">urn:uuid:1</dc:identifier>',
        ["Lights_Out_split_000.xhtml", "Lights_Out_split_001.xhtml",
         "Lights_Out_split_002.xhtml", "Lights_Out_split_003.xhtml"],
        extra_manifest='<item id="img" href="images/moon.png" media-type="image/png"/>')


def ao3_calibre_epub() -> bytes:
    """AO3's EPUB as AO3 serves it: calibre has renamed the classes (`userstuff1`,
    `userstuff2`; `meta group` and the preface's `meta` to `calibre1`), its labels are
    `p.calibre7`, and the preface and the afterword are each split over two files, each
    part in its own copy of the wrapper (the afterword's first part an empty page break)."""
    preface_tags = xhtml(
        '<div id="preface" class="calibre1"><p class="message">Posted originally on the '
        '<a href="https://archiveofourown.org/">Archive of Our Own</a> at '
        '<a href="https://archiveofourown.org/works/515151">https://archiveofourown.org/works/515151</a>.</p>'
        '<div class="calibre1"><dl class="tags"><dt class="calibre2">Rating:</dt><dd class="calibre3">'
        '<a href="#">General Audiences</a></dd><dt class="calibre2">Fandom:</dt><dd class="calibre3">'
        '<a href="#">Angel: the Series</a></dd></dl></div></div>', "Preface")
    preface_text = xhtml(
        '<div id="preface" class="calibre1"><div class="calibre1"><h1 class="calibre6">Harbour Lights'
        '</h1><div class="byline">by <a rel="author" href="#">tidewatcher</a></div>'
        '<p class="calibre7">Summary</p><blockquote class="userstuff"><p class="calibre7">A ferry '
        'crossing at night.</p></blockquote><p class="calibre7">Notes</p><blockquote class="userstuff">'
        '<p class="calibre7">My first try at this pairing, be kind.</p></blockquote></div></div>'
        '<div class="userstuff1" id="chapters"><div class="calibre1"><div class="calibre8"></div>'
        '</div></div>', "Preface")
    chapter = ('<div class="userstuff1" id="chapters"><div class="calibre1">'
               '<h2 class="heading" id="calibre_toc_{n}">Chapter {n}: {title}</h2>{notes}</div>'
               '<div class="userstuff2"><p class="calibre7">{text}</p></div>{end}</div>')
    ch1 = xhtml(chapter.format(
        n=1, title="Departure", notes='<p class="calibre7">Chapter Notes</p><blockquote class='
        '"userstuff"><p class="calibre7">Set before season two.</p></blockquote>',
        text="The ferry left the pier at nine.", end=""), "Chapter 1")
    ch2 = xhtml(chapter.format(
        n=2, title="Arrival", notes="", text="Cordelia saw the harbour lights first.",
        end='<div class="calibre1" id="endnotes2"><p class="calibre7">Chapter End Notes</p>'
            '<blockquote class="userstuff"><p class="calibre7">One more to go.</p></blockquote>'
            '</div>') + '', "Chapter 2")
    after_break = xhtml('<div id="afterword" class="calibre1"><div class="calibre8"></div></div>')
    after = xhtml(
        '<div id="afterword" class="calibre1"><h2 class="toc-heading">Afterword</h2>'
        '<div class="calibre1"><div id="endnotes" class="calibre1"><p class="calibre7">End Notes</p>'
        '<blockquote class="userstuff"><p class="calibre7">Written on a long train ride.</p>'
        '</blockquote></div></div><p class="message">Please <a href="#">drop by the Archive and '
        'comment</a> to let the creator know if you enjoyed their work!</p></div>', "Afterword")
    names = [f"Harbour_Lights_split_{i:03d}.xhtml" for i in range(6)]
    return make_epub(
        dict(zip(names, (preface_tags, preface_text, ch1, ch2, after_break, after))),
        '<dc:title>Harbour Lights</dc:title><dc:creator opf:role="aut">tidewatcher</dc:creator>'
        '<dc:language>en</dc:language><dc:identifier id="id">urn:uuid:2</dc:identifier>', names)


def fff_epub() -> bytes:
    """FanFicFare's EPUB: title page, update log, chapters with fff notes divs."""
    title_page = xhtml(
        '<h3><a href="https://www.fanfiction.net/s/1/1/">The Watcher\'s Diary</a> by '
        '<a class="authorlink" href="https://www.fanfiction.net/u/9/">giles_fan</a></h3>'
        '<div><b>Category:</b> Buffy: The Vampire Slayer<br />'
        '<b>Genre:</b> Drama, Friendship<br />'
        '<b>Characters:</b> Rupert G., Buffy S.<br />'
        '<b>Rating:</b> K+<br />'
        '<b>Status:</b> In-Progress<br />'
        '<b>Chapters:</b> 2<br />'
        '<b>Words:</b> 1,234<br />'
        '<b>Publisher:</b> www.fanfiction.net<br />'
        '<b>Summary:</b> Giles keeps a diary. Buffy reads it.<br />'
        '<b>Packaged:</b> 2024-01-02 10:11:12<br /></div>', "The Watcher's Diary")
    log_page = xhtml('<h3>Update Log</h3><p><b>Chapters:</b> 1</p><p><b>Chapters:</b> 2</p>',
                     "Update Log")
    ch1 = xhtml(
        '<h3 class="fff_chapterhead">Tuesday</h3>'
        '<div class="fff_chapter_notes fff_head_notes"><b>Summary for the Chapter:</b>'
        '<blockquote><p>Tea is made.</p></blockquote><b>Notes for the Chapter:</b>'
        '<blockquote><p>Set in season three.</p></blockquote></div>'
        '<div class="storytext"><p>I have made tea again.</p><p>Buffy did not drink it.</p></div>'
        '<div class="fff_chapter_notes fff_foot_notes"><b>Notes for the Chapter:</b>'
        '<blockquote><p>More soon.</p></blockquote></div>', "Tuesday")
    ch2 = xhtml('<h3 class="fff_chapterhead">Wednesday</h3>'
                '<div><p>The library is quiet.</p><p>Too quiet.</p></div>', "Wednesday")
    return make_epub(
        {"title_page.xhtml": title_page, "log_page.xhtml": log_page,
         "file0001.xhtml": ch1, "file0002.xhtml": ch2},
        "<dc:title>The Watcher's Diary</dc:title><dc:creator opf:role=\"aut\">giles_fan</dc:creator>"
        '<dc:description>&lt;p&gt;Giles keeps a diary. &lt;i&gt;Buffy&lt;/i&gt; reads it.&lt;/p&gt;'
        '</dc:description><dc:subject>Buffy: The Vampire Slayer</dc:subject>'
        '<dc:subject>Drama</dc:subject><dc:subject>In-Progress</dc:subject>'
        '<dc:subject>Diary</dc:subject><dc:language>en</dc:language>'
        '<dc:source>https://www.fanfiction.net/s/1/1/</dc:source>'
        '<dc:identifier id="id">urn:uuid:2</dc:identifier>'
        '<meta name="calibre:series" content="Library Days"/>',
        ["title_page.xhtml", "log_page.xhtml", "file0001.xhtml", "file0002.xhtml"])


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 200, 120)).save(buf, "PNG")
    return buf.getvalue()
