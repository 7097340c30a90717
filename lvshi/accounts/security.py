"""Hooks for django-axes: which account and which address a login attempt
counts against, what a locked-out client sees, and when it may retry.

Failures are counted twice, separately (``AXES_LOCKOUT_PARAMETERS``): per
account and per client address. Five failures of either lock it for
``AXES_COOLOFF_TIME``.

* The account key is the user's primary key when the log-in name belongs to
  an account, so the ID number (any spelling of ``x``) and the licence number
  of one person share one counter. Unknown names get a keyed hash of the
  name, so guessing at non-existent accounts is throttled the same way and a
  client cannot tell from the lock-out whether an account exists.
* The address is :func:`lvshi.core.middleware.client_ip`: ``X-Forwarded-For``
  is believed only as far as ``TRUSTED_PROXY_COUNT`` proxies vouch for it.
* A wrong captcha is not a password failure: the captcha is checked first
  and a wrong answer never reaches ``authenticate()``. Each captcha is single
  use, so a script that cannot read captchas cannot try passwords at all.
* A wrong second-factor code counts as a failure for the account (see
  :func:`record_failure`), so codes cannot be guessed faster than passwords.
* Only a complete sign-in (password and, where needed, the second factor)
  clears the account's counter; it never clears the address's counter for
  other accounts (``AXES_RESET_ON_SUCCESS`` is off and
  :func:`reset_account_failures` is called by the sign-in services).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core import crypto
from lvshi.core.middleware import client_ip

from .models import User, lookup_for_login_name

_KEYS_ATTR = "_lvshi_account_keys"
LOGIN_NAME_ATTR = "lvshi_login_name"


def _normalised_name(raw: str) -> str:
    return (raw or "").strip().upper()[:64]


def account_key(login_name: str) -> str:
    """The lock-out key of the account a log-in name refers to."""
    name = _normalised_name(login_name)
    if not name:
        return ""
    user_id = User.objects.filter(**lookup_for_login_name(name)).values_list("pk", flat=True).first()
    if user_id is not None:
        return f"user:{user_id}"
    return "name:" + crypto.blind_index(name, purpose="login-name")[:40]


def _login_name(request, credentials) -> str:
    credentials = credentials or {}
    raw = credentials.get("username")
    if not raw and request is not None:
        raw = getattr(request, LOGIN_NAME_ATTR, "") or ""
        if not raw and request.method == "POST":
            raw = request.POST.get("username", "")
    return raw or ""


def axes_username(request, credentials):
    """``AXES_USERNAME_CALLABLE``: the account key for this attempt (cached
    on the request, since axes asks several times per attempt)."""
    if credentials and credentials.get("account_key"):
        return credentials["account_key"]
    raw = _login_name(request, credentials)
    cache = getattr(request, _KEYS_ATTR, None) if request is not None else None
    if cache is not None and raw in cache:
        return cache[raw]
    key = account_key(raw) or None
    if request is not None:
        if cache is None:
            cache = {}
            setattr(request, _KEYS_ATTR, cache)
        cache[raw] = key
    return key


def axes_client_ip(request):
    return client_ip(request)


def locked_until(request, credentials=None) -> datetime | None:
    """When the newest failure that counts towards this lock-out expires."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    key = axes_username(request, credentials)
    where = Q(ip_address=client_ip(request))
    if key:
        where |= Q(username=key)
    latest = (
        AccessAttempt.objects.filter(where, attempt_time__gte=timezone.now() - cool_off)
        .aggregate(latest=Max("attempt_time"))
        .get("latest")
    )
    return (latest or timezone.now()) + cool_off


def lock_message(request, credentials=None) -> str:
    """The lock-out message, saying when the client may try again."""
    until = locked_until(request, credentials)
    if until is None:
        return _("登录失败次数过多，账户或当前网络已被锁定，请联系管理员解锁，或通过“找回密码”重置密码。")
    local = timezone.localtime(until)
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return _(
        "登录失败次数过多，账户或当前网络已被暂时锁定。请在%(time)s之后（约%(minutes)d分钟后）再试，"
        "忘记密码可通过“找回密码”重置。"
    ) % {"time": local.strftime("%H:%M"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """``AXES_LOCKOUT_CALLABLE``: the page or the API answer for a locked-out
    client, saying when to retry."""
    message = lock_message(request, credentials)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def credentials_for(*, login_name: str = "", user=None) -> dict:
    """Credentials for axes: a log-in name, or (for steps after the password,
    where the account is known) the account itself."""
    if user is not None:
        return {"username": user.id_number_masked, "account_key": f"user:{user.pk}"}
    return {"username": login_name}


def is_locked(request, *, login_name: str = "", user=None) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    if user is None:
        setattr(request, LOGIN_NAME_ATTR, login_name)
    return not AxesProxyHandler.is_allowed(request, credentials_for(login_name=login_name, user=user))


def record_failure(request, *, login_name: str = "", user=None) -> bool:
    """Count a failed sign-in step that is not a password check (a wrong
    second-factor code) like a wrong password. Returns True when this
    failure locked the account or address."""
    credentials = credentials_for(login_name=login_name, user=user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def reset_account_failures(user) -> int:
    """Clear the failure counter of *user*'s account after a complete sign-in."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.reset_attempts(username=f"user:{user.pk}")
