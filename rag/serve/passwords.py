"""The logins of `rag serve --auth`: who may use the chat, with passwords kept as plain text or
hashed. A hashed line reads

    user:pbkdf2_sha256$ITERATIONS$SALT$HASH

SALT and HASH in base64, HASH = PBKDF2-HMAC-SHA256(password, SALT, ITERATIONS), 32 bytes: the
format `rag hash-password` writes. Every check compares in constant time (hmac.compare_digest),
and a user that does not exist costs the same as a wrong password, so timing tells nothing."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256 (2023): ~0.3 s a login on 2 cores
MIN_ITERATIONS = 10_000  # fewer is a typo or a hash made to be cracked
SALT_BYTES = 16


@dataclass(frozen=True)
class Hashed:
    iterations: int
    salt: bytes
    digest: bytes


@dataclass(frozen=True)
class Login:
    user: str
    secret: str | Hashed  # the plain password, or its hash


def hash_password(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """The stored form of a password (what follows "user:" in an --auth file)."""
    if not password:
        raise InputError("the password is empty")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"{SCHEME}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def parse_secret(text: str) -> str | Hashed:
    """A stored password: a hash when it starts with the scheme's name, else the password itself."""
    if not text.startswith(SCHEME + "$"):
        return text
    parts = text.split("$")
    try:
        if len(parts) != 4:
            raise ValueError
        hashed = Hashed(
            int(parts[1]), base64.b64decode(parts[2], validate=True), base64.b64decode(parts[3], validate=True)
        )
    except ValueError:
        raise InputError(
            f"a hashed password must read {SCHEME}$ITERATIONS$SALT$HASH (from `rag hash-password`)"
        ) from None
    if hashed.iterations < MIN_ITERATIONS or not hashed.salt or len(hashed.digest) != 32:
        raise InputError(f"a hashed password needs at least {MIN_ITERATIONS} iterations, a salt and a 32-byte hash")
    return hashed


def read_logins(value: str | None) -> list[Login] | None:
    """--auth user:password, or the path of a file with one user:password (or user:HASH) a line;
    blank lines and lines starting with # are skipped."""
    if not value:
        return None
    lines = [value]
    path = Path(value).expanduser()
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--auth file {value} cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
        if not lines:
            raise InputError(f"--auth file {value} holds no user:password line")
    logins = []
    for line in lines:
        user, sep, secret = line.partition(":")
        if not sep or not user.strip() or not secret:
            raise InputError("--auth expects user:password (or a file of such lines)")
        logins.append(Login(user.strip(), parse_secret(secret)))
    return logins


def _matches(secret: str | Hashed, password: str) -> bool:
    given = password.encode("utf-8")
    if isinstance(secret, Hashed):
        derived = hashlib.pbkdf2_hmac("sha256", given, secret.salt, secret.iterations)
        return hmac.compare_digest(derived, secret.digest)
    return hmac.compare_digest(given, secret.encode("utf-8"))


def checker(logins: list[Login]):
    """The (username, password) -> bool that Gradio's launch(auth=…) calls at each login."""
    by_user = {login.user: login.secret for login in logins}
    # Checked when the name is unknown, so that an unknown name costs what a known one does.
    hashed = [s.iterations for s in by_user.values() if isinstance(s, Hashed)]
    dummy: str | Hashed = Hashed(max(hashed), b"rag-no-such-user", bytes(32)) if hashed else "\x00"

    def check(username: str, password: str) -> bool:
        secret = by_user.get(username)
        if secret is None:
            _matches(dummy, password)
            return False
        return _matches(secret, password)

    return check


def async_checker(logins: list[Login]):
    """checker() for Gradio, run on a worker thread: a hash takes a good fraction of a second,
    and on the server's event loop it would stall every answer being streamed meanwhile."""
    check = checker(logins)

    async def check_off_the_loop(username: str, password: str) -> bool:
        return await asyncio.to_thread(check, username, password)

    return check_off_the_loop
