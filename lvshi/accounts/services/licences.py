from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.errors import Conflict, DomainError
from lvshi.notify.services import notify_user
from lvshi.orgs import scope

from .. import selectors
from ..models import LicenceStatus, User
from .base import REJECT_REASON_MAX, _field_error

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
