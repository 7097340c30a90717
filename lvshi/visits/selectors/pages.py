"""Reads for the lawyer's booking pages and the officers' review queue."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lvshi.orgs import permissions

from ..models import HOLDING, Booking, BookingStatus
from .window import cancel_deadline

if TYPE_CHECKING:
    from lvshi.accounts.models import User


TABS = (BookingStatus.UNDER_REVIEW, BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED)


def tab_counts(lawyer: User) -> dict[str, int]:
    """How many of the lawyer's bookings each tab holds, in one query."""
    return Booking.objects.filter(lawyer=lawyer).aggregate(**{str(s): Count("pk", filter=Q(status=s)) for s in TABS})


def can_cancel(booking: Booking) -> bool:
    """Whether the page offers the cancel button (the service decides)."""
    return booking.status in HOLDING and timezone.now() < cancel_deadline(booking)


def review_queue(user: User) -> QuerySet[Booking]:
    """Bookings under review at the centres where *user* is an officer."""
    qs = Booking.objects.filter(status=BookingStatus.UNDER_REVIEW)
    qs = permissions.visible(user, qs, "visits.review_booking", field="centre")
    return qs.select_related("detainee", "centre", "lawyer").order_by("date", "start", "pk")


def todo_check_in(user: User, today: date) -> int:
    """Today's approved meetings at the officer's centres, still to check in
    (the staff home page's to-do, opening the day's board)."""
    bookings = permissions.visible(user, Booking.objects.all(), "visits.view_board", field="centre")
    return bookings.filter(status=BookingStatus.APPROVED, date=today).count()
