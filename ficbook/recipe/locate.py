"""Where a recipe's problems are: a pydantic error's key path -> the YAML node's line and
column, and a "did you mean" for a misspelt key."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ficbook.recipe.schema import Recipe


def locate(err: Any, data: CommentedMap) -> tuple[tuple[int, int], Any]:
    loc = tuple(err["loc"])
    line, col = position(data, loc, key=err["type"] == "extra_forbidden")
    err = {**err, "_data": data}
    return (line or 0, col or 0), err


def format_error(err: dict[str, Any], pos: tuple[int, int], name: str) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    data = err["_data"]
    line, col = pos
    dotted = ".".join(str(p) for p in loc) or "(top)"
    if kind == "extra_forbidden":
        message = f"unknown key{_did_you_mean(data, loc)}"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = err["msg"]
        message = message.removeprefix("Value error, ")
    where = f"{name}:{line}:{col}" if line else name
    return f"{where}: {dotted}: {message}"


def _did_you_mean(data: CommentedMap, loc: tuple) -> str:
    model = _model_at(loc[:-1], data)
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _model_at(loc: tuple, data: Any) -> type[BaseModel] | None:
    model: Any = Recipe
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        ann = field.annotation
        model = _inner_model(ann)
    return model


def _inner_model(ann: Any) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


def position(data: Any, loc: tuple, key: bool) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the YAML node at `loc`; its parent's when absent."""
    node = data
    best: tuple[int | None, int | None] = (1, 1)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            try:
                mark = node.lc.key(part) if (key and last) else node.lc.value(part)
            except KeyError:
                mark = None
            if mark is None:  # a key that came in through a merge (`<<:`) has no place
                break
            best = (mark[0] + 1, mark[1] + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            best = (line + 1, col + 1)
            node = node[part]
        else:
            if hasattr(node, "lc"):
                best = (node.lc.line + 1, node.lc.col + 1)
            break
    return best
