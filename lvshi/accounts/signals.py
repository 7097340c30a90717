"""Sign-in events in the audit trail: successful log-ins, failed attempts,
lock-outs and log-outs, each with the client address.

No password or code is ever recorded, and the log-in name of a failed
attempt only in masked form. Connected by ``lvshi.audit.apps``.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils.translation import gettext as _

from lvshi.audit.models import Result
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor

from .models import User, lookup_for_login_name

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOCKED_OUT = "auth.locked_out"
LOGOUT = "auth.logout"


def mask_login_name(raw: str) -> str:
    """``310101199003070014`` → ``3101**********0014``; short names keep
    only their first character."""
    value = (raw or "").strip().upper()[:40]
    if not value:
        return ""
    if len(value) >= 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return value[0] + "*" * (len(value) - 1)


def _home_organisation(user):
    """The organisation whose auditors see this person's sign-ins: the first
    of their active memberships."""
    if user is None:
        return None
    membership = (
        user.memberships.filter(is_active=True).select_related("organisation").order_by("pk").first()
        if hasattr(user, "memberships")
        else None
    )
    return membership.organisation if membership else None


def _user_for_key(key: str | None):
    if key and key.startswith("user:") and key[5:].isdigit():
        return User.objects.filter(pk=int(key[5:])).first()
    return None


def _user_for_login_name(raw: str):
    if not raw:
        return None
    try:
        return User.objects.filter(**lookup_for_login_name(raw)).first()
    except ValueError:
        return None


def on_logged_in(sender, request, user, **kwargs):
    audit_record(
        action=LOGIN,
        actor=Actor.of(request, user=user),
        organisation=_home_organisation(user),
        obj=user,
        message=_("登录成功。"),
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    credentials = credentials or {}
    raw = str(credentials.get("username") or "")
    if not raw and request is not None and request.method == "POST":
        raw = str(request.POST.get("username", ""))
    target = _user_for_key(credentials.get("account_key")) or _user_for_login_name(raw)
    masked = mask_login_name(raw)
    audit_record(
        action=LOGIN_FAILED,
        actor=Actor.of(request, user=None),
        actor_label=masked,
        organisation=_home_organisation(target),
        object_type="accounts.user" if target else "",
        object_id=target.pk if target else "",
        object_repr=str(target) if target else "",
        after={"login_name": masked},
        result=Result.FAILED,
        message=_("登录失败：账户名或密码（验证码）不正确。"),
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    target = _user_for_key(username)
    audit_record(
        action=LOCKED_OUT,
        actor=Actor.of(request, user=None),
        ip=ip_address if request is None else None,
        actor_label=str(target) if target else "",
        organisation=_home_organisation(target),
        object_type="accounts.user" if target else "",
        object_id=target.pk if target else "",
        object_repr=str(target) if target else "",
        result=Result.DENIED,
        message=_("登录失败次数过多，账户或网络地址已被锁定。"),
    )


def on_logged_out(sender, request=None, user=None, **kwargs):
    if user is None:
        return
    audit_record(
        action=LOGOUT,
        actor=Actor.of(request, user=user),
        organisation=_home_organisation(user),
        obj=user,
        message=_("退出登录。"),
    )


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="lvshi.audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="lvshi.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="lvshi.audit.locked_out")
    user_logged_out.connect(on_logged_out, dispatch_uid="lvshi.audit.logout")
