"""`ficbook build --scheduler` (issue 20): the same tasks on a Dask cluster, here a
LocalCluster of two workers (threads of this process) started by the test."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ficbook.batch import pool as batch
from ficbook.batch import schedule
from ficbook.errors import ExitCode
from tests.conftest import ROOT
from tests.test_batch import big_shelf, make_shelf
from tests.test_batch_tasks import big_book

distributed = pytest.importorskip("distributed")  # `make test` installs ficbook[dask]


@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       protocol="tcp", host="127.0.0.1", dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def scheduler(cluster) -> str:  # noqa: ANN001
    return cluster.scheduler_address


def test_a_cluster_build_gives_the_local_build_s_bytes(scheduler: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    shelf = make_shelf(tmp_path / "shelf")
    big = big_book(tmp_path / "big")
    monkeypatch.setattr(schedule, "CHUNK_MIN", 16_000)  # the big book goes in several chunks
    recipes = [big, *sorted((shelf / "recipes").glob("*.yaml"))]
    local = batch.run(recipes, batch.Job(out_dir=tmp_path / "local", jobs=1))
    seen: list[str] = []

    class Spy:
        def stage(self, recipe: Path, stage: str) -> None:
            pass

        def finished(self, outcome) -> None:  # noqa: ANN001
            seen.append(outcome.recipe.name)

    remote = batch.run(recipes, batch.Job(out_dir=tmp_path / "cluster", scheduler=scheduler), Spy())
    assert [o.status for o in remote] == ["built"] * len(recipes), [o.error for o in remote]
    assert sorted(seen) == sorted(r.name for r in recipes)  # progress, one line per book
    assert [o.recipe for o in remote] == recipes
    for a, b in zip(local, remote):
        assert a.output.name == b.output.name and a.output.read_bytes() == b.output.read_bytes(), a.output.name
    # The cache works across the two: nothing changed, nothing is built again.
    again = batch.run(recipes, batch.Job(out_dir=tmp_path / "cluster", scheduler=scheduler))
    assert [o.status for o in again] == ["unchanged"] * len(recipes)


def test_ctrl_c_during_a_cluster_build_leaves_no_partial_book(cluster, scheduler: str, tmp_path: Path):  # noqa: ANN001
    shelf = big_shelf(tmp_path)
    out = shelf / "out"
    log = shelf / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "ficbook", "build", str(shelf / "recipes"),
                                 "-o", str(out), "--scheduler", scheduler],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 60
        while " built " not in log.read_text() and proc.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    stderr = log.read_text()
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert "ficbook: interrupted" in stderr and "Traceback" not in stderr
    # A book a worker was writing when the futures were cancelled is finished whole: once
    # the workers run nothing more (a cancelled task that runs runs to its end; a pause
    # between two files of one book once passed for the end), nothing is left half written.
    deadline = time.monotonic() + 60
    while any(w.state.executing_count for w in cluster.workers.values()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert [p.name for p in out.rglob("*.part")] == []
    books = list(out.glob("*.epub"))
    assert 1 <= len(books) < 6
    for book in books:
        assert zipfile.ZipFile(book).testzip() is None


def test_no_scheduler_at_the_address_is_one_line_and_nothing_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from typer.testing import CliRunner

    from ficbook.cli.app import app

    def refuse(address, **kw):  # noqa: ANN001, ANN003, ANN202
        raise OSError(f"Timed out trying to connect to {address} after 10 s")

    monkeypatch.setattr(distributed, "Client", refuse)
    shelf = make_shelf(tmp_path)
    result = CliRunner().invoke(app, ["build", str(shelf / "recipes" / "spuffy.yaml"), "-o", str(tmp_path / "out"),
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == ExitCode.FAILED
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["ficbook: no Dask scheduler at tcp://127.0.0.1:9: Timed out trying to connect to "
                     "tcp://127.0.0.1:9 after 10 s"], result.stderr
    assert not (tmp_path / "out").exists()
