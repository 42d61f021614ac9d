"""What every rule gets: the options, the file name, and a place to report what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ficbook.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from ficbook.convert import ConvertOptions


@dataclass
class Context:
    options: ConvertOptions
    source: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The chapters `scenes.normalise` last gave back: a rule that leaves a chapter alone
    # keeps the object, and normalising it again would give back the same one.
    settled: tuple[object, ...] = ()
    # Lines the plain-text reader found not to be chrome (tabs and no-break spaces made
    # spaces, which `chrome.is_chrome` squeezes alike): a paragraph that is one of them
    # unchanged needs no second look from the chrome rule.
    not_chrome: set[str] = field(default_factory=set)

    def report(self, severity: Severity, code: str, message: str, line: int | None = None) -> None:
        self.diagnostics.append(Diagnostic(severity, code, message, self.source, line))

    def enabled(self, rule: str) -> bool:
        return self.options.enabled(rule)


def quote(text: str, limit: int = 80) -> str:
    """A line as messages quote it: one line, shortened."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit - 1]}…”"
