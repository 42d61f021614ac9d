"""Colour arithmetic for covers: parsing, WCAG contrast, e-ink grey, palette picking.

Pure functions on `(r, g, b)` tuples of ints 0-255. The contrast rule is checked twice:
on the colours as they are (WCAG 2 relative luminance) and on the grey a monochrome
e-ink screen shows, computed exactly as Pillow's `convert("L")` does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

RGB = tuple[int, int, int]

#: The rule from the issue; text is laid out with a little headroom above it so JPEG
#: noise and anti-aliasing never push a measured pair under 7:1.
MIN_CONTRAST = 7.0
TARGET_CONTRAST = 7.4

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)


def is_hex_colour(value: str) -> bool:
    return bool(_HEX.match(value))


def parse_hex(value: str) -> RGB:
    """`"#1b2a41"` or `"#fa0"` → `(r, g, b)`; raises ValueError otherwise."""
    if not is_hex_colour(value):
        raise ValueError(f"not a colour: {value!r} (use #rrggbb or #rgb)")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    r, g, b = rgb
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def grey(rgb: RGB) -> int:
    """The grey Pillow's `convert("L")` gives (ITU-R 601-2 luma, its fixed-point rounding)."""
    r, g, b = rgb
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16


def grey_contrast(a: RGB, b: RGB) -> float:
    ga, gb = grey(a), grey(b)
    return contrast_ratio((ga, ga, ga), (gb, gb, gb))


def min_contrast(a: RGB, b: RGB) -> float:
    """The contrast that counts: the worse of colour and e-ink grey."""
    return min(contrast_ratio(a, b), grey_contrast(a, b))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """`a` moved a fraction `t` of the way to `b` (t=0 → a, t=1 → b)."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def ensure_contrast(fg: RGB, bg: RGB, target: float = TARGET_CONTRAST) -> RGB:
    """`fg`, or the nearest tint/shade of it that reaches `target` against `bg`.

    Moves toward white on dark backgrounds and toward black on light ones, so a gold
    stays a (paler) gold instead of jumping to another hue. Falls back to black or
    white, whichever contrasts more, if even the end of the ramp is not enough.
    """
    if min_contrast(fg, bg) >= target:
        return fg
    towards = WHITE if relative_luminance(bg) < 0.18 else BLACK
    for other in (towards, BLACK if towards == WHITE else WHITE):
        for step in range(1, 65):
            candidate = mix(fg, other, step / 64)
            if min_contrast(candidate, bg) >= target:
                return candidate
    return max((WHITE, BLACK), key=lambda c: min_contrast(c, bg))


def best_text_on(bg: RGB, candidates: Sequence[RGB], target: float = TARGET_CONTRAST) -> RGB:
    """The candidate that contrasts most with `bg`, nudged to reach `target`."""
    best = max(candidates, key=lambda c: min_contrast(c, bg))
    return ensure_contrast(best, bg, target)


def scrim_alpha(fg: RGB, scrim: RGB, extreme: RGB, target: float = TARGET_CONTRAST) -> float:
    """How opaque a `scrim` over an image must be for `fg` text to keep `target` contrast.

    `extreme` is the image's worst pixel under the text, taken per channel (the
    channel maxima under light text, minima under dark text). Luminance and grey both
    grow with every channel, so a blend that is safe for that corner is safe for
    every real pixel in the region. Returns a multiple of 1/64 in [0, 1].
    """
    for step in range(0, 65):
        alpha = step / 64
        if min_contrast(fg, mix(extreme, scrim, alpha)) >= target:
            return alpha
    return 1.0


def title_digest(title: str, salt: str = "") -> int:
    """A stable number from a title: the same anthology always gets the same palette."""
    return int.from_bytes(hashlib.sha256(f"{salt}\0{title}".encode()).digest()[:8], "big")
