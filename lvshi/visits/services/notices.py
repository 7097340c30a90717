"""Notices of the detention authority (通知公告, V15).

An authority officer publishes a notice for one or more centres or video
points in their scope (all of them by default). Every lawyer holding a
booking under review or approved, dated today or later, at one of those
centres gets one SMS and one inbox notification, however many of the
centres they have bookings at; ``Notice.recipients`` keeps the number.
The recipients are found with one query and told with a few bulk inserts;
the SMS go out through the task queue once the transaction commits.

Published notices are public: title, body, issuer, centres and time, never
who published them or whom they reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_users
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, OrgKind, Role

from ..models import CENTRE_KINDS, HOLDING, Notice

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from django.db.models import QuerySet

    from lvshi.accounts.models import User


TITLE_MAX = 100
BODY_MAX = 5000


def centres_in_scope(actor: User) -> QuerySet[Organisation]:
    """Active centres and video points the authority officer publishes for."""
    return (
        Organisation.objects.filter(scope.org_q(actor, Role.AUTHORITY_OFFICER, field=None))
        .filter(kind__in=CENTRE_KINDS, is_active=True)
        .order_by("path")
    )


def issuers_of(actor: User) -> QuerySet[Organisation]:
    """The authorities in which the officer acts."""
    return Organisation.objects.filter(
        scope.org_q(actor, Role.AUTHORITY_OFFICER, subtree=False, field=None), kind=OrgKind.DETENTION_AUTHORITY
    ).order_by("path")


def recipients_for(centre_ids: Iterable[int], today: date) -> QuerySet[User]:
    """Lawyers holding a booking under review or approved, dated *today* or
    later, at any of the centres: each once, in one query."""
    return (
        get_user_model()
        .objects.filter(
            bookings__centre_id__in=list(centre_ids),
            bookings__status__in=[s.value for s in HOLDING],
            bookings__date__gte=today,
        )
        .distinct()
        .only("pk", "mobile", "email")
    )


@transaction.atomic
def notice_publish(*, actor: Actor, title: str, body: str, centres: Iterable[Organisation] | None = None) -> Notice:
    """Publish a notice for *centres* (default: every centre in the officer's
    scope) and tell the lawyers with bookings there."""
    if not scope.has_role(actor.user, Role.AUTHORITY_OFFICER):
        raise PermissionDenied(message=_("只有监所管理民警可以发布通知公告。"))
    title = clean_text(title, field=(Notice, "title"), label=_("通知标题"), required=_("请填写通知标题。"))
    body = clean_text(body, field=(Notice, "body"), label=_("通知正文"), required=_("请填写通知正文。"))
    allowed = {c.pk: c for c in centres_in_scope(actor.user)}
    if centres is None or not list(centres):
        chosen = list(allowed.values())
    else:
        wanted = {c.pk if isinstance(c, Organisation) else int(c) for c in centres}
        outside = wanted - allowed.keys()
        if outside:
            raise DomainError(
                "centre_out_of_scope",
                _("所选机构中有不属于您管辖范围的看守所或会见点，请只选择本总队下属的机构。"),
                details={"centres": sorted(outside)},
            )
        chosen = [allowed[pk] for pk in sorted(wanted)]
    if not chosen:
        raise DomainError("no_centre", _("您的管辖范围内没有看守所或会见点，无法发布通知。"))
    issuer = _issuer_for(actor.user, chosen)
    notice = Notice(issuer=issuer, title=title, body=body, published_by=actor.user, published_at=timezone.now())
    notice.full_clean(exclude=["issuer", "published_by"])
    notice.save()
    notice.centres.set(chosen)
    lawyers = list(recipients_for([c.pk for c in chosen], local_date(notice.published_at)))
    notice.recipients = (
        notify_users(
            lawyers,
            kind="visit_notice",
            context={"issuer": issuer.name, "title": title},
            url=reverse("visits:notice_detail", args=[notice.pk]),
        )
        if lawyers
        else 0
    )
    Notice.objects.filter(pk=notice.pk).update(recipients=notice.recipients)
    audit_record(
        action="visits.notice_publish",
        actor=actor,
        obj=notice,
        organisation=issuer,
        after={"title": title, "centres": [c.pk for c in chosen], "recipients": notice.recipients},
    )
    return notice


def _issuer_for(actor: User, chosen: list[Organisation]) -> Organisation:
    """The officer's authority above the chosen centres (the nearest one)."""
    for authority in sorted(issuers_of(actor), key=lambda o: -len(o.path)):
        if all(c.path.startswith(authority.path) for c in chosen):
            return authority
    # An officer whose grant is not an authority (e.g. held at a centre) issues in that organisation's name.
    grant = next(g for g in scope.grants(actor) if g.role == Role.AUTHORITY_OFFICER)
    return Organisation.objects.get(pk=grant.org_id)


# --- selectors ---------------------------------------------------------------------------


def published(*, centre_id: int | None = None) -> QuerySet[Notice]:
    """Published notices, newest first (public)."""
    qs = Notice.objects.select_related("issuer").prefetch_related("centres").order_by("-published_at", "-pk")
    if centre_id:
        qs = qs.filter(centres__pk=centre_id)
    return qs


def issued_by(actor: User) -> QuerySet[Notice]:
    """Notices of the authorities the officer acts in, newest first."""
    return (
        Notice.objects.filter(scope.org_q(actor, Role.AUTHORITY_OFFICER, field="issuer"))
        .select_related("issuer", "published_by")
        .prefetch_related("centres")
        .order_by("-published_at", "-pk")
    )


def public_centres() -> QuerySet[Organisation]:
    """Centres that notices can name, for the public filter."""
    return Organisation.objects.filter(kind__in=CENTRE_KINDS, is_active=True).order_by("path").only("pk", "name")
