"""Bytes to clean text: BOM, strict UTF-8, UTF-16 without a BOM, the recipe's `encoding:`,
then charset-normalizer limited to the code pages fan fiction comes in; ftfy for mojibake
(quotes never uncurled); NFC; one kind of line end; nothing XML forbids."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from ficbook.errors import Diagnostic, StoryError
from ficbook.text import strip_forbidden

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Signatures of files that are plainly not text, whatever their name says.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"PK\x03\x04", "a ZIP archive (an EPUB or DOCX?)"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Word document"),
    (b"{\\rtf", "an RTF document"), (b"RIFF", "a RIFF media file"), (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"), (b"\x7fELF", "a program"), (b"MZ", "a Windows program"),
)
# Code pages fan fiction turns up in when it is not UTF-8 (latin-1 is read as cp1252:
# real latin-1 files hold cp1252 quotes in the 0x80-0x9F range).
LIKELY_CODEPAGES = ["cp1252", "cp1251", "cp1250", "iso8859_15", "mac_roman", "cp1253",
                    "cp1254", "cp1257", "koi8_r", "iso8859_2", "iso8859_7"]
_LATIN1 = {"latin-1", "latin1", "latin_1", "iso-8859-1", "iso8859-1", "iso8859_1", "l1"}

_LINE_ENDS = re.compile("\r\n|\r|\x85|\u2028|\u2029|\x0b|\x0c")


class Decoded(NamedTuple):
    text: str
    encoding: str  # the encoding used
    diagnostics: list[Diagnostic]
    plain: bool  # only characters in PLAIN: no white space but " ", "\\n", tab and NBSP


def decode(data: bytes, name: str, encoding: str | None = None,
           mojibake: bool = True) -> tuple[str, str, list[Diagnostic]]:
    """Return (text, encoding used, diagnostics); raise StoryError when it is not text."""
    text, used, diags, _ = decode_text(data, name, encoding, mojibake)
    return text, used, diags


def decode_text(data: bytes, name: str, encoding: str | None = None,
                mojibake: bool = True) -> Decoded:
    """`decode`, and whether the text is plain."""
    diags: list[Diagnostic] = []
    text, used, odd = _decode(data, name, encoding, diags)
    if odd is None:
        odd = text
    plain = not _NOT_PLAIN.search(odd)
    if not plain:  # plain text needs none of these: one scan instead of four
        if _NOT_PLAIN.search(odd.replace("\r", "")):
            text = _LINE_ENDS.sub("\n", text)
            if mojibake:
                text = _fix_mojibake(text, name, diags)
            text = unicodedata.normalize("NFC", text)
            text = strip_forbidden(text)
        else:  # plain but for CR line ends: the line ends are the only step to take
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            plain = True
    if not text or text.isspace():  # not text.strip(), without copying the text
        raise StoryError("story file has no text", file=name)
    if not plain:
        _replacement_characters(text, name, diags)
    return Decoded(text, used, diags, plain)


def _replacement_characters(text: str, name: str, diags: list[Diagnostic]) -> None:
    """U+FFFD stands where characters were lost before (or while) the file was read: the
    text cannot be repaired, but the reader should know where to look."""
    first = text.find("\ufffd")
    if first < 0:
        return
    count = text.count("\ufffd")
    line = text.count("\n", 0, first) + 1
    diags.append(Diagnostic(
        "warning", "replacement-characters",
        f"{count} replacement character{'s' if count != 1 else ''} (\ufffd), first on this line: "
        "characters were lost before the text reached ficbook (save the story again from its "
        "source if you can)", name, line))


def _decode(data: bytes, name: str, encoding: str | None,
            diags: list[Diagnostic]) -> tuple[str, str, str | None]:
    """(text, encoding used, the text's characters that are not plain ASCII in order, when
    they came cheap; None: look in the text)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, errors="replace")
            diags.append(Diagnostic("info", "encoding", f"{codec} (byte order mark)", name))
            return text, codec, None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise StoryError(f"not a text file: this is {what}", file=name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            diags.append(Diagnostic("info", "encoding", f"{utf16} (no byte order mark)", name))
            return text, utf16, None
    sample = data[:65536]
    # NUL and the other control bytes are not plain ASCII: counted among the bytes that
    # are not (a few in most files), the sample is read once, not twice
    odd = sample.translate(None, _PLAIN_ASCII)
    # a stray NUL or two is damage in a text file; many of them mean binary data
    if odd.count(0) > max(2, 0.01 * len(sample)) or _controls(odd) > max(8, 0.1 * len(sample)):
        raise StoryError("not a text file (binary data)", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        diags.append(Diagnostic("info", "encoding", "utf-8", name))
        # An ASCII byte is never part of a multi-byte sequence, so valid UTF-8 without its
        # plain ASCII bytes is the encoding of the text's other characters, in order.
        if len(data) > len(sample):
            odd += data[len(sample):].translate(None, _PLAIN_ASCII)
        return text, "utf-8", odd.decode("utf-8")
    if encoding:
        given = text_codec(encoding)
        if given is None:
            raise StoryError(f"unknown encoding {encoding!r} (recipe `encoding:`)", file=name)
        try:
            text = data.decode(given)
        except UnicodeDecodeError as exc:
            raise StoryError(f"not valid {encoding} at byte {exc.start} (recipe `encoding:`)",
                             file=name) from None
        diags.append(Diagnostic("info", "encoding", f"{given} (recipe `encoding:`)", name))
        return text, given, None
    mixed = _mixed_lines(data)
    if mixed is not None:
        text, codec, bad = mixed
        diags.append(Diagnostic("info", "encoding",
                                f"utf-8, with {bad} line{'s' if bad != 1 else ''} in {codec}", name))
        return text, f"utf-8+{codec}", None
    codec = _guess(data)
    text = data.decode(codec, errors="replace")
    diags.append(Diagnostic("info", "encoding",
                            f"not UTF-8; read as {codec} (set `encoding:` in the recipe if wrong)",
                            name))
    return text, codec, None


def _mixed_lines(data: bytes) -> tuple[str, str, int] | None:
    """A mostly UTF-8 file with some lines in a code page (pasted together from two
    sources): decode line by line. None when the file is not that."""
    lines = data.split(b"\n")
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    if not good or good < 0.2 * (good + bad):
        return None
    codec = _guess(b"\n".join(ln for ln in lines if not _is_utf8(ln)))
    out = [ln.decode("utf-8") if _is_utf8(ln) else ln.decode(codec, errors="replace")
           for ln in lines]
    return "\n".join(out), codec, bad


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_CONTROL_BYTES = (b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"
                  b"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f")


def _controls(sample: bytes) -> int:
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass, not 28


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte (for Latin-script text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _guess(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        results = list(from_bytes(data, cp_isolation=LIKELY_CODEPAGES))
    except Exception:  # a detector failure falls back to cp1252
        results = []
    if not results:
        return "cp1252"
    best = results[0]
    # Latin code pages often tie on short English text; cp1252 is by far the likeliest.
    for r in results:
        if _name(r.encoding) == "cp1252" and r.chaos <= best.chaos + 0.1:
            return "cp1252"
    codec = _name(best.encoding)
    return "cp1252" if codec in ("iso8859-1", "latin-1", "ascii") else codec


# Codecs Python has that are not a text's encoding: `undefined` raises on every byte.
_NOT_TEXT = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}


def text_codec(encoding: str) -> str | None:
    """The Python codec for an encoding name a person or a page gives, or None when it
    names no text encoding (`undefined`, `base64`, a typo). latin-1 is read as cp1252."""
    if encoding.strip().lower() in _LATIN1:
        return "cp1252"
    try:
        info = codecs.lookup(encoding.strip())
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        return None
    return info.name


def declared_charset(label: str) -> str | None:
    """The encoding a page's own `<meta charset>` or XML declaration means, as browsers read
    it (the HTML standard): latin-1 and ASCII are cp1252; a page that says UTF-16 in ASCII
    bytes is not UTF-16, so UTF-8; a label naming no encoding is no declaration."""
    codec = text_codec(label)
    if codec is None:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return "cp1252" if codec == "ascii" else codec


def _name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


# Characters ftfy never acts on, alone or together, with the fixes configured below: ASCII
# but ESC (terminal escapes), and the punctuation of clean English text. Every way ftfy's
# badness test can match needs one character outside this set, and so do C1 controls and
# surrogates (tests/convert/test_fast_paths.py checks this against ftfy's own pattern).
MOJIBAKE_SAFE = "\x00-\x1a\x1c-\x7f’“”‘—–…\xa0·´―\xad"
_MOJIBAKE_SUSPECT = re.compile(f"[^{MOJIBAKE_SAFE}]")


# Plain text: no line end but "\n", nothing ftfy acts on (a part of MOJIBAKE_SAFE),
# nothing NFC changes, nothing XML forbids (tests/convert/test_fast_paths.py checks).
PLAIN = "\t\n\x20-\x7e’“”‘—–…\xa0·´―\xad"
_NOT_PLAIN = re.compile(f"[^{PLAIN}]")
_PLAIN_ASCII = bytes(c for c in range(128) if not _NOT_PLAIN.match(chr(c)))


def _fix_mojibake(text: str, name: str, diags: list[Diagnostic]) -> str:
    # ftfy costs ~0.25 s per MB even on clean text: run it only on the lines it could change
    if not _MOJIBAKE_SUSPECT.search(text):
        return text
    import ftfy

    config = ftfy.TextFixerConfig(
        uncurl_quotes=False, unescape_html=False, fix_character_width=False,
        fix_latin_ligatures=False, fix_line_breaks=False, normalization=None,
        remove_control_chars=False, explain=False)
    # ftfy.fix_text fixes each line (with its "\n") on its own, so fixing only the
    # suspect lines is the same
    lines = text.split("\n")
    segments = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    fixed = "".join(ftfy.fix_text(seg, config) if _MOJIBAKE_SUSPECT.search(seg) else seg
                    for seg in segments)
    if fixed != text:
        changed = sum(a != b for a, b in zip(text.splitlines(), fixed.splitlines()))
        diags.append(Diagnostic("info", "mojibake",
                                f"repaired mojibake on {changed or 'some'} lines (ftfy)", name))
    return fixed
