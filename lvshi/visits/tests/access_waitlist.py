"""Access rules of the waitlist pages and API, and of the assistants list
(see tests/access.py)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from tests.access import API_TOKEN, LOGIN, Access

_days = itertools.count()


def _entry(lawyer_attr: str, *, offered: bool):
    """An open waitlist entry of the persona for a detainee they are bound
    to, each on its own day; offered ones hold a room for 15 more minutes."""

    def make(world):
        from lvshi.visits.models import CentreConfig, WaitlistEntry, WaitlistStatus

        from .factories import bind, make_detainee

        CentreConfig.objects.get_or_create(organisation=world.centre)
        lawyer = getattr(world, lawyer_attr)
        detainee = make_detainee(world.centre)
        bind(lawyer, detainee)
        now = timezone.now()
        entry = WaitlistEntry.objects.create(
            lawyer=lawyer,
            detainee=detainee,
            centre=world.centre,
            date=timezone.localdate() + timedelta(days=200 + next(_days)),
            start="08:30",
            end="11:00",
            created_at=now,
            status=WaitlistStatus.OFFERED if offered else WaitlistStatus.WAITING,
            offered_at=now if offered else None,
            offer_expires_at=now + timedelta(minutes=15) if offered else None,
        )
        return {"entry_id": entry.pk}

    return make


NOT_LAWYERS = ("officer", "judge", "bureau_clerk")

PAGES = {
    "visits:waitlist": Access(LOGIN, denied=NOT_LAWYERS),
    "visits:waitlist_join": Access(LOGIN, method="post", denied=NOT_LAWYERS),
    "visits:waitlist_accept": Access(
        LOGIN,
        method="post",
        persona="lawyer",
        mine=_entry("lawyer", offered=True),
        theirs=_entry("other_lawyer", offered=True),
        denied=("officer",),
    ),
    "visits:waitlist_leave": Access(
        LOGIN,
        method="post",
        persona="lawyer",
        mine=_entry("lawyer", offered=False),
        theirs=_entry("other_lawyer", offered=False),
        denied=("officer",),
    ),
}

API = {
    "GET /api/v1/visits/assistants": Access(API_TOKEN, denied=NOT_LAWYERS),
    "GET /api/v1/visits/waitlist/{entry_id}/history": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_entry("lawyer", offered=False),
        theirs=_entry("other_lawyer", offered=False),
        denied=NOT_LAWYERS,
    ),
    "GET /api/v1/visits/waitlist": Access(API_TOKEN),
    "POST /api/v1/visits/waitlist": Access(
        API_TOKEN,
        body=lambda world: {"detainee_id": 999999, "date": "2030-01-07", "slot": "08:30"},
        denied=NOT_LAWYERS,
    ),
    "POST /api/v1/visits/waitlist/{entry_id}/accept": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_entry("lawyer", offered=True),
        theirs=_entry("other_lawyer", offered=True),
        body=lambda world: {},
        denied=("officer",),
    ),
    "POST /api/v1/visits/waitlist/{entry_id}/leave": Access(
        API_TOKEN,
        persona="lawyer",
        mine=_entry("lawyer", offered=False),
        theirs=_entry("other_lawyer", offered=False),
        denied=("officer",),
    ),
}
