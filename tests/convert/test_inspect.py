"""`ficbook inspect`: the report a person reads, and the same as JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ficbook.cli.app import app
from tests.conftest import STORIES

runner = CliRunner()


def sample(prefix: str) -> str:
    return str(next(STORIES.glob(f"{prefix}_*.txt")))


def test_inspect_json_explains_001() -> None:
    result = runner.invoke(app, ["inspect", sample("001"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["encoding"] == "utf-8"
    assert data["paragraph_style"] == "paragraphs separated by 1 blank line"
    assert data["chapters"][0]["scene_breaks"] == [35, 65, 94, 105]
    assert [n["label"] for n in data["end_notes"]] == ["Author's note"]
    assert data["end_notes"][0]["line"] == 124
    assert [d["line"] for d in data["chrome_dropped"]] == [138]


def test_inspect_text_explains_004() -> None:
    result = runner.invoke(app, ["inspect", sample("004")], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.output
    for expected in ("Fight For Me", "Singing Violin", "rating", "disclaimer", "feedback",
                     "One last reunion"):
        assert expected in out


def test_inspect_shows_warnings_and_repairs() -> None:
    out = runner.invoke(app, ["inspect", sample("000")], env={"COLUMNS": "160"}).output
    assert "Warnings" in out and "line 55" in out
    out = runner.invoke(app, ["inspect", sample("003")], env={"COLUMNS": "160"}).output
    assert "i Touch/i" in out


def test_inspect_rule_switch_and_unknown_rule() -> None:
    data = json.loads(runner.invoke(app, ["inspect", sample("000"), "--json", "--off",
                                          "trailing_notes"]).output)
    assert data["end_notes"] == []
    bad = runner.invoke(app, ["inspect", sample("000"), "--off", "nope"])
    assert bad.exit_code == 2


def test_inspect_missing_file_is_one_line() -> None:
    result = runner.invoke(app, ["inspect", "/no/such/story.txt"])
    assert result.exit_code == 4
