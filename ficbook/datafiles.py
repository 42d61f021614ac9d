"""The package's data folder (`ficbook/data/`): stylesheet, chrome patterns, profiles,
language data, the Java helper. Found through importlib.resources, so a wheel works too."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def data_file(name: str) -> Traversable:
    return files("ficbook").joinpath("data", *name.split("/"))


def data_text(name: str) -> str:
    return data_file(name).read_text("utf-8")


@cache
def data_yaml(name: str) -> Any:
    """One of the package's own YAML files, parsed once per process, and kept parsed in
    the user's cache between runs (`usercache`: 25 files, 60 ms a process otherwise).
    They are ours, shallow and plain, so they go straight to ruamel's C parser (pure
    Python where it has none): fastyaml's guards are for users' files, and its caution
    sent the language files with a regex like `,? ` in them to the pure-Python loader,
    ten times slower. tests/test_datafiles.py holds the two loaders' readings equal."""
    from ficbook.usercache import cached

    data = data_file(name).read_bytes()
    return cached("data." + name.replace("/", ".").removesuffix(".yaml"), data, lambda: _parse(data))


def _parse(data: bytes) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(data.decode("utf-8"))
