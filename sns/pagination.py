from base64 import b64decode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Keyset pagination: stable while rows are added, no COUNT(*), RFC 8288 Link headers.

    `ordering` must be unique, so ties on the timestamp are broken by id.
    """

    ordering = ("-created_date", "-id")
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        try:
            size = int(given[0]) if len(given) == 1 else 0  # one value, not a list of them
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Must be an integer from 1 to {self.max_page_size}."]})
        return size

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True)
            int(tokens.get("o", ["0"])[0])
            int(tokens.get("r", ["0"])[0])
        except (TypeError, ValueError, UnicodeError):
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            # DRF's own answer to a cursor it cannot read (a negative offset): the same 400 as ours.
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        if cursor.position is not None and len(cursor.position) > 64:
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, OverflowError, TypeError, DjangoValidationError, DataError) as exc:
            # A forged position that the database column cannot hold (a date that is not a date).
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from exc

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = []
        if self.get_next_link():
            links.append(f'<{self.get_next_link()}>; rel="next"')
        if self.get_previous_link():
            links.append(f'<{self.get_previous_link()}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class KeysFirstCursorPagination(NewestFirstCursorPagination):
    """Finds the page on the keys alone, then loads only its rows with their joins.

    For lists whose filter is selective late in the index order (the feed of someone who follows a
    few accounts among many): PostgreSQL walks the newest-first index and would fetch each table
    row it passes over; with only the ordering keys selected it stays on a covering index (an
    index-only scan) and the full rows, authors and photos are read for the page alone. One query
    more, a constant one.
    """

    def paginate_queryset(self, queryset, request, view=None):
        keys = queryset.select_related(None).prefetch_related(None).only(*self._key_fields())
        page = super().paginate_queryset(keys, request, view)
        if page is None:
            return None
        rows = queryset.in_bulk([key.pk for key in page])
        # Rows are looked up by key; one that vanished in between (deleted, hidden) is left out.
        return [rows[key.pk] for key in page if key.pk in rows]

    def _key_fields(self):
        return [field.lstrip("-") for field in self.ordering]


class NewestUsersCursorPagination(NewestFirstCursorPagination):
    ordering = ("-id",)


class RecentFollowsCursorPagination(NewestFirstCursorPagination):
    """Follower and following lists: the most recent relationship first."""

    ordering = ("-followed_at", "-id")
