"""What the walk over a page needs besides the tree: where images come from, where
problems go (`PageContext`; the converter's rules have their own `convert.context.Context`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ficbook.errors import Diagnostic
from ficbook.model import Resource

ImageLoader = Callable[[str], "Resource | None"]


@dataclass
class PageContext:
    """What the walk needs besides the tree: where images come from, where problems go."""

    name: str
    load_image: ImageLoader | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", code, message, self.name))

    def info(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("info", code, message, self.name))
