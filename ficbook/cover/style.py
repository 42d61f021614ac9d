"""Cover styles are data: one YAML file per style in `covers/` (see covers/README.md).

This module reads a style file (in the folder `folder.covers_dir` finds) and checks it
into frozen dataclasses; a mistake in a style file is a `FicbookError` naming the file
and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ficbook import fastyaml
from ficbook.cover.colour import RGB, is_hex_colour, parse_hex
from ficbook.cover.folder import covers_dir, style_names
from ficbook.cover.fonts import FontSpec
from ficbook.errors import FicbookError

TEXT_ROLES = ("series", "title", "subtitle", "credit_label", "credit", "count")
ORNAMENTS = ("rule", "diamond_rule", "fleuron", "dots", "bar", "spacer")
CANVAS_ORNAMENTS = ("frame", "corners", "vignette", "stripe", "grain_lines")
COLOUR_ROLES = ("foreground", "accent", "background")
MIN_MARGIN = 0.08


@dataclass(frozen=True, slots=True)
class Palette:
    background: RGB
    foreground: RGB
    accent: RGB


@dataclass(frozen=True, slots=True)
class TextItem:
    role: str
    font: str  # a key of Style.fonts
    size: int  # px on the 1600×2560 canvas; for the title the largest size tried
    min_size: int  # smallest size before giving up on one line (the title: the floor)
    gap: int  # space above, px; dropped for a block's first item
    tracking: float  # letter-spacing in em, for capitals
    upper: bool
    colour: str  # a COLOUR_ROLES name; "foreground" on a panel means the panel's text colour
    line_height: float
    max_lines: int


@dataclass(frozen=True, slots=True)
class OrnamentItem:
    kind: str
    width: int
    height: int
    stroke: int
    gap: int
    colour: str
    needs: str | None  # drawn only if this text role is present


Item = TextItem | OrnamentItem


@dataclass(frozen=True, slots=True)
class Panel:
    colour: str  # a colour role or "#hex"
    padding: int


@dataclass(frozen=True, slots=True)
class Block:
    top: float  # region, fractions of the canvas height
    bottom: float
    valign: str  # top | middle | bottom
    items: tuple[Item, ...]
    panel: Panel | None


@dataclass(frozen=True, slots=True)
class CanvasOrnament:
    kind: str
    inset: float  # fraction of the width
    stroke: int
    colour: str
    strength: float  # vignette darkening, 0-1
    y: float  # stripe position, fraction of height
    size: int


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    label: str
    description: str
    fonts: dict[str, FontSpec]
    margin: float
    align: str  # center | left
    palettes: tuple[Palette, ...]
    canvas: tuple[CanvasOrnament, ...]
    blocks: tuple[Block, ...]
    path: Path

    @property
    def title_item(self) -> TextItem:
        for block in self.blocks:
            for item in block.items:
                if isinstance(item, TextItem) and item.role == "title":
                    return item
        raise AssertionError("validated styles have a title")


class StyleError(FicbookError):
    pass


def load_style(name: str, folder: Path | None = None) -> Style:
    folder = (folder or covers_dir()).resolve()
    return _load_style(name, folder)


@lru_cache(maxsize=32)
def _load_style(name: str, folder: Path) -> Style:
    path = folder / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(style_names(folder)) or "none"
        raise StyleError(f"unknown cover style {name!r} (known: {known})")
    try:
        text = path.read_text(encoding="utf-8")
        data = fastyaml.load(text)
        if data is None:
            data = YAML(typ="safe", pure=True).load(text)
    except (OSError, YAMLError) as exc:
        raise StyleError(f"cannot read cover style: {exc}", file=str(path)) from exc
    try:
        return _parse_style(name, data, folder, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise StyleError(f"bad cover style: {exc}", file=str(path)) from exc


def _get(data: dict[str, Any], key: str, default: Any = None, kind: type | tuple[type, ...] | None = None) -> Any:
    value = data.get(key, default)
    if kind is not None and value is not None and not isinstance(value, kind):
        raise ValueError(f"{key}: expected {kind}, got {value!r}")
    return value


def _colour_ref(value: Any, where: str) -> str:
    if not isinstance(value, str) or not (value in COLOUR_ROLES or is_hex_colour(value)):
        raise ValueError(f"{where}: colour must be one of {', '.join(COLOUR_ROLES)} or #hex, got {value!r}")
    return value


def _parse_style(name: str, data: Any, folder: Path, path: Path) -> Style:
    if not isinstance(data, dict):
        raise ValueError("the file must be a mapping")
    fonts: dict[str, FontSpec] = {}
    for key, spec in (_get(data, "fonts", {}, dict)).items():
        spec = spec if isinstance(spec, dict) else {"file": spec}
        font_path = folder / "fonts" / str(spec["file"])
        if not font_path.is_file():
            raise ValueError(f"fonts.{key}: {font_path} not found")
        weight, opsz = spec.get("weight"), spec.get("opsz")
        fonts[str(key)] = FontSpec(font_path, None if weight is None else int(weight),
                                   None if opsz is None else float(opsz))
    margin = float(_get(data, "margin", 0.1))
    if margin < MIN_MARGIN:
        raise ValueError(f"margin: at least {MIN_MARGIN}, got {margin}")
    align = _get(data, "align", "center", str)
    if align not in ("center", "left"):
        raise ValueError(f"align: center or left, got {align!r}")
    palettes = tuple(
        Palette(parse_hex(p["background"]), parse_hex(p["foreground"]), parse_hex(p["accent"]))
        for p in _get(data, "palettes", [], list)
    )
    if not palettes:
        raise ValueError("palettes: at least one is needed")
    canvas = tuple(_parse_canvas(o, i) for i, o in enumerate(_get(data, "canvas", [], list)))
    blocks = tuple(_parse_block(b, i, fonts) for i, b in enumerate(_get(data, "blocks", [], list)))
    titles = [it for b in blocks for it in b.items if isinstance(it, TextItem) and it.role == "title"]
    if len(titles) != 1:
        raise ValueError("blocks: exactly one item must be the title")
    return Style(name=name, label=str(_get(data, "label", name)),
                 description=str(_get(data, "description", "")), fonts=fonts, margin=margin,
                 align=align, palettes=palettes, canvas=canvas, blocks=blocks, path=path)


def _parse_canvas(data: dict[str, Any], i: int) -> CanvasOrnament:
    kind = data["kind"]
    if kind not in CANVAS_ORNAMENTS:
        raise ValueError(f"canvas[{i}].kind: one of {', '.join(CANVAS_ORNAMENTS)}, got {kind!r}")
    return CanvasOrnament(kind=kind, inset=float(data.get("inset", 0.05)),
                          stroke=int(data.get("stroke", 4)),
                          colour=_colour_ref(data.get("colour", "accent"), f"canvas[{i}]"),
                          strength=float(data.get("strength", 0.3)), y=float(data.get("y", 0.5)),
                          size=int(data.get("size", 40)))


def _parse_block(data: dict[str, Any], i: int, fonts: dict[str, FontSpec]) -> Block:
    region = data.get("region", [0.1, 0.9])
    top, bottom = float(region[0]), float(region[1])
    if not 0 <= top < bottom <= 1:
        raise ValueError(f"blocks[{i}].region: 0 ≤ top < bottom ≤ 1, got {region!r}")
    valign = data.get("valign", "middle")
    if valign not in ("top", "middle", "bottom"):
        raise ValueError(f"blocks[{i}].valign: top, middle or bottom, got {valign!r}")
    panel = None
    if data.get("panel"):
        p = data["panel"]
        panel = Panel(colour=_colour_ref(p.get("colour", "accent"), f"blocks[{i}].panel"),
                      padding=int(p.get("padding", 80)))
    items = tuple(_parse_item(it, f"blocks[{i}].items[{j}]", fonts)
                  for j, it in enumerate(data.get("items", [])))
    return Block(top=top, bottom=bottom, valign=valign, items=items, panel=panel)


def _parse_item(data: dict[str, Any], where: str, fonts: dict[str, FontSpec]) -> Item:
    if "text" in data:
        role = data["text"]
        if role not in TEXT_ROLES:
            raise ValueError(f"{where}.text: one of {', '.join(TEXT_ROLES)}, got {role!r}")
        font = data.get("font", role)
        if font not in fonts:
            raise ValueError(f"{where}.font: {font!r} is not in fonts")
        size = data.get("size", 60)
        if role == "title":
            lo, hi = (int(size[0]), int(size[1])) if isinstance(size, list) else (150, int(size))
        else:
            hi = int(size)
            lo = int(data.get("min_size", max(24, hi * 2 // 3)))
        return TextItem(role=role, font=font, size=hi, min_size=lo, gap=int(data.get("gap", 0)),
                        tracking=float(data.get("tracking", 0.0)), upper=bool(data.get("upper", False)),
                        colour=_colour_ref(data.get("colour", "foreground"), where),
                        line_height=float(data.get("line_height", 1.1)),
                        max_lines=int(data.get("max_lines", 0 if role == "title" else 2)))
    kind = data.get("ornament")
    if kind not in ORNAMENTS:
        raise ValueError(f"{where}: needs text: ROLE or ornament: one of {', '.join(ORNAMENTS)}")
    needs = data.get("needs")
    if needs is not None and needs not in TEXT_ROLES:
        raise ValueError(f"{where}.needs: one of {', '.join(TEXT_ROLES)}")
    return OrnamentItem(kind=kind, width=int(data.get("width", 200)), height=int(data.get("height", 40)),
                        stroke=int(data.get("stroke", 3)), gap=int(data.get("gap", 0)),
                        colour=_colour_ref(data.get("colour", "accent"), where), needs=needs)
