"""What Python compiles at run time from text, compiled once and kept between runs.

Every start of a build compiles, before any work can be shared out:

- the methods `dataclasses` writes as source text for each class (`__init__`, `__eq__`,
  `__hash__`, `__repr__`, a frozen class's `__setattr__`…), and each annotation `typing`
  meets as a string: some 530 and 800 of them (ficbook's classes, pydantic's, typer's);
- the regular expressions of the converter and the libraries: some 280, parsed and
  compiled by `re`'s pure-Python compiler.

Together over a third of the instructions a build's parent ran before its worker
started (cachegrind: 1.58 G; 1.00 G with them kept; `bench/README.md`). The text is the
same from one run to the next, so what it compiles to (a code object; a pattern's
program for `_sre`) is kept in the user's cache folder (`usercache`), by the
interpreter's exact version, and read back at the next start (marshal: a few
milliseconds). The result is the same object the compiler makes. Anything that goes
wrong (no cache folder, a damaged file, a Python whose `re` works otherwise) only means
compiling as usual.

The command line installs it (`cli.entry`), before the libraries are imported; ficbook
used as a library leaves the standard modules it shares with its caller alone.
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

# Entries kept in one file; past it, only those the last run used. A build uses some
# 1,300; the field corpus's builds together 2,200 (2.7 MB); the cap bounds the rest.
_MAX = 4_000
# Compiled anew in a run before the file is written again: a few differ in every run (a
# pattern made from an unordered set, `tokenize`'s), not worth rewriting a megabyte for;
# a changed ficbook or library compiles dozens.
_WORTH = 8
# ("code", source, filename, mode) -> its code; ("re", pattern, flags) -> _sre.compile's
# arguments; ("value", …) -> a value `remembered`. Read back only when asked for: the file
# holds what every kind of build compiles (HTML pages, EPUBs, CSS…), one build a part.
_kept: dict[tuple, Any] = {}
_stored: dict[tuple, bytes] = {}  # in the file, not asked for yet: each its own marshal
_MISSING = object()
_FORMAT = "2"  # the file's layout: a new one ignores files of the old
_used: set[tuple] = set()
_state: dict[str, Any] = {"missed": 0, "path": None}


def compile_text(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
    """`compile`, from the kept code when `source` is text compiled before with nothing else asked."""
    if args or kwargs or type(source) is not str or type(filename) is not str:
        return builtins.compile(source, filename, mode, *args, **kwargs)
    key = ("code", source, filename, mode)
    code = _get(key)
    if code is _MISSING:
        code = builtins.compile(source, filename, mode)  # a SyntaxError is the caller's, as before
        _put(key, code)
    return code


def exec_text(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:
    """`exec` for `dataclasses`: text through `compile_text`. Without namespaces, the
    caller's, as exec takes them."""
    if globals is None:
        frame = sys._getframe(1)
        globals = frame.f_globals
        locals = frame.f_locals if locals is None else locals
    if type(source) is str:
        source = compile_text(source, "<string>", "exec")
    builtins.exec(source, globals, locals, **kwargs)


class _Noting:
    """`_sre` as `re._compiler` sees it while one pattern compiles: its program noted."""

    def __init__(self, sre: Any, pattern: str | bytes) -> None:
        self._sre, self.pattern = sre, pattern
        self.args: tuple | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sre, name)

    def compile(self, pattern: Any, *args: Any) -> Any:
        if pattern is self.pattern and len(args) > 1 and type(args[1]) is list:  # not another thread's
            # the program's opcodes are ints named for dis(): kept as the ints they are
            self.args = (args[0], list(map(int, args[1])), *args[2:])
        return self._sre.compile(pattern, *args)


def _regex_compiler(compiler: Any) -> Any:
    """`re._compiler.compile`, from the kept program of a pattern compiled before."""
    import _sre

    real = compiler.compile
    debug = compiler.SRE_FLAG_DEBUG

    def compile_pattern(p: Any, flags: int = 0) -> Any:
        if type(p) not in (str, bytes) or type(flags) is not int or flags & debug:
            return real(p, flags)
        key = ("re", p, flags)
        args = _get(key)
        if args is not _MISSING:
            try:
                return _sre.compile(p, *args)
            except Exception:  # noqa: BLE001 - a program _sre refuses (a damaged file): compiled anew
                _kept.pop(key, None)
        noting = _Noting(_sre, p)
        compiler._sre = noting
        try:
            pattern = real(p, flags)
        finally:
            compiler._sre = _sre
        if noting.args is not None:
            _put(key, noting.args)
        return pattern

    return compile_pattern


def remembered(key: tuple, make: Callable[[], Any]) -> Any:
    """`make()`, kept with the compiled code when the command line installed the cache,
    for what the converter works out from a pattern's text at every start (`convert.
    firstchars`). `key` holds everything the value depends on but the interpreter; the
    value is marshal's kind (str, None, tuples…)."""
    if _state["path"] is None:
        return make()
    key = ("value", *key)
    value = _get(key)
    if value is _MISSING:
        value = make()
        _put(key, value)
    return value


def _get(key: tuple) -> Any:
    value = _kept.get(key, _MISSING)
    if value is _MISSING:
        blob = _stored.pop(key, None)
        if type(blob) is not bytes:
            return _MISSING
        value = _kept[key] = marshal.loads(blob)
    _used.add(key)
    return value


def _put(key: tuple, value: Any) -> None:
    _kept[key] = value
    _used.add(key)
    _state["missed"] += 1


def installed() -> bool:
    return _state["path"] is not None


def install(name: str) -> None:
    """Read what was kept for runs called `name` (a command: each its own file, so one
    reads back only what it uses) and route `dataclasses`', `typing`'s and `re`'s
    compiling through it; what this run adds is written when it ends."""
    import dataclasses
    import re._compiler
    import typing

    from ficbook.usercache import folder

    where = folder()
    if where is None or _state["path"] is not None:  # off, or installed already
        return
    path = where / "code" / f"{name}-{_FORMAT}-{sys.implementation.cache_tag}-{_version_key()}.marshal"
    _state["path"] = path
    try:
        with open(path, "rb") as fh:
            kept = marshal.loads(fh.read())  # marshal.load reads a file a few bytes at a time
        _stored.update(zip(kept[0::2], kept[1::2]))
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - damaged or foreign: compiled anew and written again
        _stored.clear()
        _state["missed"] = _WORTH
    dataclasses.exec = exec_text  # type: ignore[attr-defined]  # a module global shadows the builtin
    typing.compile = compile_text  # type: ignore[attr-defined]
    if callable(getattr(re._compiler, "compile", None)) and hasattr(re._compiler, "_sre"):
        re._compiler.compile = _regex_compiler(re._compiler)
    atexit.register(save)


def save() -> None:
    """Write what is kept if this run compiled enough that is new (temp file and rename)."""
    path = _state["path"]
    if _state["missed"] < _WORTH or path is None:
        return
    kept, stored, used = list(_kept.items()), list(_stored.items()), set(_used)  # a thread may add meanwhile
    whole = len(kept) + len(stored) <= _MAX
    entries = {k: marshal.dumps(v) for k, v in kept if whole or k in used}
    if whole:
        entries.update(stored)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump([x for k, blob in entries.items() for x in (k, blob)], fh)
        os.replace(tmp, path)
        _state["missed"] = 0
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _version_key() -> str:
    """The interpreter's exact build: marshal, bytecode and `_sre`'s programs change between any two."""
    import hashlib

    return hashlib.blake2b(sys.version.encode(), digest_size=6).hexdigest()
