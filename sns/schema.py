"""OpenAPI generation: drf-spectacular, with drf-standardized-errors documenting every error body."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from drf_standardized_errors.openapi_utils import get_flat_serializer_fields, get_serializer_fields_with_error_codes
from rest_framework import serializers

from sns.serializers import StrictFieldsMixin


class AutoSchema(StandardizedErrorsAutoSchema):
    """Documents what the API really answers, so generated clients and fuzzers agree with it."""

    def _should_add_error_response(self, responses, status_code):
        if status_code == "413":
            # Only requests with a body can be too large.
            return self.method in ("POST", "PUT", "PATCH") and super()._should_add_error_response(responses, "413")
        return super()._should_add_error_response(responses, status_code)

    def _should_add_validation_error_response(self):
        if self.method in ("PUT", "PATCH", "POST") and isinstance(self.get_request_serializer(), dict):
            return True  # one serializer per media type (JSON or multipart)
        return super()._should_add_validation_error_response()

    def _determine_fields_with_error_codes(self):
        request_serializer = self.get_request_serializer()
        if self.method in ("PUT", "PATCH", "POST") and isinstance(request_serializer, dict):
            fields = [field for each in request_serializer.values() for field in get_flat_serializer_fields(each)]
            return get_serializer_fields_with_error_codes(fields)
        return super()._determine_fields_with_error_codes()

    def _get_extra_validation_errors(self):
        errors = super()._get_extra_validation_errors()
        if self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            # sns.pagination refuses a page size out of range and a forged cursor with 400.
            errors.setdefault("page_size", {"invalid"})
            errors.setdefault("cursor", {"invalid"})
        return errors

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictFieldsMixin):
            # Unknown fields are refused (400); echoed read-only fields are accepted and ignored.
            schema["additionalProperties"] = False
            for name in serializer.ignored_fields:
                schema["properties"].setdefault(name, {"description": "Read-only: accepted and ignored."})
        return schema


USER_ID_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern="^[0-9]+$",
    description="A user's id (the requester's own profile is /api/v1/users/me/).",
)
USER_REF_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern="^(me|[0-9]+)$",
    description="A user's id, or `me` for the requester.",
)


class Error413Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("request_too_large", "request_too_large"), ("too_large", "too_large")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error413Serializer(many=True)


class Error503Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("service_unavailable", "service_unavailable")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse503Serializer(serializers.Serializer):
    """The database is unreachable for a moment: retry after the Retry-After header's seconds."""

    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = Error503Serializer(many=True)


class Error401Serializer(serializers.Serializer):
    # simplejwt adds its own codes to DRF's: a bad or expired token, and wrong credentials.
    code = serializers.ChoiceField(
        choices=[
            ("authentication_failed", "authentication_failed"),
            ("not_authenticated", "not_authenticated"),
            ("token_not_valid", "token_not_valid"),
            ("no_active_account", "no_active_account"),
        ]
    )
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse401Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error401Serializer(many=True)
