"""Font files at the edge: loading, glyph coverage, and fallbacks for other scripts.

The styles' fonts cover Latin with accents, Greek and Cyrillic. A title in Chinese,
Japanese or Arabic is drawn with the script fonts bundled beside them (`SCRIPT_FONTS`:
Noto, OFL), the same on every machine. Only for a script none of them has (Korean,
Thai, Devanagari…) does the renderer ask `find_fallback` for an installed font, and say
so in a diagnostic; it never draws tofu quietly.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

# Complex scripts (Arabic, Indic…) need Raqm for shaping; with it Latin also gets
# GPOS kerning. The choice is fixed per machine, so renders stay identical run to run.
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC

_SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
                     Path.home() / ".local/share/fonts", Path("/Library/Fonts"),
                     Path("/System/Library/Fonts"), Path("C:/Windows/Fonts"))


@dataclass(frozen=True, slots=True)
class FontSpec:
    """A font file, and for a variable font the instance to use."""

    path: Path
    weight: int | None = None  # the wght axis
    opsz: float | None = None  # the opsz axis: 60 is Source Serif's display cut


@lru_cache(maxsize=256)
def font(spec: FontSpec, size: int) -> ImageFont.FreeTypeFont:
    f = ImageFont.truetype(str(spec.path), size, layout_engine=LAYOUT)
    if spec.weight is not None or spec.opsz is not None:
        axes = f.get_variation_axes()
        values: list[float] = []
        for axis in axes:
            wanted = {b"Weight": spec.weight, b"Optical Size": spec.opsz}.get(axis.get("name", b""))
            default = axis["default"]
            assert default is not None  # FreeType gives every variation axis a default
            values.append(default if wanted is None else wanted)
        f.set_variation_by_axes(values)
    return f


@lru_cache(maxsize=64)
def _notdef(path: Path) -> tuple[tuple[int, int], bytes]:
    return _glyph_signature(path, "\U0010fffd")


@lru_cache(maxsize=64)
def _probe(path: Path) -> ImageFont.FreeTypeFont:
    # loaded once per file: opening the font was most of the cost of a glyph test
    return ImageFont.truetype(str(path), 48, layout_engine=ImageFont.Layout.BASIC)


def _glyph_signature(path: Path, char: str) -> tuple[tuple[int, int], bytes]:
    mask = _probe(path).getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=4096)
def has_glyph(path: Path, char: str) -> bool:
    """Whether the font draws `char` as itself and not as its .notdef box.

    Pillow has no cmap API; a glyph rendered identically to a private-use code point
    the font surely lacks is the missing-glyph box.
    """
    if char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Mn"):
        return True
    return _glyph_signature(path, char) != _notdef(path)


def missing_chars(path: Path, text: str) -> str:
    """The distinct characters of `text` the font lacks, in order of appearance."""
    out: dict[str, None] = {}
    for char in text:
        if char not in out and not has_glyph(path, char):
            out[char] = None
    return "".join(out)


def _candidates(chars: str) -> list[Path]:
    """Installed font files, those fontconfig says cover `chars` first."""
    found: list[Path] = []
    fc_list = shutil.which("fc-list")
    if fc_list:
        charset = " ".join(f"{ord(c):x}" for c in chars[:16])
        try:
            out = subprocess.run([fc_list, "--format", "%{file}\n", f":charset={charset}"],
                                 capture_output=True, text=True, timeout=20, check=False).stdout
            found += sorted(Path(line) for line in out.splitlines() if line.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    for folder in _SYSTEM_FONT_DIRS:
        if folder.is_dir():
            found += sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".otf", ".ttc"))
    return list(dict.fromkeys(found))


def _preference(path: Path) -> tuple[int, str]:
    # Regular text faces before bold, italic, mono or condensed ones; then by name.
    name = path.name.lower()
    demerits = sum(word in name for word in ("bold", "italic", "oblique", "mono", "condensed",
                                             "light", "black", "thin", "math"))
    return demerits, str(path)


# Bundled in covers/fonts/ (beside the style's fonts, or the project's own), tried in order
# for text the style's fonts cannot draw.
OWN_FONTS = Path(__file__).resolve().parents[2] / "covers" / "fonts"
SCRIPT_FONTS = ("NotoSansCJKsc-Subset.otf", "NotoNaskhArabic-Regular.ttf")


def bundled_font(folder: Path, text: str) -> Path | None:
    """The first of `SCRIPT_FONTS` in `folder` that draws every character of `text`."""
    for name in SCRIPT_FONTS:
        path = folder / name
        if path.is_file() and not missing_chars(path, text):
            return path
    return None


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


@lru_cache(maxsize=64)
def find_fallback(chars: str) -> Path | None:
    """An installed font that has every one of `chars`, chosen the same way every run."""
    for path in sorted(_candidates(chars), key=_preference):
        try:
            if all(has_glyph(path, c) for c in chars):
                return path
        except OSError:
            continue
    return None
