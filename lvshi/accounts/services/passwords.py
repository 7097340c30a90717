from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.notify.services import notify_user

from .. import security
from ..models import ApiToken, SmsCode, SmsCodePurpose, User
from .base import _check_password, _field_error, _revoke_api_tokens
from .profile import _denied, _sms_code_attempt, _sms_code_consume, _sms_code_issue, _wrong_code

# --- passwords ----------------------------------------------------------------------


def _password_set(
    user: User, new_password: str, *, ip: str | None, action: str, keep_token: ApiToken | None = None
) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoked = _revoke_api_tokens(user, keep=keep_token)
    audit_record(action=action, actor=user, ip=ip, obj=user, after={"api_tokens_revoked": revoked})
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    notify_user(user, kind="password_changed", context={"when": when})


def password_change(
    *, user: User, old_password: str, new_password: str, ip: str | None, keep_token: ApiToken | None = None
) -> User:
    """Change a signed-in user's password. Every API token except
    *keep_token* (the one making the request) is revoked; other browser
    sessions end because the password hash they were signed with changed."""
    if not old_password or not user.check_password(old_password):
        raise _denied(
            user=user, action="accounts.password_change", ip=ip, field="old_password", message="当前密码不正确"
        )
    return _password_change_apply(
        user=user, old_password=old_password, new_password=new_password, ip=ip, keep_token=keep_token
    )


@transaction.atomic
def _password_change_apply(
    *, user: User, old_password: str, new_password: str, ip: str | None, keep_token: ApiToken | None
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise _field_error("old_password", _("当前密码不正确，请重新输入。"), code="wrong_password")
    if old_password == new_password:
        raise _field_error("new_password", _("新密码不能与当前密码相同。"), code="same_password")
    _check_password(new_password, user, field="new_password")
    _password_set(user, new_password, ip=ip, action="accounts.password_change", keep_token=keep_token)
    return user


def _user_for_login_name(login_name: str) -> User | None:
    login_name = (login_name or "").strip()
    if not login_name or len(login_name) > 32:
        return None
    try:
        return User.objects.get_by_natural_key(login_name)
    except User.DoesNotExist:
        return None


@transaction.atomic
def password_reset_request(*, login_name: str, ip: str | None) -> None:
    """Send a reset code to the mobile of the account named *login_name*
    (ID number or licence number). The caller answers the same whether or
    not such an account exists."""
    user = _user_for_login_name(login_name)
    if user is None or not user.is_active or not user.mobile:
        audit_record(action="accounts.password_reset_request", ip=ip, result="failed", message="账号不存在或不可用")
        return
    row = _sms_code_issue(user=user, purpose=SmsCodePurpose.PASSWORD_RESET, mobile=user.mobile)
    audit_record(
        action="accounts.password_reset_request",
        actor=user,
        ip=ip,
        obj=user,
        message="" if row else "一分钟内重复请求，未重发验证码",
    )


def password_reset_confirm(*, login_name: str, code: str, new_password: str, ip: str | None) -> User:
    """Set a new password with the code sent by :func:`password_reset_request`.

    The code is checked before anything about the account is said (the
    password rules mention the name), and its try is counted even when the
    request fails afterwards.
    """
    user = _user_for_login_name(login_name)
    row = _sms_code_attempt(user=user, purpose=SmsCodePurpose.PASSWORD_RESET, code=code) if user else None
    if user is None or row is None:
        raise _wrong_code()
    return _password_reset_apply(user=user, row=row, new_password=new_password, ip=ip)


@transaction.atomic
def _password_reset_apply(*, user: User, row: SmsCode, new_password: str, ip: str | None) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(new_password, user, field="new_password")
    if not _sms_code_consume(row):
        raise _wrong_code()
    _password_set(user, new_password, ip=ip, action="accounts.password_reset")
    # The lock-out message promises that resetting the password unlocks the
    # account (the address's own counter is left alone).
    security.reset_account_failures(user)
    return user
