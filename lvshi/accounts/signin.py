"""Signing in, shared by the pages and the JSON API.

Steps: lock-out check → image captcha (single use, letters
case-insensitive) → password (through ``authenticate(request, …)`` so that
django-axes counts failures) → the second factor where the user needs one.
An unknown log-in name and a wrong password get the same answer.

Django's login signals are audited elsewhere; this module audits what they
do not cover: second-factor successes and failures, and API tokens.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from captcha.fields import CaptchaField
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from . import otp, security
from .middleware import LAST_SEEN_KEY
from .models import ApiToken, TwoFactorMethod

MAX_LOGIN_NAME = 64
MAX_PASSWORD = 128


def invalid_credentials() -> DomainError:
    return DomainError(
        "invalid_credentials",
        _("登录名或密码不正确。请检查身份证号码（或执业证号）和密码后重试；忘记密码可通过“找回密码”重置。"),
        status=401,
    )


def locked_out(request, *, login_name: str = "", user=None) -> DomainError:
    credentials = security.credentials_for(login_name=login_name, user=user)
    return DomainError("locked_out", security.lock_message(request, credentials), status=429)


# --- captcha ------------------------------------------------------------------


def captcha_check(*, key: str, value: str) -> None:
    """Check an image captcha answer. The captcha is used up whether the
    answer is right or wrong. With ``CAPTCHA_TEST_MODE`` the answer
    "PASSED" is accepted (never in production: see ``manage.py check --deploy``)."""
    try:
        CaptchaField().clean([str(key or "")[:40], str(value or "")[:32]])
    except ValidationError as exc:
        raise DomainError(
            "captcha_invalid", _("图形验证码不正确或已过期，请看清新的验证码后重新输入（不区分大小写）。")
        ) from exc


def captcha_issue(request) -> dict:
    """A new captcha for the API: its key and the image as a data: URI."""
    from captcha.views import captcha_image

    key = CaptchaStore.generate_key()
    response = captcha_image(request, key)
    return {"key": key, "image": "data:image/png;base64," + base64.b64encode(response.content).decode()}


# --- password step --------------------------------------------------------------


def signin_password(request, *, username: str, password: str, captcha_key: str, captcha_value: str):
    """Check the lock-out, the captcha and the password; return the user.

    Does not log in: the page view logs the session in, the API issues a
    token once the second factor (if any) has also passed.
    """
    username = (username or "").strip()[:MAX_LOGIN_NAME]
    if not username or not password:
        raise DomainError("invalid_input", _("请输入登录名（身份证号码或执业证号）和密码。"))
    if security.is_locked(request, login_name=username):
        raise locked_out(request, login_name=username)
    captcha_check(key=captcha_key, value=captcha_value)
    user = authenticate(request, username=username, password=str(password)[:MAX_PASSWORD])
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise locked_out(request, login_name=username)
        raise invalid_credentials()
    return user


# --- second factor --------------------------------------------------------------


def second_factor_send(*, user) -> str:
    """Send a sign-in code to a user whose second factor is SMS."""
    device = otp.login_device(user)
    if not isinstance(device, otp.SmsDevice):
        raise DomainError("otp_not_sms", _("您的账户未使用短信验证码，请输入身份验证器中的6位数字。"))
    return device.generate_challenge()


def second_factor_check(request, *, user, token: str):
    """Verify the second-factor code of *user*; return the device.

    A wrong code is audited and counts like a wrong password: five lock the
    account (the caller then ends the half-signed-in session)."""
    if security.is_locked(request, user=user):
        raise locked_out(request, user=user)
    device = otp.login_device(user)
    if device is None:
        raise DomainError(
            "otp_setup_required",
            _("您尚未绑定身份验证器。请在网页端登录，按提示扫描二维码完成绑定后再试。"),
            status=403,
        )
    token = "".join(str(token or "").split())[:12]
    allowed, info = device.verify_is_allowed()
    verified = allowed and token and verify_token(user, device.persistent_id, token) is not None
    if not verified:
        with transaction.atomic():
            audit_record(
                action="auth.otp_failed",
                actor=Actor.of(request, user=user),
                obj=user,
                result="failed",
                message=device.model_label(),
            )
        if security.record_failure(request, user=user):
            raise locked_out(request, user=user)
        if not allowed:
            if info and info.get("error_message"):
                message = str(info["error_message"])
            else:
                message = _("验证码错误次数过多，请稍等片刻再输入。")
            raise DomainError("otp_throttled", message, status=429)
        if isinstance(device, otp.SmsDevice):
            raise DomainError(
                "otp_invalid", _("短信验证码不正确或已过期，请核对后重试，或重新获取验证码。"), status=401
            )
        raise DomainError("otp_invalid", _("验证码不正确，请输入身份验证器当前显示的6位数字。"), status=401)
    with transaction.atomic():
        audit_record(action="auth.otp_ok", actor=Actor.of(request, user=user), obj=user, message=device.model_label())
    return device


def signin_complete(request, *, user) -> None:
    """The user passed every step: clear the account's failure counter and
    start the idle timer of the session (page sign-ins)."""
    security.reset_account_failures(user)
    session = getattr(request, "session", None)
    if session is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        session[LAST_SEEN_KEY] = int(time.time())


# --- API tokens -----------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    row: ApiToken


@transaction.atomic
def token_issue(*, actor: Actor) -> IssuedToken:
    user = actor.user
    raw = secrets.token_urlsafe(32)
    row = ApiToken(
        user=user,
        key_hash=crypto.token_hash(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        ip=actor.ip,
    )
    row.full_clean()
    row.save()
    audit_record(action="auth.token_issue", actor=actor, obj=row, after={"expires_at": row.expires_at})
    return IssuedToken(token=raw, expires_at=row.expires_at, row=row)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> None:
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        audit_record(action="auth.token_revoke", actor=actor, obj=token)


def api_signin(
    request, *, username: str, password: str, captcha_key: str, captcha_value: str, otp_code: str | None = None
) -> IssuedToken:
    """The API's sign-in: every call carries the whole proof (captcha,
    password and, where needed, the second-factor code)."""
    user = signin_password(
        request, username=username, password=password, captcha_key=captcha_key, captcha_value=captcha_value
    )
    method = otp.required_method(user)
    if method:
        if not otp_code:
            if method == TwoFactorMethod.SMS:
                sent = second_factor_send(user=user)
                raise DomainError(
                    "otp_required",
                    _("%(sent)s 请获取新的图形验证码，连同短信验证码（otp）重新提交登录。") % {"sent": sent},
                    status=401,
                )
            if otp.login_device(user) is None:
                raise DomainError(
                    "otp_setup_required",
                    _("您尚未绑定身份验证器。请在网页端登录，按提示扫描二维码完成绑定后再试。"),
                    status=403,
                )
            raise DomainError(
                "otp_required",
                _("您的账户需要双重验证：请获取新的图形验证码，连同身份验证器中的6位数字（otp）重新提交登录。"),
                status=401,
            )
        second_factor_check(request, user=user, token=otp_code)
    issued = token_issue(actor=Actor.of(request, user=user))
    signin_complete(request, user=user)
    return issued
