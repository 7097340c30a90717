"""Registration, profile, passwords and licence verification.

Every function here is one use case: keyword-only arguments, input checked,
business rules applied, the change and its audit event committed together,
and a :class:`~lvshi.core.errors.DomainError` raised (nothing changed) when a
rule refuses. Input errors carry ``details={"field": name}`` so that a form
can show the message next to the field it concerns.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.errors import Conflict, DomainError
from lvshi.notify.services import notify_user, send_sms
from lvshi.orgs import scope
from lvshi.orgs.models import FIRM_KINDS, Membership, Organisation, Role

from . import security, selectors
from .identity import mask_mobile, normalize_id_number, normalize_licence_no, normalize_mobile
from .models import ApiToken, LicenceRecord, LicenceRecordStatus, LicenceStatus, SmsCode, SmsCodePurpose, User

NAME_MAX = 50
REJECT_REASON_MAX = 200
SMS_RESEND_SECONDS = 60


def _field_error(field: str, exc: ValidationError | str, code: str | None = None) -> DomainError:
    messages = [exc] if isinstance(exc, str) else list(exc.messages)
    return DomainError(code or f"invalid_{field}", " ".join(str(m) for m in messages), details={"field": field})


def _clean(field: str, normalizer, raw):
    try:
        return normalizer(raw)
    except ValidationError as exc:
        raise _field_error(field, exc) from None


def _clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise _field_error("name", _("请输入姓名，与身份证上的姓名一致。"))
    if len(name) > NAME_MAX:
        raise _field_error("name", _("姓名不能超过%(n)d个字。") % {"n": NAME_MAX})
    return name


def _check_password(password: str, user: User, field: str = "password") -> None:
    if not password:
        raise _field_error(field, _("请输入密码。"))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _field_error(field, exc, code="weak_password") from None


def _id_number_taken() -> Conflict:
    return Conflict(
        "id_number_taken",
        _("该身份证号码已注册，请直接登录或找回密码。"),
        details={"field": "id_number"},
    )


def _licence_taken() -> Conflict:
    return Conflict(
        "licence_taken",
        _("该执业证号已被其他账号使用。如果这是您的执业证，请联系所在律师事务所的主管司法局。"),
        details={"field": "licence_no"},
    )


def _registry_verdict(licence_no: str, name: str) -> str:
    """Verified when the registry knows the licence, it is active and the
    name matches; otherwise a bureau clerk has to look at it."""
    record = LicenceRecord.objects.filter(licence_no=licence_no).only("name", "status").first()
    if record and record.status == LicenceRecordStatus.ACTIVE and record.name.strip() == name:
        return LicenceStatus.VERIFIED
    return LicenceStatus.PENDING


def _revoke_api_tokens(user: User, *, keep: ApiToken | None = None) -> int:
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    return tokens.update(revoked_at=timezone.now())


# --- registration ---------------------------------------------------------------


@transaction.atomic
def lawyer_register(
    *, id_number: str, name: str, mobile: str, licence_no: str, firm: Organisation, password: str, ip: str | None
) -> User:
    """Create a lawyer's account and their membership of *firm*.

    The licence is checked against the registry: known, active and the same
    name → verified; otherwise it waits for a clerk of the firm's bureau.
    """
    id_number = _clean("id_number", normalize_id_number, id_number)
    name = _clean_name(name)
    mobile = _clean("mobile", normalize_mobile, mobile)
    licence_no = _clean("licence_no", normalize_licence_no, licence_no)
    if firm is None or firm.kind not in FIRM_KINDS or not firm.is_active:
        raise _field_error("firm", _("请选择您执业的律师事务所、公职律师事务所或法律援助机构。"), code="invalid_firm")
    if User.objects.by_id_number(id_number).exists():
        raise _id_number_taken()
    if User.objects.filter(licence_no=licence_no).exists():
        raise _licence_taken()

    candidate = User(name=name, mobile=mobile)
    candidate._pending_id_number = id_number
    _check_password(password, candidate)

    status = _registry_verdict(licence_no, name)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                id_number,
                password,
                name=name,
                mobile=mobile,
                licence_no=licence_no,
                licence_status=status,
                licence_verified_at=timezone.now() if status == LicenceStatus.VERIFIED else None,
            )
    except (IntegrityError, ValidationError) as exc:
        # Someone registered the same ID or licence number a moment ago.
        if User.objects.by_id_number(id_number).exists():
            raise _id_number_taken() from None
        if User.objects.filter(licence_no=licence_no).exists():
            raise _licence_taken() from None
        if isinstance(exc, ValidationError):
            raise DomainError("invalid_input", " ".join(exc.messages)) from None
        raise
    membership = Membership(user=user, organisation=firm, role=Role.LAWYER)
    membership.full_clean()
    membership.save()

    audit_record(
        action="accounts.register",
        actor=user,
        ip=ip,
        organisation=firm,
        obj=user,
        after={
            "id_number": user.id_number_masked,
            "name": name,
            "mobile": mask_mobile(mobile),
            "licence_no": licence_no,
            "licence_status": status,
            "firm": firm.pk,
        },
    )
    notify_user(user, kind="welcome", context={"name": name}, url=reverse("accounts:profile"))
    return user


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
        if len(email) > User._meta.get_field("email").max_length:
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


# --- passwords ----------------------------------------------------------------------


def _password_set(user: User, new_password: str, *, ip: str | None, action: str, keep_token=None) -> None:
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
    if row is None:
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


# --- licence verification by bureau clerks ------------------------------------------


def _licence_decide(*, clerk: User, lawyer: User, to: str, ip: str | None, reason: str = "") -> User:
    if not scope.can(clerk, "accounts.verify_licence", lawyer):
        raise DomainError("forbidden", _("只有律师所在律师事务所的主管司法局工作人员才能核验执业证。"), status=403)
    now = timezone.now()
    changed = User.objects.filter(pk=lawyer.pk, licence_status=LicenceStatus.PENDING).update(
        licence_status=to, licence_verified_at=now if to == LicenceStatus.VERIFIED else None
    )
    if not changed:
        raise Conflict("licence_not_pending", _("该律师的执业证已经处理过了，请刷新列表。"))
    lawyer.refresh_from_db()
    firm = selectors.lawyer_firm(lawyer)
    audit_record(
        action="accounts.licence_approve" if to == LicenceStatus.VERIFIED else selectors.LICENCE_REJECT_ACTION,
        actor=clerk,
        ip=ip,
        organisation=firm,
        obj=lawyer,
        before={"licence_status": LicenceStatus.PENDING},
        after={"licence_status": to},
        message=reason,
    )
    context = {"name": lawyer.name, "licence_no": lawyer.licence_no or ""}
    if to == LicenceStatus.VERIFIED:
        notify_user(lawyer, kind="licence_verified", context=context, url=reverse("accounts:profile"))
    else:
        notify_user(
            lawyer, kind="licence_rejected", context={**context, "reason": reason}, url=reverse("accounts:profile")
        )
    return lawyer


@transaction.atomic
def licence_approve(*, clerk: User, lawyer: User, ip: str | None) -> User:
    """Pending → verified."""
    return _licence_decide(clerk=clerk, lawyer=lawyer, to=LicenceStatus.VERIFIED, ip=ip)


@transaction.atomic
def licence_reject(*, clerk: User, lawyer: User, reason: str, ip: str | None) -> User:
    """Pending → rejected, with a reason the lawyer is told."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise _field_error("reason", _("请填写不予核验的原因，律师将据此修改。"), code="reason_required")
    if len(reason) > REJECT_REASON_MAX:
        raise _field_error("reason", _("原因不能超过%(n)d个字。") % {"n": REJECT_REASON_MAX})
    return _licence_decide(clerk=clerk, lawyer=lawyer, to=LicenceStatus.REJECTED, ip=ip, reason=reason)
