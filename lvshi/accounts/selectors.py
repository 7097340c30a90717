"""Reads for registration, profiles and licence verification."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.orgs import scope
from lvshi.orgs.models import FIRM_KINDS, Membership, Organisation, Role

from . import licences
from .models import LicenceStatus, SmsCode, SmsCodePurpose, User

LICENCE_REJECT_ACTION = "accounts.licence_reject"


def registration_firms() -> QuerySet[Organisation]:
    """Organisations a lawyer may register with: law firms, public-sector
    firms and legal-aid bodies that are in service."""
    return Organisation.objects.filter(kind__in=FIRM_KINDS, is_active=True).order_by("region_code", "name")


def firm_for_registration(firm_id: int | str | None) -> Organisation | None:
    try:
        return registration_firms().filter(pk=int(firm_id or "")).first()
    except (TypeError, ValueError):
        return None


def lawyer_firm(user: User) -> Organisation | None:
    """The firm where *user* practises (their active lawyer membership)."""
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, role=Role.LAWYER, is_active=True)
        .order_by("created_at")
        .first()
    )
    return membership.organisation if membership else None


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.select_related("organisation")
        .filter(user=user, is_active=True)
        .order_by("organisation__path", "role")
    )


def licence_rejection_reason(user: User) -> str:
    """The reason given when the user's licence was last rejected."""
    if user.licence_status != LicenceStatus.REJECTED:
        return ""
    event = (
        AuditEvent.objects.filter(
            action=LICENCE_REJECT_ACTION, object_type=User._meta.label_lower, object_id=str(user.pk)
        )
        .order_by("-occurred_at", "-id")
        .only("message")
        .first()
    )
    return event.message if event else ""


def licence_queue(user: User) -> QuerySet[Any]:
    """Lawyers waiting for licence verification whose firm lies in the
    user's bureau subtree (every bureau for a platform administrator).

    Each row carries ``firm_name``; :func:`with_registry` adds what the
    registry says about the licence.
    """
    firm_memberships = Membership.objects.filter(user=OuterRef("pk"), role=Role.LAWYER, is_active=True).order_by(
        "created_at"
    )
    in_scope = Membership.objects.filter(role=Role.LAWYER, is_active=True)
    if not scope.is_platform_admin(user):
        in_scope = in_scope.filter(scope.org_q(user, Role.BUREAU_CLERK))
    return (
        User.objects.filter(licence_status=LicenceStatus.PENDING, is_active=True, pk__in=in_scope.values("user_id"))
        .annotate(
            firm_id=Subquery(firm_memberships.values("organisation_id")[:1]),
            firm_name=Subquery(firm_memberships.values("organisation__name")[:1]),
        )
        .order_by("date_joined", "pk")
    )


def with_registry(lawyers: list[User]) -> list[User]:
    """Attach what the registry says of each lawyer's licence
    (``registry_name``, ``registry_status``, ``registry_status_label``;
    None when it does not know the number): one query for the list."""
    entries = licences.look_up(u.licence_no for u in lawyers if u.licence_no)
    for u in lawyers:
        entry = entries.get(u.licence_no or "")
        u.registry_name = entry.name if entry else None  # type: ignore[attr-defined]
        u.registry_status = entry.status if entry else None  # type: ignore[attr-defined]
        u.registry_status_label = entry.status_label if entry else ""  # type: ignore[attr-defined]
    return lawyers


def pending_mobile_change(user: User) -> str:
    """The new number waiting for its SMS code, or ''."""
    row = (
        SmsCode.objects.filter(
            user=user, purpose=SmsCodePurpose.MOBILE_CHANGE, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .only("mobile")
        .first()
    )
    return row.mobile if row else ""
