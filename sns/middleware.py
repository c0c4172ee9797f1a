import re
import uuid

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse

from sns.request_context import current_request_id
from sns.views import error_response, metrics

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a caller's id only if it is short and harmless in a log line.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics before anything else.

    Load balancers, kubelets and Prometheus reach each instance by its IP, so these must not depend
    on ALLOWED_HOSTS, sessions or authentication (/metrics checks its own bearer token); liveness
    must not touch the database at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            return self._readiness()
        if request.path == "/metrics":
            return metrics(request)
        return self.get_response(request)

    @staticmethod
    def _readiness():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            # Drop the broken connection so the next probe reconnects.
            connection.close()
            return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


class RequestIDMiddleware:
    """Gives every request an id (the caller's X-Request-ID or a new one) for logs and responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            _tag_sentry_scope(request_id)
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _tag_sentry_scope(request_id):
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is a pinned dependency
        return
    sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)


class RequestSizeLimitMiddleware:
    """Refuses oversized bodies with 413 before anything reads them.

    Multipart uploads may carry every photo of a post (REQUEST_MAX_BYTES); any other body, JSON
    included, is held to DATA_UPLOAD_MAX_MEMORY_SIZE, since parsers read it into memory whole.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.content_type == "multipart/form-data"
        limit = settings.REQUEST_MAX_BYTES if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return error_response(413, "request_too_large", f"Request body over {limit} bytes.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """503 with Retry-After, not 500, when a view outside DRF cannot reach the database.

    DRF views get the same answer from sns.exceptions.ExceptionHandler.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        from sns.exceptions import DATABASE_RETRY_AFTER_SECONDS

        response = error_response(503, "service_unavailable", "Try again shortly.")
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
