"""Never a word moved out of the story: invariants over every fixture and sample story.

- nothing lost: every word of the input is in the book (story text, card, set-apart
  blocks) or in a dropped archive line or header field the log lists;
- no chapter is left empty (notes only) unless its source chapter held nothing else;
- every set-apart block is reported in the log at its line with its word count;
- no set-apart block is far longer than a note for its chapter (`shape.too_long`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ficbook.convert.rules import shape
from ficbook.model import Note, SceneBreak
from ficbook.text import count_words
from tests.convert.test_properties import lost_words

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.txt")) + sorted(FIXTURES.glob("*/*.html")) + sorted((ROOT / "stories").glob("*.txt"))
# Fixtures whose source chapter holds only notes, on purpose.
NOTES_ONLY = {"chapter-notes"}


def _read(case: Path) -> tuple[str, dict]:
    data = case.read_bytes()
    options: dict = {}
    if data.startswith(b"#options:"):
        first, data = data.split(b"\n", 1)
        options = json.loads(first[len(b"#options:"):])
        if "rules" in options:
            options["rules"] = tuple(tuple(r) for r in options["rules"])
    return data.decode("utf-8", "replace"), options


def _ids(cases: list[Path]) -> list[str]:
    return [f"{c.parent.name}/{c.stem}" for c in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_invariants(case: Path) -> None:
    from tests.convert.helpers import run

    text, options = _read(case)
    if options:
        pytest.skip("options change what the rules may do")
    if case.suffix == ".txt":  # (the nothing-lost count reads text files)
        assert not lost_words(text), case.name
    result = run(text, name=case.name)
    story = result.story
    notes: list[tuple[Note, int]] = []  # each set-apart block, with the words around it
    everything = [b for c in story.chapters for b in c.blocks]
    everything += [*story.front_notes, *story.end_notes]
    for n in (*story.front_notes, *story.end_notes):
        notes.append((n, everything))
    for ch in story.chapters:
        notes += [(b, ch.blocks) for b in ch.blocks if isinstance(b, Note)]
        if case.stem not in NOTES_ONLY and len(story.chapters) > 1:
            assert any(not isinstance(b, (Note, SceneBreak)) for b in ch.blocks), \
                f"{case.name}: chapter {ch.title!r} has no story text left"
    for note, around in notes:
        size = count_words(note)
        assert not shape.too_long(size, around), f"{case.name}: a {size}-word note set apart"
        reported = [d for d in result.diagnostics if d.line == note.line and f"{size} words" in d.message]
        assert reported, f"{case.name}: note at line {note.line} ({size} words) not in the log"
