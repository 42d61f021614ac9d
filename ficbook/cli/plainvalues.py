"""Plain command-line values read without pydantic.

Typer (0.29) checks every value a command receives with a pydantic TypeAdapter, and the
first adapter imports pydantic: about 0.1 s that `ficbook inspect` needs for nothing else,
and that a build pays before it reads its recipe. Our commands take plain values: text,
flags, whole and decimal numbers, paths, and lists of them. A value whose answer is certain
without pydantic (text and flags as given; digits for a number within its bounds; a path as
`Path(text)`, then typer's own path checks) is read here. Everything else (a number out of
its bounds or written otherwise, a path check that fails, any other kind of parameter, or
another typer whose insides differ) goes to typer's own adapter, so results and error
messages stay typer's; tests/test_cli_values.py holds the two readings equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

_MISS = object()  # "not certain here": typer's adapter decides
_WHOLE = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_LEAVES = (str, bool, int, float, Path)


def install() -> None:
    """Put the plain reading in front of typer's adapters (once; a no-op on a typer
    without the hook, which then works as it always does)."""
    try:
        from typer import _coercion, _param_types, core

        param_class = core._TyperParameter
        typer_runtime = param_class.get_runtime_param
        base = _coercion.RuntimeParam
        build_typer = _coercion.build_runtime_param
        check_path = _param_types.coerce_cli_path
    except (ImportError, AttributeError):
        return
    if getattr(typer_runtime, "plain_values", False):
        return

    @dataclass(frozen=True)
    class PlainRuntimeParam(base):  # type: ignore[misc, valid-type]
        leaf: type
        listed: bool

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.listed:
                items = [self._leaf(v, param, ctx) for v in value] \
                    if isinstance(value, (list, tuple)) else [_MISS]
                plain = _MISS if any(v is _MISS for v in items) else items
            else:
                plain = self._leaf(value, param, ctx)
            if plain is not _MISS:
                return plain
            return build_typer(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

        def _leaf(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            if self.leaf is Path:
                if type(value) is not str:
                    return _MISS
                try:  # what typer's path adapter does once pydantic made the Path
                    return check_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
                except Exception:  # a check failed (or a NUL in the name): typer's adapter
                    return _MISS  # says it, naming the value as given
            if self.leaf is str or self.leaf is bool:
                return value if type(value) is self.leaf else _MISS
            number = _number(value, self.leaf)
            if number is _MISS or (info.min is not None and number < info.min) \
                    or (info.max is not None and number > info.max):
                return _MISS
            return number

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            plain = _plain_kind(self.type_descriptor)
            if plain is not None:
                desc = self.type_descriptor
                self._runtime_param = PlainRuntimeParam(
                    parameter_info=desc.parameter_info, annotation=desc.annotation,
                    leaf=plain[0], listed=plain[1])
        return typer_runtime(self)

    get_runtime_param.plain_values = True  # type: ignore[attr-defined]
    param_class.get_runtime_param = get_runtime_param  # type: ignore[method-assign]


def _plain_kind(desc: Any) -> tuple[type, bool] | None:
    """(leaf type, is a list) for a parameter read here; None for typer's adapter."""
    info = desc.parameter_info
    if info.parser is not None or info.clamp or desc.file_annotation is not None:
        return None
    annotation, listed = desc.annotation, False
    if get_origin(annotation) is list:
        (annotation,), listed = get_args(annotation), True
    if annotation not in _LEAVES:
        return None
    if annotation is Path and (info.path_type is not None or info.resolve_path or info.allow_dash):
        return None
    return annotation, listed


def _number(value: Any, kind: type) -> Any:
    """An int or float parameter's value where pydantic's answer is certain."""
    if type(value) is kind:
        return value
    if type(value) is not str:
        return _MISS
    if kind is int and _WHOLE.fullmatch(value):
        return int(value)
    if kind is float and _DECIMAL.fullmatch(value):
        return float(value)
    return _MISS
