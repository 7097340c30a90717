"""The JSON API: /api/v1/, described at /api/v1/openapi.json.

Every error is ``{"code": ..., "message": ...}`` with a 4xx status.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lvshi.accounts.api import ApiTokenAuth, auth_router
from lvshi.accounts.api import router as accounts_router
from lvshi.bureau.api import public_router
from lvshi.bureau.api import router as bureau_router
from lvshi.calendar.api import router as calendar_router
from lvshi.calendar.api import schedule_router
from lvshi.core.api import JsonParser, document_errors, too_large_message
from lvshi.core.errors import DomainError
from lvshi.core.logging import REFUSAL_CODE_ATTR
from lvshi.courts.api import router as courts_router
from lvshi.laws.api import router as laws_router
from lvshi.notify.api import router as notify_router
from lvshi.site.api import router as home_router
from lvshi.visits.api import router as visits_router


class LvshiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = LvshiAPI(
    title="律师服务平台 API",
    version="1",
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url="/docs",
    parser=JsonParser(),
)
api.add_router("/auth/", auth_router)
api.add_router("/", accounts_router)
api.add_router("/notifications", notify_router)
api.add_router("/home", home_router)
api.add_router("/visits", visits_router)
api.add_router("/calendar", calendar_router)
api.add_router("/schedule", schedule_router)
api.add_router("/courts", courts_router)
api.add_router("/laws", laws_router)
api.add_router("/bureau", bureau_router)
api.add_router("/public", public_router)


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
    return error(request, 422, "invalid_input", _("提交的数据格式不正确，请检查后重试。"), errors=exc.errors)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc):
    return error(request, 413, "body_too_large", too_large_message())


@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFilesSent)
@api.exception_handler(TooManyFieldsSent)
def on_unreadable_form(request, exc):
    return error(
        request,
        400,
        "invalid_multipart",
        _("上传的表单无法读取：请以 multipart/form-data 发送，并带上 boundary，文件和字段数量不要超过上限。"),
    )


HTTP_ERROR_CODES = {
    400: ("bad_request", "请求无法处理，请检查后重试。"),
    403: ("forbidden", "您的角色无权执行此操作。"),
    405: ("method_not_allowed", "该地址不支持此请求方法。"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试。"),
}


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """ninja's own refusals (an unreadable body, a throttle) in our shape; a
    body refused by the parser answers with the parser's reason."""
    cause = exc.__cause__
    if isinstance(cause, DomainError):
        return on_domain_error(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return on_too_large(request, cause)
    if isinstance(cause, (MultiPartParserError, TooManyFilesSent, TooManyFieldsSent)):
        return on_unreadable_form(request, cause)
    code, message = HTTP_ERROR_CODES.get(exc.status_code, ("bad_request", "请求无法处理，请检查后重试。"))
    return error(request, exc.status_code, code, _(message))
