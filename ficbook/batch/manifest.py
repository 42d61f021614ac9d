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
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficbook.digests import file_digests
from ficbook.inputs import Read, digest, read_regular
from ficbook.paths import realpath

if TYPE_CHECKING:
    from ficbook.build import BuildResult
    from ficbook.model import StoryChange

FORMAT = 2
CACHE_DIR = ".ficbook-cache"
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a record is a few kB: anything bigger is not ours
MAX_INPUT_BYTES = 400 * 1024 * 1024  # an input bigger than any reader takes is a change

# Libraries whose version can change the bytes of a book.
_LIBRARIES = ("ebooklib", "lxml", "pillow", "ftfy", "charset-normalizer", "pydantic", "ruamel.yaml",
              "isal")


def manifest_path(output: Path) -> Path:
    """`.ficbook-cache/NAME.json` beside the book; a name too long for that (with the
    temporary file's prefix and suffix) is shortened and made unique by its hash."""
    name = output.stem
    if len(os.fsencode(name)) > 180:
        short = os.fsencode(name)[:100].decode("utf-8", "ignore")
        name = f"{short}-{hashlib.blake2b(os.fsencode(name), digest_size=8).hexdigest()}"
    return output.parent / CACHE_DIR / f"{name}.json"


# ------------------------------------------------------------------ file stamps


# What a file was when we read it: size and mtime for speed, the hash for truth.
Stamp = Read


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
    if data is not None:
        known = _seen[key] = digest(data)
    elif known is None:
        name = str(path)
        known = _seen[key] = (file_digests([name], MAX_INPUT_BYTES)[name] if _bundled(name)
                              else digest(read_regular(path, MAX_INPUT_BYTES)[0]))
    return Stamp(str(path), st.st_size, st.st_mtime_ns, known)


def _bundled(path: str) -> bool:
    """One of the cover styles and fonts ficbook ships (not `$FICBOOK_COVERS`, a user's).
    Every book's record lists them (`build.cover_inputs`: 11 MB of fonts), and a run's
    first record into a new folder read and hashed them all while the workers waited.
    They are ficbook's own files: their digests are kept between runs (`digests`)."""
    if os.environ.get("FICBOOK_COVERS"):
        return False
    from ficbook.cover.folder import covers_dir

    return os.path.dirname(path) in (folder := str(covers_dir()), os.path.join(folder, "fonts"))


# Inputs found unchanged in this run, as recorded -> their mtime now: the cover style and
# fonts every book of a shelf records are checked once, not once per book. A run begins
# with `tool_key()`, which forgets what the run before found (files change between runs).
_verified: dict[tuple[Any, ...], int] = {}


def unchanged(recorded: list[Any]) -> bool:
    """True when the file is still the one recorded, with the recorded bytes: the path
    resolves to the same file (a symlink retargeted is a change) and the bytes hash the
    same. A file whose mtime moved but whose bytes did not (a `touch`, a `git checkout`)
    gets its new mtime written into `recorded`, so that the next check is a stat again."""
    try:
        key = tuple(recorded)
        known = _verified.get(key)
    except TypeError:  # a damaged record (a list where a string was): not ours
        return False
    if known is not None:
        recorded[2] = known
        return True
    if _unchanged(recorded):
        _verified[key] = recorded[2]
        return True
    return False


# Folders resolved in this run (forgotten with `_verified`): a shelf's files sit in a few.
_real_folders: dict[str, str] = {}


def _realpath(path: str | os.PathLike[str]) -> str:
    """`os.path.realpath`, with each folder resolved once a run (`paths.realpath`)."""
    return realpath(path, _real_folders)


def _unchanged(recorded: list[Any]) -> bool:
    path, size, mtime_ns, recorded_digest, real = recorded
    try:
        if _realpath(path) != real:
            return False
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != size:
            return False
        if st.st_mtime_ns == mtime_ns:
            return True
        data, _ = read_regular(path, MAX_INPUT_BYTES)  # never a FIFO or a device
        if digest(data) != recorded_digest:
            return False
        recorded[2] = st.st_mtime_ns
        return True
    except OSError:
        return False


def load(path: Path) -> dict[str, Any] | None:
    """A record as JSON, or None when it is missing or damaged (anything but a small
    regular file holding a JSON object of our format): a rebuild, never a failure."""
    try:
        data, _ = read_regular(path, MAX_RECORD_BYTES)
        record = json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    return record


# ------------------------------------------------------------------ tool key


def tool_key() -> str:
    """Everything outside the book's own files that changes its bytes. (The Kobo and Kindle
    copies are outputs: `fresh` asks for the ones wanted, so adding --kepub builds only
    what is missing, and dropping it rebuilds nothing.) Called once as a run begins."""
    import ficbook

    _verified.clear()
    _real_folders.clear()
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{ficbook.__version__}|{sys.version}".encode())
    for name in ("SOURCE_DATE_EPOCH", "FICBOOK_COVERS"):
        h.update(f"|{name}={os.environ.get(name, '')}".encode())
    h.update(_libraries().encode())
    package = Path(ficbook.__file__).resolve().parent
    names = _package_files(package)
    digests = file_digests([os.path.join(package, name) for name in names], MAX_INPUT_BYTES)
    for name in names:
        h.update(name.encode() + b"\0" + digests[os.path.join(package, name)].encode() + b"\0")
    return h.hexdigest()


def _package_files(package: Path) -> list[str]:
    """The package's files, relative, as `sorted(package.rglob("*"))` lists them (less
    its caches and compiled files), walked with os.walk: a third of the time."""
    found = []
    skip = "__pycache__" in package.parts
    for folder, _dirs, files in os.walk(package):
        parts = Path(folder).relative_to(package).parts
        if skip or "__pycache__" in parts:
            continue
        found += [(*parts, f) for f in files if os.path.splitext(f)[1] not in (".pyc", ".class")
                  and os.path.isfile(os.path.join(folder, f))]
    return [os.path.join(*parts) for parts in sorted(found)]


def _libraries() -> str:
    listings: dict[str, list[str]] = {}
    return ",".join(f"{name}={_version(name, listings)}" for name in _LIBRARIES)


def _version(name: str, listings: dict[str, list[str]]) -> str:
    """What `importlib.metadata.version` says ("-" for a library not installed), read
    from the first `NAME-VERSION.dist-info` on sys.path: importing importlib.metadata and
    its email parser cost a no-change rebuild a tenth of its time. Anything else (an
    .egg-info, a zip on sys.path, no `Version:` line) is left to importlib.metadata."""
    want = _normal(name)
    for folder in sys.path:
        if folder not in listings:
            try:
                listings[folder] = os.listdir(folder or ".")
            except OSError:
                listings[folder] = []
        for entry in listings[folder]:
            stem, dot, suffix = entry.rpartition(".")
            if suffix in ("dist-info", "egg-info") and _normal(stem.split("-", 1)[0]) == want:
                found = _metadata_version(os.path.join(folder, entry)) if suffix == "dist-info" else None
                return found or _version_by_importlib(name)
    return _version_by_importlib(name)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(folder: str) -> str | None:
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    return None  # the headers ended without one
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip() or None
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _version_by_importlib(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


# ------------------------------------------------------------------ manifests


@dataclass(frozen=True)
class Recorded:
    """What the summary shows for a book that was not rebuilt."""

    output: Path
    stories: int
    words: int
    size: int
    inputs: tuple[str, ...] = ()  # resolved: what a run must not write over


def fresh(recipe_path: Path, output: Path, key: str, also: tuple[Path, ...] = ()) -> Recorded | None:
    """The recorded book when nothing that makes it changed and every output wanted
    (the book, and `also`: its device copies) was written with it, else None."""
    data = load(manifest_path(output))
    if data is None:
        return None
    try:
        book = _realpath(output)
        if data["key"] != key or data["book"] != book:
            return None
        if data["recipe"] != _realpath(recipe_path):
            return None
        recorded = set()
        for path, size, mtime_ns in data["outputs"]:
            st = os.stat(path)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return None
            recorded.add(path)
        as_volumes = _realpath(data["result"]["output"]) != book
        if not as_volumes and any(_realpath(p) not in recorded for p in (output, *also)):
            return None
        inputs = data["inputs"]
        before = [s[2] for s in inputs]
        if not all(isinstance(s, list) and len(s) == 5 and unchanged(s) for s in inputs):
            return None
        if before != [s[2] for s in inputs]:
            _write_manifest(manifest_path(output), data)
        r = data["result"]
        return Recorded(Path(r["output"]), int(r["stories"]), int(r["words"]), int(r["size"]),
                        tuple(str(s[4]) for s in inputs))
    except (OSError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def record(result: BuildResult, key: str, known: dict[str, Read], also: tuple[str | Path, ...] = (),
           earlier: dict[str, Stamp] | None = None) -> None:
    """Write the manifest of a finished book. `known` holds what each file was when it
    was read (`ficbook.inputs`); `also`, inputs the build does not list itself (the story
    paths as the recipe gives them, before symlinks are resolved); `earlier`, the inputs
    of the book's previous record (`previous_stories`): a file not read by this process
    (the cover's fonts, drawn elsewhere) whose size and mtime are the recorded ones keeps
    its recorded digest, as `fresh` would take it, rather than being read and hashed again.

    Best effort: a cache that cannot be written only costs a rebuild next time.
    """
    known = {_abspath(k): v for k, v in known.items()}
    earlier = earlier or {}
    inputs = []
    named: list[str | Path] = [*result.inputs, *also, *known]
    for path in dict.fromkeys(map(_abspath, named)):
        real = _realpath(path)
        s = known.get(path) or known.get(real)  # a link to a file read: that file as read
        if s is None:
            try:
                s = _stamp_again(path, earlier.get(path))
            except OSError:
                return  # an input vanished: do not claim the book is up to date
        inputs.append([path, s.size, s.mtime_ns, s.digest, real])
    outputs = []
    for p in result.outputs:
        st = os.stat(p)
        outputs.append([str(Path(p).resolve()), st.st_size, st.st_mtime_ns])
    data = {
        "format": FORMAT, "key": key, "book": str(Path(result.book or result.output).resolve()),
        "recipe": str(Path(result.recipe).resolve()), "inputs": inputs, "outputs": outputs,
        "result": {"output": str(result.output), "stories": result.stories,
                   "words": result.words, "size": result.size},
    }
    _write_manifest(manifest_path(result.book or result.output), data)


def _stamp_again(path: str, recorded: Stamp | None) -> Stamp:
    st = os.stat(path)
    if (recorded is not None and stat.S_ISREG(st.st_mode) and st.st_size == recorded.size
            and st.st_mtime_ns == recorded.mtime_ns):
        return Stamp(path, st.st_size, st.st_mtime_ns, recorded.digest)
    return stamp(Path(path), st=st)


def _abspath(path: str | os.PathLike[str]) -> str:
    """`os.path.abspath`, without its work for a path that is absolute and normal already
    (no empty, "." or ".." part; a name starting with a dot is left to abspath too)."""
    text = os.fspath(path)
    if text[:1] == "/" and "//" not in text and "/." not in text and text[-1:] != "/":
        return text
    return os.path.abspath(text)


def _write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Temp file and rename: a manifest is whole or absent. Best effort."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), "utf-8")  # no indent: json's C encoder
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # e.g. a name too long to exist at all
            pass


def previous_stories(output: Path) -> dict[str, Stamp] | None:
    """The files the book's previous build was made from, by path and by real path, as
    recorded (None when there is no record): what tells a story added or changed."""
    data = load(manifest_path(output))
    if data is None:
        return None
    try:
        found: dict[str, Stamp] = {}
        for path, size, mtime_ns, digest_, real in data["inputs"]:
            found[str(path)] = found[str(real)] = Stamp(str(path), int(size), int(mtime_ns), str(digest_))
        return found
    except (KeyError, TypeError, ValueError):
        return None


def change(previous: dict[str, Stamp], known: dict[str, Read], path: Path) -> StoryChange | None:
    """"new" for a story file the previous build did not use, "updated" for one whose
    bytes changed, else None. `known`: the files as this build read them (by path)."""
    recorded = previous.get(str(path))
    if recorded is None:
        return "new"
    read = known.get(str(path))
    try:
        now = read.digest if read is not None else stamp(path).digest
    except OSError:
        return None  # the reader reports a missing file
    return None if now == recorded.digest else "updated"


def weight(recipe_path: Path, output: Path) -> int:
    """About how much work the book is: its inputs' bytes at the last build, else a guess
    from the recipe's size (a longer recipe lists more stories)."""
    data = load(manifest_path(output))
    try:
        if data is not None:
            return sum(int(entry[1]) for entry in data["inputs"])
    except (KeyError, TypeError, ValueError, IndexError):
        pass
    try:
        return os.stat(recipe_path).st_size * 1000
    except OSError:
        return 0
