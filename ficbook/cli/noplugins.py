"""Pydantic without its plugin loader while plugins are off.

Pydantic asks `pydantic.plugin._loader.get_plugins()` for plugins each time it makes a
validator, and that module imports importlib.metadata (and with it the email package,
sockets, csv…: ~25 ms of a build's start-up) before it reads PYDANTIC_DISABLE_PLUGINS.
When that variable turns every plugin off, `get_plugins()` answers `()` and nothing
else, so this stand-in answers the same without the import. Any other name asked of it
loads pydantic's own module (and from then on, that is the one in sys.modules), so a
pydantic whose loader grew something new works as before.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any

LOADER = "pydantic.plugin._loader"
_OFF = ("__all__", "1", "true")  # the values that make pydantic's get_plugins() return ()


class _PluginsOff(ModuleType):
    def get_plugins(self) -> tuple[()]:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _OFF:
            return ()
        return _real().get_plugins()  # turned on since: pydantic's own answer

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking (`__path__`: a package?)
            raise AttributeError(name)
        return getattr(_real(), name)


def install() -> None:
    """Stand in for pydantic's loader when plugins are off and it is not loaded yet."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _OFF and LOADER not in sys.modules:
        sys.modules[LOADER] = _PluginsOff(LOADER, __doc__)


def _real() -> ModuleType:
    if isinstance(sys.modules.get(LOADER), _PluginsOff):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)
