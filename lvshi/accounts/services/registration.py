from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.errors import DomainError
from lvshi.notify.services import notify_user
from lvshi.orgs.models import FIRM_KINDS, Membership, Organisation, Role

from ..identity import mask_mobile, normalize_id_number, normalize_licence_no, normalize_mobile
from ..models import LicenceStatus, User
from .base import (
    _check_password,
    _clean,
    _clean_name,
    _field_error,
    _id_number_taken,
    _licence_taken,
    _registry_verdict,
)

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
