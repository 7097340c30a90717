"""Two-factor authentication: TOTP authenticator apps and SMS codes.

* Staff of courts, centres, bureaus and bar associations, and platform
  admins, must use an authenticator app (TOTP):
  :func:`lvshi.orgs.scope.requires_two_factor`.
* Lawyers choose on their "two-factor" page: none, TOTP, or an SMS code.

Devices are django-otp devices, so the session records which device
verified the user (``request.user.is_verified()``). The SMS device keeps its
codes in :class:`~lvshi.accounts.models.SmsCode`, hashed: six digits, valid
``SMS_CODE_TTL_SECONDS``, single use, at most ``SMS_CODE_MAX_TRIES`` tries.
"""

from __future__ import annotations

import base64
from base64 import b32encode
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.orgs.scope import requires_two_factor

from .models import SmsDevice, TwoFactorMethod, User

TOTP_ENROLMENT_NAME = "enrolment"


# --- which factor a user needs ------------------------------------------------


def required_method(user) -> str:
    """The second factor *user* must pass at sign-in: "totp", "sms" or ""."""
    if requires_two_factor(user):
        return TwoFactorMethod.TOTP
    if user.two_factor_method in (TwoFactorMethod.TOTP, TwoFactorMethod.SMS):
        return user.two_factor_method
    return TwoFactorMethod.NONE


def confirmed_device(user, method: str) -> Device | None:
    if method == TwoFactorMethod.TOTP:
        return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if method == TwoFactorMethod.SMS:
        return SmsDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return None


def login_device(user) -> Device | None:
    """The device that verifies *user* at sign-in, or None when the user
    must first enrol one. SMS devices are made on demand: the mobile number
    is already known."""
    method = required_method(user)
    device = confirmed_device(user, method)
    if device is None and method == TwoFactorMethod.SMS:
        device = SmsDevice.objects.create(user=user, name="sms", confirmed=True)
    return device


# --- TOTP enrolment -------------------------------------------------------------


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (one at a time,
    so reloading the page shows the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_ENROLMENT_NAME).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_ENROLMENT_NAME, confirmed=False)
        device.full_clean(exclude=["user"])
        device.save()
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four, for typing into an app."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_config_url(device: TOTPDevice) -> str:
    issuer = str(settings.OTP_TOTP_ISSUER).replace(":", "")
    label = f"{issuer}:{device.user.id_number_masked}"
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data URI (allowed by the CSP)."""
    image = qrcode.make(totp_config_url(device), image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _lawyer_choice_allowed(user) -> None:
    if requires_two_factor(user):
        raise PermissionDenied(
            "totp_required", _("您的岗位必须使用身份验证器（TOTP）进行双重验证，不能改为其他方式或关闭。")
        )


def _failure(*, actor: Actor, action: str, message: str) -> None:
    """Audit a refused step in its own transaction: the caller raises a
    domain error next, and the refusal must stay on record."""
    user = actor.user
    with transaction.atomic():
        audit_record(action=action, actor=actor, obj=user, result="denied", message=message)


def _check_code(*, user, device, token: str) -> bool:
    """Verify *token* on *device* (locked row; tries and throttling are
    committed even when the caller then refuses)."""
    return verify_token(user, device.persistent_id, _digits(token)) is not None


def totp_enrol_confirm(*, actor: Actor, device_id: int, token: str) -> TOTPDevice:
    """Confirm the authenticator with a code from it; it replaces any other
    second factor of the user."""
    user = actor.user
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise DomainError("otp_enrolment_missing", _("绑定信息已失效，请刷新页面，重新扫描二维码。"))
    if not _check_code(user=user, device=device, token=token):
        _failure(actor=actor, action="auth.otp_enrol", message="totp code wrong at enrolment")
        raise DomainError("otp_invalid", _("验证码不正确，请核对手机上身份验证器显示的6位数字后重试。"))
    return _activate(actor=actor, device=device, method=TwoFactorMethod.TOTP)


@transaction.atomic
def sms_enrolment_start(*, user) -> str:
    """Send a code to the user's mobile to switch on SMS two-factor."""
    _lawyer_choice_allowed(user)
    device = SmsDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = SmsDevice.objects.create(user=user, name="sms-enrolment", confirmed=False)
    return device.generate_challenge()


def sms_enrol_confirm(*, actor: Actor, token: str) -> SmsDevice:
    user = actor.user
    _lawyer_choice_allowed(user)
    device = SmsDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise DomainError("otp_enrolment_missing", _("请先点击“发送验证码”，再输入短信中的验证码。"))
    if not _check_code(user=user, device=device, token=token):
        _failure(actor=actor, action="auth.otp_enrol", message="sms code wrong at enrolment")
        raise DomainError("otp_invalid", _("短信验证码不正确或已过期，请核对后重试，或重新获取验证码。"))
    return _activate(actor=actor, device=device, method=TwoFactorMethod.SMS)


@transaction.atomic
def _activate(*, actor: Actor, device, method: str):
    """Make the verified *device* the user's only second factor."""
    user = actor.user
    before = {"two_factor_method": user.two_factor_method}
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk if method == TwoFactorMethod.TOTP else None).delete()
    SmsDevice.objects.filter(user=user).exclude(pk=device.pk if method == TwoFactorMethod.SMS else None).delete()
    updated = (
        type(device)
        .objects.filter(pk=device.pk, confirmed=False)
        .update(confirmed=True, name="authenticator" if method == TwoFactorMethod.TOTP else "sms")
    )
    if updated != 1:
        raise DomainError("otp_enrolment_missing", _("绑定已在其他窗口完成或已失效，请刷新页面查看。"))
    device.refresh_from_db()
    _set_method(user, method)
    audit_record(
        action="auth.otp_enrol",
        actor=actor,
        obj=user,
        before=before,
        after={"two_factor_method": str(method)},
        message=str(method),
    )
    return device


def two_factor_disable(*, actor: Actor, password: str) -> None:
    """Switch two-factor off (lawyers only), confirmed with the password."""
    user = actor.user
    _lawyer_choice_allowed(user)
    if not password or not check_password(password, user.password):
        _failure(actor=actor, action="auth.2fa_method_change", message="wrong password")
        raise DomainError("password_wrong", _("当前密码不正确，双重验证未关闭。请重新输入当前登录密码。"))
    _disable(actor=actor)


@transaction.atomic
def _disable(*, actor: Actor) -> None:
    user = actor.user
    before = {"two_factor_method": user.two_factor_method}
    TOTPDevice.objects.filter(user=user).delete()
    SmsDevice.objects.filter(user=user).delete()
    _set_method(user, TwoFactorMethod.NONE)
    audit_record(
        action="auth.2fa_method_change",
        actor=actor,
        obj=user,
        before=before,
        after={"two_factor_method": ""},
    )


def _set_method(user, method: str) -> None:
    user.two_factor_method = method
    user.full_clean(exclude=["password"])
    User.objects.filter(pk=user.pk).update(two_factor_method=method)


def _digits(token) -> str:
    return "".join(str(token or "").split())[:12]
