"""The public availability page and the public daily totals: no login, no
personal data, the booking window and closed days, cache headers, totals
per local day, range limits and bounded queries."""

import json
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.site.tests.test_layout_browser import chromium  # noqa: F401  (the browser fixture)
from lvshi.visits import services
from lvshi.visits.models import BookingStatus

from .factories import bind, make_centre, make_detainee, make_lawyer
from .test_stats import make_booking, queries

PAGE = reverse("visits:public_availability")
TOTALS = "/api/v1/visits/totals"


def body(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def booked(world, clock, centre, detainee):
    """One in-person room of the morning of Tuesday 29 September is taken."""
    detainee.name = "张三丰"
    detainee.save()
    services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=date(2026, 9, 29), slot_start=time(8, 30)
    )
    return detainee


# --- the page -------------------------------------------------------------------------


def test_anonymous_visitors_see_free_rooms_and_no_personal_data(client, world, booked):
    world.centre.address, world.centre.phone = "上海市某区某路1号", "021-12345678"
    world.centre.save()
    response = client.get(PAGE, {"centre": world.centre.pk, "date": "2026-09-29"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "空闲 1 / 共 2 间" in text and "空闲 2 / 共 2 间" in text
    assert "上海市某区某路1号" in text and "021-12345678" in text
    assert booked.name not in text and world.lawyer.name not in text and booked.centre_number not in text
    assert response["Cache-Control"] == "public, max-age=30"
    assert "HX-Request" in response["Vary"]


def test_signed_in_visitors_get_a_private_cache_header(login, world, booked):
    response = login(world.lawyer).get(PAGE)
    assert response.status_code == 200 and response["Cache-Control"] == "private, max-age=30"


def test_the_default_day_is_the_next_open_day_of_the_window(client, world, clock, centre):
    clock.set_local(2026, 9, 30, 10, 0)  # tomorrow the National Day holiday begins (1–7 October)
    response = client.get(PAGE)
    assert response.context["day"] == date(2026, 10, 8)
    window = response.context["window"]
    assert window[0]["date"] == date(2026, 10, 1) and not window[0]["open"] and "国庆节" in window[0]["reason"]
    assert window[-1]["date"] == date(2026, 10, 14)
    assert [d["date"] for d in window if d["open"]][:2] == [date(2026, 10, 8), date(2026, 10, 9)]
    assert 'aria-current="date"' in response.content.decode()


def test_a_closed_day_says_why(client, world, clock, centre):
    response = client.get(PAGE, {"centre": world.centre.pk, "date": "2026-10-01"})
    text = response.content.decode()
    assert response.status_code == 200 and "法定节假日" in text and "空闲 " not in text
    weekend = client.get(PAGE, {"centre": world.centre.pk, "date": "2026-10-11"}).content.decode()
    assert "休息日" in weekend and "空闲 " not in weekend


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        ("2026-09-28", False),  # today: before the earliest day
        ("2026-09-29", True),  # the earliest day (1 day ahead)
        ("2026-10-12", True),  # the latest day (14 days ahead), a Monday
        ("2026-10-13", False),  # one day too far
    ],
)
def test_window_boundaries(client, world, clock, centre, day, shown):
    response = client.get(PAGE, {"centre": world.centre.pk, "date": day})
    text = response.content.decode()
    assert response.status_code == 200
    assert ("空闲 2 / 共 2 间" in text) is shown
    assert ("不在可预约日期内" in text) is not shown


def test_a_bad_date_is_explained_and_the_next_open_day_shown(client, world, clock, centre):
    response = client.get(PAGE, {"centre": world.centre.pk, "date": "2026-13-01"})
    assert response.status_code == 200
    assert "不是有效日期" in response.content.decode() and response.context["day"] == date(2026, 9, 29)


def test_an_unknown_centre_is_not_found(client, world, centre):
    assert client.get(PAGE, {"centre": world.other_centre.pk}).status_code == 404
    assert client.get(PAGE, {"centre": "x"}).status_code == 404


def test_htmx_gets_the_panel_only(client, world, booked):
    response = client.get(PAGE, {"centre": world.centre.pk, "date": "2026-09-29"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'id="availability-panel"' in text
    assert "空闲 1 / 共 2 间" in text


def test_the_centres_are_listed_with_video_points(client, world, clock, centre):
    from lvshi.orgs.models import OrgKind
    from tests.factories import OrganisationFactory

    point = OrganisationFactory(name="某派出所远程视频会见点", kind=OrgKind.VIDEO_POINT, parent=world.authority)
    make_centre(point, rooms=0, video_rooms=2)
    text = client.get(PAGE, {"centre": point.pk, "date": "2026-09-29"}).content.decode()
    assert "某派出所远程视频会见点" in text and "上海市第一看守所" in text and "视频会见" in text


def test_landing_page_and_anonymous_navigation_link_to_the_page(client, db):
    text = client.get(reverse("site:home")).content.decode()
    assert text.count(f'href="{PAGE}"') == 2


def test_the_page_costs_the_same_queries_with_more_bookings(client, world, clock, centre):
    client.get(PAGE)
    few = queries(lambda: client.get(PAGE, {"centre": world.centre.pk, "date": "2026-09-29"}))
    for i in range(8):
        d, lawyer = make_detainee(world.centre), make_lawyer(world.firm)
        bind(lawyer, d)
        day = [date(2026, 9, 29), date(2026, 9, 30)][i % 2]
        services.booking_create(
            actor=Actor(lawyer), detainee=d, date=day, slot_start=[time(8, 30), time(13, 30)][(i // 2) % 2]
        )
        make_booking(lawyer, d, date(2026, 9, 20) - timedelta(days=i), status=BookingStatus.COMPLETED)
    assert queries(lambda: client.get(PAGE, {"centre": world.centre.pk, "date": "2026-09-29"})) == few


# --- daily totals ------------------------------------------------------------------------


@pytest.fixture
def history(world, clock, centre):
    """Meetings at the centre: two days of the last 30 and one long ago."""
    make_centre(world.other_centre)
    lawyer = world.lawyer
    specs = [
        (date(2026, 9, 21), BookingStatus.COMPLETED),
        (date(2026, 9, 21), BookingStatus.COMPLETED),
        (date(2026, 9, 21), BookingStatus.NO_SHOW),
        (date(2026, 9, 21), BookingStatus.CANCELLED),
        (date(2026, 9, 21), BookingStatus.REJECTED),
        (date(2026, 9, 22), BookingStatus.APPROVED),
        (date(2026, 6, 1), BookingStatus.COMPLETED),
    ]
    for day, status in specs:
        make_booking(lawyer, make_detainee(world.centre, name="张三丰"), day, status=status)
    make_booking(world.other_lawyer, make_detainee(world.other_centre), date(2026, 9, 21), status="completed")


def test_totals_are_public_and_grouped_per_centre_and_day(client, world, history):
    response = client.get(TOTALS)
    assert response.status_code == 200
    data = body(response)
    assert data["from"] == "2026-08-30" and data["to"] == "2026-09-28"
    rows = {(r["centre_id"], r["date"]): (r["held"], r["booked"]) for r in data["totals"]}
    assert rows == {
        (world.centre.pk, "2026-09-22"): (0, 1),
        (world.centre.pk, "2026-09-21"): (2, 3),
        (world.other_centre.pk, "2026-09-21"): (1, 1),
    }
    text = response.content.decode()
    assert "张三丰" not in text and world.lawyer.name not in text and world.other_lawyer.name not in text


def test_totals_of_one_centre_and_a_range(client, world, history):
    data = body(client.get(TOTALS, {"centre": world.centre.pk, "from": "2026-06-01", "to": "2026-06-30"}))
    assert data["totals"] == [
        {"centre_id": world.centre.pk, "centre": "上海市第一看守所", "date": "2026-06-01", "held": 1, "booked": 1}
    ]


def test_totals_count_a_meeting_on_its_local_day_across_the_utc_boundary(client, world, clock, centre):
    # 07:30 on 8 October in Shanghai is 23:30 on 7 October in UTC.
    clock.set_local(2026, 10, 8, 7, 30)
    make_booking(world.lawyer, make_detainee(world.centre), date(2026, 10, 8), start=time(7, 0), status="completed")
    data = body(client.get(TOTALS))
    assert data["to"] == "2026-10-08"
    assert [(r["date"], r["held"]) for r in data["totals"]] == [("2026-10-08", 1)]
    assert body(client.get(TOTALS, {"from": "2026-10-07", "to": "2026-10-07"}))["totals"] == []


@pytest.mark.parametrize(("days", "status"), [(92, 200), (93, 400)])
def test_totals_range_limit(client, world, clock, days, status):
    start = date(2026, 6, 1)
    response = client.get(TOTALS, {"from": start.isoformat(), "to": (start + timedelta(days=days - 1)).isoformat()})
    assert response.status_code == status
    if status == 400:
        assert body(response)["code"] == "range_too_long" and "92" in body(response)["message"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-09-02", "to": "2026-09-01"}, 400, "invalid_range"),
        ({"from": "1/9/2026"}, 422, "invalid_input"),
        ({"centre": "abc"}, 422, "invalid_input"),
    ],
)
def test_totals_refuse_bad_input(client, world, clock, params, status, code):
    response = client.get(TOTALS, params)
    assert response.status_code == status and body(response)["code"] == code


def test_totals_of_an_unknown_centre_are_not_found(client, world, clock, centre):
    response = client.get(TOTALS, {"centre": world.court.pk})
    assert response.status_code == 404 and body(response)["code"] == "not_found"


def test_totals_are_one_query(client, world, history, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(TOTALS).status_code == 200


def test_the_page_shows_the_centres_totals(client, world, history):
    response = client.get(PAGE, {"centre": world.centre.pk})
    totals = response.context["totals"]
    assert [(t["date"], t["held"], t["booked"]) for t in totals] == [
        (date(2026, 9, 22), 0, 1),
        (date(2026, 9, 21), 2, 3),
    ]
    assert "每日会见总量" in response.content.decode() and "张三丰" not in response.content.decode()


# --- in a browser at phone width ------------------------------------------------------------


@pytest.mark.browser
def test_the_page_fits_a_phone_and_swaps_the_day_in_place(transactional_db, live_server, chromium):  # noqa: F811
    from conftest import World
    from lvshi.site.tests.test_layout_browser import _check_layout, _open

    world = World()
    make_centre(world.centre, rooms=2, video_rooms=1, earliest_days=1, latest_days=14)
    page, errors = _open(chromium, live_server, PAGE)
    _check_layout(page, errors, "public availability")
    page.evaluate("window.__marker = 'same page'")
    current = page.locator(".day-strip a[aria-current]").get_attribute("href")
    other = page.locator(".day-strip .day-open a:not([aria-current])").first
    target = other.get_attribute("href")
    other.click()
    page.wait_for_function(
        "(h) => document.querySelector('.day-strip a[aria-current]').getAttribute('href') === h", arg=target
    )
    assert page.evaluate("window.__marker") == "same page", "the panel was not swapped in place"
    assert target != current and page.locator("table.stack-table").first.is_visible()
    _check_layout(page, errors, "after the htmx swap")
    for user in (world.lawyer, world.authority_officer):
        path = reverse("visits:records") if user == world.lawyer else reverse("visits:stats")
        page, errors = _open(chromium, live_server, path, user)
        _check_layout(page, errors, path)
        page.context.close()
