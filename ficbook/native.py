"""The converter's hot modules compiled to C with mypyc, used when a build made from exactly
this source is in the user's cache folder; the Python source otherwise.

Conversion is most of a build's time, and it is plain Python: loops over paragraphs and
characters, small frozen dataclasses, many short calls. mypyc compiles that code, as it
is, typed (mypy checks it in `make test`), to a C extension, the way black and mypy ship
themselves: the same output (`bench/same.py`; `tests/test_native.py` builds the sample
books both ways and compares their bytes) in about three quarters of the time.

    python -m ficbook.nativebuild          # build it (make native; make demo and make bench do)
    python -m ficbook.nativebuild --check  # say whether this source has a build

The build is keyed by a digest of every Python file of the package (a compiled module
also relies on the types of the modules it calls), so an edited source is never run
from a stale build: it runs as Python until built again. It lives outside the source
tree, in the cache folder (`ficbook.usercache.folder`: FICBOOK_CACHE=off keeps nothing,
so nothing native is used either); FICBOOK_NATIVE=off ignores a build (the test suite
does: its tests swap in plain versions of functions, which a compiled caller never looks up).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The shared library that holds every compiled module's code (mypyc's "group").
GROUP = "ficbook_native"
# The modules compiled: where a story's conversion spends its time (the text reader, the
# rules, the model's classes: they pickle by their fields, `model.by_fields`, as a compiled
# class needs: default pickling cannot make one). Kept
# Python: packages' __init__ (the converter's options, which cross processes), and the
# converter's context, whose fields name a class imported only for type checking.
FOLDERS = ("convert", "convert/rules", "readers/text")
FILES = ("text.py", "model.py")
KEEP = ("convert/context.py",)
COMPLETE = "complete"  # the file a finished build holds


def module_files() -> list[str]:
    """The compiled modules' files, relative to the package, sorted."""
    found = list(FILES)
    for folder in FOLDERS:
        found += [f"{folder}/{name}" for name in os.listdir(PACKAGE / folder)
                  if name.endswith(".py") and name != "__init__.py" and f"{folder}/{name}" not in KEEP]
    return sorted(found)


def module_name(file: str) -> str:
    return "ficbook." + file.removesuffix(".py").replace("/", ".")


def source_key() -> str:
    """A digest of the package's Python files (names and contents) and the interpreter."""
    import hashlib  # here: every command imports this module, few need the digest

    from ficbook.digests import file_digests  # each file's, kept between runs

    paths = []
    for folder, dirs, files in sorted(os.walk(PACKAGE)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        paths += [os.path.join(folder, name) for name in sorted(f for f in files if f.endswith(".py"))]
    digests = file_digests(paths, limit=1 << 24)
    h = hashlib.blake2b(sys.version.encode(), digest_size=12)
    for path in paths:
        h.update(os.path.relpath(path, PACKAGE).encode() + b"\0" + digests[path].encode() + b"\0")
    return h.hexdigest()


def built(folder: Path | None) -> bool:
    """Whether `folder` holds a finished build (`nativebuild` writes its marker last)."""
    return folder is not None and (folder / COMPLETE).is_file()


def build_folder(key: str | None = None) -> Path | None:
    """Where this source's build is (or goes); None when the cache is off."""
    from ficbook.usercache import folder

    where = folder()
    return None if where is None else where / "native" / (key or source_key())


class _Finder:
    """Loads the compiled modules from this source's build, if there is one; any other
    import, and every import when there is no build, goes on as usual. The digest is
    taken once, at the first compiled module imported (`--version` never gets there)."""

    def __init__(self) -> None:
        # module name -> its file in a build, less the suffix
        self.names = {module_name(f): f"ficbook/{f.removesuffix('.py')}" for f in module_files()}
        self.names[f"{GROUP}__mypyc"] = f"{GROUP}__mypyc"
        self.folder: Path | None = None
        self.looked = False

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        if name not in self.names:
            return None
        if not self.looked:
            self.looked = True
            try:
                found = build_folder()
                self.folder = found if built(found) else None
            except OSError:
                pass
            if self.folder is not None and not self._loads():
                self.folder = None
        if self.folder is None:
            return None
        import importlib.machinery
        import importlib.util

        file = self.folder / (self.names[name] + importlib.machinery.EXTENSION_SUFFIXES[0])
        return importlib.util.spec_from_file_location(name, file) if file.is_file() else None

    def _loads(self) -> bool:
        """Whether the build's shared library loads. A damaged one (a disk that filled up,
        a copied cache) is said once, and every module runs as Python: all or none, since
        compiled code would not know a Python module's classes as its own."""
        import importlib

        try:
            importlib.import_module(f"{GROUP}__mypyc")
            return True
        except ImportError as exc:
            print(f"ficbook: warning: the compiled converter in {self.folder} does not load "
                  f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); running as Python "
                  "(make native builds it again)", file=sys.stderr)
            return False


def install() -> None:
    """Put the finder first, unless FICBOOK_NATIVE=off (called as the package loads)."""
    if os.environ.get("FICBOOK_NATIVE", "").lower() != "off" and not any(
            isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())  # type: ignore[arg-type]


def loaded() -> bool:
    """Whether this process runs the compiled converter."""
    module = sys.modules.get("ficbook.convert.pipeline")
    return module is not None and not str(getattr(module, "__file__", "")).endswith(".py")
