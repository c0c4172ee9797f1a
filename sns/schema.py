"""OpenAPI generation: drf-spectacular, with drf-standardized-errors documenting every error body."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema


class AutoSchema(StandardizedErrorsAutoSchema):
    pass


USER_REF_PARAMETER = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern="^(me|[0-9]+)$",
    description="A user's id, or `me` for the requester.",
)
