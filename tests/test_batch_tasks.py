"""One executor for stories and books (issue 20): a big book's stories are converted by
every worker, and the book is the same, byte for byte, whatever the number of workers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ficbook.batch import pool as batch
from ficbook.batch import schedule, wire
from ficbook.batch.one import _Plan
from tests.conftest import ROOT

SAMPLES = sorted((ROOT / "stories").glob("*.txt"))


def big_book(root: Path, copies: int = 3) -> Path:
    """One recipe with many stories: every sample text, each `copies` times under its own
    name (so each is converted on its own), the formats (Word, ODF, Markdown, FB2), parts,
    and notes in an appendix."""
    (root / "stories").mkdir(parents=True)
    shutil.copytree(ROOT / "stories" / "formats", root / "stories" / "formats")
    shutil.copytree(ROOT / "covers", root / "covers")
    names = []
    for n in range(copies):
        for sample in SAMPLES:
            name = f"{sample.stem}-{n}.txt"
            (root / "stories" / name).write_bytes(sample.read_bytes())
            names.append(name)
    formats = ["lighthouse-ledger.docx", "seven-bridges.odt", "clockmakers-cat.md", "winter-post.fb2"]
    lines = ["title: Many Hands", "editor: The Test Shelf", "date: 2024-05-01", "notes: appendix", "parts:",
             "  - title: Text", "    stories:"]
    lines += [f"      - path: ../stories/{name}" for name in names]
    lines += ["  - title: Other formats", "    stories:"]
    lines += [f"      - path: ../stories/formats/{name}" for name in formats]
    (root / "recipes").mkdir()
    recipe = root / "recipes" / "many.yaml"
    recipe.write_text("\n".join(lines) + "\n", "utf-8")
    return recipe


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_book(tmp_path_factory.mktemp("big"))


def test_one_book_is_the_same_with_one_two_and_four_workers(book: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    import ficbook.convert
    import ficbook.readers

    log = tmp_path / "converted.txt"
    real = ficbook.readers.read_story

    def counted(source, options=ficbook.convert.ConvertOptions()):  # noqa: ANN001, ANN202
        with open(log, "a", encoding="utf-8") as fh:  # the forked workers write here too
            fh.write(f"{os.getpid()} {source.path.name}\n")
        return real(source, options)

    monkeypatch.setattr(ficbook.readers, "read_story", counted)
    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)  # small stories: several chunks all the same
    made = {}
    for jobs in (1, 2, 4):
        log.write_text("")
        [outcome] = batch.run([book], batch.Job(out_dir=tmp_path / f"j{jobs}", jobs=jobs, force=True))
        assert outcome.status == "built", outcome.error
        made[jobs] = outcome.output.read_bytes()
        converted = [line.split() for line in log.read_text("utf-8").splitlines()]
        stories = len(SAMPLES) * 3 + 4
        assert sorted(name for _, name in converted) == sorted({name for _, name in converted})
        assert len(converted) == stories  # each once
        processes = {pid for pid, _ in converted}
        assert len(processes) == 1 if jobs == 1 else len(processes) >= 2  # the work was shared out
    assert made[1] == made[2] == made[4]


def test_a_shelf_of_small_books_is_built_book_by_book_and_a_big_one_in_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from ficbook.recipe import load_recipe

    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)
    recipe = big_book(tmp_path / "big")
    plans = {recipe: _Plan(load_recipe(recipe), (), frozenset())}
    work = schedule.plan([recipe], batch.Job(), plans, 2)
    chunks = [t for t in work.tasks if not t.book]
    assert len(chunks) >= 2 and not [t for t in work.tasks if t.book]
    in_chunks = [s.path for t in chunks for s in t.stories]
    assert len(in_chunks) == len(set(in_chunks)) == len(SAMPLES) * 3 + 4
    assert work.split == {recipe: {t.id for t in chunks}}
    # A shelf of four books of the same size: none is more than its share, so each is one task.
    shelf = []
    for b in range(4):
        shelf.append(tmp_path / "big" / "recipes" / f"small{b}.yaml")
        shelf[-1].write_text(f"title: Small {b}\nstories:\n  - path: ../stories/{SAMPLES[0].stem}-{b % 3}.txt\n"
                             f"  - path: ../stories/{SAMPLES[1].stem}-{b % 3}.txt\n", "utf-8")
    plans = {r: _Plan(load_recipe(r), (), frozenset()) for r in shelf}
    work = schedule.plan(shelf, batch.Job(), plans, 2)
    assert [t.book for t in work.tasks] == [True] * len(shelf)
    assert work.split == {}


def test_a_big_book_s_chunks_get_smaller_toward_the_end():
    # The run ends with its last chunk, and a worker has its next one queued already: the
    # last chunks are the smallest, so no process waits long for another's.
    from ficbook.batch.tasks import StoryTask
    from ficbook.convert import ConvertOptions

    stories = [StoryTask(f"s{i}.txt", f"s{i}.txt", ConvertOptions(), 48_000, i + 1) for i in range(2000)]
    groups = schedule._groups(stories, 2, 96_000_000)
    sizes = [sum(s.size for s in g) for g in groups]
    assert [s for g in groups for s in g] == stories  # every story once, in order
    assert sizes[0] >= schedule.CHUNK_MAX and sizes[-2] <= schedule.CHUNK_MIN + 48_000
    assert all(a >= b - 48_000 for a, b in zip(sizes, sizes[1:])), sizes  # never bigger by more than a story
    assert len(groups) < 100  # and not so many that sending them costs


def test_converted_stories_travel_unchanged():
    from ficbook.build import convert_story
    from ficbook.recipe import load_recipe

    for name in ("everything.yaml", "formats.yaml"):
        recipe = load_recipe(ROOT / "recipes" / name)
        results = [convert_story(recipe, e) for e in recipe.all_stories]
        back = wire.loads(wire.dumps(results))
        assert back == results
        assert [type(b) for r in back for c in r.story.chapters for b in c.blocks] == \
               [type(b) for r in results for c in r.story.chapters for b in c.blocks]


def test_a_worker_killed_while_converting_a_big_book_s_stories_fails_that_book_cleanly(tmp_path: Path):
    import contextlib
    import json
    import signal
    import subprocess
    import sys
    import time
    import zipfile

    from tests.hostile.test_signals import children

    (tmp_path / "stories").mkdir()
    body = SAMPLES[0].read_text("utf-8").strip()
    lines = ["title: Long", "stories:"]
    # Seconds of converting, in several chunks on each worker: enough that the run is
    # still converting 0.3 s after its worker starts (60 copies a story were not, once the
    # book's tail got faster).
    for i in range(12):
        (tmp_path / "stories" / f"s{i}.txt").write_text("\n\n* * *\n\n".join([body] * 150) + "\n", "utf-8")
        lines.append(f"  - path: ../stories/s{i}.txt")
    (tmp_path / "recipes").mkdir()
    (tmp_path / "recipes" / "long.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "ficbook", "build", str(tmp_path / "recipes"), "-o", str(out),
                             "--jobs", "2", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not children(proc.pid):  # one book: this process converts too, beside one worker
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # converting its first chunk
    while not (kids := children(proc.pid)):  # (a short-lived child may have come and gone)
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.kill(kids[0], signal.SIGKILL)
    try:
        stdout, stderr = proc.communicate(timeout=120)
    finally:  # a hung run (the pool reading half a message once did) must not outlive the test
        for pid in [*children(proc.pid), proc.pid]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert stdout, stderr
    [book] = json.loads(stdout)["books"]
    assert "Traceback" not in stderr and "internal error" not in stderr
    if book["status"] == "failed":  # the worker held one of its chunks
        assert "the build process died: killed by SIGKILL" in book["error"] and proc.returncode == 1
        assert not list(out.glob("*.epub"))
    else:  # it was between two chunks: the others went to a fresh pool
        assert book["status"] == "built" and proc.returncode == 0
        assert zipfile.ZipFile(out / "long.epub").testzip() is None
    assert [p.name for p in out.rglob("*.part")] == []


def test_a_book_cut_into_volumes_is_the_same_with_one_and_two_workers(book: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    # Volumes are cut from the stories themselves: its chunks come back converted, not as pieces.
    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)
    made = {}
    for jobs in (1, 2):
        [outcome] = batch.run([book], batch.Job(out_dir=tmp_path / f"j{jobs}", jobs=jobs, force=True, split_mb=0.15))
        assert outcome.status == "built", outcome.error
        made[jobs] = {p.name: p.read_bytes() for p in sorted((tmp_path / f"j{jobs}").glob("*.epub"))}
    assert len(made[1]) >= 2 and made[1] == made[2]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_parses_each_recipe_once(jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import ficbook.build
    import ficbook.recipe

    log = tmp_path / "parsed.txt"
    real = ficbook.recipe.load_recipe

    def counted(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        with open(log, "a", encoding="utf-8") as fh:  # forked workers write here too
            fh.write(f"{Path(path).name}\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ficbook.recipe, "load_recipe", counted)
    monkeypatch.setattr(ficbook.build, "load_recipe", counted)
    shelf = [ROOT / "recipes" / name for name in ("spuffy.yaml", "bangel.yaml", "phares.yaml")]
    outcomes = batch.run(shelf, batch.Job(out_dir=tmp_path / "out", jobs=jobs, force=True))
    assert [o.status for o in outcomes] == ["built"] * 3
    assert sorted(log.read_text("utf-8").split()) == ["bangel.yaml", "phares.yaml", "spuffy.yaml"]


DRAWN = "FICBOOK_TEST_DRAWN"  # the log of covers drawn, inherited by forked workers


def _logged_draw(text, options, base_dir=None):  # noqa: ANN001, ANN202 - ficbook.cover.draw, logged
    from ficbook.cover.render import render_cover

    with open(os.environ[DRAWN], "a", encoding="utf-8") as fh:
        fh.write(f"{text.title}\n")
    return render_cover(text, options, base_dir)


def test_the_recipe_gives_an_edited_book_s_cover_words_before_any_story_is_read():
    from ficbook.build import cover_ahead, cover_text, read_book
    from ficbook.recipe import load_recipe

    recipe = load_recipe(ROOT / "recipes" / "phares.yaml")  # French: the labels and typography are its own
    assert recipe.editor and cover_ahead(recipe) == cover_text(read_book(recipe))
    assert cover_ahead(recipe.model_copy(update={"editor": None})) is None  # the cover names authors then
    assert cover_ahead(recipe.model_copy(update={"editor": "  "})) is None


@pytest.mark.parametrize("same_words", [True, False])
def test_a_big_book_s_cover_is_drawn_while_its_stories_are_converted(
        same_words: bool, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import dataclasses

    import ficbook.build
    import ficbook.cover

    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)
    [alone] = batch.run([book], batch.Job(out_dir=tmp_path / "j1", jobs=1, force=True))
    log = tmp_path / "drawn.txt"
    monkeypatch.setenv(DRAWN, str(log))
    monkeypatch.setattr(ficbook.cover, "draw", _logged_draw)
    if not same_words:  # the book's words turn out other than the recipe's: that drawing is not used
        real = ficbook.build.cover_ahead
        monkeypatch.setattr(ficbook.build, "cover_ahead",
                            lambda recipe: dataclasses.replace(real(recipe), title="Other Words"))
    [outcome] = batch.run([book], batch.Job(out_dir=tmp_path / "j2", jobs=2, force=True))
    assert outcome.status == "built", outcome.error
    assert outcome.output.read_bytes() == alone.output.read_bytes()
    # drawn once, ahead; or ahead from the other words, then again (by the idle worker)
    drawn = log.read_text("utf-8").splitlines()
    assert drawn == (["Many Hands"] if same_words else ["Other Words", "Many Hands"])


def test_a_chunk_that_comes_back_without_its_stories_is_converted_here_and_said(
        book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)
    [alone] = batch.run([book], batch.Job(out_dir=tmp_path / "j1", jobs=1, force=True))

    def full(obj):  # noqa: ANN001, ANN202 - the forked workers' wire: /dev/shm full, say
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wire, "dumps", full)
    [outcome] = batch.run([book], batch.Job(out_dir=tmp_path / "j2", jobs=2, force=True))
    assert outcome.status == "built", outcome.error
    assert outcome.output.read_bytes() == alone.output.read_bytes()
    said = [d for d in outcome.diagnostics if "[chunk-redone]" in d]
    assert said and all(d.startswith(f"{book}: warning: a worker's chunk came back without its stories, "
                                     "converted here instead: ") for d in said)
    assert "(OSError: [Errno 28] No space left on device)" in said[0]


def test_the_workers_inherit_a_frozen_heap_and_the_caller_gets_it_back(
        book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """What the parent made before forking is out of the collector's reach in the workers
    (no page of it copied for a collection's sake), and a library caller's collector
    has everything back after the run."""
    import gc

    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)
    seen = tmp_path / "frozen.txt"
    real = wire.dumps

    def noting(obj):  # noqa: ANN001, ANN202 - runs in the forked worker
        with open(seen, "a") as fh:
            fh.write(f"{os.getpid()} {gc.get_freeze_count()}\n")
        return real(obj)

    monkeypatch.setattr(wire, "dumps", noting)
    [outcome] = batch.run([book], batch.Job(out_dir=tmp_path / "j2", jobs=2, force=True))
    assert outcome.status == "built", outcome.error
    counts = [int(line.split()[1]) for line in seen.read_text().splitlines()]
    assert counts and min(counts) > 10_000  # the libraries' and ficbook's objects, at least
    assert all(line.split()[0] != str(os.getpid()) for line in seen.read_text().splitlines())
    assert gc.get_freeze_count() == 0
