"""Who may reach the chat: the loopback rule, hashed passwords, failed logins slowed down."""

import asyncio
import time

import pytest

from rag.errors import InputError
from rag.serve.access import check_exposure, is_loopback
from rag.serve.passwords import Hashed, Login, async_checker, checker, hash_password, parse_secret, read_logins
from rag.serve.throttle import LoginThrottle, ThrottleLogins


def test_only_loopback_addresses_count_as_this_machine():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "", "192.0.2.2", "10.1.2.3", "no-such-host.invalid"):
        assert not is_loopback(host), host


def test_off_loopback_needs_a_login_or_read_only():
    check_exposure("127.0.0.1", login=False, read_only=False)  # as before: open on this machine
    check_exposure("0.0.0.0", login=True, read_only=False)
    check_exposure("0.0.0.0", login=False, read_only=True)
    with pytest.raises(InputError) as info:
        check_exposure("0.0.0.0", login=False, read_only=False)
    message = str(info.value)
    assert "\n" not in message and "--auth" in message and "--read-only" in message and "hash-password" in message


def test_a_hashed_password_is_checked_and_the_plain_one_too():
    stored = hash_password("correct horse", iterations=20_000, salt=b"0123456789abcdef")
    assert stored.startswith("pbkdf2_sha256$20000$") and stored.count("$") == 3
    secret = parse_secret(stored)
    assert isinstance(secret, Hashed) and secret.salt == b"0123456789abcdef"
    # Two hashes of one password differ (a fresh salt each time) and both check.
    assert hash_password("pw", iterations=20_000) != hash_password("pw", iterations=20_000)
    check = checker([Login("ann", secret), Login("bob", "plain:pw")])
    assert check("ann", "correct horse") and not check("ann", "correct horse ") and not check("ann", "")
    assert check("bob", "plain:pw") and not check("bob", "plain")
    assert not check("carol", "correct horse")  # unknown: refused, at the cost of a known name
    assert not check("ann", "plain:pw")
    # What the server is given: the same check, off its event loop.
    check_async = async_checker([Login("ann", secret)])
    assert asyncio.run(check_async("ann", "correct horse")) and not asyncio.run(check_async("ann", "x"))


def test_a_broken_hash_is_one_clear_error(tmp_path):
    for bad in ("pbkdf2_sha256$x$YQ==$YQ==", "pbkdf2_sha256$20000$@@$YQ==", "pbkdf2_sha256$20000$YQ==$YQ=="):
        with pytest.raises(InputError) as info:
            read_logins(f"ann:{bad}")
        assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="at least"):
        parse_secret(hash_password("pw", iterations=100))
    empty = tmp_path / "users"
    empty.write_text("# nobody yet\n")
    with pytest.raises(InputError, match="no user:password line"):
        read_logins(str(empty))


def test_failed_logins_wait_longer_and_longer_per_address():
    now = [1000.0]
    throttle = LoginThrottle(free=3, max_wait=60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.begin("10.0.0.9") == 0
        throttle.end("10.0.0.9", succeeded=False)
    assert throttle.begin("10.0.0.9") == pytest.approx(1.0)  # the third failure: 1 s to wait
    assert throttle.begin("10.0.0.8") == 0  # another address is not held up
    throttle.end("10.0.0.8", succeeded=True)
    waits = []
    for _ in range(8):
        now[0] += throttle.begin("10.0.0.9")
        assert throttle.begin("10.0.0.9") == 0
        throttle.end("10.0.0.9", succeeded=False)
        waits.append(throttle.begin("10.0.0.9"))
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]
    # One try at a time: a second one while the first is checked waits too.
    now[0] += 60
    assert throttle.begin("10.0.0.9") == 0 and throttle.begin("10.0.0.9") >= 1
    throttle.end("10.0.0.9", succeeded=True)  # the right password clears the record
    assert throttle.begin("10.0.0.9") == 0


def test_the_middleware_refuses_a_waiting_address_before_the_password_is_checked():
    checked = []

    async def gradio(scope, receive, send):  # stands in for Gradio's /login: always wrong
        checked.append(scope["path"])
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = ThrottleLogins(gradio, LoginThrottle(free=2, clock=time.monotonic))

    def post(path: str) -> tuple[int, dict]:
        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": path, "client": ("10.0.0.7", 5000)}
        asyncio.run(app(scope, None, send))
        return sent[0]["status"], dict(sent[0]["headers"])

    assert [post("/login")[0] for _ in range(3)] == [400, 400, 429]
    status, headers = post("/login/")
    assert status == 429 and int(headers[b"retry-after"]) >= 1
    assert checked == ["/login", "/login"]
    assert post("/config")[0] == 400  # other routes pass as they are


def test_hash_password_writes_a_line_the_auth_file_takes(monkeypatch, capsys, tmp_path):
    import io

    from rag.serve.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    assert main(["hash-password", "ann"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("ann:pbkdf2_sha256$600000$") and "correct horse" not in line
    users = tmp_path / "users"
    users.write_text(line + "\n")
    check = checker(read_logins(str(users)))
    assert check("ann", "correct horse") and not check("ann", "correct")
    for user, password in (("a:b", "pw\n"), ("ann", "\n")):
        monkeypatch.setattr("sys.stdin", io.StringIO(password))
        assert main(["hash-password", user]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1
