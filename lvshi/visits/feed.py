"""Detention-centre meetings in the lawyer's calendar feed (X4).

Approved (and met) meetings are CONFIRMED, those under review TENTATIVE,
from 30 days back on. Cancelled and rejected ones stay as CANCELLED for 30
days after the change, so subscribed calendars remove them. The summary
names the detainee (the link belongs to the lawyer bound to them); no
identity or centre numbers leave the platform this way. One query.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from lvshi.calendar import feeds
from lvshi.calendar.workdays import SHANGHAI

from .models import Booking, BookingStatus

_STATUS = {
    BookingStatus.UNDER_REVIEW: feeds.TENTATIVE,
    BookingStatus.APPROVED: feeds.CONFIRMED,
    BookingStatus.COMPLETED: feeds.CONFIRMED,
    BookingStatus.NO_SHOW: feeds.CONFIRMED,
    BookingStatus.CANCELLED: feeds.CANCELLED,
    BookingStatus.REJECTED: feeds.CANCELLED,
}
_STANDING = [BookingStatus.UNDER_REVIEW, BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@visits.lvshi"


def _location(booking: Booking) -> str:
    centre = booking.centre
    return f"{centre.name}（{centre.address}）" if centre.address else centre.name


def meeting_events(user, window: feeds.Window):
    gone = Q(status=BookingStatus.CANCELLED) & (
        Q(cancelled_at__gte=window.cancelled_since) | Q(cancelled_at__isnull=True)
    ) | Q(status=BookingStatus.REJECTED, decided_at__gte=window.cancelled_since)
    qs = (
        Booking.objects.filter(lawyer=user, date__gte=window.since)
        .filter(Q(status__in=_STANDING) | gone)
        .select_related("detainee", "centre")
        .only(
            "pk",
            "date",
            "start",
            "end",
            "room_kind",
            "status",
            "submitted_at",
            "decided_at",
            "cancelled_at",
            "detainee__name",
            "centre__name",
            "centre__address",
            "centre__region_code",
        )
        .order_by("date", "start", "pk")
    )
    for b in qs:
        stamps = [t for t in (b.submitted_at, b.decided_at, b.cancelled_at) if t is not None]
        yield feeds.FeedEvent(
            uid=booking_uid(b),
            summary=_("会见 %(name)s") % {"name": b.detainee.name},
            start=datetime.combine(b.date, b.start, tzinfo=SHANGHAI),
            end=datetime.combine(b.date, b.end, tzinfo=SHANGHAI),
            status=_STATUS[b.status],
            location=_location(b),
            description=_("%(kind)s，%(status)s")
            % {"kind": b.get_room_kind_display(), "status": b.get_status_display()},
            modified=max(stamps) if stamps else None,
            place=b.centre.region_code,
            public_summary=_("看守所会见（%(centre)s）") % {"centre": b.centre.name},
        )


feeds.register_source("visits", meeting_events)
