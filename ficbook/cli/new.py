"""`ficbook new NAME`: a starting recipe from a folder of stories or a calibre library."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def new(
    name: Annotated[str, typer.Argument(help="The recipe to write: NAME.yaml (a path may be given).",
                                        show_default=False)],
    source: Annotated[Path | None, typer.Option("--from", help="A folder of story files.",
                                                   show_default=False)] = None,
    calibre: Annotated[Path | None, typer.Option("--calibre", help="A calibre library folder.",
                                                    show_default=False)] = None,
    search: Annotated[str | None, typer.Option("--search", help="With --calibre: a search in "
                                                  "calibre's language.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="With --calibre: series, date, title "
                                      "or id.")] = "series",
    title: Annotated[str | None, typer.Option("--title", help="The anthology's title "
                                                 "\\[default: NAME].", show_default=False)] = None,
) -> None:
    """Write a starting recipe NAME.yaml: the stories of a folder (--from) or of a calibre
    library search (--calibre, --search), in series order where the files or calibre say
    so, then by date, with each story's title, author, rating and summary as comments to
    edit. Never overwrites an existing recipe.

    [bold]Examples[/bold]

      ficbook new recipes/summer --from stories/summer/

      ficbook new recipes/harbour --calibre ~/Calibre\\ Library --search 'tags:"Spike/Buffy"'
    """
    from ficbook.cli.output import report_error
    from ficbook.errors import FicbookError
    from ficbook.sources import starter

    if (source is None) == (calibre is None):
        raise typer.BadParameter("give --from FOLDER or --calibre LIBRARY", param_hint="--from")
    if sort not in ("series", "date", "title", "id"):
        raise typer.BadParameter("series, date, title or id", param_hint="--sort")
    target = starter.recipe_path(name)
    heading = title or target.stem.replace("-", " ").replace("_", " ").strip().title()
    try:
        if target.exists():
            starter.write_new(target, "")  # says why, in the one place that says it
        if source is not None:
            text = starter.folder_recipe(heading, target, starter.scan_folder(source), source)
        elif calibre is not None:
            text = starter.calibre_recipe(heading, target, calibre, search, sort)
        starter.write_new(target, text)
    except FicbookError as exc:
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    print(f"wrote {target}: edit it, then `ficbook build {target}`")
