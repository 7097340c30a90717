"""Meeting requests (要求会见, V9): a held detainee asked to see their lawyer.

An officer of the detainee's centre records the request; every lawyer then
*actively* bound to the detainee becomes a recipient (one
:class:`MeetingRequestRecipient` each) and is told in the inbox and by SMS,
with a link to the booking page. Bindings still under review, returned,
ended or withdrawn do not count. Without an active binding nothing is
recorded and the officer is told why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_users
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role

from ..models import Binding, BindingStatus, Detainee, DetaineeStatus, MeetingRequest, MeetingRequestRecipient

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from lvshi.accounts.models import User


NOTE_MAX = 300


def booking_url(detainee: Detainee) -> str:
    """The booking page with the centre and the detainee already chosen."""
    return reverse("visits:book") + "?" + urlencode({"centre": detainee.centre_id, "detainee": detainee.pk})


# --- services ------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(*, actor: Actor, detainee: Detainee, note: str = "") -> MeetingRequest:
    """Record that *detainee* asked to see their lawyer and tell every lawyer
    actively bound to them."""
    officer = actor.user
    if not scope.can(officer, "visits.record_meeting_request", detainee):
        raise PermissionDenied(message=_("只有该在押人员所在看守所的民警可以登记会见要求。"))
    note = clean_text(note, field=(MeetingRequest, "note"))
    # The detainee's row is locked so a release or transfer cannot slip in between.
    current = Detainee.objects.select_for_update().select_related("centre").get(pk=detainee.pk)
    if current.status != DetaineeStatus.HELD:
        raise DomainError(
            "detainee_not_held",
            _("%(name)s当前状态为“%(status)s”，不能再登记会见要求。")
            % {"name": current.name, "status": DetaineeStatus(current.status).label},
        )
    lawyers = [
        b.lawyer
        for b in Binding.objects.filter(detainee=current, status=BindingStatus.ACTIVE)
        .select_related("lawyer")
        .order_by("seat", "pk")
    ]
    if not lawyers:
        raise DomainError(
            "no_bound_lawyer",
            _("%(name)s目前没有有效委托的律师，无法通知律师，会见要求未登记。请告知在押人员或其近亲属先办理委托。")
            % {"name": current.name},
        )
    meeting_request = MeetingRequest.objects.create(
        detainee=current, centre=current.centre, note=note, recorded_by=officer, recorded_at=timezone.now()
    )
    MeetingRequestRecipient.objects.bulk_create(
        [MeetingRequestRecipient(request=meeting_request, lawyer=lawyer) for lawyer in lawyers]
    )
    audit_record(
        action="visits.meeting_request_create",
        actor=actor,
        obj=meeting_request,
        organisation=current.centre,
        after={"detainee": current.pk, "note": note, "lawyers": [lawyer.pk for lawyer in lawyers]},
    )
    notify_users(
        lawyers,
        kind="visit_meeting_request",
        context={"centre": current.centre.name, "detainee": current.name, "note": note},
        url=booking_url(current),
    )
    return meeting_request


@transaction.atomic
def meeting_requests_mark_seen(*, actor: Actor, recipient_ids: Iterable[int] | None = None) -> int:
    """Mark the lawyer's unseen requests (or only *recipient_ids*) as seen;
    returns how many changed. Requests of other lawyers are never touched."""
    permissions.require(actor.user, "visits.view_meeting_requests")
    lawyer = actor.user
    qs = MeetingRequestRecipient.objects.filter(lawyer=lawyer, seen_at__isnull=True)
    if recipient_ids is not None:
        qs = qs.filter(pk__in=list(recipient_ids))
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    updated = MeetingRequestRecipient.objects.filter(pk__in=ids, seen_at__isnull=True).update(seen_at=timezone.now())
    audit_record(
        action="visits.meeting_request_seen",
        actor=actor,
        object_type="visits.meetingrequestrecipient",
        object_id=ids[0] if len(ids) == 1 else "",
        after={"recipients": ids},
    )
    return updated


# --- selectors ---------------------------------------------------------------------------


def received_by(lawyer: User) -> QuerySet[MeetingRequestRecipient]:
    """The lawyer's requests, newest first."""
    return (
        MeetingRequestRecipient.objects.filter(lawyer=lawyer)
        .select_related("request__detainee", "request__centre")
        .order_by("-request__recorded_at", "-pk")
    )


def unseen_count(lawyer: User) -> int:
    return MeetingRequestRecipient.objects.filter(lawyer=lawyer, seen_at__isnull=True).count()


def recorded_for(officer: User) -> QuerySet[MeetingRequest]:
    """Requests recorded at the officer's centre(s), newest first, with their recipients."""
    return (
        MeetingRequest.objects.filter(scope.org_q(officer, Role.OFFICER, field="centre"))
        .select_related("detainee", "centre", "recorded_by")
        .prefetch_related("recipients__lawyer")
        .order_by("-recorded_at", "-pk")
    )


def held_detainee_or_none(officer: User, *, centre_id: int | None, centre_number: str) -> Detainee | None:
    """A detainee of a centre in the officer's scope, by centre number."""
    centre_number = (centre_number or "").strip()
    if not centre_number:
        return None
    return (
        Detainee.objects.filter(scope.org_q(officer, Role.OFFICER, field="centre"))
        .select_related("centre")
        .filter(centre_id=centre_id, centre_number=centre_number)
        .first()
    )
