"""What every JSON operation shares: the input types with their bounds, the
body parser, the error shape and the error responses every operation documents.

Rules stated once here, so no operation can forget them:

- every integer the API reads fits the database's 64-bit integers
  (``Id``, ``Offset``, ``Limit``, ``Int64``), so no id or offset reaches the
  database out of range; ``tests/test_api_contract.py`` fails on an integer
  input without a bound;
- a date is ``YYYY-MM-DD`` and a moment ISO 8601 text (``IsoDate``,
  ``IsoDateTime``): ``0`` is not read as 1970-01-01;
- a time of day is local to the organisation (``LocalTime``): ``"10:00Z"`` or
  ``"08:00+08:00"`` is refused, not compared with naive times;
- a JSON operation reads only ``application/json`` (else 415), valid UTF-8
  and valid JSON (else 400), an object at the top (else 422), and no more than
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (else 413);
- every refusal is ``{"code", "message"}`` with a 4xx status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Schema
from ninja.parser import Parser
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from .errors import DomainError

INT64_MAX = 2**63 - 1
# Offsets stay far below INT64_MAX so that offset + limit still fits.
OFFSET_MAX = 10**9

Id = Annotated[int, Field(ge=1, le=INT64_MAX, description="记录编号（正整数）")]
Int64 = Annotated[int, Field(ge=-INT64_MAX - 1, le=INT64_MAX)]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX, description="跳过的条数")]
Limit = Annotated[int, Field(ge=1, le=100, description="每页条数，1–100")]


def _naive(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError(_("时间请写成当地时间（如 09:00），不要带时区。"))
    return value


_CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
LocalTime = Annotated[
    time,
    AfterValidator(_naive),
    WithJsonSchema({"type": "string", "pattern": f"^{_CLOCK}(:[0-5]\\d)?$", "description": "当地时间，如 09:00"}),
]
# A slot's start as a lawyer picks it: "HH:MM".
SlotStart = Annotated[str, Field(pattern=f"^{_CLOCK}$", description='时段开始时间 "HH:MM"')]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError(_("日期请写成 YYYY-MM-DD（如 2026-12-03）。"))


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, (datetime, str)):
        return value
    raise ValueError(_("时间请写成 ISO 8601 文字（如 2026-12-03T09:30:00+08:00），不要写数字时间戳。"))


def one_of(values: Iterable[str], description: str = "") -> Any:
    """A text input limited to *values* (a status filter that takes a subset
    of a status field's values): anything else is a 422 naming the choices,
    and the OpenAPI document lists them as an enum."""
    allowed = [str(v) for v in values]

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(_("只能是：%(all)s。") % {"all": "、".join(allowed)})
        return value

    schema: dict[str, Any] = {"type": "string", "enum": allowed}
    if description:
        schema["description"] = description
    return Annotated[str, AfterValidator(check), WithJsonSchema(schema)]


# A calendar date: only "YYYY-MM-DD" (pydantic alone would also read 0 as 1970-01-01).
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# A moment: ISO 8601 text only, never a number read as a Unix timestamp.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，程序据此判断；见各状态码的说明")
    message: str = Field(description="给人看的中文说明，告诉用户下一步怎么做")
    details: dict[str, Any] | None = Field(None, description="部分错误附带的细节（如可选的其他时段）")
    errors: list[dict[str, Any]] | None = Field(None, description="invalid_input：逐项列出不合格的字段")


class StepOut(Schema):
    """One step of a workflow object's history (``audit.workflow.Step``);
    each app narrows ``source``/``target`` to its status enum."""

    at: datetime
    actor_id: int | None
    actor: str = Field(description="办理人姓名")
    transition: str = Field(description="办理动作，如 pass、return")
    verb: str = Field(description="办理动作的中文名称")
    source: str
    target: str
    reason: str = Field(description="退回原因等说明")


class ApiRefusal(DomainError):
    """A request the API cannot read (its body, its type, its size)."""


# Error responses every operation may give, with the codes each status carries.
# The domain codes of 400/403/404/409 are the operations' own (``DomainError``).
ERROR_RESPONSES: dict[int, str] = {
    400: "请求无法处理：bad_request、invalid_json、invalid_encoding、invalid_multipart，或业务规则拒绝（见 code）",
    401: "unauthenticated：缺少或无效的令牌（Authorization: Bearer <令牌>）",
    403: "forbidden 等：已登录，但角色或资格不允许此操作",
    404: "not_found：记录不存在，或不在您的可见范围内",
    405: "method_not_allowed：该地址不支持此请求方法",
    409: "状态冲突（如 wrong_status、slot_full）：记录已被他人改变，请刷新后重试",
    413: "body_too_large：请求体超过上限",
    415: "unsupported_media_type：请求体须为 application/json",
    422: "invalid_input：字段缺失或格式不符（见 errors）",
    429: "too_many_requests：请求过于频繁，请稍后再试",
}
BODY_ONLY = {400, 413, 415}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


class JsonParser(Parser):
    """ninja's parser with the checks above. ninja wraps what this raises in
    an ``HttpError(400)``; the API's handler answers with the cause."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = getattr(request, "content_type", None)
        if content_type is not None and not _is_json(content_type):
            raise ApiRefusal(
                "unsupported_media_type",
                _("请求体须为 JSON：请设置 Content-Type: application/json。"),
                status=415,
            )
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiRefusal("invalid_encoding", _("请求体不是 UTF-8 编码，请以 UTF-8 发送 JSON。")) from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ApiRefusal("invalid_json", _("请求体不是有效的 JSON，请检查括号、引号和逗号。")) from exc
        if content_type is not None and not isinstance(data, dict):
            raise ApiRefusal("invalid_input", _("请求体应为 JSON 对象（{…}），请按接口说明填写各字段。"), status=422)
        return data


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def too_large_message() -> str:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _("请求体超过 %(mb)s MB 的上限，请减少内容后重试。") % {"mb": limit_mb}


@csrf_exempt
def json_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/v1/ that names no operation: a 404 whatever the
    method (the API authenticates by token, so no CSRF check stands first)."""
    return JsonResponse(
        error_body("not_found", _("没有这个接口地址，请对照 /api/v1/docs 检查路径。")),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _forms_send_no_null(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """A form field left out is None, but a form cannot send null: the
    document shows an optional form field as its value's own type."""
    for media, body in operation.get("requestBody", {}).get("content", {}).items():
        if media not in FORM_TYPES:
            continue
        form = body.get("schema", {})
        if "$ref" in form:
            form = components.get(form["$ref"].rsplit("/", 1)[-1], {})
        for field in form.get("properties", {}).values():
            choices = field.get("anyOf") or []
            others = [c for c in choices if c.get("type") != "null"]
            if len(others) == 1 and len(choices) == 2:
                del field["anyOf"]
                field.update(others[0])


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error responses to every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _forms_send_no_null(operation, components)
            has_body = "requestBody" in operation
            for status, description in ERROR_RESPONSES.items():
                if status in BODY_ONLY and not has_body and status != 400:
                    continue
                if status == 401 and not operation.get("security"):
                    continue
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return schema
