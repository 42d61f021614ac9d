"""Typed user errors and diagnostics.

Problems are values: converters and builders return `Diagnostic`s; only the CLI prints
them. A `FicbookError` is a problem that stops one book; its `exit_code` is the
documented one (README, "Exit codes").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # some book failed for another reason (see the message)
    USAGE = 2  # bad command line (typer's own code)
    RECIPE = 3  # recipe missing, not YAML, or not valid
    STORY = 4  # a story file missing, unreadable, empty or undecodable
    CHECK = 5  # EPUBCheck reported messages (--check)
    OUTPUT = 6  # the book could not be written
    DELIVERY = 7  # a book could not be mailed (ficbook send)
    INTERRUPTED = 130  # Ctrl-C


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str  # stable, kebab-case: "chrome-dropped", "scene-break", ...
    message: str
    file: str | None = None
    line: int | None = None

    def format(self) -> str:
        where = _where(self.file, self.line)
        return f"{where}{self.severity}: {self.message} [{self.code}]"


def _where(file: str | None, line: int | None, col: int | None = None) -> str:
    if not file:
        return ""
    if line is None:
        return f"{file}: "
    if col is None:
        return f"{file}:{line}: "
    return f"{file}:{line}:{col}: "


class FicbookError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 col: int | None = None, details: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.col = col
        # Further lines (one per problem) when one error stands for several.
        self.details = details

    def __str__(self) -> str:
        return f"{_where(self.file, self.line, self.col)}{self.message}"


class RecipeError(FicbookError):
    exit_code = ExitCode.RECIPE


class StoryError(FicbookError):
    exit_code = ExitCode.STORY


class OutputError(FicbookError):
    exit_code = ExitCode.OUTPUT


class CheckError(FicbookError):
    exit_code = ExitCode.CHECK
