"""The names of the audit actions accounts records (lvshi.audit.actions)."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

ACTIONS = {
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("登录失败次数过多，账户暂时锁定"),
    "auth.logout": _("退出登录"),
    "auth.otp_enrol": _("绑定双重验证"),
    "auth.otp_ok": _("双重验证通过"),
    "auth.otp_failed": _("双重验证失败"),
    "auth.2fa_method_change": _("更换双重验证方式"),
    "auth.token_issue": _("签发接口令牌"),
    "auth.token_revoke": _("吊销接口令牌"),
    "accounts.register": _("实名注册"),
    "accounts.profile_update": _("修改个人资料"),
    "accounts.password_change": _("修改密码"),
    "accounts.password_reset_request": _("申请重置密码"),
    "accounts.password_reset": _("重置密码"),
    "accounts.mobile_change_request": _("申请更换手机号"),
    "accounts.mobile_change": _("更换手机号"),
    "accounts.licence_approve": _("执业证核验通过"),
    "accounts.licence_reject": _("执业证核验不通过"),
    "accounts.licence_resubmit": _("重新提交执业证"),
}


def register() -> None:
    actions.register(ACTIONS)
