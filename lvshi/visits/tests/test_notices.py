"""Notices (V15): the authority publishes; lawyers with current bookings at
the centres concerned get one SMS each; everyone may read them."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.notify.models import Delivery, Notification
from lvshi.visits.models import Booking, BookingStatus, Notice
from lvshi.visits.services import notices
from tests.test_access import _foreign_centre, bearer_for

from .factories import make_detainee, make_lawyer

TODAY = date(2026, 9, 28)  # the clock fixture's day


def body(response) -> dict:
    return json.loads(response.content)


def booking(lawyer, centre, *, day=TODAY, status=BookingStatus.APPROVED, start="08:30"):
    detainee = make_detainee(centre)
    return Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=centre,
        date=day,
        start=start,
        end="11:00" if start == "08:30" else "16:30",
        status=status,
        submitted_at="2026-09-01T00:00:00Z",
    )


def publish(world, **kwargs):
    values = {"title": "国庆期间会见安排", "body": "10月1日至7日暂停律师会见。", **kwargs}
    return notices.notice_publish(actor=Actor(world.authority_officer), **values)


def sms_users():
    return sorted(Delivery.objects.filter(kind="visit_notice", channel="sms").values_list("user_id", flat=True))


def test_one_sms_per_lawyer_across_centres_and_only_for_current_bookings(world, clock):
    booking(world.lawyer, world.centre, day=TODAY + timedelta(days=1))
    booking(world.lawyer, world.other_centre, day=TODAY + timedelta(days=2))
    booking(world.lawyer, world.other_centre, day=TODAY + timedelta(days=3), status=BookingStatus.UNDER_REVIEW)
    booking(world.other_lawyer, world.centre, day=TODAY, status=BookingStatus.UNDER_REVIEW)  # today counts
    yesterday = make_lawyer(world.firm)
    booking(yesterday, world.centre, day=TODAY - timedelta(days=1))
    cancelled, done = make_lawyer(world.firm), make_lawyer(world.firm)
    booking(cancelled, world.centre, day=TODAY + timedelta(days=1), status=BookingStatus.CANCELLED)
    booking(done, world.centre, day=TODAY, status=BookingStatus.COMPLETED)

    notice = publish(world, centres=[world.centre, world.other_centre])

    assert notice.recipients == 2
    assert Notice.objects.get().recipients == 2
    assert sms_users() == sorted([world.lawyer.pk, world.other_lawyer.pk])
    inbox = Notification.objects.filter(kind="visit_notice")
    assert sorted(inbox.values_list("user_id", flat=True)) == sorted([world.lawyer.pk, world.other_lawyer.pk])
    assert inbox.first().url == reverse("visits:notice_detail", args=[notice.pk])
    assert "国庆期间会见安排" in Delivery.objects.filter(kind="visit_notice").first().body
    event = AuditEvent.objects.get(action="visits.notice_publish")
    assert event.after["recipients"] == 2


def test_only_bookings_at_the_chosen_centres_count(world, clock):
    booking(world.lawyer, world.centre, day=TODAY + timedelta(days=1))
    booking(world.other_lawyer, world.other_centre, day=TODAY + timedelta(days=1))
    notice = publish(world, centres=[world.other_centre])
    assert notice.recipients == 1 and sms_users() == [world.other_lawyer.pk]
    assert list(notice.centres.all()) == [world.other_centre]


def test_all_centres_in_scope_by_default(world, clock):
    foreign = _foreign_centre()
    notice = publish(world)
    assert set(notice.centres.all()) == {world.centre, world.other_centre}
    assert foreign not in notice.centres.all()
    assert notice.issuer == world.authority


def test_a_centre_outside_the_officers_scope_is_refused(world, clock):
    foreign = _foreign_centre()
    booking(world.lawyer, foreign, day=TODAY + timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        publish(world, centres=[world.centre, foreign])
    assert exc.value.code == "centre_out_of_scope"
    assert not Notice.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "", "title_required"),
        ("title", "题" * 101, "title_too_long"),
        ("body", " ", "body_required"),
        ("body", "文" * 5001, "body_too_long"),
    ],
)
def test_title_and_body_limits(world, clock, field, value, code):
    with pytest.raises(DomainError) as exc:
        publish(world, **{field: value})
    assert exc.value.code == code
    assert not Notice.objects.exists()


def test_the_longest_title_and_body_are_accepted(world, clock):
    notice = publish(world, title="题" * 100, body="文" * 5000)
    assert len(notice.title) == 100 and len(notice.body) == 5000


@pytest.mark.parametrize("who", ["officer", "lawyer", "judge"])
def test_only_authority_officers_publish(world, clock, who):
    with pytest.raises(PermissionDenied):
        notices.notice_publish(actor=Actor(getattr(world, who)), title="通知", body="正文")
    assert not Notice.objects.exists()


def test_sending_takes_the_same_queries_for_few_or_many_lawyers(world, clock, django_assert_max_num_queries):
    booking(world.lawyer, world.centre, day=TODAY + timedelta(days=1))
    with django_assert_max_num_queries(40) as few:
        publish(world)
    for i in range(15):
        booking(make_lawyer(world.firm), world.centre if i % 2 else world.other_centre, day=TODAY + timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        notice = publish(world)
    assert notice.recipients == 16


# --- reading -----------------------------------------------------------------------------------


def test_the_public_reads_notices_without_login_and_without_personal_data(client, world, clock):
    first = publish(world, centres=[world.centre], title="第一看守所通知")
    publish(world, centres=[world.other_centre], title="第二看守所通知")
    html = client.get(reverse("visits:notices")).content.decode()
    assert "第一看守所通知" in html and "第二看守所通知" in html
    assert world.authority_officer.name not in html
    filtered = client.get(reverse("visits:notices") + f"?centre={world.centre.pk}").content.decode()
    assert "第一看守所通知" in filtered and "第二看守所通知" not in filtered
    detail = client.get(reverse("visits:notice_detail", args=[first.pk]))
    assert detail.status_code == 200 and "10月1日至7日暂停律师会见。" in detail.content.decode()
    assert world.authority_officer.name not in detail.content.decode()
    assert client.get(reverse("visits:notice_detail", args=[first.pk + 100])).status_code == 404


def test_api_lists_public_notices_and_publishes_for_authority(client, world, clock):
    booking(world.lawyer, world.centre, day=TODAY + timedelta(days=1))
    response = client.post(
        "/api/v1/visits/notices",
        {"title": "新规", "body": "自下月起实行新规。", "centre_ids": [world.centre.pk]},
        content_type="application/json",
        **bearer_for(world.authority_officer),
    )
    assert response.status_code == 201, response.content
    assert body(response)["recipients"] == 1
    notice_id = body(response)["id"]
    listed = body(client.get("/api/v1/visits/notices"))
    assert listed["count"] == 1 and listed["items"][0]["title"] == "新规"
    assert "published_by" not in listed["items"][0] and "recipients" not in listed["items"][0]
    assert body(client.get(f"/api/v1/visits/notices?centre_id={world.other_centre.pk}"))["count"] == 0
    assert client.get(f"/api/v1/visits/notices/{notice_id}").status_code == 200
    assert client.get(f"/api/v1/visits/notices/{notice_id + 1}").status_code == 404

    foreign = _foreign_centre()
    refused = client.post(
        "/api/v1/visits/notices",
        {"title": "越权", "body": "正文", "centre_ids": [foreign.pk]},
        content_type="application/json",
        **bearer_for(world.authority_officer),
    )
    assert refused.status_code == 400 and body(refused)["code"] == "centre_out_of_scope"
    assert Notice.objects.count() == 1


def test_the_authority_publishes_from_the_page_and_sees_recipients(world, login, clock):
    booking(world.lawyer, world.centre, day=TODAY + timedelta(days=1))
    client = login(world.authority_officer)
    response = client.post(reverse("visits:notice_new"), {"title": "页面发布", "body": "正文", "centres": []})
    assert response.status_code == 302
    html = client.get(reverse("visits:notice_manage")).content.decode()
    assert "页面发布" in html and '<td data-label="短信通知人数">1</td>' in html


def test_the_authority_list_query_count_does_not_grow(world, login, clock, django_assert_max_num_queries):
    client = login(world.authority_officer)
    publish(world)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("visits:notice_manage"))
    for i in range(12):
        publish(world, title=f"通知{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:notice_manage"))
    assert response.content.decode().count('id="notice-') == 13
    with django_assert_max_num_queries(10):
        public = client.get(reverse("visits:notices"))
    assert public.content.decode().count('id="notice-') == 13


def test_anonymous_visitors_find_the_notices_in_the_navigation(client, db):
    html = client.get(reverse("site:home")).content.decode()
    assert f'href="{reverse("visits:notices")}"' in html
