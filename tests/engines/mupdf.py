"""Lay a book out with MuPDF (KOReader's second engine, through PyMuPDF) and compare what the
pages show with what the book's files say: every word, in order, and every contents entry
on the page where its target starts.

The book is read twice, independently: its XHTML with zipfile and lxml (tests/bookcheck.py),
its pages with MuPDF's own EPUB parser, CSS and layout. Words are compared as runs of
letters and digits, case-folded and NFC-normalised, so punctuation, line breaks and CSS
`text-transform` do not count; a word MuPDF dropped, hid, clipped off the page or moved does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tests.bookcheck import NS, Book

# A 6-inch e-reader page in points, and a common reading size.
PAGE = (360, 480)
FONT_SIZE = 12
# The words of a target that must open its page (or, for a target inside a file, be on it).
HEAD_WORDS = 4

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


@dataclass(frozen=True)
class Rendered:
    pages: list[list[str]]  # the words of each page, in reading order
    toc: list[tuple[int, str, int]]  # MuPDF's outline: (level, title, 1-based page)

    @property
    def words(self) -> list[str]:
        return [w for page in self.pages for w in page]


def render(path: Path) -> Rendered:
    """The EPUB laid out by MuPDF itself."""
    import pymupdf

    with pymupdf.open(path) as doc:
        doc.layout(width=PAGE[0], height=PAGE[1], fontsize=FONT_SIZE)
        return _read(doc, sort=False)


def read_pdf(path: Path) -> Rendered:
    """A PDF another engine laid out (calibre), its words in visual order: top to bottom,
    left to right, as a reader reads a page (a PDF's drawing order need not be that)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        return _read(doc, sort=True)


def _read(doc, sort: bool) -> Rendered:  # noqa: ANN001 - a pymupdf.Document
    import pymupdf

    # Without TEXT_PRESERVE_LIGATURES ligatures come back as their letters; the clip keeps
    # text laid out beyond the page edges out of the page's words.
    flags = pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_WHITESPACE
    pages = [words(page.get_text("text", flags=flags, sort=sort)) for page in doc]
    toc = [(level, title, page) for level, title, page in doc.get_toc(simple=True)]
    return Rendered(pages, toc)


def body_words(root) -> list[str]:  # noqa: ANN001 - an lxml element
    body = root.find(".//x:body", NS)
    return words(" ".join(body.itertext())) if body is not None else []


def spine_words(book: Book) -> list[tuple[str, list[str]]]:
    """Each spine document's words, read from its XHTML: (href, words)."""
    return [(href, body_words(book.doc(book.path(href)))) for href in book.spine]


def order_problems(book: Book, shown: Rendered) -> list[str]:
    """Every word of every spine document, in spine order, among the rendered words in the
    same order (a subsequence: MuPDF may add list numbers). Names the first word missing."""
    rendered = shown.words
    at = 0
    for href, expected in spine_words(book):
        for i, word in enumerate(expected):
            found = _find(rendered, word, at)
            if found is not None:
                at = found
            else:
                context = " ".join(w[:24] for w in expected[max(0, i - 6):i + 6])
                return [f"{href}: word {i + 1} {word[:40]!r} is not on any page after the ones "
                        f"before it (…{context}…)"]
    return []


def _find(rendered: list[str], word: str, at: int) -> int | None:
    """Where `word` ends among `rendered` from `at` on (the index after it), or None: whole,
    or broken over lines or pages in pieces in a row (a word wider than the page)."""
    try:
        exact = rendered.index(word, at)
    except ValueError:
        exact = len(rendered)
    for j in range(at, exact):  # usually no step at all: the next word is the one
        joined, k = rendered[j], j + 1
        if not word.startswith(joined):
            continue
        while len(joined) < len(word) and k < len(rendered) and word.startswith(joined + rendered[k]):
            joined += rendered[k]
            k += 1
        if joined == word:
            return k
    return exact + 1 if exact < len(rendered) else None


def _nav_entries(book: Book) -> list[tuple[int, str, str]]:
    """The nav document's toc, flattened: (level, title, href relative to the OPF)."""
    nav = book.nav()
    toc = next(n for n in nav.iterfind(".//x:nav", NS)
               if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
    out: list[tuple[int, str, str]] = []

    def walk(ol, level: int) -> None:  # noqa: ANN001
        for li in ol.findall("x:li", NS):
            label = li.find("x:a", NS)
            if label is None:
                label = li.find("x:span", NS)
            out.append((level, " ".join("".join(label.itertext()).split()), label.get("href") or ""))
            sub = li.find("x:ol", NS)
            if sub is not None:
                walk(sub, level + 1)

    walk(toc.find("x:ol", NS), 1)
    return out


def nav_problems(book: Book, shown: Rendered) -> list[str]:
    """MuPDF's outline is the nav document's toc (same titles, same nesting), and each entry
    sends the reader to the page where its target begins: a file's first words open that
    page; a target inside a file has its first words on it."""
    entries = _nav_entries(book)
    problems: list[str] = []
    ours = [(level, title) for level, title, _ in entries]
    theirs = [(level, " ".join(title.split())) for level, title, _ in shown.toc]
    if ours != theirs:
        return [f"outline differs from the nav document:\n  nav:    {ours}\n  MuPDF:  {theirs}"]
    for (_, title, href), (_, _, page) in zip(entries, shown.toc):
        file, _, frag = href.partition("#")
        root = book.doc(book.path(file))
        if frag:
            found = root.xpath(f".//*[@id='{frag}']")
            target = words(" ".join(found[0].itertext())) if found else []
        else:
            target = body_words(root)
        head = target[:HEAD_WORDS]
        if not head:
            problems.append(f"{title!r}: {href} has no words to find")
            continue
        if not 1 <= page <= len(shown.pages):
            problems.append(f"{title!r}: page {page} of {len(shown.pages)}")
            continue
        on_page = shown.pages[page - 1]
        lands = on_page[:len(head)] == head if not frag else contains(on_page, head)
        if not lands:
            problems.append(f"{title!r} -> {href}: page {page} shows {' '.join(on_page[:8])!r}, "
                            f"expected {' '.join(head)!r} {'first' if not frag else 'on it'}")
    return problems


def contains(seq: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(seq[i:i + n] == run for i in range(len(seq) - n + 1))


def nav_titles(book: Book) -> list[tuple[int, str]]:
    """The nav document's toc as (level, title), in order."""
    return [(level, title) for level, title, _ in _nav_entries(book)]


def problems(path: Path, name: str | None = None) -> list[str]:
    """Everything MuPDF shows differently from what the book says, each line starting with
    `name` (default: the file name)."""
    name = name or path.name
    book = Book(path)
    shown = render(path)
    if not shown.pages:
        return [f"{name}: MuPDF laid out no pages"]
    return [f"{name}: {p}" for p in order_problems(book, shown) + nav_problems(book, shown)]
