"""The package's own YAML files go straight to ruamel's C parser (`datafiles.data_yaml`):
it must read each of them as the pure-Python loader does, so no meaning depends on which
one a machine has."""

from __future__ import annotations

from importlib.resources import files

import pytest
from ruamel.yaml import YAML

from ficbook.datafiles import data_yaml


def _data_files() -> list[str]:
    root = files("ficbook").joinpath("data")
    found = []
    for folder in (root, root / "languages", root / "layouts"):
        found += [f"{'' if folder is root else folder.name + '/'}{e.name}"
                  for e in folder.iterdir() if e.name.endswith(".yaml")]
    return sorted(found)


def test_the_data_folder_has_yaml_files_to_check():
    names = _data_files()
    assert "chrome.yaml" in names and "languages/en.yaml" in names
    assert any(n.startswith("layouts/") for n in names)


@pytest.mark.parametrize("name", _data_files())
def test_c_and_pure_loaders_agree(name):
    text = files("ficbook").joinpath("data", *name.split("/")).read_text("utf-8")
    assert data_yaml(name) == YAML(typ="safe", pure=True).load(text)
