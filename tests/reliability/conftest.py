"""One running service for the whole session: a private PostgreSQL cluster and gunicorn on loopback.

Tests talk to it over HTTP only, as clients do; a few read the database with psql to check what
was (or was not) written.
"""

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from stack import ALLOWED_ORIGIN, AppServer, PrivatePostgres, register_and_login

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres():
    with PrivatePostgres() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def workdir():
    with tempfile.TemporaryDirectory(prefix="sns-reliability-") as folder:
        yield Path(folder)


def _server(postgres, workdir, name, **kwargs):
    server = AppServer(postgres.create_database(name), workdir / name, **kwargs)
    server.prepare()
    server.start()
    return server


@pytest.fixture(scope="session")
def server(postgres, workdir):
    """Production settings, throttling off, 4 sync workers: requests really run in parallel."""
    app = _server(postgres, workdir, "sns", workers=4, extra_env={"CORS_ALLOWED_ORIGINS": ALLOWED_ORIGIN})
    yield app
    app.stop()
    errors = [line for line in app.log_text().splitlines() if '"level": "ERROR"' in line and "/readyz" not in line]
    if errors:
        # A 5xx that a test tolerated or missed still shows, with its traceback.
        print(f"\n{len(errors)} server errors logged by gunicorn:\n" + "\n".join(errors[:5]))


@pytest.fixture(scope="session")
def db(postgres, server):
    """Run SQL on the service's database: db("SELECT ...") -> rows as lists of strings."""

    def query(sql):
        output = postgres.psql(sql, database="sns")
        return [line.split("|") for line in output.splitlines() if line]

    return query


@pytest.fixture(scope="session")
def make_user(server):
    """A fresh user with tokens and an API client: {id, username, access, refresh, api}.

    Registering hashes a password with Argon2 twice (register, login): tests share `alice` and
    `bob` for the session and make their own users only when they change them.
    """

    def make(prefix="user"):
        return register_and_login(server.base_url, f"{prefix}{os.getpid()}x{next(_numbers)}")

    return make


@pytest.fixture(scope="session")
def alice(make_user):
    return make_user("alice")


@pytest.fixture(scope="session")
def bob(make_user):
    return make_user("bob")
