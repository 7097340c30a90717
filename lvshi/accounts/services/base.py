from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import max_length

from .. import licences
from ..models import ApiToken, LicenceStatus, User

if TYPE_CHECKING:
    from collections.abc import Callable

NAME_MAX = max_length(User, "name")
REJECT_REASON_MAX = 200
SMS_RESEND_SECONDS = 60


def _field_error(field: str, exc: ValidationError | str, code: str | None = None) -> DomainError:
    messages = [exc] if isinstance(exc, str) else list(exc.messages)
    return DomainError(code or f"invalid_{field}", " ".join(str(m) for m in messages), details={"field": field})


def _clean(field: str, normalizer: Callable[[str], str], raw: str) -> str:
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
    if licences.verdict_verified(licence_no, name):
        return LicenceStatus.VERIFIED
    return LicenceStatus.PENDING


def _revoke_api_tokens(user: User, *, keep: ApiToken | None = None) -> int:
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    return tokens.update(revoked_at=timezone.now())
