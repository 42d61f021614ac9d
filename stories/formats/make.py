"""Make the sample stories in the formats writers write: a DOCX, an ODT, a Markdown and an
FB2 file, from the short texts below (the project's own words). Run from anywhere:

    python stories/formats/make.py

The files are committed; this script is how they were made (a fixed date inside the
zips, so running it again gives the same bytes)."""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = (2024, 5, 1, 0, 0, 0)

# Each story: (title, author, chapters); a chapter: (heading, paragraphs). In a paragraph,
# *word* is italic and **word** bold; a paragraph "A/N: …" is the author's note.
DOCX_STORY = ("The Lighthouse Ledger", "Maren Holt", [
    ("Chapter One: Salt", [
        "A/N: Written for the harbour zine. Thank you to the editors for their patience.",
        "The ledger was older than the lighthouse, and it said so on the first page, in ink "
        "gone brown as tea: *This book was here before the tower.*",
        "Ida read it by the lamp every night. She did not believe it, and she did not stop "
        "reading.",
        "* * *",
        "By winter the entries had started to **answer** her.",
    ]),
    ("Chapter Two: Oil", [
        "The keeper's boat came in on the first calm day of the year, riding low with barrels.",
        "\u201cYou've been writing in it,\u201d he said, and it was not a question.",
    ]),
])
ODT_STORY = ("Seven Bridges", "Tomas Lind", [
    (None, [
        "Disclaimer: The town and its people are made up; any bridge you recognise is a coincidence.",
    ]),
    ("Part One", [
        "There were seven bridges across the river, and Wren had a name for each of them.",
        "The *fourth* bridge was her favourite, because it had been built crooked and no one "
        "had ever fixed it.",
    ]),
    ("Part Two", [
        "In spring the river rose and took the crooked bridge with it, plank by plank.",
        "Wren stood on the bank and said its name one more time, **loudly**, so it would hear.",
    ]),
])
MD_STORY = ("The Clockmaker's Cat", "Ines Varga", [
    ("Chapter 1", [
        "The cat belonged to the clockmaker, or the clockmaker belonged to the cat; the town "
        "had never settled the question.",
        "It slept in the window between the *largest* clock and the smallest one.",
    ]),
    ("Chapter 2", [
        "When the clockmaker died, every clock in the shop stopped at a different minute.",
        "The cat wound them, one by one, with its paw, and **nobody** asked how.",
        "A/N: Thank you for reading. The cat is based on my neighbour's.",
    ]),
])
FB2_STORY = ("The Winter Post", "Olga Sever", [
    ("I", [
        "The post came to the village twice a winter, on a sledge pulled by two old horses.",
        "Mila waited for it at the edge of the forest with her *hands* in her sleeves.",
    ]),
    ("II", [
        "This winter the sledge came with no driver, and the horses stopped in front of her.",
        "There was one letter in the bag, and it had her **name** on it.",
    ]),
])


def inline_runs(text: str) -> list[tuple[str, str]]:
    """(style, text) runs: "" plain, "i" italic, "b" bold."""
    import re

    runs: list[tuple[str, str]] = []
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if part.startswith("**"):
            runs.append(("b", part[2:-2]))
        elif part.startswith("*") and len(part) > 1:
            runs.append(("i", part[1:-1]))
        elif part:
            runs.append(("", part))
    return runs


def write_zip(path: Path, members: list[tuple[str, str]], stored_first: bool = False) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for k, (name, text) in enumerate(members):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_STORED if (stored_first and k == 0) \
                else zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


def make_docx(story) -> None:
    title, author, chapters = story
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body: list[str] = []

    def para(text: str, style: str | None = None) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        runs = []
        for kind, t in inline_runs(text):
            rpr = {"i": "<w:rPr><w:i/></w:rPr>", "b": "<w:rPr><w:b/></w:rPr>"}.get(kind, "")
            runs.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(t)}</w:t></w:r>')
        return f"<w:p>{ppr}{''.join(runs)}</w:p>"

    body.append(para(title, "Title"))
    for heading, paras in chapters:
        body.append(para(heading, "Heading1"))
        body.extend(para(p) for p in paras)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}</w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              '</w:styles>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            "</cp:coreProperties>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>")
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                "</Relationships>")
    write_zip(HERE / "lighthouse-ledger.docx", [
        ("[Content_Types].xml", types), ("_rels/.rels", rels), ("docProps/core.xml", core),
        ("word/document.xml", document), ("word/styles.xml", styles),
        ("word/_rels/document.xml.rels", doc_rels)])


def make_odt(story) -> None:
    title, author, chapters = story
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')

    def para(text: str) -> str:
        spans = []
        for kind, t in inline_runs(text):
            t = escape(t)
            spans.append(f'<text:span text:style-name="T{kind}">{t}</text:span>' if kind else t)
        return f'<text:p text:style-name="Standard">{"".join(spans)}</text:p>'

    body = [f'<text:p text:style-name="Title">{escape(title)}</text:p>']
    for heading, paras in chapters:
        if heading:
            body.append(f'<text:h text:outline-level="1">{escape(heading)}</text:h>')
        body.extend(para(p) for p in paras)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
               '<office:automatic-styles>'
               '<style:style style:name="Ti" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
               '<style:style style:name="Tb" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
               '</office:automatic-styles><office:body><office:text>'
               f'{"".join(body)}</office:text></office:body></office:document-content>')
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ns} office:version="1.3">'
            f"<office:meta><dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            "</office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    write_zip(HERE / "seven-bridges.odt", [
        ("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content),
        ("meta.xml", meta), ("META-INF/manifest.xml", manifest)], stored_first=True)


def make_markdown(story) -> None:
    title, author, chapters = story
    lines = ["---", f"title: \"{title}\"", f"author: {author}", "tags: [cats, clocks]", "---", ""]
    for heading, paras in chapters:
        lines += [f"# {heading}", ""]
        for p in paras:
            lines += [p, ""]
    (HERE / "clockmakers-cat.md").write_text("\n".join(lines), "utf-8")


def make_fb2(story) -> None:
    title, author, chapters = story
    first, last = author.split()

    def para(text: str) -> str:
        out = []
        for kind, t in inline_runs(text):
            t = escape(t)
            out.append({"i": f"<emphasis>{t}</emphasis>", "b": f"<strong>{t}</strong>"}.get(kind, t))
        return f"<p>{''.join(out)}</p>"

    sections = "".join(
        f"<section><title><p>{escape(h)}</p></title>{''.join(para(p) for p in ps)}</section>"
        for h, ps in chapters)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" '
           'xmlns:l="http://www.w3.org/1999/xlink">\n<description><title-info>'
           f"<genre>prose_contemporary</genre><author><first-name>{first}</first-name>"
           f"<last-name>{last}</last-name></author><book-title>{escape(title)}</book-title>"
           "<annotation><p>A sledge, two horses and one letter in the snow.</p></annotation>"
           "<lang>en</lang></title-info></description>\n"
           f"<body><title><p>{escape(title)}</p></title>{sections}</body>\n"
           '<body name="notes"><section id="n1"><title><p>1</p></title>'
           "<p>The village is on no map; the horses are real.</p></section></body>\n"
           "</FictionBook>\n")
    (HERE / "winter-post.fb2").write_text(xml, "utf-8")


if __name__ == "__main__":
    make_docx(DOCX_STORY)
    make_odt(ODT_STORY)
    make_markdown(MD_STORY)
    make_fb2(FB2_STORY)
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")))
