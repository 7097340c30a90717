"""Message templates, one per kind of notification.

Each kind has a title, an inbox text, an SMS text and an e-mail subject and
body, written as Django template strings in Chinese. Texts are plain text:
the inbox page escapes them when it shows them. Other apps add their own
kinds with :func:`register_kind` (for example from ``AppConfig.ready``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template import Context, Engine
from django.utils.translation import gettext_lazy as _

SMS_SIGNATURE = "【律师服务平台】"

_engine = Engine(autoescape=False)


class UnknownKind(LookupError):
    """No template is registered under that kind."""


class MissingContext(ValueError):
    """The template needs a value the caller did not give."""


@dataclass(frozen=True)
class Rendered:
    kind: str
    title: str
    inbox: str
    sms: str
    email_subject: str
    email_body: str


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    inbox: str
    sms: str = ""
    email_subject: str = ""
    email_body: str = ""
    needs: tuple[str, ...] = field(default=())
    sensitive: bool = False
    """Sensitive texts (codes) are not kept after delivery."""

    def render(self, context: dict) -> Rendered:
        missing = [name for name in self.needs if context.get(name) in (None, "")]
        if missing:
            raise MissingContext(f"通知类型 {self.key} 缺少参数：{', '.join(missing)}")
        ctx = Context(context, autoescape=False)

        def fill(text) -> str:
            return _engine.from_string(str(text)).render(ctx).strip() if text else ""

        title = fill(self.title)
        inbox = fill(self.inbox)
        sms = fill(self.sms) or inbox
        return Rendered(
            kind=self.key,
            title=title,
            inbox=inbox,
            sms=f"{SMS_SIGNATURE}{sms}",
            email_subject=fill(self.email_subject) or title,
            email_body=fill(self.email_body) or inbox,
        )


_registry: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    if kind.key in _registry and _registry[kind.key] != kind:
        raise ValueError(f"notification kind {kind.key!r} is already registered with different texts")
    _registry[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _registry[key]
    except KeyError:
        known = ", ".join(sorted(_registry))
        raise UnknownKind(f"未知的通知类型 {key!r}；已登记的类型：{known}") from None


def all_kinds() -> list[Kind]:
    return [_registry[k] for k in sorted(_registry)]


for _kind in (
    Kind(
        key="sms_code",
        title=_("验证码"),
        inbox=_("您的验证码为 {{ code }}，10分钟内有效。"),
        sms=_("您的验证码为{{ code }}，10分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"),
        needs=("code",),
        sensitive=True,
    ),
    Kind(
        key="welcome",
        title=_("欢迎使用律师服务平台"),
        inbox=_("{{ name }}，您的账号已注册成功。请在“我的资料”中核对手机号码和电子邮箱，以便接收预约和审核结果通知。"),
        sms=_("{{ name }}，您已成功注册律师服务平台账号。请使用身份证号码或执业证号登录。"),
        needs=("name",),
    ),
    Kind(
        key="licence_verified",
        title=_("执业信息已核验"),
        inbox=_("{{ name }}，您的执业证（{{ licence_no }}）已核验通过，现在可以预约会见和使用法院服务。"),
        sms=_("{{ name }}，您的执业证已核验通过，现在可以登录平台预约会见。"),
        needs=("name",),
    ),
    Kind(
        key="licence_rejected",
        title=_("执业信息未通过核验"),
        inbox=_(
            "{{ name }}，您的执业信息未通过核验，原因：{{ reason }}。"
            "请核对执业证号后在“我的资料”中重新提交，或联系所在律师事务所的主管司法局。"
        ),
        sms=_("{{ name }}，您的执业信息未通过核验，原因：{{ reason }}。请登录平台修改后重新提交。"),
        needs=("name", "reason"),
    ),
    Kind(
        key="account_locked",
        title=_("账号已临时锁定"),
        inbox=_("您的账号因连续登录失败已被临时锁定，将于 {{ until }} 自动解锁。如非本人操作，请尽快修改密码。"),
        sms=_("您的账号因连续登录失败已被临时锁定，将于{{ until }}自动解锁。如非本人操作，请尽快修改密码。"),
        needs=("until",),
    ),
    Kind(
        key="password_changed",
        title=_("密码已修改"),
        inbox=_("您的登录密码已于 {{ when }} 修改。如非本人操作，请立即通过“忘记密码”重设密码并联系管理员。"),
        sms=_("您的登录密码已于{{ when }}修改。如非本人操作，请立即重设密码。"),
        needs=("when",),
    ),
    Kind(
        key="booking_approved",
        title=_("会见预约已通过"),
        inbox=_("您预约的{{ centre }}会见（{{ detainee }}，{{ when }}）已审核通过，请按时到达并携带执业证。"),
        sms=_("您预约的{{ centre }}会见（{{ when }}）已审核通过，请按时到达并携带执业证。"),
        needs=("centre", "when"),
    ),
    Kind(
        key="booking_rejected",
        title=_("会见预约未通过"),
        inbox=_(
            "您预约的{{ centre }}会见（{{ detainee }}，{{ when }}）未通过审核，原因：{{ reason }}。"
            "可在“预约失败记录”中查看，并重新选择时段预约。"
        ),
        sms=_("您预约的{{ centre }}会见（{{ when }}）未通过审核，原因：{{ reason }}。请登录平台查看。"),
        needs=("centre", "when", "reason"),
    ),
    Kind(
        key="meeting_request",
        title=_("当事人要求会见"),
        inbox=_("{{ centre }}在押人员{{ detainee }}要求会见您，请登录平台预约会见。"),
        sms=_("{{ centre }}在押人员{{ detainee }}要求会见您，请登录平台预约会见。"),
        needs=("centre", "detainee"),
    ),
    Kind(
        key="notice_published",
        title=_("{{ title }}"),
        inbox=_("{{ summary }}"),
        sms=_("{{ publisher }}发布通知：{{ title }}。请登录平台查看详情。"),
        needs=("title", "summary", "publisher"),
    ),
    Kind(
        key="message",
        title=_("{{ title }}"),
        inbox=_("{{ body }}"),
        needs=("title", "body"),
    ),
):
    register_kind(_kind)
