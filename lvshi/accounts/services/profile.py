from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import max_length
from lvshi.notify.services import send_sms

from .. import selectors
from ..identity import mask_mobile, normalize_licence_no, normalize_mobile
from ..models import LicenceStatus, SmsCode, SmsCodePurpose, User
from .base import SMS_RESEND_SECONDS, _clean, _field_error, _licence_taken, _registry_verdict

# --- profile ----------------------------------------------------------------------


@transaction.atomic
def email_clean(email: str | None) -> str:
    """An e-mail address as entered, trimmed and checked ("" removes it)."""
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _field_error("email", _("请输入有效的电子邮箱地址，例如 name@example.com。")) from None
        if len(email) > max_length(User, "email"):
            raise _field_error("email", _("电子邮箱地址太长。"))
    return email


def profile_update(*, user: User, email: str, ip: str | None) -> User:
    """Change the e-mail address (empty removes it)."""
    email = email_clean(email)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.email
    if before == email:
        return user
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    audit_record(
        action="accounts.profile_update", actor=user, ip=ip, obj=user, before={"email": before}, after={"email": email}
    )
    return user


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _code_hash(user_id: int, purpose: str, code: str) -> str:
    return crypto.blind_index(f"{user_id}:{purpose}:{code}", purpose="sms_code")


def _sms_code_issue(*, user: User, purpose: str, mobile: str) -> SmsCode | None:
    """Replace the user's open codes for *purpose* with a new one and send it
    to *mobile*. At most one code a minute: returns None when asked again
    sooner (the earlier code is still valid)."""
    now = timezone.now()
    open_codes = SmsCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
    if open_codes.filter(mobile=mobile, created_at__gt=now - timedelta(seconds=SMS_RESEND_SECONDS)).exists():
        return None
    open_codes.update(used_at=now)
    code = _new_code()
    row = SmsCode(
        user=user,
        purpose=purpose,
        mobile=mobile,
        code_hash=_code_hash(user.pk, purpose, code),
        expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
    )
    row.full_clean()
    row.save()
    send_sms(mobile=mobile, template="sms_code", context={"code": code}, user=user)
    return row


def _sms_code_attempt(*, user: User, purpose: str, code: str) -> SmsCode | None:
    """Spend one try on the user's current code for *purpose*. Returns the
    code row when *code* is right, else None.

    The try is counted in its own transaction, committed whatever happens
    next, so that a wrong guess followed by an error still counts.
    """
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            SmsCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            return None
        counted = SmsCode.objects.filter(pk=row.pk, used_at__isnull=True, tries__lt=settings.SMS_CODE_MAX_TRIES).update(
            tries=F("tries") + 1
        )
        if not counted:
            return None
    if len(code) == 6 and code.isascii() and code.isdigit():
        if hmac.compare_digest(row.code_hash, _code_hash(user.pk, purpose, code)):
            return row
    return None


def _sms_code_consume(row: SmsCode) -> bool:
    """Mark *row* used; False when another request used it first."""
    return bool(SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()))


def _wrong_code() -> DomainError:
    return _field_error(
        "code",
        _("验证码不正确或已失效（10分钟内有效，最多尝试5次）。请重新获取验证码。"),
        code="invalid_code",
    )


def _denied(*, user: User, action: str, ip: str | None, field: str, message: str) -> DomainError:
    """Record a refused attempt (committed on its own, as the caller raises)
    and return the error to raise."""
    audit_record(action=action, actor=user, ip=ip, obj=user, result="denied", message=message)
    return _field_error(field, _("当前密码不正确，请重新输入。"), code="wrong_password")


def mobile_change_request(*, user: User, current_password: str, new_mobile: str, ip: str | None) -> SmsCode | None:
    """Step one of changing the mobile number: the current password again,
    then a code is sent to the new number (valid 10 minutes)."""
    new_mobile = _clean("mobile", normalize_mobile, new_mobile)
    if not current_password or not user.check_password(current_password):
        raise _denied(
            user=user,
            action="accounts.mobile_change_request",
            ip=ip,
            field="current_password",
            message="当前密码不正确",
        )
    if new_mobile == user.mobile:
        raise _field_error("mobile", _("新手机号码与当前号码相同，无需更换。"), code="same_mobile")
    return _mobile_change_send(user=user, new_mobile=new_mobile, ip=ip)


@transaction.atomic
def _mobile_change_send(*, user: User, new_mobile: str, ip: str | None) -> SmsCode | None:
    row = _sms_code_issue(user=user, purpose=SmsCodePurpose.MOBILE_CHANGE, mobile=new_mobile)
    audit_record(
        action="accounts.mobile_change_request",
        actor=user,
        ip=ip,
        obj=user,
        after={"mobile": mask_mobile(new_mobile)},
        message="" if row else "一分钟内重复请求，未重发验证码",
    )
    return row


def mobile_change_confirm(*, user: User, code: str, ip: str | None) -> User:
    """Step two: the code sent to the new number makes it the account's
    number. Not atomic as a whole: a wrong code's try must stay counted."""
    row = _sms_code_attempt(user=user, purpose=SmsCodePurpose.MOBILE_CHANGE, code=code)
    if row is None:
        raise _wrong_code()
    return _mobile_change_apply(user=user, row=row, ip=ip)


@transaction.atomic
def _mobile_change_apply(*, user: User, row: SmsCode, ip: str | None) -> User:
    if not _sms_code_consume(row):
        raise _wrong_code()
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.mobile
    user.mobile = row.mobile
    user.full_clean(exclude=["password"])
    user.save(update_fields=["mobile"])
    audit_record(
        action="accounts.mobile_change",
        actor=user,
        ip=ip,
        obj=user,
        before={"mobile": mask_mobile(before)},
        after={"mobile": mask_mobile(user.mobile)},
    )
    return user


@transaction.atomic
def licence_resubmit(*, user: User, licence_no: str, ip: str | None) -> User:
    """A lawyer whose licence was rejected (or still waits) corrects the
    licence number; it is checked against the registry again."""
    licence_no = _clean("licence_no", normalize_licence_no, licence_no)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.licence_status not in (LicenceStatus.PENDING, LicenceStatus.REJECTED):
        raise Conflict("licence_not_editable", _("您的执业证已核验通过，如需变更请联系所在律师事务所的主管司法局。"))
    if User.objects.filter(licence_no=licence_no).exclude(pk=user.pk).exists():
        raise _licence_taken()
    before = {"licence_no": user.licence_no, "licence_status": user.licence_status}
    user.licence_no = licence_no
    user.licence_status = _registry_verdict(licence_no, user.name)
    user.licence_verified_at = timezone.now() if user.licence_status == LicenceStatus.VERIFIED else None
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save(update_fields=["licence_no", "licence_status", "licence_verified_at"])
    except IntegrityError:
        raise _licence_taken() from None
    audit_record(
        action="accounts.licence_resubmit",
        actor=user,
        ip=ip,
        obj=user,
        organisation=selectors.lawyer_firm(user),
        before=before,
        after={"licence_no": licence_no, "licence_status": user.licence_status},
    )
    return user
