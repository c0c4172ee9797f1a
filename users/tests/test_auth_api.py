import pytest
from rest_framework.test import APIClient

from users.models import User

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"


def register(client, **body):
    return client.post(REGISTER, {"username": "newbie", "password": "correct-horse-battery", **body}, format="json")


def test_register_creates_a_user_and_never_returns_the_password():
    response = register(APIClient(), email="n@example.com", display_name="New")

    assert response.status_code == 201
    assert response.data["username"] == "newbie"
    assert response.data["display_name"] == "New"
    assert "password" not in response.data
    stored = User.objects.get(username="newbie")
    assert stored.password.startswith("md5$") or "$" in stored.password  # hashed, not the plain text
    assert stored.check_password("correct-horse-battery")


def test_usernames_are_unique_case_insensitively(make_user):
    make_user("Newbie")

    response = register(APIClient())

    assert response.status_code == 400
    assert response.data["errors"][0]["attr"] == "username"


@pytest.mark.parametrize("password", ["short", "12345678901", "password"])
def test_weak_passwords_are_refused_naming_the_field(password):
    response = register(APIClient(), password=password)

    assert response.status_code == 400
    assert {error["attr"] for error in response.data["errors"]} == {"password"}
    assert not User.objects.filter(username="newbie").exists()


def test_register_validation_names_each_failing_field():
    response = APIClient().post(REGISTER, {"email": "not-an-email"}, format="json")

    assert response.status_code == 400
    assert {error["attr"] for error in response.data["errors"]} == {"username", "password", "email"}


def test_token_pair_for_good_credentials_and_401_for_bad(make_user):
    make_user("dora")
    client = APIClient()

    good = client.post(TOKEN, {"username": "dora", "password": "a-Strong-passw0rd"}, format="json")
    bad = client.post(TOKEN, {"username": "dora", "password": "wrong"}, format="json")

    assert good.status_code == 200
    assert set(good.data) >= {"access", "refresh"}
    assert bad.status_code == 401


def test_access_token_authenticates_requests(make_user):
    make_user("dora")
    client = APIClient()
    tokens = client.post(TOKEN, {"username": "dora", "password": "a-Strong-passw0rd"}, format="json").data

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert client.get("/api/v1/users/me/").data["username"] == "dora"


def test_every_endpoint_but_the_public_ones_needs_authentication():
    client = APIClient()
    for path in ["/api/v1/users/", "/api/v1/users/me/", "/api/v1/posts/", "/api/v1/feed/", "/api/v1/posts/mine/"]:
        assert client.get(path).status_code == 401, path
    assert client.post("/api/v1/posts/", {"content": "x"}, format="json").status_code == 401
    assert client.post(LOGOUT, {"refresh": "x"}, format="json").status_code == 401


def test_a_forged_access_token_is_401(make_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.forged")

    assert client.get("/api/v1/users/me/").status_code == 401


def test_refresh_rotates_and_the_old_refresh_token_stops_working(make_user):
    make_user("dora")
    client = APIClient()
    tokens = client.post(TOKEN, {"username": "dora", "password": "a-Strong-passw0rd"}, format="json").data

    first = client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    again = client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")

    assert first.status_code == 200 and "access" in first.data
    assert again.status_code == 401


def test_logout_blacklists_the_refresh_token(make_user):
    make_user("dora")
    client = APIClient()
    tokens = client.post(TOKEN, {"username": "dora", "password": "a-Strong-passw0rd"}, format="json").data
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_nobody_can_log_out_someone_else(make_user):
    make_user("dora")
    mallory = make_user("mallory")
    client = APIClient()
    doras = client.post(TOKEN, {"username": "dora", "password": "a-Strong-passw0rd"}, format="json").data
    client.force_authenticate(mallory)

    response = client.post(LOGOUT, {"refresh": doras["refresh"]}, format="json")

    assert response.status_code == 400
    assert client.post(REFRESH, {"refresh": doras["refresh"]}, format="json").status_code == 200


def test_login_is_throttled_with_retry_after(make_user, settings):
    settings.THROTTLE_ENABLED = True
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    statuses = [
        client.post(TOKEN, {"username": "nobody", "password": "wrong"}, format="json").status_code for _ in range(25)
    ]
    throttled = client.post(TOKEN, {"username": "nobody", "password": "wrong"}, format="json")

    assert 429 in statuses
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    cache.clear()
