"""The fuzz targets: an input strategy and a check each.

A check passes when the input ends as a value or as a `FicbookError` (one clear line for
the user); anything else raised is a crash. The converter's and the reader's output must
also render as well-formed XHTML with nothing active in it.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from ficbook.errors import FicbookError

# ------------------------------------------------------------------ checks


def _render_check(story) -> None:  # noqa: ANN001 - ficbook.model.Story
    from lxml import etree

    from ficbook.assemble import place
    from ficbook.model import Book, BookMeta, Part
    from ficbook.render import render

    book = Book(BookMeta(title="Fuzz", identifier="urn:uuid:00000000-0000-4000-8000-000000000000",
                         language="en"), (Part(None, (place(story, 1),)),))
    for doc in render(book, None).documents:
        root = etree.fromstring(doc.content)  # raises on anything not well-formed
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            assert name not in ("script", "iframe", "form", "object", "embed", "input"), name
            for attr, value in el.attrib.items():
                assert not etree.QName(attr).localname.lower().startswith("on"), attr
                if etree.QName(attr).localname in ("src", "href"):
                    v = value.strip().lower()
                    assert not v.startswith("javascript:"), value
                    if name != "a":
                        assert not v.startswith(("http:", "https:", "//")), value


def check_convert(data: bytes, name: str = "fuzz.txt") -> None:
    from ficbook.readers import read_story
    from ficbook.readers.source import Source

    try:
        result = read_story(Source(Path("/nonexistent-fuzz-dir") / name, data))
    except FicbookError:
        return
    _render_check(result.story)


def check_markup(html: str) -> None:
    from ficbook.convert import ConvertOptions
    from ficbook.readers import read_markup
    from ficbook.readers.source import Source

    data = html.encode("utf-8", "surrogatepass")
    try:
        result = read_markup(Source(Path("/nonexistent-fuzz-dir/page.html"), data), ConvertOptions())
    except FicbookError:
        return
    _render_check(result.story)


def check_recipe(text: str) -> None:
    from ficbook.recipe import parse_recipe

    try:
        recipe = parse_recipe(text, Path("/nonexistent-fuzz-dir/recipes/fuzz.yaml"))
    except FicbookError as exc:
        assert str(exc).startswith("/nonexistent-fuzz-dir/recipes/fuzz.yaml"), str(exc)
        return
    assert recipe.title is not None
    for entry in recipe.all_stories:
        recipe.story_path(entry)
    _book_check(recipe)


def _book_check(recipe) -> None:  # noqa: ANN001 - ficbook.recipe.Recipe
    """The recipe's own words (titles, authors, notes) reach the OPF and the pages intact."""
    import io
    import zipfile

    from lxml import etree

    from ficbook.assemble import assemble
    from ficbook.epub.package import package
    from ficbook.model import Chapter, Paragraph, Story, StoryMeta, Text
    from ficbook.render import render

    stories = [Story(StoryMeta(title="Story"), (Chapter(None, (Paragraph((Text("Words."),)),)),))
               for _ in recipe.all_stories]
    book = assemble(recipe, stories)
    data = package(book, render(book, None), None)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".opf", ".xhtml", ".ncx")):
                etree.fromstring(zf.read(name))


# ------------------------------------------------------------------ inputs

_WORDS = ["Buffy", "Spike", "Willow", "café", "naïve", "שלום", "Баффи", "巴菲", "😂", "🇬🇧",
          "e\u0301", "a/n", "A/N:", "Chapter 1", "* * *", "~~~", "Title:", "Author:", "--",
          "...", "'", "\"", "<i>", "</i>", "<b>", "&amp;", "&", "]]>", "<script>", "\x00",
          "\x0b", "\x1b[0m", "\x85", "\u2028", "\ufeff", "\ud800", "\udcff", "\u200f", "\t",
          "i Touch/i", "*so*", "_x_", "Summary:", "Disclaimer:", "Prologue", "I", "xXx",
          "<i>" * 1500, "</i>" * 1500, "<i><b><u>" * 500]
_SEPARATORS = ["\n", "\n\n", "\r\n", "\r", " ", "\n\n\n\n", "\n    ", "\t"]
_ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "cp1251",
              "utf-8-sig", "utf-32"]


@st.composite
def story_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=2000))
    pieces = draw(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS),
                                     st.text(max_size=40)), max_size=120))
    text = "".join(pieces)
    encoding = draw(st.sampled_from(_ENCODINGS))
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf")
                       else "replace")
    if kind == 3 and data:  # damage: cut, splice raw bytes in
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + data[at:]
    return data


_TAGS = ["p", "div", "i", "b", "em", "strong", "u", "span", "br", "hr", "blockquote", "center",
         "font", "table", "tr", "td", "ul", "ol", "li", "h1", "h2", "h3", "a", "img", "sup",
         "pre", "script", "style", "iframe", "form", "input", "svg", "noscript", "object",
         "embed", "link", "meta", "base", "title", "head", "body", "html", "section", "article",
         "nav", "footer", "dl", "dt", "dd", "s", "small", "math", "template", "textarea"]
_ATTRS = st.sampled_from([
    'onclick="steal()"', 'onload="x()"', 'href="javascript:alert(1)"', 'href="JaVaScRiPt:x"',
    'src="https://evil.example/x.png"', 'src="//evil.example/y"', 'src="data:text/html,x"',
    'href="https://example.org/"', 'href="#top"', 'id="top"', 'class="chapter"',
    'style="font-style:italic"', 'style="background:url(http://evil.example/z)"',
    'align="center"', 'src="pic.png"', 'alt="a picture"', 'id="a b"', 'class="navigation"',
    'role="navigation"', 'xmlns="http://www.w3.org/1999/xhtml"', 'lang="he" dir="rtl"',
    'colspan="999999999"', 'width="-1"', "title='<x>'", 'name=x'])


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    nodes = st.recursive(
        st.one_of(st.sampled_from(_WORDS), st.text(max_size=30),
                  st.sampled_from(["&nbsp;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;",
                                   "<!-- c -->", "<![CDATA[x]]>", "<?pi x?>", "<!DOCTYPE x>",
                                   "</p>", "</div>", "<p", "<", ">", "&"])),
        lambda children: st.builds(
            lambda tag, attrs, kids, close: (
                f"<{tag}{''.join(' ' + a for a in attrs)}>" + "".join(kids)
                + (f"</{tag}>" if close else "")),
            st.sampled_from(_TAGS), st.lists(_ATTRS, max_size=3), st.lists(children, max_size=6),
            st.booleans()),
        max_leaves=60)
    body = "".join(draw(st.lists(nodes, max_size=8)))
    if draw(st.integers(0, 4)) == 0:  # deep nesting: the walk and the renderer must not recurse
        depth = draw(st.integers(100, 1500))
        tag = draw(st.sampled_from(["i", "div", "blockquote", "b", "span", "ul><li", "table><tr><td"]))
        close = "".join(f"</{t}>" for t in reversed(tag.split("><"))) if draw(st.booleans()) else ""
        body = f"<{tag}>" * depth + body + close * depth
    if draw(st.booleans()):
        return f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    return "<html><body>" + body


_KEYS = ["title", "subtitle", "language", "stories", "parts", "path", "author", "series",
         "name", "index", "cover", "style", "rules", "encoding", "notes", "identifier",
         "description", "date", "subjects", "editor", "css", "disclaimers", "unknown", "<<"]
_SCALARS = ["X", "en", "no", "yes", "~", "null", "1", "-1", "1e999", "0x10", "2024-13-45",
            "a.txt", "../stories/a.txt", "/etc/passwd", "*a", "&a x", "!!python/object:os.system",
            "!!binary aGk=", "|", ">", "[", "{", "'", '"', "- x", "? x", "%YAML 1.1", "---",
            "...", "\t", "é", "\x00", "\ud800", "\x85"]


@st.composite
def recipe_texts(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=300))
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6, 1]))
        key = draw(st.sampled_from(_KEYS))
        value = draw(st.one_of(st.sampled_from(_SCALARS), st.text(string.printable, max_size=12),
                               st.just("")))
        dash = draw(st.sampled_from(["", "", "- "]))
        lines.append(f"{indent}{dash}{key}: {value}")
    if draw(st.booleans()):
        lines = ["title: T", "stories:", "  - path: a.txt"] + lines
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


# ------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy
    check: Callable
    suffix: str  # of the regression files: how the input is stored


def _bytes_of(value: object) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def load_regression(path: Path) -> object:
    data = path.read_bytes()
    return data if path.suffix == ".bin" else data.decode("utf-8", "surrogatepass")


TARGETS: dict[str, Target] = {
    "convert": Target("convert", story_bytes(), check_convert, ".bin"),
    "markup": Target("markup", html_pages(), check_markup, ".html"),
    "recipe": Target("recipe", recipe_texts(), check_recipe, ".yaml"),
}


def as_bytes(value: object) -> bytes:
    return _bytes_of(value)
