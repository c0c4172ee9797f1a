"""The API's one exception handler: drf-standardized-errors, plus what clients and outages cause.

- The database is unreachable (restart, failover, network): 503 with Retry-After, not a 500, so
  clients and load balancers retry instead of reporting a bug.
- Django refuses a request body as suspicious while DRF parses it (too many fields or files, a
  field past DATA_UPLOAD_MAX_MEMORY_SIZE): 400 or 413, as Django itself answers outside DRF.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import exceptions, status

DATABASE_RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable; try again shortly."
    default_code = "service_unavailable"
    wait = DATABASE_RETRY_AFTER_SECONDS  # sent as Retry-After


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large."
    default_code = "request_too_large"


class ExceptionHandler(StandardizedExceptionHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, (OperationalError, InterfaceError)):
            return ServiceUnavailable()
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge()
        if isinstance(exc, TooManyFieldsSent):
            return exceptions.ParseError("Too many form fields.")
        if isinstance(exc, TooManyFilesSent):
            return exceptions.ParseError("Too many files.")
        if isinstance(exc, SuspiciousOperation):
            return exceptions.ParseError("Malformed request.")
        return super().convert_known_exceptions(exc)
