"""The lawyer's schedule (我的日程): the feed's events on a page and in the
API, and the link shown once with its copy button and webcal: address."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from lvshi.visits.models import BookingStatus
from lvshi.visits.tests.factories import make_detainee
from tests.test_access import bearer_for

from .test_feed import clock, meeting  # noqa: F401  (clock is a fixture)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 28)


@pytest.fixture
def meetings(world, clock):  # noqa: F811
    other = make_detainee(world.centre, name="李四")
    return {
        "past": meeting(world, date(2026, 9, 21), detainee=other, status=BookingStatus.COMPLETED),
        "today": meeting(world, TODAY, start=time(14, 0), end=time(15, 0)),
        "later": meeting(world, date(2026, 10, 9), status=BookingStatus.UNDER_REVIEW),
        "cancelled": meeting(world, date(2026, 10, 12), status=BookingStatus.CANCELLED),
    }


def test_the_page_lists_what_stands_from_today_by_day(world, login, meetings):
    page = login(world.lawyer).get(reverse("calendar:schedule")).content.decode()
    assert '<li aria-current="page">我的日程</li>' in page  # the breadcrumbs end here
    assert "2026-09-28" in page and "14:00–15:00" in page and "今天" in page
    assert "2026-10-09" in page and "审核中" in page  # under review: tentative
    assert "2026-10-12" not in page  # cancelled: gone from the page (the feed keeps it as CANCELLED)
    assert "2026-09-21" not in page
    assert page.index("2026-09-28") < page.index("2026-10-09")


def test_the_past_tab_shows_the_last_30_days_latest_first(world, login, meetings):
    page = login(world.lawyer).get(reverse("calendar:schedule") + "?status=past").content.decode()
    assert "2026-09-21" in page and "会见 李四" in page
    assert "2026-10-09" not in page
    assert 'href="?status=past" aria-current="page"' in page


def test_an_empty_schedule_says_what_to_do(world, login, clock):  # noqa: F811
    page = login(world.lawyer).get(reverse("calendar:schedule")).content.decode()
    assert "近期没有日程。" in page and reverse("visits:book") in page and reverse("calendar:entry_new") in page


def test_a_new_link_comes_with_a_copy_button_and_a_webcal_link(world, login, clock):  # noqa: F811
    web = login(world.lawyer)
    page = web.post(reverse("calendar:schedule"), {"action": "reset"}).content.decode()
    url = page.split('id="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    assert url.startswith("http://testserver/calendar/feed/")
    assert 'data-copy="feed-url"' in page
    assert f'href="webcal://{url.removeprefix("http://")}"' in page
    # Shown once: the next visit says the feed is on, without the link.
    again = web.get(reverse("calendar:schedule")).content.decode()
    assert url not in again and "已开通" in again


def test_only_lawyers_have_a_schedule(world, login):
    assert login(world.officer).get(reverse("calendar:schedule")).status_code == 403
    nav = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert reverse("calendar:schedule") in nav


def test_the_api_lists_the_same_events(world, client, meetings):
    auth = bearer_for(world.lawyer)
    upcoming = client.get("/api/v1/calendar/events", **auth)
    assert upcoming.status_code == 200
    rows = upcoming.json()
    assert [r["uid"] for r in rows] == [
        f"booking-{meetings['today'].pk}@visits.lvshi",
        f"booking-{meetings['later'].pk}@visits.lvshi",
    ]
    assert rows[0]["start"] == "2026-09-28T14:00:00+08:00" and rows[1]["status"] == "TENTATIVE"
    past = client.get("/api/v1/calendar/events?past=true", **auth).json()
    assert [r["summary"] for r in past] == ["会见 李四"]
    assert client.get("/api/v1/calendar/events?past=maybe", **auth).status_code in (400, 422)
    assert client.get("/api/v1/calendar/events", **bearer_for(world.officer)).status_code == 403


def test_the_page_s_queries_do_not_grow_with_the_meetings(world, login, clock, django_assert_max_num_queries):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    web = login(world.lawyer)
    detainee = make_detainee(world.centre, name="王五")
    meeting(world, date(2026, 9, 29), detainee=detainee)
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("calendar:schedule")).status_code == 200
    for n in range(12):
        meeting(world, date(2026, 9, 30) + timedelta(days=n), detainee=detainee)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = web.get(reverse("calendar:schedule")).content.decode()
    assert page.count('class="schedule-time"') == 13


def test_travel_times_are_kept_one_row_per_pair(db, settings):
    from lvshi.calendar.models import TravelTime
    from lvshi.calendar.schedule import Travel

    TravelTime.objects.create(region_a="510100", region_b="500000", minutes=150)
    row = TravelTime.objects.get()
    assert (row.region_a, row.region_b) == ("500000", "510100")
    travel = Travel()
    assert travel.minutes("510100", "500000") == travel.minutes("500000", "510100") == 150
    assert travel.minutes("500103", "500103") == 0
    assert travel.minutes("500103", "500106") == settings.TRAVEL_MINUTES_SAME_CITY
    assert travel.minutes("500103", "310101") == settings.TRAVEL_MINUTES_OTHER
    assert travel.minutes("", "310101") == 0


def test_only_its_lawyer_changes_an_entry(world):
    from datetime import timedelta

    from django.utils import timezone

    from lvshi.calendar import schedule
    from lvshi.core.actor import Actor
    from lvshi.core.errors import PermissionDenied

    start = timezone.now() + timedelta(days=2)
    entry = schedule.entry_create(actor=Actor(world.lawyer), start=start, end=start + timedelta(hours=1), text="出差")
    with pytest.raises(PermissionDenied):
        schedule.entry_update(
            entry=entry,
            actor=Actor(world.other_lawyer),
            start=start,
            end=start + timedelta(hours=2),
            text="改",
            can_attend=True,
        )
    with pytest.raises(PermissionDenied):
        schedule.entry_delete(entry=entry, actor=Actor(world.other_lawyer))
    entry.refresh_from_db()
    assert entry.text == "出差"
