"""Probes, request ids, metrics, JSON errors outside the API, admin pages."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_never_touches_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # probes come by IP

    assert response.status_code == 200


def test_readiness_answers_when_the_database_does(client):
    assert client.get("/readyz", HTTP_HOST="10.0.0.7").status_code == 200


def test_readiness_is_503_when_the_database_does_not(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_every_response_carries_a_request_id(client):
    probe = client.get("/healthz", HTTP_X_REQUEST_ID="probe-1")
    given = client.get("/healthz/nope", HTTP_X_REQUEST_ID="abc-123")
    made = client.get("/api/v1/users/")
    hostile = client.get("/api/v1/users/", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert probe["X-Request-ID"] == "probe-1"
    assert given["X-Request-ID"] == "abc-123"
    assert len(made["X-Request-ID"]) == 32
    assert hostile["X-Request-ID"] != "bad id\nwith newline"


def test_errors_outside_the_api_are_json(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_wrong_method_is_405(client_for, alice):
    response = client_for(alice).put("/api/v1/feed/", {}, format="json")

    assert response.status_code == 405


def test_metrics_need_the_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200  # Prometheus scrapes each pod by its IP
    assert b"django_http_requests_latency_seconds_by_view_method" in response.content


def test_metrics_are_hidden_where_a_token_is_required_but_none_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_REQUIRE_TOKEN = True

    assert client.get("/metrics").status_code == 404


def test_the_test_error_endpoint_is_off_unless_enabled(client, settings):
    assert client.get("/_test/error").status_code == 404

    settings.ENABLE_TEST_ERROR_ENDPOINT = True
    client.raise_request_exception = False
    response = client.get("/_test/error")
    assert response.status_code == 500
    assert response.json()["type"] == "server_error"


@pytest.fixture
def admin_client_with_data(admin_client, make_user, make_post, follow):
    from posts.models import PostImage

    user = make_user("someone")
    post = make_post(user, "admin me")
    follow(user, make_user("other"))
    PostImage.objects.create(post=post, file="images/x.jpg", thumbnail="images/y.jpg", width=1, height=1)
    return admin_client


@pytest.mark.parametrize("model", ["users.user", "posts.post", "posts.postimage", "follows.follow"])
def test_every_admin_page_renders(admin_client_with_data, model):
    from django.apps import apps

    app_label, model_name = model.split(".")
    instance = apps.get_model(app_label, model_name).objects.order_by("-pk").first()
    pages = [
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        reverse(f"admin:{app_label}_{model_name}_changelist") + "?q=a",
        reverse(f"admin:{app_label}_{model_name}_add"),
        reverse(f"admin:{app_label}_{model_name}_change", args=[instance.pk]),
        reverse(f"admin:{app_label}_{model_name}_delete", args=[instance.pk]),
    ]
    for page in pages:
        assert admin_client_with_data.get(page).status_code == 200, page


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_assets_from_this_server(client, page):
    response = client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
