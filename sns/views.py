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


def not_found(request, exception=None):
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}]}, status=404
    )


def server_error(request):
    return JsonResponse(
        {"type": "server_error", "errors": [{"code": "error", "detail": "A server error occurred.", "attr": None}]},
        status=500,
    )


def bad_request(request, exception=None):
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": "bad_request", "detail": "Bad request.", "attr": None}]},
        status=400,
    )


def permission_denied(request, exception=None):
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": "permission_denied", "detail": "Forbidden.", "attr": None}]},
        status=403,
    )
