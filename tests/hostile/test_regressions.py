"""Every crash the fuzzer ever found (tests/hostile/regressions/TARGET-HASH.EXT), replayed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import TARGETS, load_regression

FOUND = sorted((Path(__file__).parent / "regressions").glob("*-*.*"))


def test_there_are_regressions():
    assert FOUND  # the fuzzer has found things; they stay here


@pytest.mark.parametrize("path", FOUND, ids=lambda p: p.name)
def test_regression(path: Path):
    target = TARGETS[path.name.split("-", 1)[0]]
    target.check(load_regression(path))
