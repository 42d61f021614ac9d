"""What every rule gets: the options, the file name, and a place to report what it did."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ficbook.errors import Diagnostic, Severity
from ficbook.language import Vocabulary, story_vocabulary

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

    @property
    def vocab(self) -> Vocabulary:
        """The words the rules read: the story language's and English's."""
        return story_vocabulary(self.options.language)


def settle_language(options: ConvertOptions, declared: str | None, text: str,
                    ctx: Context) -> ConvertOptions:
    """The options with the story's language settled (the recipe's, the file's, or its
    text's: see `ficbook.language.choose`), reported as the `language` diagnostic."""
    from ficbook.language.choose import choose

    found = choose(options.language, declared, text, options.book_language)
    ctx.report("info", "language", f"language: {found.describe()}")
    if found.code == options.language:
        return options
    return dataclasses.replace(options, language=found.code)


def quote(text: str, limit: int = 80) -> str:
    """A line as messages quote it: one line, shortened."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit - 1]}…”"
