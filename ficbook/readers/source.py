"""Reading story files: bytes in, text or a parsed story out. The only place that opens stories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ficbook.errors import StoryError
from ficbook.inputs import note

# A story file larger than this is refused with a clear message rather than read whole.
MAX_STORY_BYTES = 200 * 1024 * 1024
# Text and saved pages are held as text and paragraphs, about 17 times their size in
# memory (a 50 MB one-line file peaks near 850 MB): past this they are refused. EPUBs (zip)
# may be bigger, for their pictures; their text is capped by the EPUB reader.
MAX_TEXT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    data: bytes

    @property
    def name(self) -> str:
        return str(self.path)


def read_source(path: Path, display: str | None = None) -> Source:
    name = display or str(path)
    try:
        if path.is_dir():
            raise StoryError("is a folder, not a story file", file=name)
        st = path.stat()
        size = st.st_size
        if not path.is_file():  # a device or a pipe: reading it might never end
            raise StoryError("not a regular file (a device, pipe or socket); give a story "
                             "file", file=name)
        if size > MAX_STORY_BYTES:
            raise StoryError(f"story is {size // (1024 * 1024)} MB; the limit is "
                             f"{MAX_STORY_BYTES // (1024 * 1024)} MB", file=name)
        if size > MAX_TEXT_BYTES and not _is_zip(path):
            raise StoryError(f"story is {size // (1024 * 1024)} MB of text; the limit is "
                             f"{MAX_TEXT_BYTES // (1024 * 1024)} MB: split it into several "
                             "files (one per part)", file=name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoryError("story file not found (check `path:` in the recipe)", file=name) from None
    except PermissionError:
        raise StoryError("story file is not readable (permission denied)", file=name) from None
    except OSError as exc:
        raise StoryError(f"cannot read story file: {exc.strerror or exc}", file=name) from None
    if not data.strip():
        raise StoryError("story file is empty", file=name)
    if path.suffix.lower() == ".epub" and not data.startswith(b"PK"):
        raise StoryError(f"not an EPUB: {_looks_like(data)}", file=name)
    note(path, data, st)
    return Source(path=path, data=data)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _looks_like(data: bytes) -> str:
    """What a file named .epub that is not a zip looks like, for the error."""
    from ficbook.readers.decode import _MAGIC
    from ficbook.readers.sniff import sniff

    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"this is {what}"
    if sniff(data, "") == "html":
        return ("this is a web page (an error or login page saved in place of the book? "
                "download it again)")
    if b"\x00" not in data[:4096]:
        return "this is a text file (give it a .txt name to read it as text)"
    return "the file is not a zip archive (damaged, or not an e-book)"
