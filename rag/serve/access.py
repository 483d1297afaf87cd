"""Who may change the corpus: on loopback only this machine's users can reach the chat, so it
starts open as it always has; on any other address it starts only with a login (--auth) or as a
read-only chat (--read-only: questions and answers, no upload, no removal)."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable
from typing import Any

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
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def check_exposure(host: str, login: bool, read_only: bool) -> None:
    """InputError, one line saying how to share safely, when the corpus would be open to anyone
    who can reach the port."""
    if login or read_only or is_loopback(host):
        return
    raise InputError(f"refusing to serve {host or 'every address'} without a login: {HOW_TO_SHARE}")


class ReadOnlyGate:
    """ASGI middleware of a read-only chat: file uploads are refused at the door (403), so that
    no visitor can even leave a file in the server's upload folder. The chat itself has no event
    that changes the corpus (ui.build_app leaves them out)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and scope.get("method") == "POST" and path.rstrip("/").endswith("/upload"):
            body = json.dumps({"detail": "This chat is read-only: documents cannot be added."}).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
