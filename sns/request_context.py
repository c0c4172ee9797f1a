"""The id of the request being served, readable from anywhere in its thread (logs, Sentry)."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
