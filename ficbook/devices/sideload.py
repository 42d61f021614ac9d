"""Copy a built book onto a mounted e-reader, in the format and folder that device wants.

- Kobo (`.kobo/` at the root): the `.kepub.epub`, so Kobo's better reader opens it.
- Kindle (`documents/` beside `system/`): the AZW3 in `documents/` (Kindles do not open
  EPUB from USB).
- PocketBook (`system/config/` or `system/profiles/`), and anything else: the EPUB, in
  `Books/` when the device has that folder.

The variant beside the book is used when it is at least as new as the EPUB; otherwise it
is made on the way (KEPUB here, AZW3 through calibre). A file already on the device is
never replaced silently: identical bytes are left alone, different ones need `--force`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ficbook.errors import FicbookError, OutputError
from ficbook.outputs import azw3_path, book_stem, kepub_path, write_atomic

DeviceKind = Literal["kobo", "kindle", "pocketbook", "generic"]
Status = Literal["copied", "replaced", "unchanged"]


class SideloadError(FicbookError):
    """The book or the device is not there, or the copy would replace another file."""


@dataclass(frozen=True)
class Device:
    kind: DeviceKind
    root: Path
    folder: Path  # where books go
    evidence: str  # what told us, for the message


@dataclass(frozen=True)
class SideloadResult:
    device: Device
    source: str  # what was copied: a file name, or "made from X"
    dest: Path
    status: Status


def detect_device(mount: Path) -> Device:
    """Which e-reader is mounted at `mount`, from the files it keeps there."""
    def has(*parts: str) -> bool:
        return mount.joinpath(*parts).exists()

    if has(".kobo"):
        return Device("kobo", mount, mount, ".kobo/")
    if has("documents") and (has("system") or has("audible") or has(".active_content_sandbox")):
        return Device("kindle", mount, mount / "documents", "documents/ and system/")
    if has("system", "config") or has("system", "profiles"):
        return Device("pocketbook", mount, _books_folder(mount), "system/config/")
    return Device("generic", mount, _books_folder(mount), "no known device files")


def _books_folder(mount: Path) -> Path:
    for name in ("Books", "books"):
        if (mount / name).is_dir():
            return mount / name
    return mount


def variants(book: Path) -> dict[str, Path]:
    """The EPUB, KEPUB and AZW3 of a book, whichever of them BOOK names."""
    stem = book_stem(book)
    if stem is None:
        raise SideloadError("not a book ficbook writes (.epub, .kepub.epub or .azw3)",
                            file=str(book))
    epub = book.with_name(stem + ".epub")
    return {"epub": epub, "kepub": kepub_path(epub), "azw3": azw3_path(epub)}


def sideload(book: Path, mount: Path, force: bool = False) -> SideloadResult:
    if not mount.is_dir():
        raise SideloadError("no e-reader mounted here (not a folder)", file=str(mount))
    if not book.is_file():
        raise SideloadError("book not found; build it first with `ficbook build`", file=str(book))
    device = detect_device(mount)
    want = {"kobo": "kepub", "kindle": "azw3"}.get(device.kind, "epub")
    data, source, filename = _variant(variants(book), want, book)
    return _place(device, device.folder / filename, data, source, force)


def _fresh(path: Path, than: Path) -> bool:
    return path.is_file() and (not than.is_file() or path.stat().st_mtime >= than.stat().st_mtime)


def _variant(files: dict[str, Path], want: str, given: Path) -> tuple[bytes, str, str]:
    """The bytes to copy, what they are, and their file name on the device."""
    path, epub = files[want], files["epub"]
    if path == given or _fresh(path, epub):
        return path.read_bytes(), path.name, path.name
    if not epub.is_file():
        raise SideloadError(f"this device needs the {_NAMES[want]}, and there is no "
                            f"{epub.name} to make it from", file=str(given))
    if want == "kepub":
        from ficbook.devices.kepub import kepubify

        try:
            return kepubify(epub.read_bytes()), f"KEPUB made from {epub.name}", path.name
        except OutputError as exc:  # a book ficbook did not make: name it
            raise SideloadError(exc.message, file=str(epub)) from None
    if want == "azw3":
        from ficbook.devices.azw3 import convert_azw3

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / path.name
            try:
                convert_azw3(epub, out)
            except OutputError as exc:
                raise SideloadError(f"a Kindle needs the AZW3 (build with --azw3): {exc.message}",
                                    file=str(epub)) from None
            return out.read_bytes(), f"AZW3 made from {epub.name}", path.name
    return epub.read_bytes(), epub.name, epub.name


_NAMES = {"epub": "EPUB", "kepub": "KEPUB (.kepub.epub)", "azw3": "AZW3"}


def _place(device: Device, dest: Path, data: bytes, source: str, force: bool) -> SideloadResult:
    status: Status = "copied"
    if dest.exists():
        if dest.is_file() and dest.read_bytes() == data:
            return SideloadResult(device, source, dest, "unchanged")
        if not force:
            raise SideloadError("a different file is already on the device; "
                                "use --force to replace it", file=str(dest))
        if not dest.is_file():
            raise SideloadError("a folder of that name is in the way", file=str(dest))
        status = "replaced"
    write_atomic(dest, data)  # temp file + rename: never a half-copied book on the device
    return SideloadResult(device, source, dest, status)
