"""Incremental builds: a small JSON manifest per book, and a memo of converted stories.

A book is up to date when its manifest says it was made, with the same ficbook (version,
source files, libraries, options), from files whose bytes are all unchanged, and the
written files are still the ones we wrote. File checks are cheap: size and mtime first,
and only when those moved, a hash of the bytes (so a `touch` alone rebuilds nothing).

This module stays light (no ebooklib, pydantic or Pillow): the no-change path of a whole
library imports it and little else.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ficbook.build import BuildResult

FORMAT = 1
CACHE_DIR = ".ficbook-cache"

# Libraries whose version can change the bytes of a book.
_LIBRARIES = ("ebooklib", "lxml", "pillow", "ftfy", "charset-normalizer", "pydantic", "ruamel.yaml",
              "isal")


def manifest_path(output: Path) -> Path:
    return output.parent / CACHE_DIR / f"{output.stem}.json"


# ------------------------------------------------------------------ file stamps


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a file was when we read it: size and mtime for speed, the hash for truth."""

    path: str
    size: int
    mtime_ns: int
    digest: str

    def as_json(self) -> list[Any]:
        return [self.path, self.size, self.mtime_ns, self.digest]


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# Digests already taken in this process, by (path, size, mtime_ns): the cover fonts are
# shared by every book of a batch and need hashing once, not once per book.
_seen: dict[tuple[str, int, int], str] = {}


def stamp(path: Path, data: bytes | None = None, st: os.stat_result | None = None) -> Stamp:
    """Stat before reading: a change in between then shows as a moved mtime next time."""
    st = st or os.stat(path)
    if not stat.S_ISREG(st.st_mode):  # a device or a pipe: reading it might never end
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    key = (str(path), st.st_size, st.st_mtime_ns)
    known = _seen.get(key)
    if known is None or data is not None:
        known = _seen[key] = digest(data if data is not None else Path(path).read_bytes())
    return Stamp(str(path), st.st_size, st.st_mtime_ns, known)


def unchanged(recorded: list[Any]) -> bool:
    """True when the file still has the recorded bytes. A file whose mtime moved but whose
    bytes did not (a `touch`, a `git checkout`) gets its new mtime written into `recorded`,
    so that the next check is a stat again."""
    path, size, mtime_ns, recorded_digest = recorded
    try:
        st = os.stat(path)
        if st.st_size != size:
            return False
        if st.st_mtime_ns == mtime_ns:
            return True
        if digest(Path(path).read_bytes()) != recorded_digest:
            return False
        recorded[2] = st.st_mtime_ns
        return True
    except OSError:
        return False


# ------------------------------------------------------------------ tool key


def tool_key() -> str:
    """Everything outside the book's own files that changes its bytes. (The Kobo and Kindle
    copies are outputs: `fresh` asks for the ones wanted, so adding --kepub builds only
    what is missing, and dropping it rebuilds nothing.)"""
    import ficbook

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{ficbook.__version__}|{sys.version}".encode())
    for name in ("SOURCE_DATE_EPOCH", "FICBOOK_COVERS"):
        h.update(f"|{name}={os.environ.get(name, '')}".encode())
    h.update(_libraries().encode())
    package = Path(ficbook.__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".class"):
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _libraries() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=-")
    return ",".join(out)


# ------------------------------------------------------------------ manifests


@dataclass(frozen=True)
class Recorded:
    """What the summary shows for a book that was not rebuilt."""

    output: Path
    stories: int
    words: int
    size: int


def fresh(recipe_path: Path, output: Path, key: str, also: tuple[Path, ...] = ()) -> Recorded | None:
    """The recorded book when nothing that makes it changed and every output wanted
    (the book, and `also`: its device copies) was written with it, else None."""
    try:
        data = json.loads(manifest_path(output).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    try:
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        if data["recipe"] != str(Path(recipe_path).resolve()):
            return None
        recorded = set()
        for path, size, mtime_ns in data["outputs"]:
            st = os.stat(path)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return None
            recorded.add(path)
        if any(str(Path(p).resolve()) not in recorded for p in (output, *also)):
            return None
        before = [s[2] for s in data["inputs"]]
        if not all(unchanged(s) for s in data["inputs"]):
            return None
        if before != [s[2] for s in data["inputs"]]:
            _write_manifest(manifest_path(output), data)
        r = data["result"]
        return Recorded(Path(r["output"]), int(r["stories"]), int(r["words"]), int(r["size"]))
    except (OSError, KeyError, TypeError, ValueError):
        return None


def record(result: BuildResult, key: str, known: dict[str, Stamp]) -> None:
    """Write the manifest of a finished book. `known` holds stamps taken when files were read.

    Best effort: a cache that cannot be written only costs a rebuild next time.
    """
    def resolved(path: Path) -> str:
        # the stories' paths are realpaths already (Recipe.story_path), and known by them
        text = str(path)
        return text if text in known else str(Path(path).resolve())

    inputs = []
    for path in dict.fromkeys(map(resolved, result.inputs)):
        s = known.get(path)
        if s is None:
            try:
                s = stamp(Path(path))
            except OSError:
                return  # an input vanished: do not claim the book is up to date
        inputs.append(s.as_json())
    outputs = []
    for p in result.outputs:
        st = os.stat(p)
        outputs.append([str(Path(p).resolve()), st.st_size, st.st_mtime_ns])
    data = {
        "format": FORMAT, "key": key, "recipe": str(Path(result.recipe).resolve()),
        "inputs": inputs, "outputs": outputs,
        "result": {"output": str(result.output), "stories": result.stories,
                   "words": result.words, "size": result.size},
    }
    _write_manifest(manifest_path(result.output), data)


def _write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Temp file and rename: a manifest is whole or absent. Best effort."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=0), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # e.g. a name too long to exist at all
            pass


def weight(recipe_path: Path, output: Path) -> int:
    """About how much work the book is: its inputs' bytes at the last build, else a guess
    from the recipe's size (a longer recipe lists more stories)."""
    try:
        data = json.loads(manifest_path(output).read_text("utf-8"))
        return sum(int(entry[1]) for entry in data["inputs"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass
    try:
        return os.stat(recipe_path).st_size * 1000
    except OSError:
        return 0
