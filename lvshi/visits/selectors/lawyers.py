"""A lawyer's side of meetings: bindings, bookings, waitlist entries,
assistants and the home page's counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from lvshi.calendar.workdays import today
from lvshi.orgs.models import FIRM_KINDS, Membership, Role

from ..models import (
    WAITLIST_OPEN,
    Binding,
    BindingStatus,
    Booking,
    BookingStatus,
    MeetingRequestRecipient,
    WaitlistEntry,
    WaitlistStatus,
)
from .slots import count_of

if TYPE_CHECKING:
    from lvshi.accounts.models import User


_COUNTS_ATTR = "_lvshi_visit_counts"


def assistants_for(lawyer: User) -> QuerySet:
    """People who may accompany *lawyer* to a meeting: active assistants and
    lawyers of the firms where *lawyer* practises, the lawyer excepted."""
    from django.contrib.auth import get_user_model

    firms = Membership.objects.filter(
        user=lawyer, is_active=True, role=Role.LAWYER, organisation__kind__in=FIRM_KINDS
    ).values("organisation_id")
    members = Membership.objects.filter(
        organisation_id__in=firms, is_active=True, role__in=[Role.ASSISTANT, Role.LAWYER]
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=members, is_active=True).exclude(pk=lawyer.pk).order_by("name", "pk")


def active_bindings(lawyer: User) -> QuerySet[Binding]:
    return (
        Binding.objects.filter(lawyer=lawyer, status=BindingStatus.ACTIVE)
        .select_related("detainee", "detainee__centre", "case")
        .order_by("detainee__centre__name", "detainee__name", "pk")
    )


def bookings_for(lawyer: User, *, status: str | None = None) -> QuerySet[Booking]:
    qs = Booking.objects.filter(lawyer=lawyer).select_related("detainee", "centre", "assistant")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-date", "-start", "-pk")


def waitlist_for(lawyer: User, *, open_only: bool = False) -> QuerySet[WaitlistEntry]:
    """The lawyer's waitlist entries, open ones first, each with its
    ``position`` in the slot's line (1 = next; waiting entries only), in one
    query."""
    ahead = (
        WaitlistEntry.objects.filter(
            centre_id=OuterRef("centre_id"),
            date=OuterRef("date"),
            start=OuterRef("start"),
            room_kind=OuterRef("room_kind"),
            status=WaitlistStatus.WAITING,
        )
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("centre_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = WaitlistEntry.objects.filter(lawyer=lawyer).select_related("detainee", "centre", "booking")
    if open_only:
        qs = qs.filter(status__in=WAITLIST_OPEN)
    return qs.annotate(
        position=Subquery(ahead, output_field=IntegerField()),
        is_open=Case(When(status__in=WAITLIST_OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("is_open", "date", "start", "-pk")


def lawyer_counts(user: User) -> dict[str, int]:
    """The lawyer's home counters in one query, remembered on *user* for the
    request: under review, approved and still ahead, failed (rejected),
    meeting requests not yet read."""
    cached: dict[str, int] | None = getattr(user, _COUNTS_ATTR, None)
    if cached is not None:
        return cached
    bookings = Booking.objects.filter(lawyer=user.pk)
    found = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            review=count_of(bookings.filter(status=BookingStatus.UNDER_REVIEW)),
            upcoming=count_of(bookings.filter(status=BookingStatus.APPROVED, date__gte=today())),
            failed=count_of(bookings.filter(status=BookingStatus.REJECTED)),
            requests=count_of(MeetingRequestRecipient.objects.filter(lawyer=user.pk, seen_at__isnull=True)),
        )
        .first()
    )
    counts: dict[str, int] = {"review": 0, "upcoming": 0, "failed": 0, "requests": 0}
    if found:
        counts.update(review=found["review"], upcoming=found["upcoming"], failed=found["failed"])
        counts.update(requests=found["requests"])
    setattr(user, _COUNTS_ATTR, counts)
    return counts


def firm_name(lawyer_ref: str = "lawyer_id") -> Subquery:
    """An annotation: the name of the firm where the lawyer (*lawyer_ref* of
    the query's rows) practises, the earliest active one; None if none."""
    firm = Membership.objects.filter(
        user=OuterRef(lawyer_ref), role=Role.LAWYER, is_active=True, organisation__is_active=True
    ).order_by("pk")
    return Subquery(firm.values("organisation__name")[:1])
