"""The code compiled at run time, kept between runs (`ficbook.codecache`): the second run
compiles nothing it compiled before, and what it reads back is what the compiler makes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ficbook import codecache
from tests.conftest import ROOT

# One process of a run: codecache installed, then classes, annotations and patterns made
# the way the libraries and the converter make them. It prints what it compiled anew and
# what the objects do, for the next run to compare.
RUN = r"""
import json, sys
from ficbook import codecache
codecache.install("test")
import dataclasses, re, typing

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: "tuple[str, ...]" = dataclasses.field(default_factory=tuple)

p = Point(1, ("a",))
numbered = [re.compile(rf"^Chapter {n}\b") for n in range(10)]  # enough new code to be worth writing
hint = typing.get_type_hints(Point)["y"]
patterns = [re.compile(r"(?P<word>[a-z]+)-(\d+)", re.I), re.compile(r"^\s*\*\s*\*\s*\*\s*$", re.M),
            re.compile(rb"(?x) a  b+ (?P<c>c)?"), re.compile("(?i)ÉTÉ|été"), re.compile(r"[\u2018\u2019']")]
out = {
    "missed": codecache._state["missed"],
    "point": [repr(p), p == Point(1, ("a",)), hash(Point(2)) == hash(Point(2)), str(hint)],
    "patterns": [[x.pattern if isinstance(x.pattern, str) else x.pattern.decode(), x.flags, x.groups,
                  dict(x.groupindex)] for x in patterns],
    "matches": [patterns[0].findall("Abc-12 de-3"), bool(patterns[1].search("x\n * * * \ny")),
                patterns[2].match(b"abbc").group("c").decode(), patterns[3].findall("Été ÉTÉ"),
                patterns[4].sub("'", "it\u2019s")],
}
print(json.dumps(out))
"""


def run(cache: Path) -> dict:
    env = {**os.environ, "FICBOOK_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-c", RUN], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(proc.stdout)


def kept(cache: Path) -> list[Path]:
    return sorted((cache / "code").glob("*.marshal"))


def test_second_run_compiles_nothing_and_gets_the_same_objects(tmp_path: Path) -> None:
    first = run(tmp_path)
    assert first["missed"] >= codecache._WORTH
    assert len(kept(tmp_path)) == 1
    second = run(tmp_path)
    assert second["missed"] == 0  # every method, annotation and pattern came from the file
    assert {k: v for k, v in second.items() if k != "missed"} == {k: v for k, v in first.items() if k != "missed"}
    assert second["matches"] == [[["Abc", "12"], ["de", "3"]], True, "c", ["Été", "ÉTÉ"], "it's"]


def test_a_damaged_file_is_compiled_anew_and_written_again(tmp_path: Path) -> None:
    run(tmp_path)
    [path] = kept(tmp_path)
    path.write_bytes(b"\x00 not marshal")
    again = run(tmp_path)
    assert again["missed"] >= codecache._WORTH
    assert again["matches"][0] == [["Abc", "12"], ["de", "3"]]
    assert run(tmp_path)["missed"] == 0  # rewritten whole


def test_nothing_kept_without_a_cache_folder(tmp_path: Path) -> None:
    env = {**os.environ, "FICBOOK_CACHE": "off", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", RUN], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(proc.stdout)["matches"][1] is True
    assert not list(tmp_path.rglob("*.marshal"))


def test_a_build_from_the_command_line_keeps_its_code(tmp_path: Path) -> None:
    """The command line installs it: a build's classes and patterns are kept, and the
    next run of the same command does not write it again (what it compiles anew, a
    pattern `tokenize` makes from a set, differs in every run: too little to rewrite for)."""
    env = {**os.environ, "FICBOOK_CACHE": str(tmp_path / "cache")}
    recipe = ROOT / "recipes" / "spuffy.yaml"
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "ficbook", "build", "--quiet", str(recipe), "-o",
                        str(tmp_path / "out"), "--force"], cwd=ROOT, env=env, capture_output=True, timeout=120,
                       check=True)
    [path] = kept(tmp_path / "cache")
    stamp = path.stat().st_mtime_ns
    subprocess.run([sys.executable, "-m", "ficbook", "build", "--quiet", str(recipe), "-o",
                    str(tmp_path / "out"), "--force"], cwd=ROOT, env=env, capture_output=True, timeout=120, check=True)
    assert path.stat().st_mtime_ns == stamp  # nothing new compiled: not written again


@pytest.mark.parametrize("flags", [0, re.I, re.M | re.S, re.X, re.A])
def test_a_kept_program_makes_the_pattern_the_compiler_makes(flags: int) -> None:
    source = r"""(?P<open>[«“"]) \s* (?P<text>[^»”"]+?) \s* (?P=open)? | \bChapter\s+(\d+|[IVXLC]+)\b"""
    compiled = re.compile(source, flags | re.X)
    noting = codecache._Noting(__import__("_sre"), source)
    import re._compiler as compiler

    saved = compiler._sre
    compiler._sre = noting
    try:
        compiler.compile(source, flags | re.X)
    finally:
        compiler._sre = saved
    assert noting.args is not None and all(type(op) is int for op in noting.args[1])
    again = __import__("_sre").compile(source, *noting.args)
    assert (again.pattern, again.flags, again.groups, dict(again.groupindex)) == \
        (compiled.pattern, compiled.flags, compiled.groups, dict(compiled.groupindex))
    for text in ("« Bonjour »", "Chapter XIV", "chapter 12", "“quoted”"):
        assert [m.groups() for m in again.finditer(text)] == [m.groups() for m in compiled.finditer(text)]


def test_another_pattern_compiled_meanwhile_is_not_noted_as_this_one() -> None:
    """While one pattern compiles, another thread may compile another: only the program of
    the pattern asked for is kept under its name."""
    import _sre
    import re._compiler as compiler

    noting = codecache._Noting(_sre, "mine")
    saved = compiler._sre
    compiler._sre = noting
    try:
        theirs = compiler.compile("the(irs)", 0)
    finally:
        compiler._sre = saved
    assert noting.args is None
    assert theirs.match("theirs").group(1) == "irs"


def test_first_characters_kept_by_the_walk_that_worked_them_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`convert.firstchars`' answers are kept by pattern and by the module's source: a
    changed walk works them out again."""
    from ficbook.convert import firstchars

    monkeypatch.setitem(codecache._state, "path", tmp_path / "kept.marshal")
    monkeypatch.setattr(codecache, "_kept", {})
    pattern = r"(?:Disclaimer|A/N)\s*:"
    expected = firstchars._first_regex(pattern)
    assert expected is not None and "D" in expected.upper()
    assert firstchars.first_regex(pattern) == expected
    worked = []
    real = firstchars._first_regex
    monkeypatch.setattr(firstchars, "_first_regex", lambda p: worked.append(p) or real(p))
    assert firstchars.first_regex(pattern) == expected and worked == []  # kept
    monkeypatch.setattr(firstchars, "_digest", ["another walk"])
    assert firstchars.first_regex(pattern) == expected and worked == [pattern]  # worked out again


def test_a_kept_program_the_engine_refuses_is_compiled_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    import re._compiler as compiler

    monkeypatch.setitem(codecache._state, "path", Path("/nonexistent/kept.marshal"))
    monkeypatch.setattr(codecache, "_kept", {("re", "ab+c", 0): (32, [999, 999], 0, {}, (None,))})
    monkeypatch.setattr(codecache, "_stored", {})
    compile_pattern = codecache._regex_compiler(compiler)
    pattern = compile_pattern("ab+c", 0)
    assert pattern.fullmatch("abbbc") and not pattern.fullmatch("ac")
    assert codecache._kept[("re", "ab+c", 0)][1] != [999, 999]  # the compiler's program kept instead
