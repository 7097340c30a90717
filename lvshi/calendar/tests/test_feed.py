"""The private calendar feed (X4): the secret link, its reset, and the
meetings in it, parsed back with icalendar."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lvshi.audit.models import AuditEvent
from lvshi.calendar import feeds
from lvshi.calendar.models import FeedToken
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.visits.models import Booking, BookingStatus
from lvshi.visits.tests.factories import make_detainee
from tests.test_access import bearer_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)  # Monday


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(UTC))
    return NOW


def meeting(world, day: date, start=time(8, 30), end=time(11, 0), status=BookingStatus.APPROVED, **extra) -> Booking:
    detainee = extra.pop("detainee", None) or make_detainee(world.centre, name="张三")
    return Booking.objects.create(
        lawyer=extra.pop("lawyer", world.lawyer),
        detainee=detainee,
        centre=world.centre,
        date=day,
        start=start,
        end=end,
        status=status,
        submitted_at=NOW - timedelta(days=5),
        **extra,
    )


def new_feed(user) -> str:
    """The path of a fresh feed link for *user*."""
    return feeds.feed_path(feeds.feed_token_reset(actor=Actor(user)))


def events(client, path) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content
    cal = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


# --- the link ---------------------------------------------------------------------------


def test_the_secret_is_stored_only_as_its_hash(world):
    raw = feeds.feed_token_reset(actor=Actor(world.lawyer))
    row = FeedToken.objects.get(user=world.lawyer)
    assert len(raw) >= 40
    assert row.key_hash == crypto.token_hash(raw) and raw not in row.key_hash
    assert AuditEvent.objects.filter(action="calendar.feed_token_create", actor=world.lawyer).exists()


def test_reset_invalidates_the_old_link(world, client, clock):
    old = new_feed(world.lawyer)
    assert client.get(old).status_code == 200
    new = new_feed(world.lawyer)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert FeedToken.objects.filter(user=world.lawyer).count() == 1
    assert AuditEvent.objects.filter(action="calendar.feed_token_reset", actor=world.lawyer).exists()


def test_unknown_deleted_or_inactive_links_are_not_found(world, client, clock):
    assert client.get(reverse("calendar:feed", kwargs={"token": "x" * 43})).status_code == 404
    path = new_feed(world.lawyer)
    world.lawyer.is_active = False
    world.lawyer.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404
    world.lawyer.is_active = True
    world.lawyer.save(update_fields=["is_active"])
    assert client.get(path).status_code == 200
    assert feeds.feed_token_delete(actor=Actor(world.lawyer))
    assert client.get(path).status_code == 404
    assert AuditEvent.objects.filter(action="calendar.feed_token_delete", actor=world.lawyer).exists()


def test_only_lawyers_get_a_feed(world):
    with pytest.raises(feeds.PermissionDenied):
        feeds.feed_token_reset(actor=Actor(world.officer))
    assert not FeedToken.objects.exists()


def test_the_feed_headers(world, client, clock):
    response = client.get(new_feed(world.lawyer))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"


# --- the content ----------------------------------------------------------------------


def test_meetings_with_times_status_and_location(world, client, clock):
    world.centre.address = "上海市某区某路1号"
    world.centre.save()
    approved = meeting(world, date(2026, 9, 29))
    pending = meeting(world, date(2026, 9, 30), status=BookingStatus.UNDER_REVIEW)
    # 07:30 in Shanghai is 23:30 UTC on the day before.
    early = meeting(world, date(2026, 10, 9), start=time(7, 30), end=time(8, 15))

    found = events(client, new_feed(world.lawyer))

    a = found[f"booking-{approved.pk}@visits.lvshi"]
    assert str(a["SUMMARY"]) == "会见 张三"
    assert str(a["STATUS"]) == "CONFIRMED"
    assert str(a["LOCATION"]) == "上海市第一看守所（上海市某区某路1号）"
    assert a.decoded("DTSTART") == datetime(2026, 9, 29, 8, 30, tzinfo=SHANGHAI)
    assert a["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert a.decoded("DTEND") == datetime(2026, 9, 29, 11, 0, tzinfo=SHANGHAI)
    assert str(found[f"booking-{pending.pk}@visits.lvshi"]["STATUS"]) == "TENTATIVE"
    e = found[f"booking-{early.pk}@visits.lvshi"]
    assert e.decoded("DTSTART").astimezone(UTC) == datetime(2026, 10, 8, 23, 30, tzinfo=UTC)
    assert e.decoded("DTEND").astimezone(UTC) == datetime(2026, 10, 9, 0, 15, tzinfo=UTC)


def test_the_calendar_carries_its_timezone(world, client, clock):
    meeting(world, date(2026, 9, 29))
    cal = Calendar.from_ical(client.get(new_feed(world.lawyer)).content)
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Asia/Shanghai"


def test_no_identity_or_centre_numbers_leave_in_the_feed(world, client, clock):
    detainee = make_detainee(world.centre, name="李四", centre_number="J99887")
    meeting(world, date(2026, 9, 29), detainee=detainee)
    body = client.get(new_feed(world.lawyer)).content.decode()
    assert "李四" in body
    assert "J99887" not in body and "1980" not in body
    assert world.lawyer.licence_no not in body


def test_uids_are_stable_and_sequence_follows_status(world, client, clock):
    b = meeting(world, date(2026, 9, 30), status=BookingStatus.UNDER_REVIEW)
    path = new_feed(world.lawyer)
    uid = f"booking-{b.pk}@visits.lvshi"
    first = events(client, path)[uid]
    assert int(first["SEQUENCE"]) == 0
    Booking.objects.filter(pk=b.pk).update(status=BookingStatus.APPROVED, decided_at=NOW)
    second = events(client, path)[uid]
    assert set(events(client, path)) == {uid}
    assert str(second["STATUS"]) == "CONFIRMED" and int(second["SEQUENCE"]) == 1


def test_cancelled_meetings_stay_as_cancelled_for_30_days(world, client, clock):
    recent = meeting(world, date(2026, 10, 9), status=BookingStatus.CANCELLED, cancelled_at=NOW - timedelta(days=29))
    stale = meeting(world, date(2026, 10, 10), status=BookingStatus.CANCELLED, cancelled_at=NOW - timedelta(days=31))
    rejected = meeting(world, date(2026, 10, 12), status=BookingStatus.REJECTED, decided_at=NOW - timedelta(days=1))

    found = events(client, new_feed(world.lawyer))

    assert str(found[f"booking-{recent.pk}@visits.lvshi"]["STATUS"]) == "CANCELLED"
    assert int(found[f"booking-{recent.pk}@visits.lvshi"]["SEQUENCE"]) == 2
    assert str(found[f"booking-{rejected.pk}@visits.lvshi"]["STATUS"]) == "CANCELLED"
    assert f"booking-{stale.pk}@visits.lvshi" not in found


def test_the_feed_reaches_30_days_back_and_only_the_owners_meetings(world, client, clock):
    inside = meeting(world, date(2026, 8, 29), status=BookingStatus.COMPLETED)  # 30 days before 28 September
    outside = meeting(world, date(2026, 8, 28), status=BookingStatus.COMPLETED)
    theirs = meeting(world, date(2026, 9, 29), lawyer=world.other_lawyer)

    found = events(client, new_feed(world.lawyer))

    assert f"booking-{inside.pk}@visits.lvshi" in found
    assert f"booking-{outside.pk}@visits.lvshi" not in found
    assert f"booking-{theirs.pk}@visits.lvshi" not in found


def test_other_sources_plug_in(world, client, clock, monkeypatch):
    def hearings(user, window):
        yield feeds.FeedEvent(
            uid=f"hearing-1-{user.pk}@courts.lvshi",
            summary="开庭",
            start=datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI),
            end=datetime(2026, 10, 12, 11, 0, tzinfo=SHANGHAI),
        )

    monkeypatch.setitem(feeds._sources, "hearings", hearings)
    meeting(world, date(2026, 9, 29))
    found = events(client, new_feed(world.lawyer))
    assert f"hearing-1-{world.lawyer.pk}@courts.lvshi" in found and len(found) == 2
    assert "visits" in feeds.sources()


def test_the_feed_query_count_is_constant(world, client, clock, django_assert_num_queries):
    path = new_feed(world.lawyer)
    meeting(world, date(2026, 9, 29))
    client.get(path)  # stamps last_used_at
    # The token, then one query per event source (meetings, hearings, own entries).
    with django_assert_num_queries(1 + len(feeds.sources())) as few:
        client.get(path)
    detainee = make_detainee(world.centre)
    for i in range(20):
        meeting(world, date(2026, 10, 9) + timedelta(days=i), detainee=detainee)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(path).content
    assert body.count(b"BEGIN:VEVENT") == 21


# --- the page and the API ---------------------------------------------------------------


def test_the_page_shows_the_link_once(world, login, client, clock):
    web = login(world.lawyer)
    page = web.get(reverse("calendar:schedule")).content.decode()
    assert "生成订阅链接" in page

    response = web.post(reverse("calendar:schedule"), {"action": "reset"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    url = page.split('id="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    assert url.startswith("http://testserver/calendar/feed/") and url.endswith(".ics")
    path = url.removeprefix("http://testserver")

    again = web.get(reverse("calendar:schedule")).content.decode()
    assert path not in again and "重置链接" in again

    asked = web.post(reverse("calendar:schedule"), {"action": "reset"}).content.decode()
    assert "原链接立即失效" in asked and client.get(path).status_code == 200  # not yet: confirm first
    web.post(reverse("calendar:schedule"), {"action": "reset", "confirmed": "1"})
    assert client.get(path).status_code == 404


def test_the_page_stops_the_feed(world, login, client, clock):
    path = new_feed(world.lawyer)
    web = login(world.lawyer)
    asked = web.post(reverse("calendar:schedule"), {"action": "delete"})
    assert asked.status_code == 200 and "日历应用中的会见日程将不再更新" in asked.content.decode()
    assert client.get(path).status_code == 200
    response = web.post(reverse("calendar:schedule"), {"action": "delete", "confirmed": "1"})
    assert response.status_code == 302
    assert client.get(path).status_code == 404
    assert not FeedToken.objects.exists()


def test_the_month_page_offers_the_feed_to_lawyers(world, login):
    url = reverse("calendar:schedule")
    assert url in login(world.lawyer).get(reverse("calendar:month")).content.decode()
    assert url not in login(world.officer).get(reverse("calendar:month")).content.decode()
    assert login(world.officer).get(url).status_code == 403


def test_the_api_creates_resets_and_deletes_the_link(world, client, clock):
    auth = bearer_for(world.lawyer)
    first = client.post("/api/v1/calendar/feed-token", **auth)
    assert first.status_code == 201
    url = first.json()["url"]
    path = url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200

    second = client.post("/api/v1/calendar/feed-token", **auth)
    assert second.status_code == 201 and second.json()["url"] != url
    assert client.get(path).status_code == 404

    new_path = second.json()["url"].removeprefix("http://testserver")
    assert client.delete("/api/v1/calendar/feed-token", **auth).status_code == 204
    assert client.get(new_path).status_code == 404
    assert client.delete("/api/v1/calendar/feed-token", **auth).status_code == 204


def test_the_api_refuses_other_roles(world, client):
    response = client.post("/api/v1/calendar/feed-token", **bearer_for(world.officer))
    assert response.status_code == 403
    assert "只有执业律师" in response.json()["message"]
    assert not FeedToken.objects.exists()
