"""Where `ficbook send` finds its SMTP server: a small file in the user's config folder,
overridden by FICBOOK_SMTP_* variables. The password comes from the system keyring or
FICBOOK_SMTP_PASSWORD only: never a command line (visible in `ps`), a recipe or a file."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ficbook.errors import ExitCode, FicbookError

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
KEYRING_SERVICE = "ficbook-smtp"
_KEYS = {"host", "port", "security", "user", "from", "cafile", "timeout"}


class DeliveryError(FicbookError):
    exit_code = ExitCode.DELIVERY


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls | tls | none
    user: str | None
    sender: str
    password: str | None
    cafile: str | None = None  # a CA bundle for a server with its own certificate authority
    timeout: float = 60.0
    source: str = "environment"  # where the settings came from, for messages

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "ficbook" / "send.toml"


def load(environ: dict[str, str] | None = None, path: Path | None = None,
         need_password: bool = True) -> SmtpConfig:
    env = os.environ if environ is None else environ
    path = path or config_path()
    values, source = _read_file(path)
    for key in ("host", "port", "security", "user", "from", "cafile", "timeout"):
        value = env.get(f"FICBOOK_SMTP_{key.upper()}")
        if value:
            values[key] = value
            source = "environment" if source == "defaults" else f"{source} and environment"
    host = str(values.get("host") or "").strip()
    if not host:
        raise DeliveryError(f"no SMTP server set: write {path} (host = \"smtp.example.org\") "
                            "or set FICBOOK_SMTP_HOST")
    security = str(values.get("security") or "starttls").lower()
    if security not in SECURITIES:
        raise DeliveryError(f"{source}: security must be starttls, tls or none, not {security!r}")
    port = _number(values.get("port", DEFAULT_PORTS[security]), "port", source)
    user = str(values["user"]).strip() if values.get("user") else None
    sender = str(values.get("from") or (user if user and "@" in user else "")).strip()
    if "@" not in sender:
        raise DeliveryError(f"no sender address: set `from` in {path} or FICBOOK_SMTP_FROM")
    password = None
    if user and need_password:
        password = env.get("FICBOOK_SMTP_PASSWORD") or _keyring_password(host, user)
        if not password:
            raise DeliveryError(
                f"no password for {user} on {host}: store it with `keyring set {KEYRING_SERVICE} "
                f"{user}` or set FICBOOK_SMTP_PASSWORD")
    if user and security == "none" and not is_loopback(host):
        raise DeliveryError(f"{host}: security none would send the password in clear; "
                            "use starttls or tls")
    return SmtpConfig(host=host, port=port, security=security, user=user, sender=sender,
                      password=password, cafile=values.get("cafile") or None,
                      timeout=float(_number(values.get("timeout", 60), "timeout", source)),
                      source=source)


def _read_file(path: Path) -> tuple[dict, str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, "defaults"
    except OSError as exc:
        raise DeliveryError(f"cannot read the mail settings: {exc.strerror}", file=str(path)) from None
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DeliveryError(f"not a valid TOML file: {exc}", file=str(path)) from None
    table = table.get("smtp", table)  # either top-level keys or an [smtp] table
    if "password" in table:
        raise DeliveryError("a password does not belong in this file: store it in the system "
                            f"keyring (`keyring set {KEYRING_SERVICE} USER`) or set "
                            "FICBOOK_SMTP_PASSWORD", file=str(path))
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise DeliveryError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})",
                            file=str(path))
    return dict(table), str(path)


def _number(value, name: str, source: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DeliveryError(f"{source}: {name} must be a number, not {value!r}") from None
    if number <= 0 or (name == "port" and number > 65535):
        raise DeliveryError(f"{source}: {name} out of range: {number}")
    return number


def _keyring_password(host: str, user: str) -> str | None:
    """The system keyring is optional: without the package or a backend, no password."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user) or keyring.get_password(
            f"{KEYRING_SERVICE}:{host}", user)
    except (KeyringError, RuntimeError, OSError):
        return None


def is_loopback(host: str) -> bool:
    """A host name or address of this machine only (no one else can listen in)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
