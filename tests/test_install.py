"""A normal (non-editable) install builds every sample book.

The project is built into a wheel, installed with `pip install --no-deps` into a fresh
venv that borrows the test venv's libraries (offline, no download), and its own `ficbook`
command builds the sample recipes from outside the source tree: the cover styles and
fonts must come from the wheel. The books must be the bytes the source tree makes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from ficbook.build import BuildOptions, build
from tests.conftest import ROOT, SAMPLE_RECIPES

SOURCE = ("ficbook", "covers", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv's bin/ folder, with ficbook installed from a wheel."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCE:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", tmp / "dist", src, cwd=tmp)
    wheel = next((tmp / "dist").glob("ficbook-*.whl"))
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    # The libraries ficbook needs, from the test venv (a path line in a .pth file: the test
    # venv's own .pth files, the editable ficbook among them, are not read).
    site = Path(_run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp).strip())
    (site / "test-venv-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--quiet",
         "--no-deps", "--no-index", wheel, cwd=tmp)
    return bin_dir


def test_the_wheel_carries_the_cover_styles_and_fonts(installed: Path) -> None:
    where = _run(installed / "python", "-c", "import ficbook, ficbook.cover.style as s; "
                 "print(ficbook.__file__); print(s.covers_dir())", cwd=installed,
                 env=_clean_env()).split("\n")
    package, covers = Path(where[0]).parent, Path(where[1])
    assert package.is_relative_to(installed.parent), "ficbook came from the source tree"
    assert covers == package / "covers"
    assert {p.name for p in covers.glob("*.yaml")} == {p.name for p in (ROOT / "covers").glob("*.yaml")}
    assert {p.name for p in (covers / "fonts").iterdir()} == \
        {p.name for p in (ROOT / "covers" / "fonts").iterdir()}


def test_an_installed_ficbook_builds_every_sample_book(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "installed"
    _run(installed / "ficbook", "build", *SAMPLE_RECIPES, "--out", out, cwd=tmp_path,
         env=_clean_env())
    for recipe in SAMPLE_RECIPES:
        here = build(recipe, BuildOptions(out_dir=tmp_path / "source")).output
        assert (out / here.name).read_bytes() == here.read_bytes(), recipe.name


def test_ficbook_covers_still_overrides_the_packaged_styles(installed: Path, tmp_path: Path) -> None:
    mine = tmp_path / "my-covers"
    mine.mkdir()
    env = {**_clean_env(), "FICBOOK_COVERS": str(mine)}
    done = subprocess.run([str(installed / "ficbook"), "build", str(SAMPLE_RECIPES[0]),
                           "--out", str(tmp_path)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode != 0 and "unknown cover style" in done.stderr + done.stdout


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FICBOOK_COVERS", "PYTHONPATH")}
    return env
