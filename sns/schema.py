"""OpenAPI generation: drf-spectacular, with drf-standardized-errors documenting every error body."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers


class AutoSchema(StandardizedErrorsAutoSchema):
    def _should_add_error_response(self, responses, status_code):
        if status_code == "413":
            # Only requests with a body can be too large.
            return self.method in ("POST", "PUT", "PATCH") and super()._should_add_error_response(responses, "413")
        return super()._should_add_error_response(responses, status_code)


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
