"""The program's entry point: signals first, then the command line (slow to import).

Ctrl-C or SIGTERM at any moment, even while the libraries are still loading, ends the
program with one line and the usual code: 130 after Ctrl-C, 143 after SIGTERM (a CI job
cancelled, `kill`), which stops a build as Ctrl-C does (workers stopped, temporary files
removed). This module imports nothing heavy, so the handlers are in place at once.
`ficbook --version` alone is answered here, without loading the command line at all.
"""

from __future__ import annotations

import sys

from ficbook.cli import signals


def main() -> None:
    signals.install()
    if sys.argv[1:] == ["--version"]:  # what the command line's eager --version prints
        from ficbook import __version__

        print(f"ficbook {__version__}")
        return
    try:
        from ficbook.cli.app import main as run

        run()
    except KeyboardInterrupt:
        signals.exit_stopped()
