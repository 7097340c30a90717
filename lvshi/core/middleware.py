"""Client address (shared by login throttling, audit and the API), private
responses, and the API's error shape for what no operation answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from . import errors

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse


def client_ip(request: HttpRequest) -> str:
    """The client's address.

    ``X-Forwarded-For`` is believed only when ``TRUSTED_PROXY_COUNT`` proxies
    are configured, and then only the entry those proxies appended: a client
    cannot reset its lock-out by forging the header.
    """
    cached = getattr(request, "client_ip", None)
    if cached:
        return cached
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


class ClientIPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Computed once per request; client_ip() reads it back.
        request.client_ip = None  # type: ignore[attr-defined]
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        return self.get_response(request)


API_PREFIX = "/api/"


class PrivateResponseMiddleware:
    """``Cache-Control: no-store`` on every response that may carry a
    person's data or credentials: all of the API, every page a signed-in user
    gets, and any response that sets a cookie (the sign-in page and its
    answer), unless the view set its own ``Cache-Control``. A shared cache or
    the browser's back button then keeps none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response  # the view decided (a public page cached briefly, an export)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX) or response.cookies or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


class ApiErrorShapeMiddleware:
    """Every refusal under /api/ is ``{"code", "message"}`` in JSON, also the
    few that Django or ninja answer before an operation runs (a method the
    path does not take, a server error)."""

    MESSAGES = {
        405: ("method_not_allowed", _("该地址不支持此请求方法，请对照 /api/v1/docs 检查。")),
        413: ("body_too_large", _("请求体过大，请减少内容后重试。")),
        500: ("server_error", _("服务器内部错误，请稍后重试；若一再出现，请联系平台管理员。")),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            code, message = self.MESSAGES.get(status, self.MESSAGES[500] if status >= 500 else ("bad_request", ""))
            body = {"code": code, "message": str(message or _("请求无法处理，请检查后重试。"))}
            replaced = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


class PageRefusalMiddleware:
    """A page that loads an object the user may read but not act on (see
    ``orgs.scope.get_or_404``) refuses with the domain's 403: shown as the
    site's 403 page with its sentence, never as a server error. The API
    answers the same refusal in JSON itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, errors.PermissionDenied) and not request.path.startswith(API_PREFIX):
            return defaults.permission_denied(request, HttpForbidden(exception.message))
        return None
