"""Request context for audit events written from model signals."""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.middleware import AuditlogMiddleware

from lvshi.core.middleware import client_ip

current_request: ContextVar = ContextVar("lvshi_audit_request", default=None)


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (actor and address on its log entries),
    with the client address taken from :func:`client_ip`, which believes
    ``X-Forwarded-For`` only from trusted proxies, and the request kept for
    the bridge that chains log entries into the audit trail."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            current_request.reset(token)
