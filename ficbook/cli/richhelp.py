"""typer's help and error panels without loading rich's Markdown and Traceback.

typer.rich_utils, which draws `--help` and usage errors, imports rich.markdown (with
markdown-it) and rich.traceback (with pygments) at its top: about 60 ms of the 0.2 s
`ficbook --help` takes. It makes a Markdown only under rich_markup_mode="markdown" (ours
is "rich") and a Traceback only for pretty exceptions (ours are off). So while
typer.rich_utils is imported, and only then, those two modules are stand-ins whose
`Markdown` and `Traceback` are the real classes' deputies: used, they load the real ones.
Any other name asked of a stand-in is the real module's. Afterwards the stand-ins are
gone from sys.modules and the real modules load as usual for anyone who imports them.
tests/test_startup.py holds the help the same either way.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

TARGET = "typer.rich_utils"
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


def install() -> None:
    """Watch for typer.rich_utils (once), unless it or the real modules are loaded already."""
    if TARGET in sys.modules or any(name in sys.modules for name in DEFERRED):
        return
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Deputy(type):
    """A class standing for one of rich's until it is used: calls and attributes go to
    the real class, loaded then."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls.real(), name)


def _deputy(module: str, name: str) -> type:
    def real() -> Any:
        return getattr(importlib.import_module(module), name)

    return _Deputy(name, (), {"real": staticmethod(real), "__module__": module})


class _StandIn(ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking (`__path__`: a package?)
            raise AttributeError(name)
        sys.modules.pop(self.__name__, None)  # a name we do not stand in for: the real module
        return getattr(importlib.import_module(self.__name__), name)


class _Finder:
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
        return spec


class _Loader:
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:  # get_source for tracebacks, and the rest
        return getattr(self.loader, name)

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        placed = {}
        for name, cls in DEFERRED.items():
            if name not in sys.modules:
                stand_in = _StandIn(name)
                setattr(stand_in, cls, _deputy(name, cls))
                placed[name] = sys.modules[name] = stand_in
        try:
            self.loader.exec_module(module)
        finally:
            for name, stand_in in placed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
