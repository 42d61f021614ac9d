"""What every command prints the same way: one-line errors on stderr."""

from __future__ import annotations

import sys

from ficbook.errors import FicbookError

# Set by --debug: show tracebacks instead of one-line errors.
debug = False


def err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def report_error(exc: FicbookError) -> None:
    err(f"ficbook: {exc}")
    for detail in exc.details:
        err(f"  {detail}")
