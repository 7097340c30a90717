"""Domain errors: a stable machine code plus a Chinese message for people.

Services raise these; views turn them into form errors or messages and the
API turns them into ``{"code": ..., "message": ...}`` with a 4xx status.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the operation. Nothing was changed."""

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            data["details"] = self.details
        return data


class NotFound(DomainError):
    status = 404

    def __init__(self, code: str = "not_found", message: str = "未找到该记录，或您无权查看。", **kwargs: Any):
        super().__init__(code, message, **kwargs)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, code: str = "forbidden", message: str = "您的角色无权执行此操作。", **kwargs: Any):
        super().__init__(code, message, **kwargs)


class Conflict(DomainError):
    status = 409
