"""With --auth, every page and every API route needs the login; checked with a real HTTP client."""

import httpx
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def locked(tmp_path_factory, start_server):
    with start_server(tmp_path_factory.mktemp("locked"), "--auth", "ann:s3cret-pw") as server:
        yield server.url


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("GET", "config"),
        ("GET", "gradio_api/info"),
        ("GET", "gradio_api/queue/status"),
        ("POST", "gradio_api/upload"),
        ("POST", "gradio_api/queue/join"),
        ("POST", "gradio_api/call/answer"),
    ],
)
def test_routes_refuse_visitors_without_the_login(locked, method, route):
    files = {"files": ("x.txt", b"hello")} if route.endswith("upload") else None
    body = None if files else {"data": ["Who is India's ambassador to Belarus?", ""], "fn_index": 0}
    response = httpx.request(method, locked + route, files=files, json=body, timeout=30)
    assert response.status_code in (401, 403), (route, response.status_code)


def test_the_api_refuses_without_login_and_answers_with_it(locked):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    # refused for want of the login, not for any other reason
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(locked, verbose=False).predict("Who is India's ambassador to Belarus?", "", api_name="/answer")
    with pytest.raises(ValueError, match="Could not login"):  # the wrong password
        Client(locked, auth=("ann", "wrong"), verbose=False)
    answer = Client(locked, auth=("ann", "s3cret-pw"), verbose=False).predict(
        "Who is India's ambassador to Belarus?", "", api_name="/answer"
    )
    assert "Ashok Kumar" in answer["text"]


def test_the_page_asks_for_the_login(locked):
    page = httpx.get(locked, timeout=30)
    assert page.status_code == 200
    with httpx.Client(base_url=locked, timeout=30) as session:
        assert session.post("login", data={"username": "ann", "password": "nope"}).status_code in (400, 401)
        assert session.post("login", data={"username": "ann", "password": "s3cret-pw"}).status_code == 200
        assert session.get("config").status_code == 200
