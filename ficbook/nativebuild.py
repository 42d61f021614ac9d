"""Builds `ficbook.native`'s compiled modules for this source (`make native`):

    python -m ficbook.nativebuild            # build, if this source has no build yet
    python -m ficbook.nativebuild --check    # exit 0 if it has one, 1 if not
    python -m ficbook.nativebuild --opt 0    # a quick build without C optimisation (tests)

mypyc (part of mypy: the `native` extra) and a C compiler do it, in a scratch copy of the
package, so the source tree never holds a compiled file that could outlive its source.
The finished folder is renamed into place whole: a build that fails or is interrupted
leaves nothing that `ficbook.native` would load. Older sources' builds are removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ficbook.native import COMPLETE, GROUP, PACKAGE, build_folder, built, module_files, source_key

_SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(name={group!r}, ext_modules=mypycify({files!r}, group_name={group!r}, opt_level={opt!r}))
"""
# The project's own mypy settings (pyproject.toml), which mypyc type-checks with.
_MYPY_INI = "[mypy]\nignore_missing_imports = True\ncheck_untyped_defs = True\n"


def build(opt: str = "3", quiet: bool = False) -> Path:
    """This source's build folder, built now if it was missing."""
    key = source_key()
    dest = build_folder(key)
    if dest is None:
        raise SystemExit("ficbook.nativebuild: the cache folder is off (FICBOOK_CACHE=off): nowhere to build")
    if built(dest):
        if not quiet:
            print(f"ficbook.nativebuild: built already for this source ({dest})")
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=dest.parent))
    try:
        src = scratch / "src"
        shutil.copytree(PACKAGE, src / "ficbook", ignore=_not_python)
        files = [f"ficbook/{f}" for f in module_files()]
        (src / "setup_native.py").write_text(_SETUP.format(group=GROUP, files=files, opt=opt))
        (src / "mypy.ini").write_text(_MYPY_INI)
        done = subprocess.run([sys.executable, "setup_native.py", "build_ext", "--inplace"],
                              cwd=src, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            raise SystemExit("ficbook.nativebuild: mypyc failed:\n" + "\n".join(tail))
        out = scratch / "out"
        for made in [*src.glob(f"{GROUP}__mypyc*.so"), *(src / "ficbook").rglob("*.so")]:
            target = out / made.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            made.rename(target)
        (out / COMPLETE).write_text(key + "\n")
        try:
            out.rename(dest)
        except OSError:  # built meanwhile by another run: theirs is as good
            if not built(dest):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for old in dest.parent.iterdir():
        if old != dest and not old.name.startswith(".building-"):
            shutil.rmtree(old, ignore_errors=True)
    if not quiet:
        print(f"ficbook.nativebuild: {len(module_files())} modules compiled into {dest}")
    return dest


def _not_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"
            or (not n.endswith(".py") and not os.path.isdir(os.path.join(folder, n)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ficbook.nativebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 0 if this source has a build, 1 if not")
    parser.add_argument("--opt", default="3", choices="0123", help="C optimisation level (default 3)")
    args = parser.parse_args(argv)
    if args.check:
        where = build_folder()
        ok = built(where)
        print(f"ficbook.nativebuild: {'built' if ok else 'not built'} ({where})")
        return 0 if ok else 1
    try:
        build(args.opt)
    except OSError as exc:  # a cache folder that cannot be written, a full disk
        raise SystemExit(f"ficbook.nativebuild: {exc.filename or ''}: {exc.strerror or exc}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
