import json
import logging
from datetime import UTC, datetime

from sns.request_context import current_request_id


class RequestIDFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object a line, so log shippers need no parsing rules."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
