"""`ficbook sideload BOOK --to MOUNTPOINT`: put a built book on a mounted e-reader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

_KIND = {"kobo": "Kobo", "kindle": "Kindle", "pocketbook": "PocketBook", "generic": "e-reader"}


def sideload(
    book: Annotated[Path, typer.Argument(help="A built book (NAME.epub; its .kepub.epub and "
                                         ".azw3 beside it are used when the device wants them).",
                                         show_default=False)],
    to: Annotated[Path, typer.Option("--to", help="Where the e-reader is mounted.",
                                     show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace a different file of the same "
                                        "name on the device.")] = False,
) -> None:
    """Copy BOOK onto the e-reader mounted at MOUNTPOINT, the way that device wants it.

    Kobo gets the .kepub.epub, a Kindle the AZW3 in documents/ (made with calibre when
    missing), PocketBook and others the EPUB. Nothing on the device is replaced without
    --force.

    [bold]Examples[/bold]

      ficbook sideload build/spuffy.epub --to /media/$USER/KOBOeReader
    """
    from ficbook.cli.output import report_error
    from ficbook.devices.sideload import sideload as copy_book
    from ficbook.errors import FicbookError

    try:
        result = copy_book(book, to, force=force)
    except FicbookError as exc:
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    device = result.device
    what = {"copied": "copied", "replaced": "replaced", "unchanged": "already there, unchanged"}
    print(f"{_KIND[device.kind]} ({device.evidence}): {result.dest}  {what[result.status]} "
          f"[{result.source}]")
