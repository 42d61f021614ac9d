"""Generated covers (Pillow). The cover issue makes these good; see covers/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ficbook.cover.options import CoverOptions
    from ficbook.cover.text import CoverText

DRAWN_COVER = "cover.jpg"  # a drawn cover is a JPEG: its name is known before it is drawn


def draw(text: CoverText, options: CoverOptions, base_dir: Path | None = None) -> Any:
    """`render.render_cover`, for a worker to run: Pillow is imported there, not where
    the task is sent from (`build.CoverJob`)."""
    from ficbook.cover.render import render_cover

    return render_cover(text, options, base_dir)


def warm(styles: tuple[str, ...]) -> None:
    """Import what drawing a cover needs and read these styles, in a worker that will
    draw a cover when its other work is done (its last task then costs less). Best effort."""
    try:
        import ficbook.cover.render  # noqa: F401 - Pillow and the drawing code
        from ficbook.cover.style import load_style

        for name in styles:
            load_style(name)
    except Exception:  # noqa: BLE001 - the drawing itself says what is wrong
        pass
