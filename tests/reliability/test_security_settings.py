"""Security settings as a client meets them: hashing, CORS, HTTPS headers, login and register throttles.

`manage.py check --deploy` is covered by sns/tests/test_production_settings.py; this checks the
behaviour behind it on the running production configuration.
"""

import itertools
import secrets

import pytest
from stack import ALLOWED_ORIGIN, AppServer, http

HTTPS = {"X-Forwarded-Proto": "https"}
_addresses = itertools.count(1)


def client_ip():
    """A distinct client address, as the load balancer appends it to X-Forwarded-For."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def test_passwords_are_stored_with_argon2id(make_user, db):
    user = make_user("hashed")
    [[stored]] = db(f"SELECT password FROM users_user WHERE id = {user['id']}")  # noqa: S608 - id from the API
    assert stored.startswith("argon2$argon2id$"), stored[:20]
    assert user["password"] not in stored


def test_cors_allows_the_listed_origin_only(server, alice):
    headers = {"Authorization": f"Bearer {alice['access']}"}
    allowed = http("GET", server.base_url + "/api/v1/posts/", headers={**headers, "Origin": ALLOWED_ORIGIN})
    other = http("GET", server.base_url + "/api/v1/posts/", headers={**headers, "Origin": "https://evil.example"})

    assert allowed.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
    assert "link" in allowed.headers.get("access-control-expose-headers", "").lower()
    assert "access-control-allow-origin" not in other.headers
    assert allowed.headers.get("access-control-allow-credentials") != "true" or ALLOWED_ORIGIN != "*"


@pytest.mark.parametrize(
    ("origin", "allowed"), [(ALLOWED_ORIGIN, True), ("https://evil.example", False), ("null", False)]
)
def test_cors_preflight(server, origin, allowed):
    response = http(
        "OPTIONS",
        server.base_url + "/api/v1/posts/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status == 200
    assert (response.headers.get("access-control-allow-origin") == origin) is allowed
    if allowed:
        assert "authorization" in response.headers.get("access-control-allow-headers", "").lower()


def test_api_responses_carry_the_security_headers(server, alice):
    response = http(
        "GET", server.base_url + "/api/v1/posts/", headers={**HTTPS, "Authorization": f"Bearer {alice['access']}"}
    )
    assert response.status == 200
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "same-origin"
    assert response.headers.get("x-frame-options") == "DENY"
    assert response.headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains; preload"
    assert "csrftoken" not in response.headers.get("set-cookie", "")


def test_error_responses_leak_no_internals(server, alice):
    response = http(
        "GET", server.base_url + "/api/v1/posts/999999999/", headers={"Authorization": f"Bearer {alice['access']}"}
    )
    assert response.status == 404
    assert b"Traceback" not in response.body and b"django" not in response.body.lower()
    assert "server" not in response.headers or "django" not in response.headers["server"].lower()


# --- a second service with production's defaults: HTTPS redirect and throttles on ---------------
@pytest.fixture(scope="module")
def guarded(postgres, workdir):
    app = AppServer(
        postgres.create_database("sns_guarded"),
        workdir / "guarded",
        workers=1,  # one process: the throttle counters (local memory without Redis) are all in it
        extra_env={"THROTTLE_ENABLED": "true", "DJANGO_SECURE_SSL_REDIRECT": "true"},
    )
    app.prepare(seed=False)
    app.start()
    yield app
    app.stop()


WRONG_PASSWORD = "wrong-password"


def login(server, username, ip):
    return http(
        "POST",
        server.base_url + "/api/v1/auth/token/",
        json_body={"username": username, "password": WRONG_PASSWORD},
        headers={**HTTPS, "X-Forwarded-For": ip},
    )


def test_plain_http_is_redirected_to_https_but_probes_are_not(guarded):
    redirect = http("GET", guarded.base_url + "/api/v1/posts/")
    assert redirect.status == 301
    assert redirect.headers["location"].startswith("https://")
    assert http("GET", guarded.base_url + "/healthz").status == 200
    assert http("GET", guarded.base_url + "/readyz").status == 200


def test_login_is_throttled_per_username_across_addresses(guarded):
    username = f"victim-{secrets.token_hex(4)}"
    results = [login(guarded, username, client_ip()).status for _ in range(12)]
    assert results[:10] == [401] * 10
    assert results[10:] == [429, 429]


def test_login_is_throttled_per_address_across_usernames(guarded):
    ip = client_ip()
    results = [login(guarded, f"guess-{secrets.token_hex(4)}", ip) for _ in range(22)]
    statuses = [response.status for response in results]
    assert statuses[:20] == [401] * 20
    assert statuses[20:] == [429, 429]
    assert int(results[-1].headers["retry-after"]) > 0
    assert results[-1].json()["errors"][0]["code"] == "throttled"


def test_register_is_throttled_per_address(guarded):
    ip = client_ip()
    statuses = [
        http(
            "POST",
            guarded.base_url + "/api/v1/auth/register/",
            json_body={"username": f"bulk-{secrets.token_hex(4)}", "password": "Rel1ability-pass-phrase"},
            headers={**HTTPS, "X-Forwarded-For": ip},
        ).status
        for _ in range(11)
    ]
    assert statuses == [201] * 10 + [429]


def test_a_forged_x_forwarded_for_does_not_reset_the_address_throttle(guarded):
    """The load balancer appends the real client address; whatever the client put before it is not trusted."""
    real = client_ip()
    statuses = [
        login(guarded, f"spray-{secrets.token_hex(4)}", f"{secrets.randbelow(255)}.1.2.3, {real}").status
        for _ in range(22)
    ]
    assert 429 in statuses
