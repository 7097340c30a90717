"""Hearings in the lawyer's schedule and calendar feed (C1, X4): the
hearings of every case the lawyer is linked to. One query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lvshi.calendar import feeds

from .models import Hearing, HearingStatus
from .services.hearings import hearing_uid


def hearing_events(user, window: feeds.Window):
    qs = (
        Hearing.objects.filter(case__links__lawyer=user, start__date__gte=window.since)
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case__court__organisation", "room")
        .order_by("start", "pk")
    )
    for h in qs:
        court = h.case.court.organisation
        yield feeds.FeedEvent(
            uid=hearing_uid(h),
            summary=_("开庭 %(number)s") % {"number": h.case.number},
            start=h.start,
            end=h.end,
            location=f"{court.name}{h.room.name}",
            description=h.case.cause,
            modified=h.scheduled_at,
            place=court.region_code,
            public_summary=_("开庭（%(court)s）") % {"court": court.name},
        )


feeds.register_source("hearings", hearing_events)
