"""Where the cover styles and fonts are, and which styles there are: without Pillow, so
that checking a recipe's `cover.style` and listing a build's inputs (every command that
reads a recipe) import no drawing code."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import ficbook


def covers_dir() -> Path:
    """The cover styles and fonts: `$FICBOOK_COVERS`; else `ficbook/covers` in an installed
    package (a wheel carries the project's top-level covers/ there: see setup.py); else
    `covers/` at the project root (a source checkout, an editable install)."""
    override = os.environ.get("FICBOOK_COVERS")
    if override:
        return Path(override)
    packaged = files("ficbook") / "covers"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(ficbook.__file__).resolve().parents[1] / "covers"


def style_names(folder: Path | None = None) -> tuple[str, ...]:
    folder = folder or covers_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))
