"""Render a cover: compose (`compose`) → paint (`paint`) → encode; or take the recipe's
finished cover file.

`render_cover` is what the build calls: the image and its warnings (missing glyphs,
colours adjusted for contrast); `render_image` gives the picture and its layout, for
tests and the `ficbook cover` sheet.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ficbook.cover import DRAWN_COVER
from ficbook.cover.canvas import HEIGHT, WIDTH, CoverLayout
from ficbook.cover.compose import compose
from ficbook.cover.options import CoverOptions
from ficbook.cover.paint import paint
from ficbook.cover.picture import open_picture
from ficbook.cover.text import CoverText
from ficbook.errors import Diagnostic, RecipeError
from ficbook.model import Resource

MAX_BYTES = 1_000_000


def load_background(path: Path) -> Image.Image:
    """The recipe's picture, RGB, cropped to fill the cover (centred)."""
    _, opened = open_picture(path, "cover image", (WIDTH, HEIGHT))
    try:
        with opened as im:
            im.load()
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                flat = Image.new("RGB", im.size, (0, 0, 0))
                flat.paste(im, mask=im.getchannel("A"))
                im = flat
            im = im.convert("RGB")
    except (OSError, UnidentifiedImageError) as exc:
        raise RecipeError(f"cover image is not a readable picture: {path} ({exc})", file=str(path)) from exc
    return ImageOps.fit(im, (WIDTH, HEIGHT), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def encode_jpeg(img: Image.Image) -> bytes:
    """JPEG under MAX_BYTES: 4:4:4 chroma keeps coloured type crisp; quality steps down if needed."""
    for quality in (92, 88, 84, 80, 75, 70, 60, 50):
        buf = io.BytesIO()
        # no optimize=True: its second Huffman pass cost 40% of the encode for a cover
        # 20-40% smaller, and covers stay far under MAX_BYTES without it (~150-350 KB)
        img.save(buf, "JPEG", quality=quality, subsampling=0 if quality >= 84 else 2)
        if buf.tell() < MAX_BYTES:
            return buf.getvalue()
    return buf.getvalue()


def _finished_cover(path: Path) -> tuple[bytes, str, list[Diagnostic]]:
    """A cover the recipe supplies: as is when it already suits, else flattened/re-encoded."""
    data, opened = open_picture(path, "cover file")
    diags: list[Diagnostic] = []
    try:
        with opened as im:
            fmt, mode, size = im.format, im.mode, im.size
            if fmt in ("JPEG", "PNG") and mode in ("RGB", "L") and len(data) < MAX_BYTES:
                return data, "image/jpeg" if fmt == "JPEG" else "image/png", diags
            im.load()
            rgba = im.convert("RGBA")
    except (OSError, UnidentifiedImageError) as exc:
        raise RecipeError(f"cover file is not a readable picture: {path} ({exc})", file=str(path)) from exc
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    diags.append(Diagnostic("info", "cover-file-converted",
                            f"cover file {path.name} ({fmt}, {mode}, {len(data) // 1024} KB) re-encoded "
                            "as an RGB JPEG under 1 MB", file=str(path)))
    if max(size) > 2 * HEIGHT:
        flat.thumbnail((2 * WIDTH, 2 * HEIGHT), Image.Resampling.LANCZOS)
    return encode_jpeg(flat), "image/jpeg", diags


def _resolve(path: Path, base_dir: Path | None) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() or base_dir is None else base_dir / path


def render_image(text: CoverText, options: CoverOptions,
                 base_dir: Path | None = None) -> tuple[Image.Image, CoverLayout]:
    """The generated cover as a Pillow image, with the layout that produced it."""
    layout = compose(text, options)
    background = None
    if options.image is not None:
        path = _resolve(options.image, base_dir)
        if not path.is_file():
            raise RecipeError(f"cover image not found: {options.image}", file=str(path))
        background = load_background(path)
    return paint(layout, background), layout


def render_cover(text: CoverText, options: CoverOptions,
                 base_dir: Path | None = None) -> tuple[Resource, tuple[Diagnostic, ...]]:
    """The cover image, named for the book's images/ folder, and its warnings (missing
    glyphs, colours adjusted for contrast, a supplied file re-encoded). Same inputs, same bytes."""
    if options.file is not None:
        path = _resolve(options.file, base_dir)
        if not path.is_file():
            raise RecipeError(f"cover file not found: {options.file}", file=str(path))
        data, media_type, diagnostics = _finished_cover(path)
    else:
        img, layout = render_image(text, options, base_dir)
        data, media_type, diagnostics = encode_jpeg(img), "image/jpeg", list(layout.diagnostics)
    name = DRAWN_COVER if media_type == "image/jpeg" else "cover.png"
    return Resource(name, media_type, data), tuple(diagnostics)
