"""`ficbook send` against a real SMTP server on loopback (aiosmtpd), with STARTTLS on a
certificate from a throwaway CA (trustme) and AUTH LOGIN."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

aiosmtpd = pytest.importorskip("aiosmtpd")
trustme = pytest.importorskip("trustme")

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from ficbook.cli.app import app  # noqa: E402
from ficbook.delivery import mail  # noqa: E402
from ficbook.delivery.mailconfig import DeliveryError, load  # noqa: E402

USER, PASSWORD = "reader@example.org", "correct horse"
REFUSED = "nobody@kindle.example.com"


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted"


def _login(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
          and auth_data.password.decode() == PASSWORD)
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    return authority, pem


@pytest.fixture
def server(ca):
    authority, _ = ca
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=_login, auth_required=True,
                            auth_exclude_mechanism=["PLAIN"], data_size_limit=2_000_000)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def env(server, ca, monkeypatch, tmp_path) -> dict[str, str]:
    values = {"FICBOOK_SMTP_HOST": "127.0.0.1", "FICBOOK_SMTP_PORT": str(server.port),
              "FICBOOK_SMTP_SECURITY": "starttls", "FICBOOK_SMTP_USER": USER,
              "FICBOOK_SMTP_CAFILE": str(ca[1]), "FICBOOK_SMTP_PASSWORD": PASSWORD,
              "XDG_CONFIG_HOME": str(tmp_path / "config")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def epub(folder: Path, name: str, size: int = 2000) -> Path:
    """A zip shaped like an EPUB, with incompressible content of about `size` bytes."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("OEBPS/blob.bin", os.urandom(size))
    return path


def attachments(raw: bytes) -> list:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return [part for part in msg.iter_attachments()]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_book_arrives_byte_identical_as_epub(server, env, tmp_path):
    book = epub(tmp_path, "holdout.epub", 50_000)
    result = run("send", str(book), "--to", "me_123@kindle.example.com")
    assert result.exit_code == 0, result.output
    assert "sent 1 book to me_123@kindle.example.com in 1 mail" in result.output
    [(rcpts, raw)] = server.messages
    assert rcpts == ["me_123@kindle.example.com"]
    [part] = attachments(raw)
    assert part.get_content_type() == "application/epub+zip"
    assert part.get_filename() == "holdout.epub"
    assert part.get_payload(decode=True) == book.read_bytes()
    body = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",))
    assert "holdout.epub" in body.get_content()


def test_26_books_go_in_two_mails(server, env, tmp_path):
    books = [epub(tmp_path, f"book-{i:02}.epub", 300) for i in range(26)]
    result = run("send", *map(str, books), "--to", "me@kindle.example.com")
    assert result.exit_code == 0, result.output
    assert "in 2 mails" in result.output
    counts = [len(attachments(raw)) for _, raw in server.messages]
    assert counts == [25, 1]
    sent = [p.get_payload(decode=True) for _, raw in server.messages for p in attachments(raw)]
    assert sent == [b.read_bytes() for b in books]


def test_size_limit_splits_mails_and_refuses_one_book_over_it(tmp_path):
    limits = mail.Limits(attachments=25, size=100_000)
    books = mail.books([epub(tmp_path, f"b{i}.epub", 40_000) for i in range(3)])
    mails = mail.plan(books, limits)
    assert [len(m.books) for m in mails] == [1, 1, 1]  # two 40 KB books are > 100 KB encoded
    assert all(m.size <= limits.size for m in mails)
    small = mail.books([epub(tmp_path, f"s{i}.epub", 20_000) for i in range(5)])
    assert [len(m.books) for m in mail.plan(small, limits)] == [3, 2]
    big = mail.books([epub(tmp_path, "big.epub", 90_000)])
    with pytest.raises(DeliveryError, match=r"too big: .*--split"):
        mail.plan(big, limits)


def test_encoded_size_matches_what_email_writes(tmp_path):
    book = mail.books([epub(tmp_path, "x.epub", 123_457)])
    msg = mail.message(mail.Mail(tuple(book)), "a@b.example.com", "c@d.example.com")
    written = len(msg.as_bytes())
    assert book[0].size * 4 / 3 < written <= mail.Mail(tuple(book)).size


def test_server_refusing_the_size_is_too_big(server, env, tmp_path):
    book = epub(tmp_path, "long.epub", 1_800_000)  # under our 50 MB, over this server's 2 MB
    result = run("send", str(book), "--to", "me@kindle.example.com")
    assert result.exit_code == 7
    assert result.output.startswith("ficbook: too big: 127.0.0.1:")
    assert "552" in result.output and len(result.output.strip().splitlines()) == 1


def test_one_book_over_the_limit_advises_split(tmp_path, monkeypatch):
    monkeypatch.setattr(mail, "SEND_TO_KINDLE", mail.Limits(size=50_000))
    book = epub(tmp_path, "huge.epub", 60_000)
    result = run("send", str(book), "--to", "me@kindle.example.com", "--dry-run")
    assert result.exit_code == 7
    assert "too big" in result.output and "--split" in result.output


def test_wrong_password_is_login_refused(server, env, tmp_path, monkeypatch):
    monkeypatch.setenv("FICBOOK_SMTP_PASSWORD", "wrong")
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", "me@kindle.example.com")
    assert result.exit_code == 7
    assert result.output.startswith(f"ficbook: login refused: {USER} on 127.0.0.1:")
    assert len(result.output.strip().splitlines()) == 1
    assert server.messages == []


def test_recipient_refused(server, env, tmp_path):
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", REFUSED)
    assert result.exit_code == 7
    assert result.output.strip() == f"ficbook: recipient refused: {REFUSED}: 550 5.1.1 no such mailbox"


def test_connection_failed(env, tmp_path, monkeypatch):
    monkeypatch.setenv("FICBOOK_SMTP_PORT", str(_free_port()))  # nothing listens there
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", "me@kindle.example.com")
    assert result.exit_code == 7
    assert result.output.startswith("ficbook: connection failed: 127.0.0.1:")
    assert "refused" in result.output.lower()


def test_untrusted_certificate_is_a_connection_failure(server, env, tmp_path, monkeypatch):
    monkeypatch.delenv("FICBOOK_SMTP_CAFILE")
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", "me@kindle.example.com")
    assert result.exit_code == 7
    assert "connection failed" in result.output and "certificate not trusted" in result.output


def test_plaintext_server_without_starttls_is_refused(server, env, tmp_path, monkeypatch):
    """The server requires STARTTLS; `none` then cannot log in, and says so in one line."""
    monkeypatch.setenv("FICBOOK_SMTP_SECURITY", "none")
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", "me@kindle.example.com")
    assert result.exit_code == 7
    assert len(result.output.strip().splitlines()) == 1
    assert server.messages == []


def test_dry_run_sends_nothing(server, env, tmp_path):
    books = [epub(tmp_path, f"b{i}.epub") for i in range(2)]
    result = run("send", *map(str, books), "--to", "me@kindle.example.com", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"via 127.0.0.1:{server.port} (starttls) as {USER}" in result.output
    assert "mail 1 of 1: b0.epub" in result.output and "b1.epub" in result.output
    assert server.messages == []


def test_config_file_and_no_password_in_it(tmp_path):
    cfg = tmp_path / "send.toml"
    cfg.write_text('[smtp]\nhost = "smtp.example.org"\nuser = "me@example.org"\n')
    config = load({"FICBOOK_SMTP_PASSWORD": "pw"}, cfg)
    assert (config.host, config.port, config.security, config.sender) == (
        "smtp.example.org", 587, "starttls", "me@example.org")
    assert load({"FICBOOK_SMTP_PASSWORD": "pw", "FICBOOK_SMTP_SECURITY": "tls"}, cfg).port == 465
    cfg.write_text('host = "smtp.example.org"\nuser = "me"\npassword = "secret"\n')
    with pytest.raises(DeliveryError, match="password does not belong in this file"):
        load({}, cfg)
    cfg.write_text('host = "smtp.example.org"\nuser = "me@example.org"\n')
    with pytest.raises(DeliveryError, match="no password for me@example.org"):
        load({"FICBOOK_SMTP_PASSWORD": ""}, cfg)
    with pytest.raises(DeliveryError, match="no SMTP server set"):
        load({}, tmp_path / "missing.toml")
    with pytest.raises(DeliveryError, match="in clear"):
        load({"FICBOOK_SMTP_PASSWORD": "pw", "FICBOOK_SMTP_SECURITY": "none"}, cfg)


def test_bad_address_and_non_epub(tmp_path):
    result = run("send", str(epub(tmp_path, "a.epub")), "--to", "not-an-address", "--dry-run")
    assert result.exit_code == 7 and "not a mail address" in result.output
    text = tmp_path / "a.txt"
    text.write_text("hello")
    result = run("send", str(text), "--to", "me@kindle.example.com", "--dry-run")
    assert result.exit_code == 7 and "not an EPUB" in result.output


def test_build_send_mails_what_the_build_made(server, env, tmp_path):
    from tests.conftest import RECIPES
    result = run("build", str(RECIPES / "spuffy.yaml"), "--out", str(tmp_path), "--jobs", "1",
                 "--quiet", "--send", "me@kindle.example.com")
    assert result.exit_code == 0, result.output
    [(_, raw)] = server.messages
    [part] = attachments(raw)
    assert part.get_filename() == "spuffy.epub"
    assert part.get_payload(decode=True) == (tmp_path / "spuffy.epub").read_bytes()


def test_build_send_mails_every_volume(server, env, tmp_path):
    from tests.conftest import RECIPES
    result = run("build", str(RECIPES / "spuffy.yaml"), "--out", str(tmp_path), "--jobs", "1",
                 "--quiet", "--split", "0.25", "--send", "me@kindle.example.com")
    assert result.exit_code == 0, result.output
    parts = [p for _, raw in server.messages for p in attachments(raw)]
    assert [p.get_filename() for p in parts] == ["spuffy-vol1.epub", "spuffy-vol2.epub"]
    assert [p.get_payload(decode=True) for p in parts] == [
        (tmp_path / n).read_bytes() for n in ("spuffy-vol1.epub", "spuffy-vol2.epub")]
