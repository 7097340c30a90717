"""Reads for the day board of a centre (今日会见) and the authority's
overview of its centres."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lvshi.calendar.workdays import local_date
from lvshi.orgs import scope
from lvshi.orgs.models import Membership, Organisation, Role

from ..models import CENTRE_KINDS, Booking, BookingStatus, CentreConfig, RoomKind
from .lockout import no_show_at

BOARD_STATUSES = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def board_bookings(user, day: date | None = None, *, pk: int | None = None) -> list[Booking]:
    """Approved, met and missed bookings of *day* (or the one booking *pk*)
    at the officer's centre(s), in time order, with lawyer, firm, detainee,
    assistant and check-in: a fixed number of queries whatever the number of
    bookings."""
    firms = Prefetch(
        "lawyer__memberships",
        queryset=Membership.objects.filter(role=Role.LAWYER, is_active=True).select_related("organisation"),
        to_attr="lawyer_firms",
    )
    qs = (
        Booking.objects.filter(scope.org_q(user, Role.OFFICER, field="centre"), status__in=BOARD_STATUSES)
        .filter(Q(pk=pk) if pk is not None else Q(date=day))
        .select_related("lawyer", "detainee", "centre", "assistant", "check_in")
        .prefetch_related(firms)
        .order_by("start", "centre__name", "pk")
    )
    bookings = list(qs)
    for b in bookings:
        firms_of = getattr(b.lawyer, "lawyer_firms", [])
        b.firm_name = firms_of[0].organisation.name if firms_of else ""
    return bookings


def board_row_state(booking: Booking, *, now=None) -> str:
    """For an approved booking: ``open`` (check-in possible now), ``late``
    (the meeting day, 20 minutes past the start: the service will refuse and
    say why), ``early`` (a later day), ``past`` (an earlier day, read-only).
    Otherwise the booking's status."""
    now = now or timezone.now()
    if booking.status != BookingStatus.APPROVED:
        return booking.status
    today = local_date(now)
    if booking.date > today:
        return "early"
    if booking.date < today:
        return "past"
    return "late" if now >= no_show_at(booking) else "open"


def authority_centres(user) -> list[Organisation]:
    """Centres and video points under the authority officer's organisation(s),
    with their settings, rooms per kind and today's bookings: four queries."""
    today = local_date(timezone.now())
    active_rooms = Q(rooms__active=True)
    centres = list(
        Organisation.objects.filter(scope.org_q(user, Role.AUTHORITY_OFFICER, field=None), kind__in=CENTRE_KINDS)
        .annotate(
            in_person_rooms=Count("rooms", filter=active_rooms & Q(rooms__kind=RoomKind.IN_PERSON), distinct=True),
            video_rooms=Count("rooms", filter=active_rooms & Q(rooms__kind=RoomKind.VIDEO), distinct=True),
            legal_aid_rooms=Count("rooms", filter=active_rooms & Q(rooms__legal_aid_only=True), distinct=True),
        )
        .select_related("parent")
        .order_by("path")
    )
    configs = {c.organisation_id: c for c in CentreConfig.objects.filter(organisation__in=centres)}
    today_counts = dict(
        Booking.objects.filter(
            centre__in=centres,
            date=today,
            status__in=[BookingStatus.UNDER_REVIEW, *BOARD_STATUSES],
        )
        .values_list("centre")
        .annotate(n=Count("pk"))
    )
    for c in centres:
        c.visit_settings = configs.get(c.pk)
        c.today_bookings = today_counts.get(c.pk, 0)
    return centres


def managed_centres(user) -> QuerySet[Organisation]:
    """Centres whose settings *user* may change (for the navigation entry)."""
    if scope.is_platform_admin(user):
        return Organisation.objects.filter(kind__in=CENTRE_KINDS).order_by("path")
    return Organisation.objects.filter(
        scope.org_q(user, Role.OFFICER, Role.ORG_ADMIN, Role.AUTHORITY_OFFICER, field=None), kind__in=CENTRE_KINDS
    ).order_by("path")
