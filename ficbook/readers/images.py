"""Image bytes found in a story -> a `Resource` every reader can show, or None.

Readers take JPEG and PNG everywhere (GIF and WebP are not safe on older Kobo/Kindle
firmware), so everything else is converted; huge images are scaled down so one photo
cannot make a book too heavy for Send to Kindle. Names come from the content hash: ASCII,
stable across rebuilds, and the same picture used twice is stored once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import warnings
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote

from ficbook.inputs import read_input
from ficbook.model import Resource

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # refuse to even open anything bigger
MAX_PIXELS = 40_000_000  # decompression-bomb guard (Pillow's own default is 89 M)
MAX_SIDE = 1600  # longest side in the book
MAX_KEEP_BYTES = 600 * 1024  # re-encode a JPEG/PNG above this even when small enough


# Pictures already decoded in this process, by content: one picture referenced by many
# <img> tags (or by several stories) is decoded once. Results are small (re-encoded,
# at most MAX_SIDE pixels); the count is bounded all the same.
_decoded: OrderedDict[bytes, Resource | None] = OrderedDict()
_DECODED_KEEP = 64


def to_resource(data: bytes) -> Resource | None:
    """Decode, scale and re-encode when needed; None when it is not an image Pillow reads."""
    if not data or len(data) > MAX_IMAGE_BYTES:
        return None
    key = hashlib.blake2b(data, digest_size=16).digest()
    if key in _decoded:
        _decoded.move_to_end(key)
        return _decoded[key]
    found = _decode(data)
    _decoded[key] = found
    if len(_decoded) > _DECODED_KEEP:
        _decoded.popitem(last=False)
    return found


def _decode(data: bytes) -> Resource | None:
    from PIL import Image as PILImage

    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            img = PILImage.open(io.BytesIO(data))
            fmt = img.format
            if img.width * img.height > MAX_PIXELS:
                return None
            img.load()
    except Exception:  # any undecodable or hostile file is simply not an image
        return None
    if fmt in ("JPEG", "PNG") and max(img.size) <= MAX_SIDE and len(data) <= MAX_KEEP_BYTES:
        out, media = data, "image/jpeg" if fmt == "JPEG" else "image/png"
    else:
        if max(img.size) > MAX_SIDE:
            img.thumbnail((MAX_SIDE, MAX_SIDE))
        has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
        buf = io.BytesIO()
        if has_alpha or (fmt in ("PNG", "GIF") and img.mode in ("P", "L", "1")):
            img.convert("RGBA" if has_alpha else "RGB" if img.mode != "L" else "L").save(buf, "PNG", optimize=True)
            media = "image/png"
        else:
            img.convert("RGB").save(buf, "JPEG", quality=85, optimize=True)
            media = "image/jpeg"
        out = buf.getvalue()
    ext = "jpg" if media == "image/jpeg" else "png"
    return Resource(f"img-{hashlib.sha1(out).hexdigest()[:16]}.{ext}", media, out)


def from_data_uri(src: str) -> bytes | None:
    head, _, payload = src.partition(",")
    if not head.lower().startswith("data:image/"):
        return None
    try:
        if head.lower().endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote(payload).encode("latin-1", errors="replace")
    except (binascii.Error, ValueError):
        return None


def file_loader(base: Path):
    """Images beside a saved page (`Story_files/pic.jpg`), never outside its folder.

    This is the one place a markup reader touches the disk besides the story itself.
    """
    root = base.resolve()
    seen: dict[Path, Resource | None] = {}  # one file read once, however often it is shown

    def load(src: str) -> Resource | None:
        if src.lower().startswith("data:"):
            data = from_data_uri(src)
            return to_resource(data) if data else None
        if ":" in src.split("/")[0]:  # another scheme: file:, javascript:, …
            return None
        rel = unquote(src.split("#")[0].split("?")[0])
        try:
            path = (root / rel).resolve()
            path.relative_to(root)
        except (ValueError, OSError):
            return None
        if path not in seen:
            data = read_input(path, MAX_IMAGE_BYTES)
            seen[path] = to_resource(data) if data else None
        return seen[path]

    return load
