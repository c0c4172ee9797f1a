"""The service as it runs in production, on loopback: a private PostgreSQL and gunicorn.

Used by the reliability tests (tests/reliability/test_*.py) and by the load and fault script
(tests/reliability/load_faults.py). Nothing here touches the machine's shared PostgreSQL on
5432: each PrivatePostgres is an `initdb` cluster in a temporary folder, on its own port, started
and stopped by the code that made it.

Needs only the standard library, so it runs in the app's venv (.venv) as well as in
.tools/reliability.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_PYTHON = os.environ.get("SNS_APP_PYTHON") or str(REPO / ".venv" / "bin" / "python")
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
HOST_HEADER = "127.0.0.1"
ALLOWED_ORIGIN = "https://app.sns.example"  # the CORS allow-list of the test service


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met within {timeout:g}s")
        time.sleep(interval)


def _pg_tool(name: str) -> str:
    for directory in PG_BIN_CANDIDATES:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found (Debian: apt-get install postgresql)")
    return found


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb) on its own loopback port.

    Runs as the `postgres` system user when we are root (initdb refuses root). `stop(mode)` and
    `start()` let a test take it away and bring it back in the middle of a load.
    """

    def __init__(self, *, port: int | None = None, fsync: bool = True):
        self.port = port or free_port()
        self.fsync = fsync
        self.root = Path(tempfile.mkdtemp(prefix="sns-reliability-pg-"))
        self.datadir = self.root / "data"
        self.logfile = self.root / "postgres.log"
        self._as_postgres = os.geteuid() == 0

    # -- lifecycle ------------------------------------------------------------------------------
    def _run(self, *args, check=True, timeout=120):
        command = list(args)
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)

    def init(self) -> PrivatePostgres:
        if self._as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run(
            _pg_tool("initdb"),
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": "200",
            "fsync": "on" if self.fsync else "off",
            "synchronous_commit": "on",
            "shared_buffers": "64MB",
            "log_min_messages": "warning",
        }
        with open(self.datadir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# sns reliability checks\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        return self

    def start(self, timeout: float = 60) -> None:
        self._run(
            _pg_tool("pg_ctl"), "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", str(int(timeout)), "start"
        )
        wait_until(self.is_ready, timeout, what="PostgreSQL ready")

    def stop(self, mode: str = "fast") -> None:
        self._run(_pg_tool("pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "stop", check=False)

    def is_ready(self) -> bool:
        result = subprocess.run(
            [_pg_tool("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False, timeout=10
        )
        return result.returncode == 0

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [_pg_tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", "-d", database, "-c", sql],
            check=True, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return result.stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        self.init()
        self.start()
        return self

    def __exit__(self, *exc):
        self.destroy()


@dataclass
class AppServer:
    """gunicorn with the repository's gunicorn.conf.py and production settings, on 127.0.0.1."""

    database_url: str
    workdir: Path
    workers: int = 2
    threads: int = 1
    extra_env: dict = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    secret_key: str = field(default_factory=lambda: "reliability-only-" + secrets.token_urlsafe(48))
    proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def media_root(self) -> Path:
        return self.workdir / "media"

    def env(self) -> dict:
        environment = {
            "PATH": f"{Path(APP_PYTHON).parent}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "DB_CONNECT_TIMEOUT": "3",
            "MEDIA_ROOT": str(self.media_root),
            "THROTTLE_ENABLED": "false",
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / "prometheus"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_TIMEOUT": "30",
            "GUNICORN_GRACEFUL_TIMEOUT": "30",
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
        }
        environment.update(self.extra_env)
        return environment

    def manage(self, *args, timeout=300) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [APP_PYTHON, "manage.py", *args],
            cwd=REPO,
            env=self.env(),
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result

    def prepare(self, *, seed: bool = True) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.media_root.mkdir(exist_ok=True)
        (self.workdir / "prometheus").mkdir(exist_ok=True)
        self.manage("migrate", "--noinput", "--verbosity", "0")
        if seed:
            self.manage("create_dummy_data", "--if-empty", "--users", "12", "--verbosity", "0")

    def start(self, timeout: float = 60) -> None:
        self.log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(
            [APP_PYTHON, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "config.wsgi:application"],
            cwd=REPO,
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def up():
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}: see {self.workdir / 'gunicorn.log'}")
            with contextlib.suppress(OSError):
                return http("GET", self.base_url + "/readyz", timeout=2).status == 200
            return False

        wait_until(up, timeout, interval=0.2, what="gunicorn /readyz")

    def signal(self, sig=signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, timeout: float = 40) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()
        return self.proc.returncode

    def log_text(self) -> str:
        path = self.workdir / "gunicorn.log"
        return path.read_text(errors="replace") if path.exists() else ""


# -- HTTP ---------------------------------------------------------------------------------------
@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    elapsed: float

    def json(self):
        return json.loads(self.body)


def http(method, url, *, body=None, json_body=None, headers=None, timeout=15.0) -> Response:
    """One request on a fresh connection; raises OSError (timeouts included) when there is no answer."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    all_headers = {"Host": HOST_HEADER, "Accept": "application/json", "Connection": "close"}
    if json_body is not None:
        body = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        headers_out = {key.lower(): value for key, value in response.getheaders()}
        return Response(response.status, headers_out, data, time.monotonic() - started)
    finally:
        connection.close()


def multipart(fields: dict, files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """(body, content type) for form fields and (field, filename, content, content type) files."""
    boundary = "sns" + secrets.token_hex(12)
    chunks = []
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + (item if isinstance(item, bytes) else str(item).encode())
                + b"\r\n"
            )
    for name, filename, content, content_type in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class Api:
    """A client of the running service acting as one user (or anonymous)."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 15.0):
        self.base_url = base_url
        self.token = token
        self.timeout = timeout

    def headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method, path, *, json_body=None, body=None, headers=None, timeout=None) -> Response:
        return http(
            method,
            self.base_url + path,
            json_body=json_body,
            body=body,
            headers=self.headers(headers),
            timeout=timeout or self.timeout,
        )

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json_body=None, **kw):
        return self.request("POST", path, json_body=json_body, **kw)

    def upload(self, path, fields, files, method="POST", **kw):
        body, content_type = multipart(fields, files)
        return self.request(method, path, body=body, headers={"Content-Type": content_type}, **kw)


def register_and_login(base_url: str, username: str, password: str = "Rel1ability-pass-phrase") -> dict:  # noqa: S107 - throwaway test users on a private database
    """Creates a user through the API and returns {id, username, access, refresh, api}."""
    created = http("POST", base_url + "/api/v1/auth/register/", json_body={"username": username, "password": password})
    if created.status != 201:
        raise RuntimeError(f"register {username}: {created.status} {created.body[:300]!r}")
    tokens = http("POST", base_url + "/api/v1/auth/token/", json_body={"username": username, "password": password})
    if tokens.status != 200:
        raise RuntimeError(f"token {username}: {tokens.status} {tokens.body[:300]!r}")
    pair = tokens.json()
    return {
        "id": created.json()["id"],
        "username": username,
        "password": password,
        "access": pair["access"],
        "refresh": pair["refresh"],
        "api": Api(base_url, pair["access"]),
    }


# -- images -------------------------------------------------------------------------------------
def small_png(width=32, height=24, colour=(10, 120, 200)) -> bytes:
    """A valid PNG made with zlib alone (no Pillow needed in the tools venv)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def python_for_app() -> str:
    return APP_PYTHON if Path(APP_PYTHON).exists() else sys.executable
