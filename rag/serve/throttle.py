"""Failed logins slow down, per client address: the first few are free (a typo), then each
further failure makes the address wait twice as long before its next try is even checked (1 s,
2 s, 4 s … up to 5 min), and one address has one login in flight at a time, so waiting cannot
be dodged by trying in parallel. A login that succeeds clears the address's record.

It sits in front of Gradio's POST /login, the one door of both the login page and the API
clients (gradio_client logs in there too), as a plain ASGI middleware: the address is the
connection's peer (a reverse proxy in front would make every visitor one address)."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FREE_FAILURES = 5
MAX_WAIT_S = 300.0
LOGIN_PATHS = ("/login", "/login/")
# Shown on the login page: Gradio's page says nothing of a 429 (only of a 400), so a person whose
# address is waiting is told beforehand why a login may seem to do nothing.
LOGIN_PAGE_NOTE = (
    f"After {FREE_FAILURES} wrong passwords from one address, each next try waits 1 s, then 2 s, 4 s … "
    f"(up to {int(MAX_WAIT_S // 60)} min) before it is checked: a login that seems to do nothing is waiting."
)
_KEPT_ADDRESSES = 10_000  # past this, addresses with nothing to wait for are forgotten


@dataclass
class Record:
    failures: int = 0
    until: float = 0.0  # monotonic time before which the address is not checked
    busy: bool = False  # a login of this address is being checked now


class LoginThrottle:
    """Failed logins by address, and how long each address must wait."""

    def __init__(
        self, free: int = FREE_FAILURES, max_wait: float = MAX_WAIT_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.free, self.max_wait, self.clock = free, max_wait, clock
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()

    def begin(self, address: str) -> float:
        """0 when the address may try now (and it is marked busy), else the seconds it must wait."""
        with self.lock:
            record = self.records.setdefault(address, Record())
            wait = record.until - self.clock()
            if record.busy:
                return max(wait, 1.0)
            if wait > 0:
                return wait
            record.busy = True
            return 0.0

    def end(self, address: str, succeeded: bool | None) -> None:
        """After the check: None when the request said nothing about the password (a bad form)."""
        with self.lock:
            record = self.records.setdefault(address, Record())
            record.busy = False
            if succeeded:
                del self.records[address]
            elif succeeded is False:
                record.failures += 1
                if record.failures >= self.free:
                    record.until = self.clock() + min(2.0 ** (record.failures - self.free), self.max_wait)
            self._forget_old()

    def _forget_old(self) -> None:
        if len(self.records) > _KEPT_ADDRESSES:
            now = self.clock()
            for address in [a for a, r in self.records.items() if not r.busy and r.until < now]:
                del self.records[address]


class ThrottleLogins:
    """The ASGI middleware: POST /login goes through the throttle; every other request passes."""

    def __init__(self, app: Any, throttle: LoginThrottle) -> None:
        self.app, self.throttle = app, throttle

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") not in LOGIN_PATHS:
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown",))[0]
        wait = self.throttle.begin(address)
        if wait > 0:
            await _refuse(send, math.ceil(wait))
            return
        status: dict[str, int] = {}

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            code = status.get("code")
            # Gradio answers a wrong login 400 ("Incorrect credentials"), a right one 200.
            self.throttle.end(address, True if code == 200 else False if code in (400, 401) else None)


async def _refuse(send: Callable, seconds: int) -> None:
    body = json.dumps({"detail": f"Too many failed logins from this address: try again in {seconds} s."}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(seconds).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
