"""Batch builds: parallel equals serial byte for byte, failures stay contained, Ctrl-C
leaves no partial book."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ficbook.batch import pool as batch
from ficbook.build import BuildOptions, build
from ficbook.errors import ExitCode

# No EPUBCheck here: the parallel books equal build()'s byte for byte, and test_samples
# checks build()'s books.
from tests.conftest import ROOT


def make_shelf(root: Path) -> Path:
    """A copy of the sample recipes, stories and covers: tests never touch the repo."""
    for name in ("recipes", "stories", "covers"):
        shutil.copytree(ROOT / name, root / name)
    for p in (root / "stories").rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return root


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_shelf(tmp_path_factory.mktemp("shelf"))


@pytest.fixture(scope="module")
def both(shelf: Path) -> tuple[list[Path], list[Path]]:
    """The sample recipes built one by one with build(), and as a batch with --jobs 2."""
    recipes = sorted((shelf / "recipes").glob("*.yaml"))
    serial = [build(r, BuildOptions(out_dir=shelf / "serial")).output for r in recipes]
    outcomes = batch.run(recipes, batch.Job(out_dir=shelf / "parallel", jobs=2, force=True))
    assert [o.status for o in outcomes] == ["built"] * len(recipes), [o.error for o in outcomes]
    return serial, [o.output for o in outcomes]


def test_parallel_equals_serial_byte_for_byte(both):
    serial, parallel = both
    assert [p.name for p in serial] == [p.name for p in parallel]
    for a, b in zip(serial, parallel):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between serial and parallel"


def test_outcomes_carry_the_figures_and_stages(shelf: Path):
    recipe = shelf / "recipes" / "spuffy.yaml"
    seen: list[tuple[Path, str]] = []

    class Spy:
        def stage(self, r: Path, stage: str) -> None:
            seen.append((r, stage))

        def finished(self, outcome) -> None:
            pass

    [o] = batch.run([recipe], batch.Job(out_dir=shelf / "figures", force=True), Spy())
    assert (o.status, o.stories) == ("built", 2)
    assert o.words > 3000 and o.size == o.output.stat().st_size
    from ficbook.build import STAGES
    assert [s for _, s in seen] == list(STAGES)
    assert [name for name, _ in o.stages] == list(STAGES)
    assert abs(sum(t for _, t in o.stages) - o.seconds) < 0.05


def test_a_broken_recipe_and_a_broken_story_do_not_stop_the_others(tmp_path: Path):
    shelf = make_shelf(tmp_path)
    (shelf / "recipes" / "bad.yaml").write_text(
        "title: Bad\nsubtitle: x\ntitle: Again\nstories:\n  - path: ../stories/a.txt\n", "utf-8")
    (shelf / "recipes" / "gone.yaml").write_text(
        "title: Gone\nstories:\n  - path: ../stories/nowhere.txt\n", "utf-8")
    samples = sorted(p.stem for p in (ROOT / "recipes").glob("*.yaml"))  # the sample recipes
    recipes, missing = batch.expand([shelf / "recipes"])
    assert not missing and len(recipes) == len(samples) + 2
    outcomes = batch.run(recipes, batch.Job(out_dir=shelf / "out", jobs=2))
    by = {o.recipe.stem: o for o in outcomes}
    assert {k: o.status for k, o in by.items()} == {
        "bad": "failed", "gone": "failed", **{name: "built" for name in samples}}
    assert by["bad"].exit_code == ExitCode.RECIPE
    assert "bad.yaml:3:" in by["bad"].error  # the file and the line
    assert by["gone"].exit_code == ExitCode.STORY and "nowhere.txt" in by["gone"].error
    for name in samples:
        assert zipfile.ZipFile(shelf / "out" / f"{name}.epub").testzip() is None
    assert not (shelf / "out" / "bad.epub").exists()
    assert batch.exit_code(outcomes) == ExitCode.FAILED  # two kinds of failure


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path):
    shelf = make_shelf(tmp_path)
    (shelf / "recipes" / "a-bad.yaml").write_text("title: [\n", "utf-8")
    recipes, _ = batch.expand([shelf / "recipes"])
    outcomes = batch.run(recipes, batch.Job(out_dir=shelf / "out", jobs=1, fail_fast=True))
    assert [o.status for o in outcomes] == ["failed"] + ["cancelled"] * (len(recipes) - 1)
    assert batch.exit_code(outcomes) == ExitCode.RECIPE
    assert not list(shelf.glob("out/*.epub"))


def test_two_recipes_writing_the_same_book_is_an_error(tmp_path: Path):
    shelf = make_shelf(tmp_path)
    (shelf / "more").mkdir()
    shutil.copy(shelf / "recipes" / "spuffy.yaml", shelf / "more" / "spuffy.yaml")
    text = (shelf / "more" / "spuffy.yaml").read_text("utf-8").replace("../stories", "../stories")
    (shelf / "more" / "spuffy.yaml").write_text(text, "utf-8")
    outcomes = batch.run([shelf / "recipes" / "spuffy.yaml", shelf / "more" / "spuffy.yaml"],
                         batch.Job(out_dir=shelf / "out"))
    assert [o.status for o in outcomes] == ["built", "failed"]
    assert "writes the same book as" in outcomes[1].error


def test_expand_files_folders_and_globs(tmp_path: Path):
    shelf = make_shelf(tmp_path)
    (shelf / "recipes" / "extra.yml").write_text("title: X\nstories:\n  - path: ../stories/a.txt\n")
    paths, missing = batch.expand([shelf / "recipes" / "spuffy.yaml", shelf / "recipes",
                                   str(shelf / "recipes" / "b*.yaml"), str(shelf / "none" / "*.yaml")])
    assert [p.name for p in paths] == ["spuffy.yaml", "bangel.yaml", "everything.yaml",
                                       "extra.yml", "formats.yaml", "phares.yaml"]
    assert len(missing) == 1 and "no recipe matches" in missing[0].error
    assert missing[0].exit_code == ExitCode.RECIPE


def test_a_story_several_books_share_is_converted_once_per_run_with_two_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import ficbook.convert
    import ficbook.readers

    # Four books on two workers, each with a story of its own (long enough that both
    # workers get books) and the same shared one.
    (tmp_path / "stories").mkdir()
    (tmp_path / "recipes").mkdir()
    samples = sorted((ROOT / "stories").glob("*.txt"))
    (tmp_path / "stories" / "shared.txt").write_bytes(samples[1].read_bytes())
    body = samples[0].read_text("utf-8")
    for i in range(4):
        (tmp_path / "stories" / f"own{i}.txt").write_text("\n\n* * *\n\n".join([body] * 20), "utf-8")
        (tmp_path / "recipes" / f"r{i}.yaml").write_text(
            f"title: Book {i}\nstories:\n  - path: ../stories/own{i}.txt\n"
            "  - path: ../stories/shared.txt\n", "utf-8")
    log = tmp_path / "converted.txt"
    real = ficbook.readers.read_story

    def counted(source, options=ficbook.convert.ConvertOptions()):  # noqa: ANN001, ANN202
        # the workers are forked after this is patched in: they log here too
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {source.path.name}\n")
        return real(source, options)

    monkeypatch.setattr(ficbook.readers, "read_story", counted)
    recipes = sorted((tmp_path / "recipes").glob("*.yaml"))
    outcomes = batch.run(recipes, batch.Job(out_dir=tmp_path / "out", jobs=2))
    assert [o.status for o in outcomes] == ["built"] * 4, [o.error for o in outcomes]
    converted = [line.split() for line in log.read_text("utf-8").splitlines()]
    assert sorted(name for _, name in converted) == ["own0.txt", "own1.txt", "own2.txt",
                                                     "own3.txt", "shared.txt"]
    assert len({pid for pid, name in converted if name != "shared.txt"}) == 2  # both workers


# ---------------------------------------------------------------------- Ctrl-C


def big_shelf(root: Path, books: int = 6, copies: int = 100) -> Path:
    """Recipes slow enough to interrupt: each story is a sample repeated `copies` times.
    After the first book, five are left: seconds of work on a loaded machine, so the
    signal always lands mid-build however fast a book gets."""
    (root / "stories").mkdir(parents=True)
    (root / "recipes").mkdir()
    samples = sorted((ROOT / "stories").glob("*.txt"))
    for b in range(books):
        lines = [f"title: Big {b}", "stories:"]
        for i, sample in enumerate(samples[:3]):
            body = sample.read_text("utf-8").strip()
            story = root / "stories" / f"big{b}-{i}.txt"
            story.write_text("\n\n* * *\n\n".join([body] * copies) + "\n", "utf-8")
            lines.append(f"  - path: ../stories/{story.name}")
        (root / "recipes" / f"big{b}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return root


@pytest.mark.parametrize(("jobs", "sig"), [("1", signal.SIGINT), ("2", signal.SIGINT),
                                         ("2", signal.SIGTERM)])
def test_ctrl_c_exits_130_sigterm_143_and_no_partial_book(tmp_path: Path, jobs: str, sig: int):
    shelf = big_shelf(tmp_path)
    out = shelf / "out"
    log = shelf / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "ficbook", "build", str(shelf / "recipes"),
                                 "-o", str(out), "--jobs", jobs],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        # Interrupt as soon as the first book is written: the others are mid-build.
        deadline = time.monotonic() + 60
        while " built " not in log.read_text() and proc.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.01)
        proc.send_signal(sig)
        proc.wait(timeout=30)
    stderr = log.read_text()
    # SIGTERM stops a build as Ctrl-C does, and exits as a terminated program (128 + 15)
    code, word = (ExitCode.INTERRUPTED, "interrupted") if sig == signal.SIGINT else (143, "terminated")
    assert proc.returncode == code, stderr
    assert f"ficbook: {word}" in stderr and "Traceback" not in stderr
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []
    books = list(out.glob("*.epub"))
    assert 1 <= len(books) < 6
    for book in books:  # every book there is whole
        assert zipfile.ZipFile(book).testzip() is None
