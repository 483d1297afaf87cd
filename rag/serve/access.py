"""Who may change the corpus: on loopback only this machine's users can reach the chat, so it
starts open as it always has; on any other address it starts only with a login (--auth) or as a
read-only chat (--read-only: questions and answers, no upload, no removal)."""

from __future__ import annotations

import ipaddress
import socket

from ..errors import InputError

HOW_TO_SHARE = (
    "add a login with --auth user:password (or --auth FILE, one user:password a line; "
    "`rag hash-password USER` writes a hashed line), or serve questions only with --read-only"
)


def is_loopback(host: str) -> bool:
    """True when every address the host names is a loopback one ("0.0.0.0" and "" are every
    interface, so not loopback; a name that does not resolve is not trusted either)."""
    host = host.strip().strip("[]")
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def check_exposure(host: str, login: bool, read_only: bool) -> None:
    """InputError, one line saying how to share safely, when the corpus would be open to anyone
    who can reach the port."""
    if login or read_only or is_loopback(host):
        return
    raise InputError(f"refusing to serve {host or 'every address'} without a login: {HOW_TO_SHARE}")
