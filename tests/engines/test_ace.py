"""DAISY Ace, the accessibility checker publishers use, on every sample book (and the rich
test book): zero critical or serious violations, and the accessibility metadata it looks
for present. Ace runs in Debian's Chromium (tests/engines/chromium); `make checkers`
installs both. One Ace run per book, once per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.engines.conftest import missing

HERE = Path(__file__).resolve().parent
ACE = HERE / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = HERE / "chromium"
TIMEOUT_SECONDS = 300  # one book; a sample book takes Ace a few seconds
SEVERE = ("critical", "serious")


@dataclass(frozen=True)
class Violation:
    document: str
    impact: str
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.document}: {self.impact}: {self.rule} at {self.where}: {self.message}"


def violations(report: dict) -> list[Violation]:
    out = []
    for subject in report.get("assertions", []):
        for a in subject.get("assertions", []):
            test, result = a["earl:test"], a["earl:result"]
            if result.get("earl:outcome") != "fail":
                continue
            pointer = result.get("earl:pointer") or {}
            out.append(Violation(subject["earl:testSubject"]["url"], test["earl:impact"],
                                 test["dct:title"], " ".join(pointer.get("css") or []),
                                 result.get("dct:description", "")))
    return out


def chromium_installed() -> bool:
    return any(Path(p).is_file() and os.access(p, os.X_OK)
               for p in (os.environ.get("FICBOOK_CHROMIUM", ""), "/usr/bin/chromium",
                         "/usr/bin/chromium-browser") if p)


def run_ace(book: Path, out: Path) -> dict:
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM),
           "PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}
    proc = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=env)
    report = out / "report.json"
    if proc.returncode != 0 or not report.exists():
        raise AssertionError(f"Ace failed on {book.name} (exit {proc.returncode}):\n"
                             f"{proc.stderr[-2000:] or proc.stdout[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def ace_reports(sample_books, rich_book, tmp_path_factory) -> dict[str, dict]:
    if not ACE.exists() or shutil.which("node") is None:
        missing("DAISY Ace (npm's @daisy/ace-cli) is not installed")
    if not chromium_installed():
        missing("Debian's Chromium, which Ace runs in, is not installed")
    out = tmp_path_factory.mktemp("ace")
    books = {**sample_books, "rich": rich_book}
    return {name: run_ace(path, out / name) for name, path in books.items()}


def test_no_critical_or_serious_violation_in_any_book(ace_reports) -> None:
    severe = [f"{name}: {v}" for name, report in ace_reports.items()
              for v in violations(report) if v.impact in SEVERE]
    assert severe == []


def test_no_violation_of_any_impact(ace_reports) -> None:
    """Stricter than the goal: Ace is pinned (package-lock.json) and finds nothing at all,
    moderate and minor included, so that a finding such as a missing role for an
    `epub:type` (moderate) cannot come back unnoticed."""
    found = [f"{name}: {v}" for name, report in ace_reports.items() for v in violations(report)]
    assert found == []


def test_ace_finds_the_accessibility_metadata(ace_reports) -> None:
    for name, report in ace_reports.items():
        present = set(report["a11y-metadata"]["present"])
        assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                "schema:accessibilityHazard", "schema:accessibilitySummary"} <= present, name


def test_ace_read_every_document_and_picture(ace_reports, sample_books, rich_book) -> None:
    """A run that checked nothing would pass the tests above: every document of the spine is
    a subject of Ace's report, and every picture is in its list with its description."""
    from tests.bookcheck import Book

    for name, report in ace_reports.items():
        book = Book(sample_books.get(name) or rich_book)
        subjects = {a["earl:testSubject"]["url"] for a in report["assertions"]}
        assert set(book.spine) <= subjects, name
        pictures = {i.get("href").rsplit("/", 1)[-1] for i in book.items.values()
                    if i.get("media-type", "").startswith("image/")}
        seen = {img["src"].rsplit("/", 1)[-1]: img["alt"] for img in report["data"].get("images", [])}
        assert pictures and pictures <= set(seen), name
        assert all(seen[p] for p in pictures), name
