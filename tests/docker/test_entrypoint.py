"""docker/entrypoint.sh on the host, against a fresh PostgreSQL database: the container's whole start.

Needs the app's venv (run with .venv/bin/python) and PostgreSQL at 127.0.0.1:5432 (user postgres,
trust auth), or SNS_TEST_PG_ADMIN_URL. Each run creates its own database and drops it afterwards.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
PG_ADMIN_URL = os.environ.get("SNS_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
GRACEFUL_TIMEOUT = 10
STARTUP_LIMIT = 180  # migrations + seed + boot on a 2-core CI machine take ~15 s; this is a ceiling
DEMO_LOGIN = {"username": "demo", "password": "demo-password-2024"}  # create_dummy_data's demo user
HOST = "localhost"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(workdir, database_url):
    """Only what the container would get: nothing leaks in from the caller's environment."""
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "LANG": "C.UTF-8",
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "entrypoint-test-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DATABASE_URL": database_url,
        "RUN_MIGRATIONS": "true",
        "AUTO_SEED": "true",
        "DB_WAIT_TIMEOUT": "30",
        "THROTTLE_ENABLED": "false",
        "METRICS_TOKEN": "entrypoint-test-metrics-token",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT),
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
    }


def request(port, path, *, method="GET", headers=None, body=None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Host": HOST, "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def json_lines(path):
    lines = []
    for line in Path(path).read_text(errors="replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                lines.append(json.loads(line))
    return lines


def wait_for(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()


@pytest.fixture(scope="module")
def database_url():
    name = f"sns_entrypoint_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin_url = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_URL)
    yield f"postgres://{admin_url.get('user', 'postgres')}@127.0.0.1:{admin_url.get('port', 5432)}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Entrypoint:
    """docker/entrypoint.sh started from an unrelated directory, its output kept in files."""

    def __init__(self, workdir, env, args=()):
        self.workdir, self.env = workdir, env
        self.stdout, self.stderr = workdir / "stdout.log", workdir / "stderr.log"
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            self.proc = subprocess.Popen(
                [str(ENTRYPOINT), *args],
                cwd=workdir,
                env=env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def output(self):
        return (
            f"--- stdout\n{self.stdout.read_text(errors='replace')[-4000:]}\n"
            f"--- stderr\n{self.stderr.read_text(errors='replace')[-4000:]}"
        )

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def manage(env, *args):
    env = {k: v for k, v in env.items() if k != "PROMETHEUS_MULTIPROC_DIR"}  # keep the server's metrics clean
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def user_count(env):
    return int(
        manage(env, "shell", "-c", "from users.models import User; print(User.objects.count())")
        .strip()
        .splitlines()[-1]
    )


def test_gives_up_when_the_database_never_answers(tmp_path):
    port = free_port()  # nothing listens there
    env = base_env(tmp_path, f"postgres://postgres@127.0.0.1:{port}/nothing")
    env["DB_WAIT_TIMEOUT"] = "3"
    started = time.monotonic()
    entry = Entrypoint(tmp_path, env)
    try:
        returncode = entry.proc.wait(timeout=30)
    finally:
        entry.kill()
    elapsed = time.monotonic() - started
    assert returncode != 0, entry.output()
    assert 3 <= elapsed < 20, f"waited {elapsed:.1f}s for DB_WAIT_TIMEOUT=3"
    stderr = entry.stderr.read_text()
    assert "database not ready" in stderr and "database not reachable within 3s" in stderr
    assert "applying migrations" not in stderr and "starting:" not in stderr


class DelayedProxy:
    """A TCP relay to PostgreSQL that starts listening only when asked: a database coming up late."""

    def __init__(self, target):
        self.port, self.target, self.server = free_port(), target, None

    def start(self):
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        if self.server:
            self.server.close()


def test_waits_for_a_database_that_comes_up_late(database_url, tmp_path):
    pg = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_URL)
    proxy = DelayedProxy((pg.get("host", "127.0.0.1"), int(pg.get("port", 5432))))
    env = base_env(tmp_path, database_url.replace(":5432/", f":{proxy.port}/"))
    env.update(RUN_MIGRATIONS="false", AUTO_SEED="false", DB_WAIT_TIMEOUT="30")
    entry = Entrypoint(tmp_path, env, ["python", "-c", "print('command ran')"])
    try:
        assert wait_for(lambda: "database not ready" in entry.stderr.read_text(), 15), entry.output()
        assert entry.proc.poll() is None, "gave up instead of waiting"
        proxy.start()
        assert entry.proc.wait(timeout=20) == 0, entry.output()
    finally:
        entry.kill()
        proxy.close()
    assert "database ready" in entry.stderr.read_text()
    assert "applying migrations" not in entry.stderr.read_text(), "RUN_MIGRATIONS=false"
    assert entry.stdout.read_text().strip().endswith("command ran")


@pytest.fixture(scope="module")
def stack(database_url, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("entrypoint")
    env = base_env(workdir, database_url)
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    stale = workdir / "prometheus" / "counter_999999.db"
    stale.parent.mkdir()
    stale.write_bytes(b"left over from a previous run")
    entry = Entrypoint(workdir, env)

    def healthy():
        if entry.proc.poll() is not None:
            pytest.fail(f"entrypoint exited with {entry.proc.returncode}\n{entry.output()}")
        try:
            return request(port, "/healthz")[0] == 200
        except OSError:
            return False

    started = time.monotonic()
    if not wait_for(healthy, STARTUP_LIMIT, interval=0.5):
        entry.kill()
        pytest.fail(f"not serving after {STARTUP_LIMIT}s\n{entry.output()}")
    entry.port, entry.startup_seconds, entry.stale_metrics = port, time.monotonic() - started, stale
    yield entry
    entry.kill()


def test_migrations_are_applied(stack):
    manage(stack.env, "migrate", "--check", "--noinput")


def test_demo_data_is_seeded_and_the_demo_user_can_log_in(stack):
    assert user_count(stack.env) >= 2
    status, _, body = request(
        stack.port, "/api/v1/auth/token/", method="POST", body=DEMO_LOGIN, headers={"X-Forwarded-Proto": "https"}
    )
    assert status == 200, body
    assert {"access", "refresh"} <= json.loads(body).keys()


def test_liveness_and_readiness(stack):
    assert request(stack.port, "/healthz")[0] == 200
    status, _, body = request(stack.port, "/readyz")
    assert status == 200 and json.loads(body)["database"] == "ok"


def test_access_log_is_json_with_the_request_id(stack):
    given = f"entrypoint-test-{uuid.uuid4().hex}"
    status, headers, _ = request(
        stack.port, "/api/v1/users/", headers={"X-Request-ID": given, "X-Forwarded-Proto": "https"}
    )
    assert status == 401 and headers["X-Request-ID"] == given
    status, headers, _ = request(stack.port, "/api/v1/users/", headers={"X-Forwarded-Proto": "https"})
    generated = headers["X-Request-ID"]
    assert status == 401 and generated

    def logged(request_id):
        return [line for line in json_lines(stack.stdout) if line.get("request_id") == request_id]

    for request_id in (given, generated):
        lines = wait_for(lambda rid=request_id: logged(rid), 10)
        assert len(lines) == 1, stack.output()
        assert lines[0]["path"] == "/api/v1/users/" and lines[0]["status"] == 401
        assert lines[0]["logger"] == "gunicorn.access" and lines[0]["duration_ms"] >= 0


def test_gunicorn_error_log_is_json(stack):
    messages = [line["message"] for line in json_lines(stack.stderr) if line.get("logger") == "gunicorn.error"]
    assert any(f"Listening at: http://127.0.0.1:{stack.port}" in m for m in messages), stack.output()
    assert sum("Booting worker" in m for m in messages) >= 2


def test_metrics_are_multiprocess_and_stale_files_are_cleared(stack):
    assert not stack.stale_metrics.exists()
    for _ in range(4):  # spread over both workers
        request(stack.port, "/healthz")
    status, _, body = request(stack.port, "/metrics", headers={"Authorization": "Bearer entrypoint-test-metrics-token"})
    assert status == 200, body[:500]
    text = body.decode()
    assert "\ngunicorn_workers 2.0\n" in text
    assert "django_http_requests_total_by_method_total" in text


def test_sigterm_stops_gracefully_with_status_0(stack):
    """Runs after the tests above (file order): it stops the server they use."""
    started = time.monotonic()
    stack.proc.send_signal(signal.SIGTERM)
    try:
        returncode = stack.proc.wait(timeout=GRACEFUL_TIMEOUT + 10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {GRACEFUL_TIMEOUT + 10}s after SIGTERM\n{stack.output()}")
    assert returncode == 0, stack.output()
    assert time.monotonic() - started < GRACEFUL_TIMEOUT + 5
    assert any("Shutting down" in line.get("message", "") for line in json_lines(stack.stderr))


def test_a_given_command_runs_after_startup_and_seeding_is_not_repeated(stack, tmp_path):
    before = user_count(stack.env)
    env = {**stack.env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}
    entry = Entrypoint(
        tmp_path,
        env,
        ["python", "manage.py", "shell", "-c", "from users.models import User; print('users', User.objects.count())"],
    )
    try:
        returncode = entry.proc.wait(timeout=120)
    finally:
        entry.kill()
    assert returncode == 0, entry.output()
    assert f"users {before}" in entry.stdout.read_text(), entry.output()
    assert "dummy data not added" in entry.stdout.read_text()
