"""Sending the e-mails over SMTP (settings in secrets.toml [smtp]), or writing them as .eml files.

    [smtp]
    host = "smtp.example.go.id"
    port = 587
    security = "starttls"      # starttls | ssl | none (none only for a relay on the same host)
    username = "dsjs-laporan"  # optional
    password = "..."           # optional
    sender = "Dasbor DSJS <dsjs-laporan@example.go.id>"

Each message goes on its own (one recipient each), so one refused address never stops the others; every
outcome is returned and reported.
"""
from __future__ import annotations

import re
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from .. import paths

SECRETS = paths.ROOT / ".streamlit" / "secrets.toml"


class SettingsError(ValueError):
    """[smtp] is missing or incomplete."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    password: str | None = None
    timeout_s: float = 30.0


@dataclass(frozen=True)
class Hasil:
    email: str
    brief: str
    ok: bool
    detail: str  # the server's answer or where the file was written


def secrets(path: Path | None = None) -> dict:
    p = path or SECRETS
    return tomllib.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def settings(sec: dict) -> Smtp:
    s = sec.get("smtp")
    if not isinstance(s, dict) or not s.get("host") or not s.get("sender"):
        raise SettingsError("secrets.toml needs an [smtp] section with host and sender (see secrets.toml.example)")
    security = s.get("security", "starttls")
    if security not in ("starttls", "ssl", "none"):
        raise SettingsError(f"[smtp] security must be starttls, ssl or none, not {security!r}")
    if security == "none" and s.get("username"):
        raise SettingsError("[smtp] a password is never sent without TLS: use security = starttls or ssl")
    port = int(s.get("port", {"starttls": 587, "ssl": 465, "none": 25}[security]))
    return Smtp(s["host"], port, security, s["sender"], s.get("username"), s.get("password"),
                float(s.get("timeout_s", 30)))


def _connect(cfg: Smtp) -> smtplib.SMTP:
    if cfg.security == "ssl":
        conn = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=ssl.create_default_context())
    else:
        conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        if cfg.security == "starttls":
            conn.starttls(context=ssl.create_default_context())
    if cfg.username:
        conn.login(cfg.username, cfg.password or "")
    return conn


def _why(e: Exception) -> str:
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in e.recipients.values())
    if isinstance(e, smtplib.SMTPResponseException):
        msg = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {msg}"
    return f"{type(e).__name__}: {e}"


def send(cfg: Smtp, messages: list[EmailMessage]) -> list[Hasil]:
    """Send every message; a refused one is reported and the rest still go (reconnecting when needed)."""
    out: list[Hasil] = []
    conn: smtplib.SMTP | None = None
    try:
        for msg in messages:
            to, brief = msg["To"], msg["X-DSJS-Brief"]
            try:
                if conn is None:
                    conn = _connect(cfg)
                refused = conn.send_message(msg)
                if refused:  # only with several recipients; kept for completeness
                    out.append(Hasil(to, brief, False, _why(smtplib.SMTPRecipientsRefused(refused))))
                else:
                    out.append(Hasil(to, brief, True, "250 sent"))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
                out.append(Hasil(to, brief, False, _why(e)))
                try:
                    conn.rset()
                except (smtplib.SMTPException, OSError, AttributeError):
                    conn = None
            except (smtplib.SMTPException, OSError) as e:
                out.append(Hasil(to, brief, False, _why(e)))
                try:
                    if conn is not None:
                        conn.close()
                finally:
                    conn = None
    finally:
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()
    return out


def write(messages: list[EmailMessage], folder: Path) -> list[Hasil]:
    """Dry run: each message as an .eml file (opens in any mail program), nothing sent."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, msg in enumerate(messages, 1):
        to, brief = msg["To"], msg["X-DSJS-Brief"]
        name = re.sub(r"[^a-z0-9.@_-]+", "-", f"{i:03d}-{brief}-{to}".lower()) + ".eml"
        path = folder / name
        path.write_bytes(bytes(msg))
        out.append(Hasil(to, brief, True, str(path)))
    return out
