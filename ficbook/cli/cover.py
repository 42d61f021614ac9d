"""`ficbook cover RECIPE`: render a recipe's cover alone, with a sheet to judge it by."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ficbook.errors import FicbookError

if TYPE_CHECKING:
    from ficbook.recipe import Recipe


def cover(
    recipe: Annotated[Path, typer.Argument(help="Recipe file (.yaml).", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Cover file (.jpg or .png) "
                                                   "[default: build/<recipe>-cover.jpg beside the "
                                                   "recipes' folder].", show_default=False)] = None,
    style: Annotated[str | None, typer.Option("--style", help="Cover style to use instead of the "
                                                 "recipe's (a name from covers/).",
                                                 show_default=False)] = None,
) -> None:
    """Render RECIPE's cover, and OUTPUT-sheet.png: the cover beside its 160 px thumbnail.

    [bold]Examples[/bold]

      ficbook cover recipes/spuffy.yaml            [dim]# build/spuffy-cover.jpg + -sheet.png[/dim]

      ficbook cover recipes/spuffy.yaml --style band -o /tmp/band.png
    """
    from PIL import Image  # Pillow and pydantic only for this command: `--help` stays fast
    from pydantic import ValidationError

    from ficbook.build import make_cover, read_book
    from ficbook.cover.options import CoverOptions
    from ficbook.cover.sheet import contact_sheet
    from ficbook.outputs import output_path, write_atomic
    from ficbook.recipe import load_recipe

    try:
        loaded = load_recipe(recipe)
        options = loaded.cover
        if style is not None:
            try:
                options = CoverOptions.model_validate({**options.model_dump(exclude_unset=True), "style": style})
            except ValidationError as exc:
                message = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
                raise typer.BadParameter(message, param_hint="--style") from None
        target = output or output_path(recipe, None).with_name(f"{recipe.stem}-cover.jpg")
        sheet_path = _check_target(target, recipe, loaded)
        # The book's own cover: its words come from the stories as the build reads them.
        image, diagnostics = make_cover(read_book(loaded), loaded, options)
        data = _as_format(image.data, image.media_type, target)
        with Image.open(io.BytesIO(data)) as im:
            sheet = io.BytesIO()
            contact_sheet(im.convert("RGB")).save(sheet, "PNG", optimize=True)
        write_atomic(target, data, "the cover")  # a full disk leaves the old cover whole
        write_atomic(sheet_path, sheet.getvalue(), "the cover")
    except FicbookError as exc:
        print(f"ficbook: {exc}", file=sys.stderr)
        for detail in exc.details:
            print(f"  {detail}", file=sys.stderr)
        raise typer.Exit(int(exc.exit_code)) from None
    for d in diagnostics:
        print(d.format(), file=sys.stderr)
    print(f"{target}  {len(data) / 1024:,.0f} KB\n{sheet_path}")


def _check_target(target: Path, recipe: Path, loaded: Recipe) -> Path:
    """The sheet's path, once neither file would replace a folder or one of the recipe's
    own inputs (the recipe, its cover picture, a story)."""
    import os

    from ficbook.build import cover_inputs
    from ficbook.errors import OutputError

    if not target.name or target.name in (".", "..") or target.is_dir():
        raise OutputError("-o needs a file name (NAME.jpg or NAME.png)", file=str(target) or "''")
    sheet = target.with_name(f"{target.stem}-sheet.png")
    inputs = {os.path.realpath(p) for p in (recipe, *cover_inputs(loaded),
                                            *(loaded.story_path(e) for e in loaded.all_stories))}
    for path in (target, sheet):
        if os.path.realpath(path) in inputs:
            raise OutputError("the cover would overwrite one of the recipe's own input files; "
                              "give another -o", file=str(path))
    return sheet



def _as_format(data: bytes, media_type: str, target: Path) -> bytes:
    """Re-encode when the file name asks for the other format (.png for a JPEG cover…)."""
    want = "image/png" if target.suffix.lower() == ".png" else "image/jpeg"
    if want == media_type:
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        rgb = im.convert("RGB")
    if want == "image/png":
        buf = io.BytesIO()
        rgb.save(buf, "PNG", optimize=True)
        return buf.getvalue()
    from ficbook.cover.render import encode_jpeg

    return encode_jpeg(rgb)
