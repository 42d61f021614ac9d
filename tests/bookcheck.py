"""Read a built book back with zipfile and lxml (no ficbook code) and check what readers need."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


class Book:
    def __init__(self, src: Path | bytes):
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.iterfind(".//opf:manifest/opf:item", NS)}

    def path(self, href: str) -> str:
        return posixpath.normpath(posixpath.join(self.base, href))

    @property
    def spine(self) -> list[str]:
        return [self.items[i.get("idref")].get("href")
                for i in self.opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def story_file(self, n: int, rest: str) -> str:
        """The spine href of story n's file `rest` ("card", "c01", "notes")."""
        return story_file(self.spine, n, rest)

    @property
    def xhtml_paths(self) -> list[str]:
        return [self.path(i.get("href")) for i in self.items.values()
                if i.get("media-type") == "application/xhtml+xml"]

    def doc(self, path: str) -> etree._Element:
        return etree.fromstring(self.zip.read(path))

    def text(self, path: str) -> str:
        return " ".join("".join(self.doc(path).itertext()).split())

    def spine_text(self) -> list[tuple[str, str]]:
        return [(h, self.text(self.path(h))) for h in self.spine]

    def find_all(self, xpath: str) -> list[tuple[str, etree._Element]]:
        return [(p, e) for p in self.xhtml_paths for e in self.doc(p).xpath(xpath, namespaces=NS)]

    def meta(self, tag: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/dc:{tag}", NS)]

    def prop(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/opf:meta[@property='{prop}']",
                                                  NS)]

    def ncx(self) -> etree._Element:
        href = next(i.get("href") for i in self.items.values()
                    if i.get("media-type") == "application/x-dtbncx+xml")
        return self.doc(self.path(href))

    def nav(self) -> etree._Element:
        href = next(i.get("href") for i in self.items.values()
                    if "nav" in (i.get("properties") or "").split())
        return self.doc(self.path(href))


def link_problems(book: Book) -> list[str]:
    """Every href resolves to a file and an id in it; no id on <body>; no body target."""
    ids: dict[str, set[str]] = {}
    body_ids: set[tuple[str, str]] = set()
    for p in book.xhtml_paths:
        root = book.doc(p)
        ids[p] = {e.get("id") for e in root.iter() if e.get("id")}
        for body in root.iterfind(".//x:body", NS):
            if body.get("id"):
                body_ids.add((p, body.get("id")))
    problems = [f"{p}: <body id={i!r}>" for p, i in sorted(body_ids)]
    names = set(book.zip.namelist())
    for p in book.xhtml_paths:
        for a in book.doc(p).iterfind(".//x:a[@href]", NS):
            href = a.get("href")
            if "://" in href or href.startswith("mailto:"):
                continue
            file, _, frag = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(p), file)) if file else p
            if target not in names:
                problems.append(f"{p}: {href}: no such file")
            elif frag and frag not in ids.get(target, set()):
                problems.append(f"{p}: {href}: no such id")
    return problems


def noteref_problems(book: Book) -> list[str]:
    """Each noteref reaches a note (epub:type endnote/footnote) that links straight back."""
    problems = []
    refs = book.find_all(".//x:a[@epub:type='noteref']")
    for path, a in refs:
        file, _, frag = a.get("href").partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), file))
        note = book.doc(target).xpath(f".//*[@id='{frag}']", namespaces=NS)
        if not note or note[0].get(EPUB_TYPE) not in ("endnote", "footnote"):
            problems.append(f"{path}: {a.get('href')}: not a note")
            continue
        backs = [b.get("href") for b in note[0].iterfind(".//x:a[@href]", NS)]
        want = f"{posixpath.relpath(path, posixpath.dirname(target))}#{a.get('id')}"
        if want not in backs:
            problems.append(f"{target}#{frag}: no link back to {want} (has {backs})")
    return problems


# ------------------------------------------------------------------ a story with every kind of note


def png(colour: str = "red") -> bytes:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(out, "PNG", optimize=False)
    return out.getvalue()


def rich_stories():
    """Two stories with notes everywhere a converter can put them, an image, summaries."""
    from ficbook.model import (
        Chapter,
        Image,
        Note,
        Paragraph,
        Resource,
        SceneBreak,
        Story,
        StoryMeta,
        Styled,
        Text,
    )

    def p(text: str, line: int | None = None) -> Paragraph:
        return Paragraph((Text(text),), line=line)

    def note(kind: str, text: str, line: int) -> Note:
        return Note(kind, (p(text, line),), label="A/N", line=line)  # type: ignore[arg-type]

    picture = Resource("map-of-sunnydale.png", "image/png", png())
    one = Story(
        meta=StoryMeta(title="Long Road", authors=("Ann Writer",), rating="T",
                       fandoms=("Buffy: The Vampire Slayer",), pairings=("Spike/Buffy",),
                       warnings=("Violence",), tags=("angst",), source="https://example.org/1"),
        summary=(p("Summary of the long road."),),
        front_notes=(note("author-note", "FRONTNOTE thanks to my beta.", 3),
                     note("disclaimer", "DISCLAIMER-ONE Not mine.", 4)),
        chapters=(
            Chapter("The Start", (note("author-note", "TOPNOTE chapter one starts.", 10),
                                  p("Story text ALPHA one.", 11), SceneBreak(12),
                                  note("author-note", "MIDNOTE between scenes.", 13),
                                  p("Story text BETA two.", 14)), line=9,
                    summary=(p("CHAPTERSUMMARY of the start."),)),
            Chapter(None, (note("disclaimer", "DISCLAIMER-ONE Not mine.", 20),
                           p("Story text GAMMA three.", 21),
                           Paragraph((Text("A map: "), Image(picture, "A map of Sunnydale"),
                                      Styled("em", (Text("here."),)))),
                           note("author-note", "ENDOFCHAPTERNOTE see you soon.", 23)), line=19),
        ),
        end_notes=(note("feedback", "FEEDBACKNOTE please review.", 30),),
        path="stories/long-road.txt",
    )
    two = Story(
        meta=StoryMeta(title="Short Walk", authors=("Bea Author", "Cy Coauthor"), rating="M",
                       fandoms=("Buffy the Vampire Slayer",), pairings=("Buffy/Angel",),
                       warnings=("Character Death", "Violence")),
        chapters=(Chapter(None, (p("Story text DELTA four."),
                                 note("author-note", "TAILNOTE in the only chapter.", 5))),),
        front_notes=(note("disclaimer", "DISCLAIMER-TWO Joss owns them.", 1),),
        path="stories/short-walk.txt",
    )
    return [one, two]


NOTE_WORDS = ("FRONTNOTE", "TOPNOTE", "MIDNOTE", "ENDOFCHAPTERNOTE", "FEEDBACKNOTE", "TAILNOTE")
DISCLAIMER_WORDS = ("DISCLAIMER-ONE", "DISCLAIMER-TWO")
TEXT_WORDS = ("ALPHA", "BETA", "GAMMA", "DELTA", "CHAPTERSUMMARY")


def rich_recipe(notes: str = "inline", disclaimers: str = "story", **extra):
    from ficbook.recipe import Recipe

    data = {"title": "Notes Everywhere", "language": "en", "date": "2024-05-01",
            "notes": notes, "disclaimers": disclaimers,
            "stories": [{"path": "long-road.txt"}, {"path": "short-walk.txt"}], **extra}
    return Recipe.model_validate(data)


def build_rich(out: Path, notes: str = "inline", disclaimers: str = "story", **extra):
    """Assemble, render and package the rich stories (no cover): (path, the assembled book)."""
    from ficbook.assemble import assemble
    from ficbook.epub.package import package
    from ficbook.render import render

    book = assemble(rich_recipe(notes, disclaimers, **extra), rich_stories())
    rendition = render(book, None)
    path = out / f"rich-{notes}-{disclaimers}.epub"
    path.write_bytes(package(book, rendition, None))
    return path, book


def story_file(spine: list[str], n: int, rest: str) -> str:
    """Story files are named by a stable key (ficbook.naming), not by position: story n's
    file `rest` ("card", "c01", "notes"), found by the order of the cards in the spine."""
    import re
    keys = [m.group(1) for h in spine if (m := re.fullmatch(r"text/(.+)-card\.xhtml", h))]
    return f"text/{keys[n - 1]}-{rest}.xhtml"
