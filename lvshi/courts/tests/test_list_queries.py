"""The court pages and API lists run a fixed number of queries whatever
the data size: measured with one set of rows, then with six."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvshi.calendar.models import ScheduleEntry
from lvshi.calendar.workdays import SHANGHAI, next_working_day
from lvshi.core.actor import Actor
from lvshi.courts.models import HearingRequest
from lvshi.courts.services import filings
from lvshi.courts.services.hearings import hearing_schedule

from . import casework_factories as casework
from .factories import complete_filing, court_of, direct_case

LAWYER_PAGES = [
    "courts:cases",
    "courts:filings",
    "courts:fees",
    "courts:hearings",
    "calendar:schedule",
    "courts:documents",
    "courts:exchanges",
    "courts:threads",
    "courts:file_reviews",
]
CLERK_ONLY = ["courts:review_queue", "courts:court_fees", "courts:court_materials", "courts:court_documents"]
JUDGE_ONLY = ["courts:requests", "courts:court_exchanges", "courts:court_threads", "courts:court_reviews"]
COURT_PAGES = [
    *CLERK_ONLY,
    *JUDGE_ONLY,
    "courts:workbench",
    "courts:court_cases",
    "courts:court_hearings",
]
LAWYER_API = [
    "/api/v1/courts/cases",
    "/api/v1/courts/filings",
    "/api/v1/courts/fees",
    "/api/v1/courts/hearings",
    "/api/v1/courts/documents",
    "/api/v1/courts/evidence-exchanges",
    "/api/v1/courts/messages",
    "/api/v1/courts/file-reviews",
]
COURT_API = ["/api/v1/courts/filing-reviews", "/api/v1/courts/conflict-requests"]


def _add(world, n: int) -> None:
    """One more of everything the lists show."""
    court = court_of(world)
    case = direct_case(court, judge=world.judge, lawyers=[world.lawyer], clerk=world.clerk)
    day = next_working_day(timezone.localdate() + timedelta(days=5 + n))
    start = datetime.combine(day, time(9, 0), tzinfo=SHANGHAI) + timedelta(hours=n % 3)
    room = list(court.rooms.order_by("pk"))[n % 2]
    hearing = hearing_schedule(
        actor=Actor(world.clerk), case=case, start=start, minutes=60, room_id=room.pk, judge_id=world.judge.pk
    )
    HearingRequest.objects.create(
        hearing=hearing, lawyer=world.lawyer, kind="excuse", reason="另案", phone="13800000000"
    )
    filing = complete_filing(world.lawyer, court)
    filings.filing_submit(filing=filing, actor=Actor(world.lawyer))
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=start, end=start + timedelta(hours=1), text=f"事项{n}")
    casework.material(world, world.lawyer)
    casework.served(world, world.lawyer)
    casework.exchange(world, world.lawyer)
    casework.thread(world, world.lawyer)
    casework.review(world, world.lawyer, pages=1)
    casework.review(world, world.lawyer, approved=False, pages=1)


def _count(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("who", ["lawyer", "clerk", "judge"])
def test_lists_do_not_grow_with_the_data(world, login, client, api, who):
    user = getattr(world, who)
    pages = LAWYER_PAGES if who == "lawyer" else COURT_PAGES
    apis = LAWYER_API if who == "lawyer" else COURT_API
    if who == "clerk":
        pages = [p for p in pages if p not in JUDGE_ONLY]
        apis = [a for a in apis if "conflict-requests" not in a]
    if who == "judge":
        pages = [p for p in pages if p not in CLERK_ONLY]
        apis = [a for a in apis if "filing-reviews" not in a]
    _add(world, 0)
    web = login(user)
    headers = api(user)
    for p in pages:  # the first request of a session does its own bookkeeping
        web.get(reverse(p))
    for a in apis:
        client.get(a, **headers)
    small = {p: _count(lambda p=p: web.get(reverse(p))) for p in pages}
    small |= {a: _count(lambda a=a: client.get(a, **headers)) for a in apis}
    for n in range(1, 6):
        _add(world, n)
    large = {p: _count(lambda p=p: web.get(reverse(p))) for p in pages}
    large |= {a: _count(lambda a=a: client.get(a, **headers)) for a in apis}
    assert large == small
    print(who, small)
