"""Reads for the day board of a centre (今日会见) and the authority's
overview of its centres."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Q, QuerySet
from django.utils import timezone

from lvshi.calendar.workdays import local_date
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, Role

from ..models import CENTRE_KINDS, Booking, BookingStatus, RoomKind
from .lawyers import firm_name
from .lockout import no_show_at
from .slots import count_of

if TYPE_CHECKING:
    from datetime import datetime

    from lvshi.accounts.models import User


BOARD_STATUSES = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def board_bookings(user: User, day: date | None = None, *, pk: int | None = None) -> list[Booking]:
    """Approved, met and missed bookings of *day* (or the one booking *pk*)
    at the officer's centre(s), in time order, with lawyer, firm, detainee,
    assistant and check-in: a fixed number of queries whatever the number of
    bookings."""
    qs = (
        Booking.objects.filter(scope.org_q(user, Role.OFFICER, field="centre"), status__in=BOARD_STATUSES)
        .filter(Q(pk=pk) if pk is not None else Q(date=day))
        .select_related("lawyer", "detainee", "centre", "assistant", "check_in")
        .annotate(firm_name=firm_name())
        .order_by("start", "centre__name", "pk")
    )
    return list(qs)


def board_row_state(booking: Booking, *, now: datetime | None = None) -> str:
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


def authority_centres(user: User) -> list[Organisation]:
    """Centres and video points under the authority officer's organisation(s),
    with their settings (``visit_config``), rooms per kind and today's
    bookings: one query."""
    today = local_date(timezone.now())
    active_rooms = Q(rooms__active=True)
    today_bookings = Booking.objects.filter(
        centre=OuterRef("pk"), date=today, status__in=[BookingStatus.UNDER_REVIEW, *BOARD_STATUSES]
    )
    return list(
        Organisation.objects.filter(scope.org_q(user, Role.AUTHORITY_OFFICER, field=None), kind__in=CENTRE_KINDS)
        .annotate(
            in_person_rooms=Count("rooms", filter=active_rooms & Q(rooms__kind=RoomKind.IN_PERSON), distinct=True),
            video_rooms=Count("rooms", filter=active_rooms & Q(rooms__kind=RoomKind.VIDEO), distinct=True),
            legal_aid_rooms=Count("rooms", filter=active_rooms & Q(rooms__legal_aid_only=True), distinct=True),
            today_bookings=count_of(today_bookings),
        )
        .select_related("parent", "visit_config")
        .order_by("path")
    )


def managed_centres(user: User) -> QuerySet[Organisation]:
    """Centres whose settings *user* may change (for the navigation entry)."""
    if scope.is_platform_admin(user):
        return Organisation.objects.filter(kind__in=CENTRE_KINDS).order_by("path")
    return Organisation.objects.filter(
        scope.org_q(user, Role.OFFICER, Role.ORG_ADMIN, Role.AUTHORITY_OFFICER, field=None), kind__in=CENTRE_KINDS
    ).order_by("path")
