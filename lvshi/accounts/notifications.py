"""The notifications the accounts app sends: sign-in codes, registration,
licence checks, password changes. Registered from ``AccountsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.notify.kinds import Kind

KINDS = (
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
        key="password_changed",
        title=_("密码已修改"),
        inbox=_("您的登录密码已于 {{ when }} 修改。如非本人操作，请立即通过“忘记密码”重设密码并联系管理员。"),
        sms=_("您的登录密码已于{{ when }}修改。如非本人操作，请立即重设密码。"),
        needs=("when",),
    ),
)
