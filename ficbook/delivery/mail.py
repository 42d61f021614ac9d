"""Mail books to a reader's address (Send to Kindle, Send-to-PocketBook, any inbox).

Books are packed into as few mails as the limits allow (Send to Kindle: 25 attachments,
50 MB a mail after base64), each attached as `application/epub+zip` by name: Python
falls back to `application/octet-stream` without /etc/mime.types, which Amazon rejects.
"""

from __future__ import annotations

import math
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from ficbook.delivery.mailconfig import DeliveryError, SmtpConfig

EPUB_TYPE = ("application", "epub+zip")
# A part's headers and boundary, and a mail's headers and text body: generous, so a mail
# planned under the limit is under it when written.
_PART_OVERHEAD = 1024
_MAIL_OVERHEAD = 4096


@dataclass(frozen=True, slots=True)
class Limits:
    attachments: int = 25
    size: int = 50_000_000  # bytes a mail, after encoding


@dataclass(frozen=True, slots=True)
class Attachment:
    """A book file to send."""

    path: Path
    size: int  # bytes on disk

    @property
    def encoded(self) -> int:
        return encoded_size(self.size) + _PART_OVERHEAD


@dataclass(frozen=True, slots=True)
class Mail:
    books: tuple[Attachment, ...]

    @property
    def size(self) -> int:
        return _MAIL_OVERHEAD + sum(b.encoded for b in self.books)


def encoded_size(n: int) -> int:
    """Bytes of base64 for n bytes, in lines of 76 characters ending in CRLF."""
    chars = 4 * math.ceil(n / 3)
    return chars + 2 * math.ceil(chars / 76)


def books(paths: list[Path]) -> list[Attachment]:
    out = []
    for path in paths:
        if not path.name.lower().endswith(".epub"):
            raise DeliveryError("not an EPUB (only .epub books are mailed)", file=str(path))
        try:
            size = path.stat().st_size
            with path.open("rb") as f:
                magic = f.read(4)
        except FileNotFoundError:
            raise DeliveryError("book not found", file=str(path)) from None
        except OSError as exc:
            raise DeliveryError(f"cannot read the book: {exc.strerror}", file=str(path)) from None
        if magic != b"PK\x03\x04":
            raise DeliveryError("not an EPUB (not a zip file)", file=str(path))
        out.append(Attachment(path, size))
    return out


SEND_TO_KINDLE = Limits()


def plan(items: list[Attachment], limits: Limits | None = None) -> list[Mail]:
    """The books in order, a new mail whenever the next one would pass a limit."""
    limits = limits or SEND_TO_KINDLE
    mails: list[list[Attachment]] = []
    for book in items:
        if _MAIL_OVERHEAD + book.encoded > limits.size:
            raise DeliveryError(
                f"too big: {book.size / 1e6:.1f} MB is {book.encoded / 1e6:.1f} MB as an "
                f"attachment, over the {limits.size / 1e6:g} MB a mail; build it in volumes "
                "with `ficbook build --split 40` (or `split: 40` in the recipe)",
                file=str(book.path))
        current = mails[-1] if mails else None
        if (current is None or len(current) >= limits.attachments
                or Mail(tuple(current) + (book,)).size > limits.size):
            mails.append([book])
        else:
            current.append(book)
    return [Mail(tuple(m)) for m in mails]


def message(mail: Mail, to: str, sender: str, part: int = 1, parts: int = 1) -> EmailMessage:
    msg = EmailMessage()
    names = [b.path.name for b in mail.books]
    subject = names[0] if len(names) == 1 else f"{len(names)} books"
    if parts > 1:
        subject += f" ({part} of {parts})"
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    lines = [f"{b.path.name} ({b.size / 1e6:.1f} MB)" for b in mail.books]
    msg.set_content("Sent by ficbook:\n\n" + "\n".join(lines) + "\n")
    for book in mail.books:
        msg.add_attachment(book.path.read_bytes(), maintype=EPUB_TYPE[0], subtype=EPUB_TYPE[1],
                           filename=book.path.name)
    return msg


def send(mails: list[Mail], to: str, config: SmtpConfig, limits: Limits | None = None) -> int:
    """Send every mail over one connection; returns the number sent. Each failure is a
    one-line DeliveryError saying which step failed."""
    check_address(to)
    limits = limits or SEND_TO_KINDLE
    try:
        with _connect(config) as smtp:
            if config.user:
                _login(smtp, config)
            for i, mail in enumerate(mails, 1):
                msg = message(mail, to, config.sender, i, len(mails))
                data = msg.as_bytes()
                if len(data) > limits.size:  # the plan's estimate was wrong: never send it
                    raise DeliveryError(f"too big: mail {i} would be {len(data) / 1e6:.1f} MB, "
                                        f"over {limits.size / 1e6:g} MB")
                _deliver(smtp, config, to, msg, i)
    except DeliveryError:
        raise
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
        raise DeliveryError(f"connection failed: {config.where}: {_reason(exc)}") from None
    return len(mails)


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=config.cafile) if config.security != "none" else None
    smtp: smtplib.SMTP
    try:
        if config.security == "tls":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        if config.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise DeliveryError(f"connection failed: {config.where} does not offer STARTTLS; "
                                    "set security to tls (port 465) or check the port")
            smtp.starttls(context=context)
            smtp.ehlo()
    except ssl.SSLError as exc:
        raise DeliveryError(f"connection failed: {config.where}: TLS: {_reason(exc)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"connection failed: {config.where}: {_reason(exc)}") from None
    return smtp


def _login(smtp: smtplib.SMTP, config: SmtpConfig) -> None:
    try:
        smtp.login(config.user or "", config.password or "")
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"login refused: {config.user} on {config.where}: "
                            f"{_smtp_reply(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(f"login refused: {config.where} offers no login on this connection "
                            "(try security starttls or tls)") from None


def _deliver(smtp: smtplib.SMTP, config: SmtpConfig, to: str, msg: EmailMessage, i: int) -> None:
    try:
        smtp.send_message(msg, from_addr=config.sender, to_addrs=[to])
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = exc.recipients.get(to, (0, b""))
        raise DeliveryError(f"recipient refused: {to}: {_smtp_reply(code, reply)}") from None
    except smtplib.SMTPSenderRefused as exc:
        if _too_big(exc):  # servers that announce SIZE refuse a big mail at MAIL FROM
            raise DeliveryError(f"too big: {config.where} refused mail {i}: "
                                f"{_smtp_reply(exc.smtp_code, exc.smtp_error)}") from None
        raise DeliveryError(f"sender refused: {config.sender}: "
                            f"{_smtp_reply(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPDataError as exc:
        if _too_big(exc):
            raise DeliveryError(f"too big: {config.where} refused mail {i}: "
                                f"{_smtp_reply(exc.smtp_code, exc.smtp_error)}") from None
        raise DeliveryError(f"mail {i} refused by {config.where}: "
                            f"{_smtp_reply(exc.smtp_code, exc.smtp_error)}") from None


def _too_big(exc: smtplib.SMTPResponseException) -> bool:
    reply = exc.smtp_error if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error).encode()
    return exc.smtp_code == 552 or b"size" in reply.lower()


def check_address(to: str) -> None:
    local, at, domain = to.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() or c in "<>,;" for c in to):
        raise DeliveryError(f"not a mail address: {to!r}")


def _smtp_reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({exc.verify_message})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
