"""The download cache: the EPUBs FanFicFare made for a recipe's links, beside the build
folder (recipes/x.yaml -> downloads/), and an index of what each link turned out to be
(a story, or a series and its works in order). Light: the recipe schema imports it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

DOWNLOADS = "downloads"
INDEX = "index.json"


def cache_dir(recipe_path: Path) -> Path:
    """`downloads/` beside the default `build/` folder: the recipes' folder's parent. The
    same for every `--out`, so a rebuild elsewhere needs no new connection."""
    return Path(os.path.realpath(recipe_path)).parent.parent / DOWNLOADS


def file_name(url: str) -> str:
    """A readable, stable, safe name: the site and the link's last parts, and a hash."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", re.sub(r"^https?://(www\.)?", "", url)).strip("-")[:60]
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:10]}.epub"


def download_path(recipe_path: Path, url: str) -> Path:
    return cache_dir(recipe_path) / file_name(url.strip())


def index_path(folder: Path) -> Path:
    return folder / INDEX


def read_index(folder: Path) -> dict[str, Any]:
    """url -> {"kind": "story", "file": NAME} or {"kind": "series", "works": [url, …]}."""
    try:
        data = json.loads(index_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    links = data.get("links") if isinstance(data, dict) else None
    return links if isinstance(links, dict) else {}


def write_index(folder: Path, links: dict[str, Any]) -> None:
    """Whole or not at all (temp file + rename): a build may read it meanwhile."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": 1, "links": links}, indent=1, sort_keys=True, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index.", suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.replace(tmp, index_path(folder))
