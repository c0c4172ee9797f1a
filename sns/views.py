import hmac

from django.conf import settings
from django.http import Http404, JsonResponse
from django_prometheus.exports import ExportToDjangoView


def metrics(request):
    """Prometheus metrics; with METRICS_TOKEN set only a matching bearer token may read them."""
    token = settings.METRICS_TOKEN
    if token:
        supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(supplied.encode(), token.encode()):
            raise Http404
    elif settings.METRICS_REQUIRE_TOKEN:
        # Production without a token keeps metrics private rather than public.
        raise Http404
    return ExportToDjangoView(request)


def test_error(request):
    """Raises on purpose: the alerting end-to-end test proves that a 500 reaches the team."""
    if not settings.ENABLE_TEST_ERROR_ENDPOINT:
        raise Http404
    raise RuntimeError("Deliberate error from /_test/error (SNS_ENABLE_TEST_ERROR_ENDPOINT is on).")


def error_response(status, code, detail):
    """An error outside DRF, in the same JSON shape as drf-standardized-errors gives the API's own."""
    kind = "server_error" if status >= 500 else "client_error"
    return JsonResponse({"type": kind, "errors": [{"code": code, "detail": detail, "attr": None}]}, status=status)


def not_found(request, exception=None):
    return error_response(404, "not_found", "Not found.")


def server_error(request):
    return error_response(500, "error", "A server error occurred.")


def bad_request(request, exception=None):
    return error_response(400, "bad_request", "Bad request.")


def permission_denied(request, exception=None):
    return error_response(403, "permission_denied", "Forbidden.")
