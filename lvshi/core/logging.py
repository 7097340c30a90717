import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# Set on a request whose 4xx answer the API explained to the caller with a
# stable code (see lvshi.api): a refused booking, a missing token.
REFUSAL_CODE_ATTR = "refusal_code"


class SkipExplainedRefusals(logging.Filter):
    """Drop Django's "Bad Request"/"Conflict" warning for a 4xx answer that
    carries its own code and message: it is the caller's answer, not the
    operator's problem, and a crowd of refused bookings would otherwise write
    one warning each. The access log still has every request with its status,
    and changes are in the audit. Server errors always pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) >= 500:
            return True
        return getattr(getattr(record, "request", None), REFUSAL_CODE_ATTR, None) is None
