"""Fixture cases per rule: `fixtures/<rule>/<case>.txt` is an input story, `<case>.out` the
expected dump. Options for a case go in a first line `#options: {"rules": [["typography", false]]}`.
Regenerate with `pytest --update-golden` and review the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.convert.helpers import dump, run

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.txt")) + sorted(FIXTURES.glob("*/*.html"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_fixture(case: Path, update_golden: bool) -> None:
    data = case.read_bytes()  # bytes: some cases are in other encodings
    options: dict = {}
    if data.startswith(b"#options:"):
        first, data = data.split(b"\n", 1)
        options = json.loads(first[len(b"#options:"):])
        if "rules" in options:
            options["rules"] = tuple(tuple(r) for r in options["rules"])
    got = dump(run(data, name=case.name, **options))
    expected = case.with_suffix(".out")
    if update_golden:
        expected.write_text(got, "utf-8")
    assert got == expected.read_text("utf-8")


def test_every_rule_has_fixtures() -> None:
    from ficbook.convert import RULE_NAMES

    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    missing = [r for r in RULE_NAMES if r not in folders and r not in ("mojibake", "close_dashes")]
    assert not missing, f"rules without fixture cases: {missing}"
