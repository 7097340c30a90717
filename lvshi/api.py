"""The JSON API: /api/v1/, described at /api/v1/openapi.json.

Every error is ``{"code": ..., "message": ...}`` with a 4xx status.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from lvshi.accounts.api import ApiTokenAuth, auth_router
from lvshi.accounts.api import router as accounts_router
from lvshi.calendar.api import router as calendar_router
from lvshi.core.errors import DomainError
from lvshi.core.logging import REFUSAL_CODE_ATTR
from lvshi.notify.api import router as notify_router
from lvshi.site.api import router as home_router
from lvshi.visits.api import router as visits_router

api = NinjaAPI(
    title="律师服务平台 API",
    version="1",
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url="/docs",
)
api.add_router("/auth/", auth_router)
api.add_router("/", accounts_router)
api.add_router("/notifications", notify_router)
api.add_router("/home", home_router)
api.add_router("/visits", visits_router)
api.add_router("/calendar", calendar_router)


def error(request, status: int, code: str, message: str, **extra):
    setattr(request, REFUSAL_CODE_ATTR, code)
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    setattr(request, REFUSAL_CODE_ATTR, exc.code)
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(request, 401, "unauthenticated", "请先登录：在请求头中提供 Authorization: Bearer <令牌>。")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "未找到该记录，或您无权查看。")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error(request, 422, "invalid_input", "提交的数据格式不正确，请检查后重试。", errors=exc.errors)
