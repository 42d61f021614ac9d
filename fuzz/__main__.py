"""`python -m fuzz --minutes N [--target convert|markup|recipe]... [--atheris]`

Runs each target for its share of N minutes with Hypothesis (random, large example
counts), and with atheris (coverage-guided) as well when it is installed and --atheris is
given. Every crash is shrunk and saved in tests/hostile/regressions/ (replayed by
tests/hostile/test_regressions.py). Exit code 1 when anything new was found.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

REGRESSIONS = Path(__file__).resolve().parents[1] / "tests" / "hostile" / "regressions"


def save(target: str, value: object) -> Path:
    from fuzz.targets import TARGETS, as_bytes

    data = as_bytes(value)
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    path = REGRESSIONS / f"{target}-{hashlib.sha256(data).hexdigest()[:12]}{TARGETS[target].suffix}"
    path.write_bytes(data)
    return path


def fuzz_hypothesis(name: str, seconds: float) -> list[Path]:
    from hypothesis import HealthCheck, Phase, given, settings

    from fuzz.targets import TARGETS

    target = TARGETS[name]
    found: list[Path] = []
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    examples = 0
    while time.monotonic() < deadline and len(found) < 5:
        failing: list[tuple[object, str]] = []

        @settings(max_examples=400, derandomize=False, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.generate, Phase.target, Phase.shrink])
        @given(target.strategy)
        def run(value: object, failing: list = failing) -> None:
            try:
                target.check(value)
            except Exception as exc:
                failing.append((value, "".join(traceback.format_exception_only(exc)).strip()
                                + " at " + _where(exc)))
                raise

        try:
            run()
        except Exception:  # noqa: BLE001 - the last failing call is the shrunk example
            value, what = failing[-1]
            key = what.split(" at ")[-1] + what.split(":")[0]
            if key not in seen:
                seen.add(key)
                path = save(name, value)
                found.append(path)
                print(f"fuzz {name}: CRASH {what}\n  saved {path}", flush=True)
        examples += 400
    print(f"fuzz {name}: ~{examples} examples in {seconds:.0f} s, {len(found)} new crash(es)",
          flush=True)
    return found


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in tb if "/ficbook/" in f.filename] or tb
    f = inside[-1]
    return f"{Path(f.filename).name}:{f.lineno}"


_ATHERIS_MAIN = """
import sys, atheris
with atheris.instrument_imports(include=["ficbook"]):
    import ficbook.convert, ficbook.readers, ficbook.recipe, ficbook.render
from fuzz.targets import TARGETS
target = TARGETS[{name!r}]

def one(data: bytes) -> None:
    value = data if target.suffix == ".bin" else data.decode("utf-8", "replace")
    target.check(value)

atheris.Setup(sys.argv, one)
atheris.Fuzz()
"""


def fuzz_atheris(name: str, seconds: float) -> list[Path]:
    found: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-c", _ATHERIS_MAIN.format(name=name),
               f"-max_total_time={max(1, int(seconds))}", f"-artifact_prefix={tmp}/",
               "-rss_limit_mb=2048", "-timeout=30"]
        proc = subprocess.run(cmd, cwd=Path(__file__).resolve().parents[1], capture_output=True,
                              text=True)
        for crash in Path(tmp).iterdir():
            data = crash.read_bytes()
            value: object = data if name == "convert" else data.decode("utf-8", "replace")
            path = save(name, value)
            found.append(path)
            print(f"fuzz {name} (atheris): {crash.name} saved {path}", flush=True)
        tail = [line for line in proc.stderr.splitlines() if line.startswith(("#", "Done", "=="))]
        print(f"fuzz {name} (atheris): {tail[-1] if tail else 'no output'}", flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    from fuzz.targets import TARGETS

    parser = argparse.ArgumentParser(
        prog="python -m fuzz", description="Fuzz the converter, the HTML reader and the recipe "
        "loader for a set time; crashes are saved in tests/hostile/regressions/.")
    parser.add_argument("--minutes", type=float, default=10.0, help="total time for all targets")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="only these targets (default: all)")
    parser.add_argument("--atheris", action="store_true",
                        help="also run atheris (half of each target's time), if installed")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # library warnings on odd inputs are not findings
    names = args.target or list(TARGETS)
    share = args.minutes * 60 / len(names)
    use_atheris = args.atheris and _has_atheris()
    found: list[Path] = []
    for name in names:
        if use_atheris:
            found += fuzz_atheris(name, share / 2)
            found += fuzz_hypothesis(name, share / 2)
        else:
            found += fuzz_hypothesis(name, share)
    if found:
        print(f"{len(found)} new regression case(s) in {REGRESSIONS}: fix them, then commit them")
        return 1
    print("nothing new found")
    return 0


def _has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: Hypothesis only", flush=True)
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
