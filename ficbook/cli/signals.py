"""How the program stops on Ctrl-C or SIGTERM: one line and the usual code (130 after
Ctrl-C, 143 after SIGTERM). Imports nothing heavy: `entry` installs these handlers before
the command line loads, and the commands ask here how the run was stopped."""

from __future__ import annotations

import signal
import sys
from types import FrameType

_state = {"signal": 0, "said": False}


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _state["signal"] = _state["signal"] or signum
    raise KeyboardInterrupt


def signalled() -> bool:
    return bool(_state["signal"])


def stopped() -> tuple[str, int]:
    """(what stopped the program, its exit code), once KeyboardInterrupt was raised."""
    if _state["signal"] == signal.SIGTERM:
        return "terminated", 128 + signal.SIGTERM
    return "interrupted", 130


def say_stopped(more: str = "") -> int:
    """Print the one line (once) and return the exit code."""
    word, code = stopped()
    if not _state["said"]:
        _state["said"] = True
        print(f"ficbook: {word}{more}", file=sys.stderr, flush=True)
    return code


def exit_stopped(more: str = "") -> None:
    sys.exit(say_stopped(more))


def install() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(signum, _on_signal)
