"""The recipe's cover pictures (`cover.image`, `cover.file`), opened within limits.

A small file can declare a huge image (a 99-byte PNG of 20000 × 20000 pixels): the size
is checked from the header before any pixel is decoded, and a JPEG is decoded at a
reduced scale when the cover needs fewer pixels (Pillow's draft mode), so a camera photo
costs what the cover needs. The bytes read are noted for the incremental records.
"""

from __future__ import annotations

import errno
import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ficbook.errors import RecipeError
from ficbook.inputs import note, read_regular

MAX_PICTURE_BYTES = 50 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000


def open_picture(path: Path, what: str, want: tuple[int, int] | None = None) -> tuple[bytes, Image.Image]:
    """(bytes, opened image, not yet loaded) for the picture at `path`; `what` names it in
    errors ("cover image"); `want`, the size it will be shown at, lets a JPEG be decoded
    at a reduced scale (draft mode, which may also change its mode: not for a file kept as is)."""
    try:
        data, st = read_regular(path, MAX_PICTURE_BYTES)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise RecipeError(f"{what} is larger than {MAX_PICTURE_BYTES // (1024 * 1024)} MB; "
                              "use a smaller picture", file=str(path)) from None
        raise RecipeError(f"cannot read {what}: {exc.strerror or exc}", file=str(path)) from None
    note(path, data, st)
    too_big = (f"{what} is too large to use: more than {MAX_PICTURE_PIXELS // 1_000_000} million "
               "pixels; scale it down")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            if im.format == "JPEG" and want is not None:
                im.draft("RGB", want)
    except Image.DecompressionBombError:
        raise RecipeError(too_big, file=str(path)) from None
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise RecipeError(f"{what} is not a readable picture: {path} ({exc})", file=str(path)) from None
    if im.width * im.height > MAX_PICTURE_PIXELS:
        raise RecipeError(f"{too_big} ({im.width:,} × {im.height:,})", file=str(path))
    return data, im
