"""The recipe's `cover:` section. Every field is optional: no section, a generated cover."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ficbook.cover.colour import is_hex_colour, parse_hex, to_hex


class CoverOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    style: str = "classic"  # a file name in covers/ without .yaml
    # Colours as #rrggbb (or #rgb); unset ones come from the style's palette for this title.
    background: str | None = None
    foreground: str | None = None
    accent: str | None = None
    palette: int | None = Field(default=None, ge=1)  # pick the style's Nth palette instead
    seed: str | None = None  # mixed into the title hash: another palette, still stable
    image: Path | None = None  # a picture behind the text, relative to the recipe
    file: Path | None = None  # a finished cover used as is, relative to the recipe

    @field_validator("background", "foreground", "accent")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not is_hex_colour(value):
            raise ValueError(f"{value!r} is not a colour; write it as #rrggbb, e.g. #1b2a41")
        return to_hex(parse_hex(value))

    @field_validator("style")
    @classmethod
    def _style(cls, value: str) -> str:
        from ficbook.cover.folder import covers_dir, style_names

        known = style_names()
        if value not in known:
            listed = ", ".join(known) if known else f"none found in {covers_dir()}"
            raise ValueError(f"unknown cover style {value!r}; known styles: {listed}")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> CoverOptions:
        if self.image is not None and self.file is not None:
            raise ValueError("give cover.image (a picture behind the text) or cover.file "
                             "(a finished cover), not both")
        return self
