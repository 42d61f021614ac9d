"""`ficbook send BOOK... --to ADDRESS`: mail books to a reader (Send to Kindle and the like)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def send(
    books: Annotated[list[Path], typer.Argument(help="Built books (.epub).", show_default=False,
                                                metavar="BOOK")],
    to: Annotated[str, typer.Option("--to", help="The reader's mail address, e.g. "
                                    "name@kindle.com.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent and "
                                          "send nothing.")] = False,
) -> None:
    """Mail each BOOK to ADDRESS as an application/epub+zip attachment, at most 25 books and
    50 MB a mail (more books go in further mails).

    The SMTP server comes from ~/.config/ficbook/send.toml (host, port, security =
    starttls | tls | none, user, from, cafile) or the variables FICBOOK_SMTP_HOST, _PORT,
    _SECURITY, _USER and _FROM; the password from the system keyring (`keyring set
    ficbook-smtp USER`) or FICBOOK_SMTP_PASSWORD, never from the command line.

    [bold]Examples[/bold]

      ficbook send build/spuffy.epub --to me_123@kindle.com --dry-run

      ficbook send build/*.epub --to me@pbsync.com
    """
    mail_books(books, to, dry_run)


def mail_books(paths: list[Path], to: str, dry_run: bool) -> None:
    """Shared with `ficbook build --send`: plan, print, send; errors end the command."""
    from ficbook.cli.output import report_error
    from ficbook.delivery import mail, mailconfig
    from ficbook.errors import FicbookError

    try:
        mail.check_address(to)
        mails = mail.plan(mail.books(paths))
        if dry_run:
            _show_plan(mails, to, mailconfig)
            return
        config = mailconfig.load()
        sent = mail.send(mails, to, config)
    except FicbookError as exc:
        report_error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    count = sum(len(m.books) for m in mails)
    print(f"sent {count} book{'s' * (count != 1)} to {to} in {sent} mail{'s' * (sent != 1)} "
          f"via {config.where}")


def _show_plan(mails, to: str, mailconfig) -> None:
    try:
        config = mailconfig.load(need_password=False)
        via = f"{config.where} ({config.security}) as {config.sender}"
    except mailconfig.DeliveryError as exc:
        via = f"no server yet: {exc}"
    print(f"would send to {to} via {via}:")
    for i, m in enumerate(mails, 1):
        names = ", ".join(f"{b.path.name} ({b.size / 1e6:.1f} MB)" for b in m.books)
        print(f"  mail {i} of {len(mails)}: {names}; {m.size / 1e6:.1f} MB encoded")
