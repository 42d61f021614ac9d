"""Issue 20's figures: one anthology on two cores, the 100 MB anthology, start-up, and the
shelf's no-change rebuild. `make bench` runs it after bench/run.py, on the same library.

    .venv/bin/python bench/parallel.py           # everything (a few minutes, plus pandoc)
    .venv/bin/python bench/parallel.py --quick   # a tenth of the story counts
    .venv/bin/python bench/parallel.py --no-big  # without the 100 MB anthology
    .venv/bin/python bench/parallel.py --count   # also instructions per process (valgrind)

Figures only: nothing here fails for being slow (targets in bench/README.md). Wall time
on a shared machine includes waiting for a core: the load average is printed with each
block, and CPU time (the process and the workers it waited for) beside the wall time.
Peak memory of a build is its whole process tree, sampled every 20 ms with psutil: the
sum of RSS (pages the workers share with the parent counted in each) and the sum of PSS
(shared pages divided between the processes sharing them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402
import synth  # noqa: E402

TARGETS = {"jobs_speedup": 1.7, "pandoc_ratio": 30.0, "big_s": 6.0, "big_mb": 800, "version_s": 0.15,
           "nochange_s": 0.5}


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def tree(cmd: list[str]) -> dict:
    """Wall, CPU (with the workers waited for), peak RSS and PSS sums of the process tree."""
    try:
        import psutil
    except ImportError:
        psutil = None
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=run.SNAPSHOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=run.env())
    top = psutil.Process(proc.pid) if psutil else None
    rss = pss = 0
    n = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if top is not None:
            try:
                procs = [top, *top.children(recursive=True)]
                rss = max(rss, sum(p.memory_info().rss for p in procs))
                if n % 5 == 0:  # reading smaps costs more: every 100 ms
                    pss = max(pss, sum(p.memory_full_info().pss for p in procs))
            except psutil.Error:
                pass
        n += 1
        time.sleep(0.02)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {os.waitstatus_to_exitcode(status)}")
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": rss / 1e6, "pss": pss / 1e6, "maxrss": usage.ru_maxrss / 1024}


def build(*args: str) -> list[str]:
    return [run.PY, "-m", "ficbook", "build", "--quiet", *args]


def startup(args: list[str], repeat: int) -> tuple[float, float]:
    """(best, median) wall seconds of the console script `ficbook ARGS`, end to end."""
    script = str(Path(run.PY).with_name("ficbook"))
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([script, *args], cwd=run.SNAPSHOT, env=run.env(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def cluster_figure(recipe: Path, out: str, size_mb: float, repeat: int, local: dict) -> None:
    """The anthology through `--scheduler` on a LocalCluster of two one-thread worker
    processes on this machine (already started, and warm after the first run)."""
    from distributed import LocalCluster

    os.environ["PYTHONPATH"] = str(run.SNAPSHOT)  # the workers run the snapshot's code too
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runs = [tree(build(str(recipe), "-o", out, "--force", "--scheduler", cluster.scheduler_address))
                for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall"])
    print(f"  --scheduler, LocalCluster of 2 worker processes: {best['wall']:.2f} s (this process's CPU "
          f"{best['cpu']:.2f} s), first run {runs[0]['wall']:.2f} s; the local pool (--jobs 2) is "
          f"x{best['wall'] / local['wall']:.2f} faster")


def counted(recipe: Path, out: str) -> None:
    """Instructions each process runs (valgrind's cachegrind), `--jobs 1` and `--jobs 2`:
    unlike time, the same on a busy machine. A forked worker's count includes what its
    parent ran before the fork, so each count is that process's path from the start, and
    the longest is the critical path: one core's count over it is the speed-up two free
    cores would give (waits and fork costs aside)."""
    import re

    if not shutil.which("valgrind"):
        print("  instruction counts: valgrind not installed (apt-get install valgrind)")
        return
    counts = {}
    for jobs in (1, 2):
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
               "--cachegrind-out-file=/dev/null", *build(str(recipe), "-o", out, "--force", "--jobs", str(jobs))]
        log = subprocess.run(cmd, cwd=run.SNAPSHOT, env=run.env(), capture_output=True, text=True).stderr
        counts[jobs] = [int(n.replace(",", "")) for n in re.findall(r"I\s+refs:\s+([\d,]+)", log)]
    one, two = counts[1][0], counts[2]
    print(f"  instructions (cachegrind): --jobs 1 {one / 1e9:.2f} G; --jobs 2, each process "
          + ", ".join(f"{n / 1e9:.2f} G" for n in two) + f"; one core over the longest: x{one / max(two):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the story counts")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ficbook-bench")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each anthology figure (best kept)")
    ap.add_argument("--no-big", action="store_true", help="skip the 100 MB anthology")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--cluster", action="store_true", help="also the anthology on a LocalCluster of two workers")
    ap.add_argument("--count", action="store_true", help="also instructions per process (valgrind), jobs 1 and 2")
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    work = args.work
    run.SNAPSHOT = run.snapshot(work)
    print(f"ficbook parallel bench (issue 20): {os.cpu_count()} cores, {load()} at the start; "
          f"converter: {run.converter()}")

    # The same library as bench/run.py (synth is deterministic: nothing is rewritten).
    a_stories = synth.make_stories(work / "one" / "stories", 200 // scale, 55_000)
    full = synth.write_recipe(work / "one" / "recipes" / "anthology.yaml", "Two Hundred Stories", a_stories)
    lib_stories = synth.make_stories(work / "shelf" / "stories", 2000 // scale, 55_000, start=10_000)
    per = len(lib_stories) // 100
    for i in range(100):
        synth.write_recipe(work / "shelf" / "recipes" / f"r{i:03d}.yaml", f"Shelf {i}",
                           lib_stories[i * per:(i + 1) * per])
    whole = synth.write_recipe(work / "shelf" / "whole" / "anthology.yaml", "Two Thousand Stories", lib_stories)
    a_mb, lib_mb = run.mb(a_stories), run.mb(lib_stories)

    # ---------------------------------------------------------------- one anthology, two cores
    out = str(work / "out-parallel")
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(args.repeat):  # alternated: other work on the machine weighs on both alike
        for jobs in (1, 2):
            runs[jobs].append(tree(build(str(full), "-o", out, "--force", "--jobs", str(jobs))))
    j1, j2 = (min(runs[j], key=lambda r: r["wall"]) for j in (1, 2))
    speedup = j1["wall"] / j2["wall"]
    print(f"\nanthology ({a_mb:.1f} MB, {len(a_stories)} stories), end to end, best of {args.repeat}, alternated ({load()}):")
    for jobs, r in ((1, j1), (2, j2)):
        print(f"  --jobs {jobs}: {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), peak RSS sum {r['rss']:.0f} MB, "
              f"PSS sum {r['pss']:.0f} MB")
    medians = [statistics.median(r["wall"] for r in runs[j]) for j in (1, 2)]
    print(f"  --jobs 2 vs --jobs 1: x{speedup:.2f} best against best, x{medians[0] / medians[1]:.2f} by medians "
          "(each run: " + ", ".join(f"{a['wall']:.2f}/{b['wall']:.2f}" for a, b in zip(runs[1], runs[2])) + ")")

    if args.count:
        counted(full, out)
    if args.cluster:
        cluster_figure(full, out, a_mb, args.repeat, j2)

    pandoc = shutil.which("pandoc")
    ratio = None
    if pandoc and not args.no_pandoc:
        wall, rss, code = run.timed(run.pandoc_command(pandoc, work, a_stories))
        j2_now = tree(build(str(full), "-o", out, "--force", "--jobs", "2"))  # beside it, same minute
        best2 = min(j2["wall"], j2_now["wall"])
        ratio = wall / best2
        print(f"  pandoc, same stories (markdown in, one EPUB): {wall:.2f} s (CPU {run.LAST_CPU:.2f} s), "
              f"peak RSS {rss:.0f} MB, exit {code}; ficbook --jobs 2 ({best2:.2f} s) is x{ratio:.1f} faster")
    else:
        print("  pandoc: not installed (apt-get install pandoc), no ratio")

    # ---------------------------------------------------------------- 100 MB in one book
    big = None
    if not args.no_big:
        big_out = str(work / "out-whole")
        big = tree(build(str(whole), "-o", big_out, "--force", "--jobs", "2"))
        one = tree(build(str(whole), "-o", big_out, "--force", "--jobs", "1"))
        print(f"\none anthology of {len(lib_stories)} stories, {lib_mb:.0f} MB, end to end ({load()}):")
        for jobs, r in ((2, big), (1, one)):
            print(f"  --jobs {jobs}: {r['wall']:.2f} s (CPU {r['cpu']:.2f} s); peak memory of all processes: "
                  f"RSS sum {r['rss']:.0f} MB, PSS sum {r['pss']:.0f} MB (largest one process {r['maxrss']:.0f} MB)")

    # ---------------------------------------------------------------- start-up
    version = startup(["--version"], 10)
    helps = startup(["--help"], 5)
    story = sorted((run.ROOT / "stories").glob("*.txt"))[0]
    inspect = startup(["inspect", str(story)], 5)
    print(f"\nstart-up, the console script end to end, best / median ({load()}):")
    for name, (best, median) in (("ficbook --version", version), ("ficbook --help", helps),
                                 (f"ficbook inspect {story.name}", inspect)):
        print(f"  {name:<40} {best:.3f} / {median:.3f} s")

    # ---------------------------------------------------------------- the shelf, nothing changed
    recipes, shelf_out = str(work / "shelf" / "recipes"), str(work / "shelf-out")
    run.ficbook(recipes, "-o", shelf_out, "--jobs", "2")  # whatever is not recorded yet
    nochange = min(run.ficbook(recipes, "-o", shelf_out) for _ in range(args.repeat))
    print(f"\nshelf of 100 recipes, no-change rebuild, best of {args.repeat}: {nochange[0]:.3f} s "
          f"(CPU {nochange[2]:.3f} s)")

    # ---------------------------------------------------------------- against the targets
    T = TARGETS
    rows = [("anthology --jobs 2 vs --jobs 1", f"x{speedup:.2f}", f">= x{T['jobs_speedup']}",
             speedup >= T["jobs_speedup"])]
    if ratio is not None:
        rows.append(("anthology --jobs 2 vs pandoc", f"x{ratio:.1f}", f">= x{T['pandoc_ratio']:.0f}",
                     ratio >= T["pandoc_ratio"]))
    if big is not None:
        rows += [("100 MB anthology --jobs 2, wall", f"{big['wall']:.2f} s", f"< {T['big_s']} s", big["wall"] < T["big_s"]),
                 ("  its peak memory (PSS sum)", f"{big['pss']:.0f} MB", f"< {T['big_mb']} MB", big["pss"] < T["big_mb"]),
                 ("  its peak memory (RSS sum)", f"{big['rss']:.0f} MB", f"< {T['big_mb']} MB", big["rss"] < T["big_mb"])]
    rows += [("ficbook --version", f"{version[0]:.3f} s", f"< {T['version_s']} s", version[0] < T["version_s"]),
             ("shelf no-change rebuild", f"{nochange[0]:.3f} s", f"< {T['nochange_s']} s", nochange[0] < T["nochange_s"])]
    print("\ntargets (issue 20)" + (" (--quick: sizes are a tenth, not comparable)" if args.quick else ""))
    for name, got, want, ok in rows:
        print(f"  {name:<34} {got:>10}  {want:<10} {'met' if ok else 'MISSED'}")
    print(f"{load()} at the end")


if __name__ == "__main__":
    main()
