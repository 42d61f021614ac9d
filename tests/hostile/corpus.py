"""The hostile-input corpus as data: each case writes its files and says what must happen.

A case either builds a book (`Book`: EPUBCheck-clean, every word of `words` kept) or
fails (`Fails`: the exit code and the one line, which names `file`). The big cases are
generated at test time (never committed) and run in a subprocess to bound their memory.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

from ficbook.errors import ExitCode
from tests.conftest import STORIES


@dataclass(frozen=True)
class Book:
    words: str  # the story text as a reader sees it: each of its words must be in the book
    # Text that must not reach the book (a script's body, /etc/passwd, a tracker's URL).
    absent: tuple[str, ...] = ()
    active: bool = False  # check for scripts, frames, forms, handlers, remote sources


@dataclass(frozen=True)
class Fails:
    code: ExitCode
    message: str  # a substring of the one error line's message
    file: str = "story"  # the file the line names: "story", "recipe", "out", or a path


@dataclass(frozen=True)
class Setup:
    """What a case made: the recipe to build and the extra command-line arguments."""

    recipe: Path
    story: Path | None = None
    out: Path | None = None
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Setup]
    expect: Book | Fails
    big: bool = False  # run in a subprocess, peak memory measured (tests/hostile/test_big.py)
    max_mb: int = 0  # big: the bound on the build's peak RSS
    count: bytes = b""  # big: a pattern with as many matches in the book's XHTML as in the input
    slow: bool = False  # full size: skipped by `-m "not slow"`
    notes: str = ""  # for the README table
    tags: tuple[str, ...] = field(default=())
    xfail: str = ""  # a known failure, with the reason (strict: it must still fail)


def recipe_for(shelf: Path, story_name: str, extra: str = "") -> Path:
    (shelf / "recipes").mkdir(parents=True, exist_ok=True)
    recipe = shelf / "recipes" / "book.yaml"
    recipe.write_text(f"title: Hostile\nstories:\n  - path: ../stories/{story_name}\n{extra}",
                      encoding="utf-8")
    return recipe


def story_case(name: str, data: bytes | Callable[[], bytes], extra: str = "") -> Callable[[Path], Setup]:
    def make(shelf: Path) -> Setup:
        (shelf / "stories").mkdir(parents=True, exist_ok=True)
        path = shelf / "stories" / name
        path.write_bytes(data() if callable(data) else data)
        return Setup(recipe_for(shelf, name, extra), story=path)
    return make


def recipe_case(text: str | bytes, with_story: bool = True) -> Callable[[Path], Setup]:
    def make(shelf: Path) -> Setup:
        (shelf / "stories").mkdir(parents=True, exist_ok=True)
        (shelf / "recipes").mkdir(parents=True, exist_ok=True)
        if with_story:
            shutil.copy(STORIES / "004_1a435b0c9c30b316.txt", shelf / "stories" / "fight.txt")
        recipe = shelf / "recipes" / "book.yaml"
        recipe.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return Setup(recipe)
    return make


# ------------------------------------------------------------------ text


def in_odd_folder(make: Callable[[Path], Setup]) -> Callable[[Path], Setup]:
    """The same case inside a folder whose name is not UTF-8 (Python sees lone surrogates)."""
    def odd(shelf: Path) -> Setup:
        inner = shelf / os.fsdecode(b"caf\xe9-\xff")
        inner.mkdir()
        return make(inner)
    return odd

PROSE = ("Buffy walked into the Bronze and looked around for Willow. The music was loud, "
         "the lights were low, and somewhere a vampire was waiting.\n\n"
         "Giles cleaned his glasses. \"I fear,\" he said, \"that we have a problem.\"\n")
PROSE_WORDS = PROSE

CP1252 = ("Buffy’s café was naïve — “really” naïve… and Xander said: «Façade, señor!»\n\n"
          "Spike grinned. “Bloody hell,” he muttered, and lit a cigarette.\n")
LATIN1 = ("Ça va? Où est l'hôtel? Señor, ¿qué pasa? Dörte aß Käse in Århus.\n\n"
          "Élise répondit: « Très bien, merci. »\n")
CP1251 = ("Баффи вошла в «Бронзу» и огляделась в поисках Уиллоу. Музыка была громкой, "
          "свет приглушённым, и где-то ждал вампир.\n\nДжайлз протёр очки. "
          "«Боюсь, — сказал он, — у нас проблема».\n")
RTL = ("שלום עולם, זה סיפור קצר על באפי.\n\nمرحبا بالعالم، هذه قصة قصيرة عن بافي.\n\n"
       "English and עברית mixed in one line.\n")
COMBINING = ("Zalgo: Z\u0335a\u0336l\u0337g\u0338o and cafe\u0301 and n\u0303 and "
             "Vie\u0323\u0302t Nam.\n\nA second paragraph with ḁ\u0330 marks.\n")
EMOJI = "Buffy 🧛‍♀️ staked him 🗡️ and laughed 😂👍🏽. Flags: 🇬🇧🇺🇸.\n\nThe end ❤️.\n"
CJK = ("巴菲走进了酒吧，环顾四周寻找威洛。音乐很响。\n\n"
       "バフィーはブロンズに入った。ウィローを探した。\n\n버피는 브론즈에 들어갔다.\n")
MARKUP_TEXT = ("Willow typed <script>alert('pwned')</script> into the terminal.\n\n"
               "The CDATA end ]]> and an &entity; and &amp; and <b>bold</b> and <!-- a comment -->"
               " and <![CDATA[ raw ]]> and 5 < 6 > 4 & so on.\n\n<notatag and <i>italic</i>.\n")
# What a reader sees: tags in the text file that ficbook honours (<b>, <i>, &amp;) vanish
# as tags; everything else is literal text.
MARKUP_WORDS = ("Willow typed script alert pwned script into the terminal. The CDATA end and "
                "an entity and and bold and a comment and CDATA raw and 5 6 4 so on. notatag "
                "and italic")


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def zip_of(files: dict[str, bytes | str], stored_mimetype: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            kind = zipfile.ZIP_STORED if (stored_mimetype and name == "mimetype") else zipfile.ZIP_DEFLATED
            zf.writestr(name, body, compress_type=kind)
    return buf.getvalue()


MIXED_LINES = ["Buffy’s first line is UTF-8 — with a dash and “quotes”.",
               "Willow’s second line is cp1252 — with a dash and “quotes”.",
               "Xander’s café line is UTF-8 again.",
               "Giles’s naïve line is cp1252 again."]


def mixed_lines() -> bytes:
    return b"\n\n".join(line.encode("utf-8" if i % 2 == 0 else "cp1252")
                        for i, line in enumerate(MIXED_LINES)) + b"\n"


def one_line(size: int) -> Callable[[], bytes]:
    unit = b"Spike lit a cigarette and waited for the sun to go down over Sunnydale. "
    return lambda: unit * (size // len(unit))


def one_word_lines(n: int) -> Callable[[], bytes]:
    return lambda: b"".join(b"word%d\n" % (i % 1000) for i in range(n))


TEXT: list[Case] = [
    Case("empty", story_case("empty.txt", b""), Fails(ExitCode.STORY, "story file is empty")),
    Case("whitespace-only", story_case("blank.txt", b"  \n\t\n\r\n \xc2\xa0 \n"),
         Fails(ExitCode.STORY, "no text")),
    Case("png-renamed-txt", story_case("picture.txt", png()),
         Fails(ExitCode.STORY, "not a text file: this is a PNG image")),
    Case("zip-renamed-txt", story_case("archive.txt", zip_of({"story.txt": PROSE})),
         Fails(ExitCode.STORY, "a zip file without an EPUB package")),
    Case("binary-noise", story_case("noise.txt", bytes(range(256)) * 64),
         Fails(ExitCode.STORY, "not a text file")),
    Case("stray-nul-bytes", story_case("nul.txt", PROSE.replace("Bronze", "Bron\x00ze").encode()),
         Book(PROSE)),
    Case("utf16-bom", story_case("u16.txt", CP1252.encode("utf-16")), Book(CP1252)),
    Case("utf16le-no-bom", story_case("u16le.txt", CP1252.encode("utf-16-le")), Book(CP1252)),
    Case("utf16be-no-bom", story_case("u16be.txt", CP1252.encode("utf-16-be")), Book(CP1252)),
    Case("cp1252", story_case("cp1252.txt", CP1252.encode("cp1252")), Book(CP1252)),
    Case("latin-1", story_case("latin1.txt", LATIN1.encode("latin-1")), Book(LATIN1)),
    Case("cp1251", story_case("cp1251.txt", CP1251.encode("cp1251")), Book(CP1251)),
    Case("mixed-utf8-cp1252-lines", story_case("mixed.txt", mixed_lines),
         Book("\n".join(MIXED_LINES))),
    Case("double-encoded-mojibake",
         story_case("moji.txt", CP1252.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")),
         Book(CP1252)),
    Case("cr-only-line-ends", story_case("cr.txt", PROSE.replace("\n", "\r").encode()), Book(PROSE)),
    Case("word-10000-chars", story_case("longword.txt",
                                        ("Before " + "a" * 10_000 + " after.\n").encode()),
         Book("Before " + "a" * 10_000 + " after.")),
    Case("vertical-tab-and-escape",
         story_case("ctl.txt", b"Line one\x0bline two \x1b[31mred\x1b[0m text.\n\nMore \x1b text.\n"),
         # terminal colour codes are not words: ftfy removes them whole
         Book("Line one line two red text. More text.")),
    Case("lone-surrogates-surrogateescape",
         story_case("surr.txt", "Spike\udcff said caf\udce9 is \udc80 closed.\n\nThe end.\n"
                                .encode("utf-8", "surrogateescape")),
         # the bytes surrogateescape makes are not UTF-8: the file is read as cp1252
         Book("Spikeÿ said café is € closed. The end.")),
    Case("surrogates-utf8-encoded",
         story_case("cesu.txt", "Spike said \ud83d\ude00 and \ud800 here.\n\nThe end.\n"
                                .encode("utf-8", "surrogatepass")),
         Book("Spike said and here. The end.")),
    Case("folder-name-not-utf8", in_odd_folder(story_case("story.txt", PROSE.encode())), Book(PROSE)),
    Case("folder-name-not-utf8-error", in_odd_folder(story_case("story.txt", b"")),
         Fails(ExitCode.STORY, "story file is empty")),
    Case("right-to-left", story_case("rtl.txt", RTL.encode()), Book(RTL)),
    Case("combining-marks", story_case("comb.txt", COMBINING.encode()), Book(COMBINING)),
    Case("emoji", story_case("emoji.txt", EMOJI.encode()), Book(EMOJI)),
    Case("cjk", story_case("cjk.txt", CJK.encode()), Book(CJK)),
    Case("text-3000-nested-i-tags",
         story_case("nested-i.txt", b"Start. " + b"<i>" * 3000 + b"deep" + b"</i>" * 3000 + b" end.\n"),
         Book("Start. deep end.")),
    Case("text-that-looks-like-markup", story_case("markup.txt", MARKUP_TEXT.encode()),
         Book(MARKUP_WORDS)),
    Case("one-line-2mb", story_case("oneline.txt", one_line(2_000_000)), Book(""), big=True,
         max_mb=300, count=rb"cigarette"),
    Case("one-word-lines-50k", story_case("lines.txt", one_word_lines(50_000)), Book(""),
         big=True, max_mb=300, count=rb"word\d+"),
    Case("one-line-50mb", story_case("oneline.txt", one_line(50_000_000)), Book(""), big=True,
         max_mb=1536, count=rb"cigarette", slow=True),
    Case("one-word-lines-1m", story_case("lines.txt", one_word_lines(1_000_000)), Book(""),
         big=True, max_mb=1536, count=rb"word\d+", slow=True),
]


# ------------------------------------------------------------------ HTML and EPUB

STORY_HTML_TEXT = ("Faith sharpened her stake on the roof of the school. "
                   "Nobody came, and the night went on without her.")
ACTIVE_PAGE = f"""<!DOCTYPE html>
<html><head><title>Hostile page</title>
<script>document.write('injected')</script>
<script src="https://evil.example/tracker.js"></script>
<link rel="stylesheet" href="https://evil.example/remote.css">
<style>@import url("https://evil.example/import.css"); body {{ background: url(http://evil.example/bg.png) }}</style>
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<base href="https://evil.example/">
</head>
<body onload="steal()">
<p onclick="steal()" onmouseover="steal()">{STORY_HTML_TEXT}</p>
<p>She read the <a href="javascript:alert(1)">javascript link</a> and the
<a href="JaVaScRiPt&#58;alert(2)">sneaky one</a>, saw a <img src="https://evil.example/pixel.gif" alt="">
remote picture and a <img src="//evil.example/x.png" alt="protocol relative"> one.</p>
<iframe src="https://evil.example/frame">framed words</iframe>
<form action="https://evil.example/post"><input name="q" value="typed"><button>Send</button></form>
<object data="https://evil.example/x.swf">object fallback</object>
<embed src="https://evil.example/y.swf">
<svg><script>alert(3)</script></svg>
<noscript>noscript words</noscript>
<p style="background:url(https://evil.example/inline.png)">Giles read on until dawn.</p>
</body></html>
"""
ACTIVE_WORDS = (f"{STORY_HTML_TEXT} She read the javascript link and the sneaky one, saw a remote "
                "picture and a one. Giles read on until dawn.")


def nested(depth: int, tag: str = "div") -> bytes:
    return ("<!DOCTYPE html><html><head><title>Deep</title></head><body>"
            + f"<{tag}>" * depth + f"<p>{STORY_HTML_TEXT}</p><p>After the deep part.</p>"
            + f"</{tag}>" * depth + "</body></html>").encode()


BROKEN_TAGS = (b"<html><head><title>Broken<body><p>One <i>two <b>three</p><p>four</i> five "
               b"<div><p>six <span>seven<p>eight</td></tr></table> nine &nbsp &amp ten "
               b"<a href=\"x>eleven</a> twelve <p <p>thirteen</html> fourteen")
BROKEN_WORDS = "One two three four five six seven eight nine ten twelve thirteen fourteen"


def epub(chapters: dict[str, str], opf_extra_items: str = "", spine_extra: str = "",
         opf_path: str = "OEBPS/content.opf", container_path: str | None = None,
         extra: dict[str, bytes | str] | None = None) -> bytes:
    items = "".join(f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
                    for i, name in enumerate(chapters))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>Hostile EPUB</dc:title><dc:language>en</dc:language><dc:creator>Anon</dc:creator></metadata>
<manifest>{items}{opf_extra_items}</manifest><spine>{spine}{spine_extra}</spine></package>"""
    container = f"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="{container_path or opf_path}" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    files: dict[str, bytes | str] = {"mimetype": "application/epub+zip",
                                     "META-INF/container.xml": container, opf_path: opf}
    for name, body in chapters.items():
        files[base + name] = (f'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                              f"<head><title>c</title></head><body>{body}</body></html>")
    files.update(extra or {})
    return zip_of(files, stored_mimetype=True)


CHAPTER = f"<h1>Chapter 1</h1><p>{STORY_HTML_TEXT}</p>"


def outside_opf() -> bytes:
    return epub({"ch1.xhtml": CHAPTER},
                opf_extra_items=('<item id="x" href="../../etc/passwd" media-type="application/xhtml+xml"/>'
                                 '<item id="y" href="/etc/passwd" media-type="application/xhtml+xml"/>'),
                spine_extra='<itemref idref="x"/><itemref idref="y"/>')


def zip_bomb() -> bytes:
    """A 300 MB chapter of spaces that deflates to a few hundred kB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        base = epub({"ch1.xhtml": CHAPTER})
        with zipfile.ZipFile(io.BytesIO(base)) as src:
            for info in src.infolist():
                if info.filename != "mimetype" and not info.filename.endswith("ch1.xhtml"):
                    zf.writestr(info.filename, src.read(info), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("OEBPS/ch1.xhtml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as f:
            f.write(b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>')
            block = b" " * (1 << 20)
            for _ in range(300):
                f.write(block)
            f.write(b"</p></body></html>")
    return buf.getvalue()


def png_bomb() -> bytes:
    """A 20,000 × 20,000 PNG (400 M pixels) in a few hundred kB."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    side = 20_000
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (side // 8)
    body = b"".join(raw.compress(row) for _ in range(side)) + raw.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def page_with_pictures(shelf: Path) -> Setup:
    setup = story_case("pictures.html", (
        f"<html><head><title>P</title></head><body><p>{STORY_HTML_TEXT}</p>"
        '<p><img src="bomb.png" alt="bomb"> <img src="/etc/passwd" alt="passwd"> '
        '<img src="../../../../../../etc/passwd"> <img src="file:///etc/passwd"> '
        '<img src="data:image/png;base64,!!!!"> Giles read on until dawn.</p></body></html>').encode())(shelf)
    (shelf / "stories" / "bomb.png").write_bytes(png_bomb())
    return setup


ENTITY_BOMB_OPF = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>Bomb &h; &xxe;</dc:title><dc:language>en</dc:language></metadata>
<manifest><item id="c0" href="ch1.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="c0"/></spine></package>"""


def entity_bomb_epub() -> bytes:
    data = epub({"ch1.xhtml": CHAPTER})
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            body = ENTITY_BOMB_OPF.encode() if info.filename.endswith(".opf") else src.read(info)
            dst.writestr(info, body)
    return buf.getvalue()


XHTML_BOMB_CHAPTER = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
                      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                      '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                      '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head>'
                      f"<body><p>{STORY_HTML_TEXT} &c; &xxe;</p></body></html>")


ENCRYPTION_XML = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                  '<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><EncryptionMethod '
                  'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><CipherData>'
                  '<CipherReference URI="OEBPS/ch1.xhtml"/></CipherData></EncryptedData></encryption>')
CHARSET_LIE = "Buffy était là — “quoted” and naïve. Текст."


MARKUP: list[Case] = [
    Case("html-only-scripts", story_case("scripts.html", (
        b"<html><head><title>x</title><script>var a=1;</script></head>"
        b"<body><script>alert(1)</script><style>p{}</style></body></html>")),
         Fails(ExitCode.STORY, "no story text found in the page")),
    Case("html-utf16-bom", story_case("u16.html", f"<html><body><p>{CHARSET_LIE}</p></body></html>"
                                      .encode("utf-16")), Book(CHARSET_LIE)),
    Case("html-charset-declared-wrong", story_case("lie.html", (
        f"<html><head><meta charset='windows-1251'></head><body><p>{CHARSET_LIE}</p></body></html>"
        .encode())), Book(CHARSET_LIE)),
    Case("html-5mb-attribute-100k-attributes", story_case("attrs.html", (
        b"<html><body><p title='" + b"x" * 5_000_000 + b"'>Text here.</p><p "
        + b" ".join(b"a%d=1" % i for i in range(100_000)) + b">More text.</p></body></html>")),
         Book("Text here. More text.")),
    Case("html-table-10k-cells", story_case("table.html", (
        b"<html><body><table><tr>" + b"<td>cell</td>" * 10_000 + b"</tr></table>"
        b"<p>Text here.</p></body></html>")), Book("cell " * 10_000 + "Text here.")),
    Case("epub-drm-encrypted", story_case("drm.epub", lambda: epub(
        {"ch1.xhtml": CHAPTER}, extra={"META-INF/encryption.xml": ENCRYPTION_XML,
                                       "OEBPS/ch1.xhtml": bytes(range(256)) * 20})),
         Fails(ExitCode.STORY, "EPUB is DRM-protected (its text is encrypted)")),
    Case("epub-spine-file-missing", story_case("missing.epub", lambda: epub(
        {"ch1.xhtml": CHAPTER}, opf_extra_items='<item id="m" href="nope.xhtml" '
        'media-type="application/xhtml+xml"/>', spine_extra='<itemref idref="m"/>')),
         Book(STORY_HTML_TEXT)),
    Case("epub-empty-spine", story_case("empty.epub", lambda: epub({})),
         Fails(ExitCode.STORY, "EPUB has no text documents in its spine")),
    Case("html-hostile-pictures", page_with_pictures,
         Book(STORY_HTML_TEXT + " Giles read on until dawn.", absent=("root:",))),
    Case("epub-opf-entity-bomb-and-xxe", story_case("entities.epub", entity_bomb_epub),
         Book(STORY_HTML_TEXT, absent=("root:", "aaaaaaaaaaaaaaaaaaaa"))),
    Case("epub-chapter-entity-bomb-and-xxe",
         story_case("xentities.epub", lambda: epub({"ch1.xhtml": CHAPTER}, extra={
             "OEBPS/ch1.xhtml": XHTML_BOMB_CHAPTER})),
         Book(STORY_HTML_TEXT, absent=("root:", "aaaaaaaaaaaaaaaaaaaa"))),
    Case("html-10000-nested-divs", story_case("deep.html", nested(10_000)),
         Book(STORY_HTML_TEXT + " After the deep part.")),
    Case("html-10000-nested-inline", story_case("deep-i.html", nested(10_000, "i")),
         Book(STORY_HTML_TEXT + " After the deep part.")),
    Case("html-10000-nested-blockquotes", story_case("deep-q.html", nested(10_000, "blockquote")),
         Book(STORY_HTML_TEXT + " After the deep part.")),
    Case("html-active-content", story_case("active.html", ACTIVE_PAGE.encode()),
         Book(ACTIVE_WORDS, absent=("injected", "alert", "steal", "typed", "framed words",
                                    "evil.example"), active=True)),
    Case("html-broken-unclosed-tags", story_case("broken.html", BROKEN_TAGS), Book(BROKEN_WORDS)),
    Case("epub-active-content",
         story_case("active.epub", epub({"ch1.xhtml": ACTIVE_PAGE.split("<body", 1)[1].split(">", 1)[1]
                                         .split("</body>")[0]})),
         Book(ACTIVE_WORDS, absent=("injected", "alert", "steal", "typed", "evil.example"), active=True)),
    Case("epub-not-a-zip", story_case("fake.epub", b"PK\x03\x04" + bytes(range(256)) * 40),
         Fails(ExitCode.STORY, "not a valid EPUB or zip: the archive is damaged or cut short")),
    Case("epub-truncated", story_case("cut.epub", lambda: epub({"ch1.xhtml": CHAPTER * 50})[:700]),
         Fails(ExitCode.STORY, "the archive is damaged or cut short")),
    Case("epub-zip-without-opf", story_case("noopf.epub", zip_of({"mimetype": "application/epub+zip",
                                                                   "chapter.xhtml": CHAPTER})),
         Fails(ExitCode.STORY, "a zip file without an EPUB package (no .opf inside)")),
    Case("epub-container-outside-zip",
         story_case("container.epub", epub({"ch1.xhtml": CHAPTER}, container_path="../../etc/passwd")),
         Book(STORY_HTML_TEXT, absent=("root:",))),  # the .opf inside the zip is used
    Case("epub-opf-items-outside-zip", story_case("outside.epub", outside_opf),
         Book(STORY_HTML_TEXT, absent=("root:",))),
    Case("epub-zip-bomb", story_case("bomb.epub", zip_bomb), Fails(ExitCode.STORY, "is too large to read safely")),
]


# ------------------------------------------------------------------ recipes and paths

GOOD_STORY = "  - path: ../stories/fight.txt\n"


def alias_bomb() -> str:
    rows = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "title: X\nstories:\n" + GOOD_STORY + "\n".join(rows) + "\n"


def folder_story(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n  - path: ../stories\n")(shelf)
    return setup


def symlink_loop(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n  - path: ../stories/loop.txt\n", with_story=False)(shelf)
    loop = shelf / "stories" / "loop.txt"
    loop.symlink_to(loop)
    return setup


def unreadable(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n" + GOOD_STORY)(shelf)
    path = shelf / "stories" / "fight.txt"
    path.chmod(0)
    return Setup(setup.recipe, story=path)


def output_blocked(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n" + GOOD_STORY)(shelf)
    blocker = shelf / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    return Setup(setup.recipe, out=blocker / "books", args=("--out", str(blocker / "books")))


def output_is_story(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n  - path: ../stories/book.epub\n")(shelf)
    shutil.copy(shelf / "stories" / "fight.txt", shelf / "stories" / "book.epub")
    return Setup(setup.recipe, out=shelf / "stories" / "book.epub",
                 args=("--out", str(shelf / "stories")))


def full_disk(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n" + GOOD_STORY)(shelf)
    return Setup(setup.recipe, out=shelf / "build" / "book.epub")


def story_fifo(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n  - path: ../stories/pipe.txt\n", with_story=False)(shelf)
    os.mkfifo(shelf / "stories" / "pipe.txt")
    return Setup(setup.recipe, story=shelf / "stories" / "pipe.txt")


def recipe_fifo(shelf: Path) -> Setup:
    (shelf / "recipes").mkdir(parents=True, exist_ok=True)
    os.mkfifo(shelf / "recipes" / "book.yaml")
    return Setup(shelf / "recipes" / "book.yaml")


def long_recipe_name(shelf: Path) -> Setup:
    setup = recipe_case("title: X\nstories:\n" + GOOD_STORY)(shelf)
    return Setup(setup.recipe.rename(setup.recipe.with_name("b" * 245 + ".yaml")))


RECIPE: list[Case] = [
    Case("recipe-name-245-characters", long_recipe_name, Book("Buffy")),
    Case("recipe-name-too-long", lambda shelf: Setup(shelf / ("c" * 300 + ".yaml")),
         Fails(ExitCode.RECIPE, "cannot read recipe: File name too long", "recipe")),
    Case("recipe-is-dev-zero", lambda shelf: Setup(Path("/dev/zero")),
         Fails(ExitCode.RECIPE, "not a regular file", "recipe")),
    Case("recipe-is-a-fifo", recipe_fifo, Fails(ExitCode.RECIPE, "not a regular file", "recipe")),
    Case("story-is-dev-zero", recipe_case("title: X\nstories:\n  - path: /dev/zero\n"),
         Fails(ExitCode.STORY, "not a regular file (a device, pipe or socket)", "/dev/zero")),
    Case("story-is-a-fifo", story_fifo, Fails(ExitCode.STORY, "not a regular file")),
    Case("recipe-control-characters",
         recipe_case('title: "Bad\\x01\\x0b title ]]> <script>x</script> &amp;"\n'
                     'subtitle: "\\x1b[31m red"\ndescription: "<b>desc</b> \\x00 nul"\n'
                     'subjects: ["\\x02tag"]\nstories:\n' + GOOD_STORY
                     + '    title: "\\x7f\\x85 story \\uffff"\n    author: "\\x0cAuthor"\n'),
         Book("Bad title script x script amp red story Author")),
    Case("recipe-lone-surrogate-escape",
         recipe_case('title: "Bad \\ud800 title"\nstories:\n' + GOOD_STORY),
         Fails(ExitCode.RECIPE, "title: Input should be a valid string", "recipe")),
    Case("recipe-invalid-yaml", recipe_case("title: [X\nstories: a\n"),
         Fails(ExitCode.RECIPE, "invalid YAML: expected ',' or ']'", "recipe")),
    Case("recipe-tab-indented", recipe_case("title: X\nstories:\n\t- path: a\n"),
         Fails(ExitCode.RECIPE, "invalid YAML", "recipe")),
    Case("recipe-duplicate-keys", recipe_case("title: X\ntitle: Y\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "duplicate key 'title'", "recipe")),
    Case("recipe-alias-bomb", recipe_case(alias_bomb()),
         Fails(ExitCode.RECIPE, "too many aliases", "recipe")),
    Case("recipe-python-object-tag",
         recipe_case("title: !!python/object/apply:os.system ['touch /tmp/pwned']\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "YAML tag !!python/object/apply:os.system is not allowed", "recipe")),
    Case("recipe-wrong-types", recipe_case("title: X\nseries: {name: S, index: two}\nstories: nope\n"),
         Fails(ExitCode.RECIPE, "stories: Input should be a valid list", "recipe")),
    Case("recipe-unknown-keys", recipe_case("title: X\nlanguge: en\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "languge: unknown key (did you mean `language`?)", "recipe")),
    Case("recipe-empty-stories", recipe_case("title: X\nstories: []\n"),
         Fails(ExitCode.RECIPE, "the list is empty", "recipe")),
    Case("recipe-impossible-date", recipe_case("title: X\ndate: 2024-13-45\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "invalid YAML value: month must be in 1..12", "recipe")),
    Case("recipe-odd-scalar", recipe_case("title: X\nsubtitle: -_\nstories:\n" + GOOD_STORY),
         Fails(ExitCode.RECIPE, "invalid YAML: the reader failed on a value", "recipe")),
    Case("recipe-empty-file", recipe_case(""), Fails(ExitCode.RECIPE, "recipe is empty", "recipe")),
    Case("recipe-not-utf8", recipe_case("title: Café\nstories:\n".encode("utf-16") + GOOD_STORY.encode()),
         Fails(ExitCode.RECIPE, "not UTF-8", "recipe")),
    Case("recipe-is-binary", recipe_case(png()), Fails(ExitCode.RECIPE, "recipe is not UTF-8 (byte 0x89); save it as UTF-8", "recipe")),
    Case("recipe-story-listed-twice",
         recipe_case("title: X\nstories:\n" + GOOD_STORY + "  - path: ../stories/./fight.txt\n"),
         Fails(ExitCode.RECIPE, "story listed twice", "recipe")),
    Case("story-missing", recipe_case("title: X\nstories:\n  - path: ../stories/nope.txt\n"),
         Fails(ExitCode.STORY, "story file not found")),
    Case("story-path-is-a-folder", folder_story, Fails(ExitCode.STORY, "is a folder, not a story file")),
    Case("story-unreadable", unreadable, Fails(ExitCode.STORY, "not readable (permission denied)")),
    Case("story-symlink-loop", symlink_loop,
         Fails(ExitCode.STORY, "Too many levels of symbolic links")),
    Case("output-folder-not-writable", output_blocked, Fails(ExitCode.OUTPUT, "cannot write here", "out")),
    Case("output-equals-story-file", output_is_story,
         Fails(ExitCode.OUTPUT, "would overwrite one of its own input files", "out")),
    Case("full-disk", full_disk, Fails(ExitCode.OUTPUT, "cannot write the book: File too large", "out"),
         big=True, tags=("fsize",)),
]

CASES: list[Case] = TEXT + MARKUP + RECIPE
