"""The compiled converter (ficbook.native): built by mypyc, used only for the very source
it was built from, and giving what the Python source gives, book for book."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ficbook import native

ROOT = Path(__file__).resolve().parents[1]


def _env(cache: Path, on: bool) -> dict[str, str]:
    env = {**os.environ, "FICBOOK_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    env["FICBOOK_NATIVE"] = "" if on else "off"
    return env


def _loaded(cache: Path, on: bool = True) -> bool:
    out = subprocess.run([sys.executable, "-c", "import ficbook.convert.pipeline, ficbook.native as n; "
                          "print(n.loaded())"], env=_env(cache, on), capture_output=True, text=True,
                         check=True)
    return out.stdout.strip() == "True"


def test_the_key_follows_every_python_file_s_bytes_not_its_time(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "ficbook"
    shutil.copytree(native.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data", "*.ttf", "*.otf"))
    monkeypatch.setattr(native, "PACKAGE", copy)
    key = native.source_key()
    os.utime(copy / "cli" / "app.py", (1, 1))
    assert native.source_key() == key  # a touch alone
    # a module that is not compiled still counts: compiled code relies on its types
    (copy / "cli" / "app.py").write_text((copy / "cli" / "app.py").read_text() + "\n# edited\n")
    assert native.source_key() != key
    assert native.module_name("convert/rules/notes.py") == "ficbook.convert.rules.notes"


def test_without_a_finished_build_the_source_runs(tmp_path: Path) -> None:
    assert not _loaded(tmp_path)  # no build at all
    where = tmp_path / "native" / subprocess.run(
        [sys.executable, "-c", "import ficbook.native as n; print(n.source_key())"],
        env=_env(tmp_path, True), capture_output=True, text=True, check=True).stdout.strip()
    (where / "ficbook").mkdir(parents=True)  # a build interrupted before it was renamed into place
    assert not _loaded(tmp_path)
    # a finished build whose library is damaged: said once, and the source runs
    (where / "complete").write_text("")
    import importlib.machinery

    (where / f"{native.GROUP}__mypyc{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a library")
    run = subprocess.run([sys.executable, "-c", "import ficbook.convert.pipeline, ficbook.native as n; "
                          "print(n.loaded())"], env=_env(tmp_path, True), capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith("ficbook: warning: the compiled converter in ") and "running as Python" in line


def _compiler() -> bool:
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return False
    return shutil.which("cc") is not None or shutil.which("gcc") is not None


@pytest.mark.skipif(not _compiler() and os.environ.get("CI") != "true",
                    reason="no C compiler or mypyc here (under CI=true this fails instead)")
def test_the_compiled_converter_gives_the_source_s_stories_and_books(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # --opt 0: the C unoptimised, built in a third of the time; what the code does is the same
    subprocess.run([sys.executable, "-m", "ficbook.nativebuild", "--opt", "0"], env=_env(cache, True),
                   check=True, capture_output=True)
    assert _loaded(cache) and not _loaded(cache, on=False)
    runs = {}
    for on in (True, False):  # both at once: the suite leaves the second core idle
        digests, books = tmp_path / f"digests-{on}.json", tmp_path / f"books-{on}"
        runs[on] = (digests, books, [
            subprocess.Popen([sys.executable, str(ROOT / "bench" / "same.py"), "--synth", "0",
                              "--settings", "default", "--out", str(digests),
                              "--work", str(tmp_path / f"work-{on}")],
                             env=_env(cache, on), stdout=subprocess.PIPE, stderr=subprocess.STDOUT),
            # compiled, with two workers: what they send back (books, stories) is pickled
            subprocess.Popen([sys.executable, "-m", "ficbook", "build", str(ROOT / "recipes"), "--out", str(books),
                              "--quiet", "--force", "--jobs", "2" if on else "1"], env=_env(cache, on),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)])
    for _digests, _books, procs in runs.values():
        for proc in procs:
            out, _ = proc.communicate(timeout=600)
            assert proc.returncode == 0, out.decode()
    assert runs[True][0].read_text() == runs[False][0].read_text()
    compiled = {p.name: p.read_bytes() for p in runs[True][1].glob("*.epub")}
    source = {p.name: p.read_bytes() for p in runs[False][1].glob("*.epub")}
    assert len(source) == len(list((ROOT / "recipes").glob("*.yaml"))) and compiled == source
    # what workers send back: the model's classes, compiled, through the wire and plain pickle
    # (a worker's chunk or cover that fails to send is made again here: bytes cannot show it)
    probe = ("import sys; from pathlib import Path; from ficbook.batch import wire; import ficbook.native as n; "
             "from ficbook.convert import ConvertOptions; from ficbook.readers import read_story; "
             "from ficbook.readers.source import read_source; "
             "r = read_story(read_source(Path(sys.argv[1]), display='s'), ConvertOptions()); "
             "import pickle; assert n.loaded() and wire.loads(wire.dumps(r)) == r; "
             # a worker's drawn cover comes back through plain pickle (the pool's pipe)
             "assert pickle.loads(pickle.dumps(r)) == r; print('same')")
    story = sorted((ROOT / "stories").glob("*.txt"))[0]
    sent = subprocess.run([sys.executable, "-c", probe, str(story)], env=_env(cache, True), cwd=tmp_path,
                          capture_output=True, text=True)
    assert sent.stdout.strip() == "same", sent.stderr
    # one book alone on two workers is cut into chunks, sent back through the wire
    chunked = tmp_path / "chunked"
    subprocess.run([sys.executable, "-m", "ficbook", "build", str(ROOT / "recipes" / "spuffy.yaml"), "--out",
                    str(chunked), "--quiet", "--force", "--jobs", "2"], env=_env(cache, True), check=True,
                   capture_output=True)
    assert (chunked / "spuffy.epub").read_bytes() == source["spuffy.epub"]
