"""FanFicFare used as a library: one link in, an EPUB (or a series' list of works) out.

This follows FanFicFare's own command line (`fanficfare.cli`): a `Configuration` for the
link's site that reads FanFicFare's defaults.ini and the user's personal.ini (logins,
`is_adult`, pacing), `adapters.getAdapter(config, url)`, then `writers.getWriter('epub',
…)`. An update reads the cached EPUB's chapters back into the adapter, as `--update-epub`
does, so only new chapters are fetched. Pacing (`slow_down_sleep_time`) is FanFicFare's.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # FanFicFare has no type hints: these name what is passed
    from fanficfare.adapters.base_adapter import BaseSiteAdapter
    from fanficfare.configurable import Configuration

# What each failure is called in the one line the user reads.
NOT_FOUND = "not found"
LOGIN = "login needed"
REFUSED = "site refused"
NO_NETWORK = "no network"
UNSUPPORTED = "not a site FanFicFare knows"
FAILED = "download failed"


# OSErrors that mean the network, not the disk.
_NETWORK = (socket.gaierror, ConnectionError, TimeoutError)


class FetchFailed(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Fetched:
    kind: str  # "story" or "series"
    works: tuple[str, ...] = ()  # a series' story links, in series order
    title: str = ""
    changed: bool = True  # False: an update found no new chapters


def quiet() -> None:
    """FanFicFare logs every request at DEBUG to stderr; our one line per failure is enough.
    Imported first: importing it sets its logger's level."""
    import fanficfare  # noqa: F401

    logging.getLogger("fanficfare").setLevel(logging.CRITICAL + 1)


def _config_files() -> list[str]:
    """FanFicFare's own search order for defaults.ini and personal.ini (fanficfare.cli)."""
    import fanficfare

    home = Path.home()
    xdg = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "fanficfare"
    folders = [home / ".fanficdownloader", home / ".fanficfare", xdg, Path(".")]
    return ([str(Path(fanficfare.__file__).parent / "defaults.ini")]
            + [str(f / "defaults.ini") for f in folders] + [str(f / "personal.ini") for f in folders])


def configuration(url: str, personal_ini: str | None = None) -> Configuration:
    from fanficfare import adapters
    from fanficfare.configurable import Configuration

    config = Configuration(adapters.getConfigSectionsFor(url), "epub")
    config.read(_config_files())
    if personal_ini:
        config.read_file(StringIO(personal_ini))
    if not config.has_section("overrides"):
        config.add_section("overrides")
    return config


def fetch(url: str, dest: Path, update: bool = False, personal_ini: str | None = None) -> Fetched:
    """Downloads the story at `url` into `dest` (whole or not at all), or lists a series.
    `update`: `dest` exists and only new chapters are fetched. Raises FetchFailed."""
    from fanficfare import adapters, exceptions

    try:
        try:
            config = configuration(url, personal_ini)
            adapter = adapters.getAdapter(config, url)
        except exceptions.InvalidStoryURL:
            return _series(url, personal_ini)
        adapter.getStoryMetadataOnly()
        title = adapter.story.getMetadata("title") or ""
        if update and dest.is_file():
            if not _take_old_chapters(adapter, dest):
                return Fetched("story", title=title, changed=False)
            config.set("overrides", "never_make_cover", "true")
        _write(config, adapter, dest)
        return Fetched("story", title=title)
    except FetchFailed:
        raise
    except exceptions.UnknownSite:
        raise FetchFailed(UNSUPPORTED) from None
    except exceptions.StoryDoesNotExist:
        raise FetchFailed(NOT_FOUND) from None
    except (exceptions.FailedToLogin, exceptions.NeedTimedOneTimePassword):
        raise FetchFailed(LOGIN, "set your username and password for this site in "
                                 "FanFicFare's personal.ini") from None
    except exceptions.AdultCheckRequired:
        raise FetchFailed(LOGIN, "the site asks to confirm you are an adult: set is_adult:true "
                                 "in FanFicFare's personal.ini") from None
    except exceptions.AccessDenied as exc:
        raise FetchFailed(REFUSED, str(exc)) from None
    except exceptions.HTTPErrorFFF as exc:
        kind = NOT_FOUND if exc.status_code in (404, 410) else REFUSED
        raise FetchFailed(kind, f"HTTP {exc.status_code}") from None
    except _NETWORK as exc:
        raise FetchFailed(NO_NETWORK, str(exc) or type(exc).__name__) from None
    except Exception as exc:  # requests' and FanFicFare's many others
        if _is_network(exc):
            raise FetchFailed(NO_NETWORK, str(exc).splitlines()[0] if str(exc) else "") from None
        raise FetchFailed(FAILED, f"{type(exc).__name__}: {exc}".splitlines()[0]) from None


def _series(url: str, personal_ini: str | None) -> Fetched:
    """A link that is no story: a series or collection page FanFicFare can list, in order."""
    from fanficfare import adapters, exceptions

    try:
        config = configuration(url, personal_ini)
        found = adapters.getAdapter(config, url, anyurl=True).get_urls_from_page(url, False)
    except exceptions.UnknownSite:
        raise FetchFailed(UNSUPPORTED) from None
    works = tuple(found.get("urllist") or ())
    if not works:
        raise FetchFailed(NOT_FOUND, "neither a story nor a series FanFicFare can list")
    return Fetched("series", works=works, title=str(found.get("name") or ""))


def _take_old_chapters(adapter: BaseSiteAdapter, dest: Path) -> bool:
    """As `fanficfare --update-epub`: the chapters already in `dest` are reused; False when
    the archive has no more chapters than the cached EPUB."""
    from fanficfare.epubutils import get_update_data

    data = get_update_data(str(dest))
    count = data[1]
    if count and count >= adapter.getStoryMetadataOnly().getChapterCount():
        return False
    (_, _, adapter.oldchapters, adapter.oldimgs, adapter.oldcover, adapter.calibrebookmark,
     adapter.logfile, adapter.oldchaptersmap, adapter.oldchaptersdata) = data[0:9]
    return True


def _write(config: Configuration, adapter: BaseSiteAdapter, dest: Path) -> None:
    from fanficfare import writers

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    try:
        config.set("overrides", "output_filename", tmp)
        config.set("overrides", "always_overwrite", "true")
        writers.getWriter("epub", config, adapter).writeStory()
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _is_network(exc: BaseException) -> bool:
    """The error, or one it came from (ten deep at most), is the network's."""
    link: BaseException | None = exc
    seen = 0
    while link is not None and seen < 10:
        name = type(link).__name__
        if isinstance(link, _NETWORK) or name in (
                "ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "NewConnectionError",
                "MaxRetryError", "NameResolutionError", "ProxyError", "SSLError"):
            return True
        link = link.__cause__ or link.__context__
        seen += 1
    return False
