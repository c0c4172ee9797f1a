"""smoke_test.sh against a small local stand-in of the API (loopback only)."""

import http.server
import json
import subprocess
import threading

import pytest

from conftest import SCRIPTS_DIR, script_env

USERNAME = "smoke"
PASSWORD = "p4ss 'with\" quotes\\ and $dollars"
TOKEN = "header.payload.signature-not-for-logs"


class FakeApi(http.server.BaseHTTPRequestHandler):
    behaviour = {}
    log = []

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.log.append(("GET", self.path, self.headers.get("Authorization")))
        if self.path.split("?")[0] == "/readyz":
            statuses = self.behaviour.setdefault("readyz", [200])
            status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            return self.reply(status, {"status": "ok" if status == 200 else "unavailable"})
        if self.path == "/api/v1/feed/":
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.reply(401, {"detail": "Authentication credentials were not provided."})
            status = self.behaviour.get("feed", 200)
            body = self.behaviour.get("feed_body", {"next": None, "previous": None, "results": []})
            return self.reply(status, body)
        return self.reply(404, {"detail": "Not found."})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.log.append(("POST", self.path, body))
        if self.path == "/api/v1/auth/token/":
            if body == {"username": USERNAME, "password": PASSWORD} and not self.behaviour.get("login_broken"):
                return self.reply(200, {"access": TOKEN, "refresh": "r"})
            return self.reply(401, {"detail": "No active account found with the given credentials"})
        return self.reply(404, {"detail": "Not found."})


@pytest.fixture
def api():
    FakeApi.behaviour = {}
    FakeApi.log = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FakeApi, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def smoke(base_url, tmp_path, password=PASSWORD, **env):
    defaults = {
        "SMOKE_USERNAME": USERNAME,
        "SMOKE_PASSWORD": password,
        "SMOKE_READY_TIMEOUT": 3,
        "SMOKE_RETRY_INTERVAL": 0.1,
        "SMOKE_REQUEST_TIMEOUT": 5,
    }
    defaults.update(env)
    bin_dir = tmp_path / "nobin"
    bin_dir.mkdir(exist_ok=True)
    return subprocess.run(
        [str(SCRIPTS_DIR / "smoke_test.sh"), base_url + "/"],
        env=script_env(bin_dir, **defaults),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_passes_readiness_login_and_feed(api, tmp_path):
    handler, url = api
    result = smoke(url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout
    assert [entry[:2] for entry in handler.log] == [
        ("GET", "/readyz"),
        ("POST", "/api/v1/auth/token/"),
        ("GET", "/api/v1/feed/"),
    ]


def test_never_prints_the_password_or_the_token(api, tmp_path):
    handler, url = api
    handler.behaviour["feed"] = 500
    result = smoke(url, tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert PASSWORD not in output and TOKEN not in output


def test_waits_for_readiness(api, tmp_path):
    handler, url = api
    handler.behaviour["readyz"] = [503, 503, 200]
    result = smoke(url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("wait GET") == 2


def test_fails_when_never_ready(api, tmp_path):
    handler, url = api
    handler.behaviour["readyz"] = [503]
    result = smoke(url, tmp_path, SMOKE_READY_TIMEOUT=1)
    assert result.returncode == 1
    assert "answered 503" in result.stderr
    assert not [entry for entry in handler.log if entry[0] == "POST"], "no login before readiness"


def test_fails_on_a_refused_login(api, tmp_path):
    handler, url = api
    result = smoke(url, tmp_path, password="wrong")
    assert result.returncode == 1
    assert "POST /api/v1/auth/token/ -> 401" in result.stderr
    assert not [entry for entry in handler.log if entry[1] == "/api/v1/feed/"]


@pytest.mark.parametrize(
    ("feed", "body", "message"),
    [
        (500, {"detail": "boom"}, "GET /api/v1/feed/ -> 500"),
        (200, {"detail": "not a page"}, "no results list"),
    ],
)
def test_fails_on_a_broken_feed(api, tmp_path, feed, body, message):
    handler, url = api
    handler.behaviour.update(feed=feed, feed_body=body)
    result = smoke(url, tmp_path)
    assert result.returncode == 1
    assert message in result.stderr


def test_fails_when_nothing_answers(tmp_path):
    result = smoke("http://127.0.0.1:9", tmp_path, SMOKE_READY_TIMEOUT=0)
    assert result.returncode == 1
    assert "answered 000" in result.stderr


def test_asks_readiness_where_told(api, tmp_path):
    handler, url = api
    result = smoke(url, tmp_path, SMOKE_READY_URL=f"{url}/readyz?via=service")
    assert result.returncode == 0, result.stderr
    assert handler.log[0][:2] == ("GET", "/readyz?via=service")
