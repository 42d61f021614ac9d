"""The package's data folder (`ficbook/data/`): stylesheet, chrome patterns, profiles,
language data, the Java helper. Found through importlib.resources, so a wheel works too."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def data_file(name: str) -> Traversable:
    return files("ficbook").joinpath("data", *name.split("/"))


def data_text(name: str) -> str:
    return data_file(name).read_text("utf-8")
