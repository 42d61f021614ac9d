"""`ficbook serve [FOLDER]` (an OPDS catalog over HTTP) and `ficbook opds FOLDER` (the same
catalog as static files)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ficbook.cli.output import err


def serve(
    folder: Annotated[Path, typer.Argument(help="The library: a folder of built books "
                                           "\\[default: build/].", show_default=False)] = Path("build"),
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")] = 8080,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 for every "
                                      "network the machine is on.")] = "127.0.0.1",
    user: Annotated[str | None, typer.Option("--user", help="Ask readers for this user name "
                                                "and the password in FICBOOK_SERVE_PASSWORD "
                                                "(basic authentication).", show_default=False)] = None,
    title: Annotated[str, typer.Option("--title", help="The catalog's name.")] = "ficbook library",
) -> None:
    """Serve the books in FOLDER as an OPDS 1.2 catalog at /opds (KOReader, PocketBook,
    Thorium, KyBook) and a plain page for a browser at /.

    Books are listed newest first, by series, by author and by editor, with covers, and
    can be searched; the Kobo copy (.kepub.epub) is offered beside each EPUB. Only the
    books of FOLDER are served. It listens on this machine only unless --host says
    otherwise. Ctrl-C stops it.

    [bold]Examples[/bold]

      ficbook serve build/

      FICBOOK_SERVE_PASSWORD=... ficbook serve ~/books --host 0.0.0.0 --user reader
    """
    from ficbook.delivery.mailconfig import is_loopback
    from ficbook.delivery.serve import Settings, make_server

    root = _library(folder)
    password = None
    if user:
        password = os.environ.get("FICBOOK_SERVE_PASSWORD") or _keyring(user)
        if not password:
            err("ficbook: --user needs a password: set FICBOOK_SERVE_PASSWORD "
                "(or `keyring set ficbook-serve USER`)")
            raise typer.Exit(2)
    try:
        server = make_server(host, port, Settings(root, title=title, user=user, password=password))
    except OSError as exc:
        err(f"ficbook: cannot listen on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    shown_host, shown_port = str(server.server_address[0]), server.server_address[1]
    url = f"http://{'[' + shown_host + ']' if ':' in shown_host else shown_host}:{shown_port}"
    if not user and not is_loopback(host):
        err(f"ficbook: warning: anyone on the network can read {root}: add --user to ask for a password")
    err(f"ficbook: serving {root} at {url}/ (OPDS catalog: {url}/opds); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err("ficbook: stopped")
    finally:
        server.server_close()


def opds(
    folder: Annotated[Path, typer.Argument(help="A folder of built books.", show_default=False)],
    title: Annotated[str, typer.Option("--title", help="The catalog's name.")] = "ficbook library",
) -> None:
    """Write FOLDER's OPDS catalog as static files: FOLDER/opds/index.xml (with the other
    feeds, covers and thumbnails beside it) and FOLDER/index.html, all links relative, for
    any web server. Search needs `ficbook serve`.

    [bold]Examples[/bold]

      ficbook opds build/ && rsync -a build/ server:/var/www/books/
    """
    write(_library(folder), title)


def write(folder: Path, title: str = "ficbook library") -> None:
    """Shared with `ficbook build --opds`."""
    from ficbook.delivery.static import write_catalog

    try:
        files = write_catalog(folder, title)
    except OSError as exc:
        err(f"ficbook: {folder}: cannot write the catalog: {exc.strerror or exc}")
        raise typer.Exit(6) from None
    feeds = sum(1 for f in files if f.suffix == ".xml")
    print(f"OPDS catalog: {folder / 'opds' / 'index.xml'} ({feeds} feeds), page: {folder / 'index.html'}")


def _library(folder: Path) -> Path:
    if not folder.is_dir():
        err(f"ficbook: {folder}: not a folder of books")
        raise typer.Exit(2)
    return folder.resolve()


def _keyring(user: str) -> str | None:
    try:
        import keyring
        return keyring.get_password("ficbook-serve", user)
    except Exception:  # no keyring, no backend: no password from there
        return None
