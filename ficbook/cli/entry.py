"""The program's entry point: signals first, then the command line (slow to import).

Ctrl-C or SIGTERM at any moment, even while the libraries are still loading, ends the
program with one line and the usual code: 130 after Ctrl-C, 143 after SIGTERM (a CI job
cancelled, `kill`), which stops a build as Ctrl-C does (workers stopped, temporary files
removed). This module imports nothing heavy, so the handlers are in place at once.
`ficbook --version` alone is answered here, without loading the command line at all.
"""

from __future__ import annotations

import os
import sys

from ficbook.cli import signals


def main() -> None:
    signals.install()
    if sys.argv[1:] == ["--version"]:  # what the command line's eager --version prints
        from ficbook import __version__

        print(f"ficbook {__version__}")
        return
    # Pydantic plugins (the "pydantic" entry points of whatever else is installed) hook
    # every validation; a recipe is checked the same whatever shares the environment, as
    # typer's own checks already are. It also spares the scan of every installed
    # package's entry points (~6 ms of a build), and, with `noplugins`, the import of
    # importlib.metadata that pydantic's loader makes to scan them (~25 ms). Any value
    # the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        from ficbook import codecache
        from ficbook.cli import noplugins

        # before the libraries make their classes; a build keeps its own (the one that counts)
        codecache.install("build" if sys.argv[1:2] == ["build"] else "other")
        noplugins.install()
        from ficbook.cli.app import main as run

        run()
    except KeyboardInterrupt:
        signals.exit_stopped()
