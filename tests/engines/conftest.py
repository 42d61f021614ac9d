"""The books every engine and checker in this folder reads: the sample books, built once
per session, plus the rich test book (a picture, notes in an appendix, a credits page)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ficbook.build import BuildOptions, build
from tests.bookcheck import build_rich
from tests.conftest import SAMPLE_RECIPES


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """A checker that is not on this machine: skip, except under CI, where it must run."""
    if in_ci():
        pytest.fail(f"{what} must run in CI; install it with `make checkers`")
    pytest.skip(f"{what} (install it with `make checkers`)")


@pytest.fixture(scope="session")
def sample_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("engines")
    return {p.stem: build(p, BuildOptions(out_dir=out)).output for p in SAMPLE_RECIPES}


@pytest.fixture(scope="session")
def rich_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich(tmp_path_factory.mktemp("engines-rich"), "appendix", "credits")[0]
