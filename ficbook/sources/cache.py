"""The download cache: the EPUBs FanFicFare made for a recipe's links, beside the build
folder (recipes/x.yaml -> downloads/), and an index of what each link turned out to be
(a story, or a series and its works in order). Where each download lives is `outputs`' fact."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

INDEX = "index.json"


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
