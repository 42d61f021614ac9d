"""The recipe's `cover:` section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CoverOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    style: str = "classic"
    background: str | None = None  # "#1b2a41"; default: a palette derived from the title
    foreground: str | None = None
    accent: str | None = None
