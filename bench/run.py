"""ficbook's benchmark: a synthetic library, per-stage timings, MB/s, peak memory,
--jobs 1 vs 2, a no-change rebuild, and pandoc on the same stories when installed.

    .venv/bin/python bench/run.py            # the full run (about a minute, plus pandoc)
    .venv/bin/python bench/run.py --quick    # a tenth of the sizes, to try the script
    .venv/bin/python bench/run.py --against REV   # also: this code against commit REV, same run

Figures only: nothing here fails for being slow (see bench/README.md for the targets).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

PY = sys.executable
ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "anthology_s": 1.5, "anthology_mbps": 7.0, "pandoc_ratio": 15.0, "peak_mb": 300,
    "library_s_per_core": 15.0, "off_line": 0.10, "jobs_speedup": 1.8, "nochange_s": 1.0,
}


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


# CPU seconds of the last child timed: on a shared machine wall time includes waiting
# for the CPU, so the bench prints both.
LAST_CPU = 0.0


def timed(cmd: list[str], pin: bool = False, **kw) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one child process."""
    global LAST_CPU
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, preexec_fn=one_core if pin else None, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    LAST_CPU = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


# The code measured: a snapshot of ficbook/ and covers/ taken at the start, so that edits
# made while the bench runs neither mix versions nor invalidate the no-change cache.
SNAPSHOT: Path | None = None


def env(code: Path | None = None) -> dict[str, str]:
    code = code or SNAPSHOT
    return {**os.environ, "PYTHONPATH": str(code)} if code else dict(os.environ)


def snapshot(work: Path, rev: str | None = None) -> Path:
    """The working tree's ficbook/ and covers/, or commit REV's (`git archive`)."""
    target = work / ("code" if rev is None else f"code-{rev}")
    shutil.rmtree(target, ignore_errors=True)
    if rev is None:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for name in ("ficbook", "covers"):
            shutil.copytree(ROOT / name, target / name, ignore=ignore)
    else:
        target.mkdir(parents=True)
        tar = subprocess.run(["git", "archive", rev, "ficbook", "covers"], cwd=ROOT, check=True,
                             capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=tar, check=True)
    # Byte-compiled, as pip leaves an installed package: with PYTHONDONTWRITEBYTECODE set
    # (this machine sets it) every run would otherwise compile ficbook's modules again.
    import compileall
    compileall.compile_dir(target / "ficbook", quiet=1)
    return target


def converter(code: Path | None = None) -> str:
    """Which converter that code runs here: compiled (a `make native` build for exactly
    this source, ficbook/native.py) or Python (any older commit: it has no such build)."""
    probe = ("import ficbook.convert.pipeline, sys; n = sys.modules.get('ficbook.native'); "
             "print(bool(n and n.loaded()))")
    # run from the code's folder: `-c` puts the current folder first on sys.path
    out = subprocess.run([sys.executable, "-c", probe], env=env(code), cwd=code or SNAPSHOT or ROOT,
                         capture_output=True, text=True)
    return "compiled (ficbook.native)" if out.stdout.strip() == "True" else "Python"


def pandoc_command(pandoc: str, work: Path, stories: list[Path]) -> list[str]:
    """pandoc making one EPUB of the stories, each as Markdown under its name as a heading
    (written once into WORK/pandoc)."""
    md = work / "pandoc"
    md.mkdir(parents=True, exist_ok=True)
    files = []
    for p in stories:
        target = md / (p.stem + ".md")
        if not target.exists():
            target.write_text(f"# {p.stem}\n\n" + p.read_text("utf-8"), "utf-8")
        files.append(str(target))
    return [pandoc, "-f", "markdown", "-o", str(md / "anthology.epub"), "--metadata", "title=Two Hundred Stories",
            *files]


def ficbook(*args: str, pin: bool = False) -> tuple[float, float, float]:
    """(wall, peak RSS MB, CPU seconds) of one `ficbook build --quiet ARGS`."""
    wall, rss, code = timed([PY, "-m", "ficbook", "build", "--quiet", *args], pin=pin,
                            cwd=SNAPSHOT or ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env())  # converter warnings: noise here
    if code != 0:
        raise SystemExit(f"ficbook build {' '.join(args)} exited {code}")
    return wall, rss, LAST_CPU


def child_build(recipe: str, out: str, trace: bool) -> None:
    """In a fresh process: one book, stage by stage; prints JSON."""
    one_core()
    import tracemalloc

    try:
        from ficbook.batch.memo import StoryMemo
        from ficbook.batch.pool import Job, build_one
    except ImportError:  # --against a commit before the package layout of issue 12
        from ficbook.batch import Job, build_one  # type: ignore[no-redef]
        from ficbook.cache import StoryMemo  # type: ignore[no-redef]

    import importlib

    import ficbook.build  # noqa: F401  (imports are in the end-to-end figure, not here)

    # and the modules a build imports only when it first needs them (the text reader), in
    # each layout the code has had: the stage figures then time the same work in both
    # (and the cover's and the package's libraries, imported by ficbook.build until session 3)
    for name in ("ficbook.readers.text.reader", "ficbook.readers.layouts", "ficbook.convert.text",
                 "ficbook.cover.render", "ficbook.epub.package"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    if trace:
        tracemalloc.start()
    marks: list[tuple[str, float]] = []
    start, cpu = time.perf_counter(), time.process_time()
    outcome = build_one(Path(recipe), Job(out_dir=Path(out)), "bench", StoryMemo(),
                        lambda stage: marks.append((stage, time.process_time())))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    ends = [t for _, t in marks[1:]] + [time.process_time()]
    stage_cpu = {name: end - t for (name, t), end in zip(marks, ends)}
    if outcome.status != "built":
        raise SystemExit(f"{recipe}: {outcome.error}")
    result = {"wall": wall, "cpu": cpu, "stages": dict(outcome.stages), "stage_cpu": stage_cpu,
              "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if trace:
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    print(json.dumps(result))


def in_process(recipe: Path, out: Path, trace: bool = False, code: Path | None = None) -> dict:
    code = code or SNAPSHOT
    text = subprocess.run([PY, __file__, "--child", str(recipe), str(out)] + (["--trace"] if trace else []),
                          check=True, capture_output=True, text=True, cwd=code or ROOT,
                          env=env(code)).stdout
    return json.loads(text.strip().splitlines()[-1])


def against(rev: str, work: Path, recipe: Path, mb_in: float, repeat: int) -> None:
    """This code and commit REV's on the same anthology, alternated (so other work on the
    machine weighs on both alike), best CPU time of each, stage by stage."""
    old = snapshot(work, rev)
    runs: dict[str, list[dict]] = {"this": [], rev: []}
    for _ in range(repeat):
        runs["this"].append(in_process(recipe, work / "out-this"))
        runs[rev].append(in_process(recipe, work / "out-old", code=old))
    new_best, old_best = (min(runs[k], key=lambda r: r["cpu"]) for k in ("this", rev))
    print(f"against {rev} (anthology {mb_in:.1f} MB, in process, one core, best CPU of {repeat}, alternated; "
          f"converter: this {converter()}, {rev[:12]} {converter(old)}):")
    print(f"  {'stage':<9} {rev[:12]:>12}  {'this':>9}")
    for stage in old_best["stage_cpu"]:
        print(f"  {stage:<9} {old_best['stage_cpu'][stage]:10.3f} s  {new_best['stage_cpu'].get(stage, 0):7.3f} s")
    ratio = new_best["cpu"] / old_best["cpu"]
    print(f"  {'total':<9} {old_best['cpu']:10.3f} s  {new_best['cpu']:7.3f} s  this / {rev[:12]} = x{ratio:.3f} "
          f"({'within' if ratio <= 1.10 else 'OVER'} the 10% allowed)\n")


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ficbook-bench")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each anthology figure (best kept)")
    ap.add_argument("--shelf-repeat", type=int, default=2, help="runs of each shelf figure (best kept)")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--against", metavar="REV", help="also measure commit REV's code on the anthology")
    ap.add_argument("--only-against", action="store_true", help="with --against: only that comparison")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child_build(*args.child, args.trace)

    global SNAPSHOT
    scale = 10 if args.quick else 1
    work = args.work
    SNAPSHOT = snapshot(work)
    load = os.getloadavg()[0]
    print(f"ficbook bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}, work in {work}, "
          f"load average {load:.1f} at the start" + (" (other work running: figures are noisy)" if load > 0.5 else ""))
    print(f"converter: {converter()}")

    # ---------------------------------------------------------------- the library
    t = time.perf_counter()
    a_stories = synth.make_stories(work / "one" / "stories", 200 // scale, 55_000)
    full = synth.write_recipe(work / "one" / "recipes" / "anthology.yaml", "Two Hundred Stories", a_stories)
    half = synth.write_recipe(work / "one" / "recipes" / "half.yaml", "One Hundred Stories",
                              a_stories[: len(a_stories) // 2])
    quarter = synth.write_recipe(work / "one" / "recipes" / "quarter.yaml", "Fifty Stories",
                                 a_stories[: len(a_stories) // 4])
    lib_stories = synth.make_stories(work / "shelf" / "stories", 2000 // scale, 55_000, start=10_000)
    per = len(lib_stories) // 100
    for i in range(100):
        synth.write_recipe(work / "shelf" / "recipes" / f"r{i:03d}.yaml", f"Shelf {i}",
                           lib_stories[i * per:(i + 1) * per])
    a_mb, h_mb, lib_mb = mb(a_stories), mb(a_stories[: len(a_stories) // 2]), mb(lib_stories)
    q_mb = mb(a_stories[: len(a_stories) // 4])
    print(f"library made in {time.perf_counter() - t:.1f} s: anthology {len(a_stories)} stories "
          f"{a_mb:.1f} MB; shelf {len(lib_stories)} stories {lib_mb:.1f} MB in 100 recipes\n")
    out = work / "out"
    if args.against:
        against(args.against, work, full, a_mb, max(5, args.repeat))
        if args.only_against:
            return

    # ---------------------------------------------------------------- one anthology, one core
    runs = [in_process(full, out) for _ in range(args.repeat)]
    r = best(runs)
    print(f"anthology ({a_mb:.1f} MB, {len(a_stories)} stories), in process, one core, best of {args.repeat}:")
    print(f"  {'stage':<9} {'wall':>9}  {'CPU':>9}  share of CPU")
    for stage, secs in r["stages"].items():
        cpu = r["stage_cpu"].get(stage, 0.0)
        print(f"  {stage:<9} {secs:7.3f} s  {cpu:7.3f} s  {100 * cpu / r['cpu']:4.0f}%")
    print(f"  {'total':<9} {r['wall']:7.3f} s  = {a_mb / r['wall']:.1f} MB/s (CPU {r['cpu']:.3f} s); "
          f"peak RSS {r['rss_mb']:.0f} MB")
    rest = sum(t for name, t in r["stage_cpu"].items() if name not in ("convert", "cover"))
    print(f"  all but convert and cover: {rest:.3f} s CPU = {a_mb / rest:.1f} MB/s")
    traced = in_process(full, out, trace=True)
    print(f"  tracemalloc peak (Python objects): {traced['traced_mb']:.0f} MB")
    cli = [ficbook(str(full), "-o", str(out), "--force", "--jobs", "1", pin=True) for _ in range(args.repeat)]
    cli_wall, cli_rss, cli_cpu = min(cli)
    print(f"  `ficbook build --jobs 1` end to end (interpreter start included): {cli_wall:.2f} s "
          f"(CPU {cli_cpu:.2f} s) = {a_mb / cli_wall:.1f} MB/s, peak RSS {max(c[1] for c in cli):.0f} MB")

    # Linearity: the anthology's first quarter, half and whole, alternated, best of 5 each.
    sizes = {"quarter": [], "half": [], "full": [r]}
    for _ in range(max(5, args.repeat)):
        sizes["quarter"].append(in_process(quarter, out))
        sizes["half"].append(in_process(half, out))
        sizes["full"].append(in_process(full, out))
    tq, th, tf = (best(sizes[k])["cpu"] for k in ("quarter", "half", "full"))
    doubling = tf / th
    # A book has fixed costs too (its cover, the first in the process; its package), so
    # time is a + b x bytes and doubling the bytes gives less than twice the time. Linear
    # means the three sizes lie on a straight line: fitted by least squares, the furthest
    # of them from it, relative to its own time. (Differences of the times, such as "the
    # second half against the second quarter", amplify the machine's noise tenfold.)
    xs, ts = (q_mb, h_mb, a_mb), (tq, th, tf)
    mx, mt = sum(xs) / 3, sum(ts) / 3
    slope = sum((x - mx) * (t - mt) for x, t in zip(xs, ts)) / sum((x - mx) ** 2 for x in xs)
    fixed = mt - slope * mx
    off_line = max(abs(t - (fixed + slope * x)) / t for x, t in zip(xs, ts))
    print(f"  quarter / half / whole the input ({q_mb:.1f} / {h_mb:.1f} / {a_mb:.1f} MB), best of "
          f"{len(sizes['half'])}: {tq:.3f} / {th:.3f} / {tf:.3f} s CPU")
    print(f"  fitted: {fixed:.3f} s + {slope:.3f} s per MB; furthest from the line by "
          f"{100 * off_line:.1f}%; doubling (half -> whole) costs x{doubling:.2f} for "
          f"x{(a_mb / h_mb):.2f} the bytes\n")

    # ---------------------------------------------------------------- the shelf
    recipes = str(work / "shelf" / "recipes")
    lib_out = str(work / "shelf-out")
    # Alternate the two so that other work on the machine weighs on both alike.
    runs1, runs2 = [], []
    for _ in range(args.shelf_repeat):
        runs1.append(ficbook(recipes, "-o", lib_out, "--force", "--jobs", "1"))
        runs2.append(ficbook(recipes, "-o", lib_out, "--force", "--jobs", "2"))
    j1, j2 = min(runs1), min(runs2)
    ficbook(recipes, "-o", lib_out)  # whatever is not recorded yet
    nochange = min(ficbook(recipes, "-o", lib_out) for _ in range(args.repeat))
    print(f"shelf ({lib_mb:.1f} MB, {len(lib_stories)} stories, 100 recipes):")
    print(f"  --jobs 1: {j1[0]:6.2f} s (CPU {j1[2]:.2f} s) = {lib_mb / j1[0]:.1f} MB/s, peak RSS {j1[1]:.0f} MB")
    print(f"  --jobs 2: {j2[0]:6.2f} s (CPU {j2[2]:.2f} s) = {lib_mb / j2[0]:.1f} MB/s, x{j1[0] / j2[0]:.2f} faster")
    print(f"  no-change rebuild: {nochange[0]:.2f} s (CPU {nochange[2]:.2f} s)")
    print(f"  CPU seconds --jobs 2 / --jobs 1: x{j2[2] / j1[2]:.2f} (the cost of running in parallel)\n")

    # ---------------------------------------------------------------- pandoc
    pandoc = shutil.which("pandoc")
    ratio = pandoc_cpu = None
    if pandoc and not args.no_pandoc:
        wall, rss, code = timed(pandoc_command(pandoc, work, a_stories), pin=True)
        ratio, pandoc_cpu = wall / cli_wall, LAST_CPU
        print(f"pandoc CPU {LAST_CPU:.2f} s, ficbook CPU {cli_cpu:.2f} s: x{LAST_CPU / cli_cpu:.1f} by CPU time")
        print(f"pandoc {subprocess.run([pandoc, '--version'], capture_output=True, text=True).stdout.split()[1]}"
              f" on the same {len(a_stories)} stories (markdown in, one EPUB, one core): {wall:.2f} s, "
              f"peak RSS {rss:.0f} MB, exit {code}; ficbook is x{ratio:.1f} faster\n")
    else:
        print("pandoc: not installed (apt-get install pandoc), no ratio\n")

    # ---------------------------------------------------------------- against the targets
    T = TARGETS
    pandoc_cpu_ratio = pandoc_cpu / cli_cpu if ratio is not None else None
    peak = max(c[1] for c in cli)
    # (figure, wall, CPU, target, met by wall, met by CPU): on a busy machine wall time
    # includes waiting for a core; CPU time is what one free core would take.
    rows = [
        ("anthology, one core, end to end", f"{cli_wall:.2f} s", f"{cli_cpu:.2f} s", f"< {T['anthology_s']} s",
         cli_wall < T["anthology_s"], cli_cpu < T["anthology_s"]),
        ("throughput, end to end", f"{a_mb / cli_wall:.1f} MB/s", f"{a_mb / cli_cpu:.1f} MB/s",
         f">= {T['anthology_mbps']} MB/s", a_mb / cli_wall >= T["anthology_mbps"], a_mb / cli_cpu >= T["anthology_mbps"]),
        ("peak memory (RSS)", f"{peak:.0f} MB", "", f"< {T['peak_mb']} MB", peak < T["peak_mb"], peak < T["peak_mb"]),
        ("time against size, off a line (CPU)", "", f"{100 * off_line:.1f}%",
         f"<= {T['off_line']:.0%}", *[off_line <= T["off_line"]] * 2),
        ("shelf, --jobs 1", f"{j1[0]:.1f} s", f"{j1[2]:.1f} s", f"< {T['library_s_per_core']} s",
         j1[0] < T["library_s_per_core"], j1[2] < T["library_s_per_core"]),
        ("--jobs 2 vs --jobs 1", f"x{j1[0] / j2[0]:.2f}", "", f">= x{T['jobs_speedup']}",
         j1[0] / j2[0] >= T["jobs_speedup"], False),
        ("no-change rebuild, 100 recipes", f"{nochange[0]:.2f} s", f"{nochange[2]:.2f} s", f"< {T['nochange_s']} s",
         nochange[0] < T["nochange_s"], nochange[2] < T["nochange_s"]),
    ]
    if ratio is not None:
        rows.append(("faster than pandoc", f"x{ratio:.1f}", f"x{pandoc_cpu_ratio:.1f}", f">= x{T['pandoc_ratio']}",
                     ratio >= T["pandoc_ratio"], pandoc_cpu_ratio >= T["pandoc_ratio"]))
    print("targets" + (" (--quick: sizes are a tenth, figures are not comparable)" if args.quick else ""))
    print(f"  {'':<34} {'wall':>10}  {'CPU':>10}  {'target':<12}")
    for name, wall, cpu, want, ok, ok_cpu in rows:
        verdict = "met" if ok else ("met in CPU time" if ok_cpu else "MISSED")
        print(f"  {name:<34} {wall:>10}  {cpu:>10}  {want:<12} {verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
