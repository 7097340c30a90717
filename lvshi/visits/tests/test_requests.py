"""Meeting requests (V9): recorded by an officer of the detainee's centre,
sent to every lawyer actively bound to the detainee, listed for them."""

import json

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.notify.models import Delivery, Notification
from lvshi.site.registry import home_counters
from lvshi.visits.models import Binding, BindingStatus, DetaineeStatus, MeetingRequest, MeetingRequestRecipient
from lvshi.visits.services import meeting_requests
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer


def body(response) -> dict:
    return json.loads(response.content)


def record(world, detainee, note=""):
    return meeting_requests.meeting_request_create(actor=Actor(world.officer), detainee=detainee, note=note)


# --- recipients ------------------------------------------------------------------------------


def test_recipients_are_exactly_the_lawyers_actively_bound_at_that_moment(world):
    detainee = make_detainee(world.centre)
    second = make_lawyer(world.firm)
    ended, pending = make_lawyer(world.firm), make_lawyer(world.firm)
    bind(world.lawyer, detainee, seat=1)
    bind(second, detainee, seat=2)
    Binding.objects.create(lawyer=ended, detainee=detainee, status=BindingStatus.ENDED)
    Binding.objects.create(lawyer=pending, detainee=detainee, status=BindingStatus.PENDING)
    bind(world.other_lawyer, make_detainee(world.centre))  # bound to someone else

    m = record(world, detainee, note="想了解二审安排")

    assert {r.lawyer_id for r in m.recipients.all()} == {world.lawyer.pk, second.pk}
    told = Notification.objects.filter(kind="visit_meeting_request")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([world.lawyer.pk, second.pk])
    sms = Delivery.objects.filter(kind="visit_meeting_request", channel="sms")
    assert sorted(sms.values_list("user_id", flat=True)) == sorted([world.lawyer.pk, second.pk])
    assert all("要求会见，请尽快预约" in d.body for d in sms)
    link = told.first().url
    assert link == reverse("visits:book") + f"?centre={world.centre.pk}&detainee={detainee.pk}"
    event = AuditEvent.objects.get(action="visits.meeting_request_create")
    assert sorted(event.after["lawyers"]) == sorted([world.lawyer.pk, second.pk])


def test_a_binding_ended_before_the_request_is_not_told(world):
    detainee = make_detainee(world.centre)
    binding = bind(world.lawyer, detainee)
    Binding.objects.filter(pk=binding.pk).update(status=BindingStatus.ENDED, seat=None)
    with pytest.raises(DomainError) as exc:
        record(world, detainee)
    assert exc.value.code == "no_bound_lawyer"
    assert "没有有效委托的律师" in exc.value.message
    assert not MeetingRequest.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("status", [DetaineeStatus.RELEASED, DetaineeStatus.TRANSFERRED])
def test_a_released_or_transferred_detainee_gets_no_new_request(world, status):
    detainee = make_detainee(world.centre, status=status)
    bind(world.lawyer, detainee)
    with pytest.raises(DomainError) as exc:
        record(world, detainee)
    assert exc.value.code == "detainee_not_held"
    assert not MeetingRequest.objects.exists()


def test_note_is_at_most_300_characters(world):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    assert record(world, detainee, note="字" * 300).note == "字" * 300
    with pytest.raises(DomainError) as exc:
        record(world, detainee, note="字" * 301)
    assert exc.value.code == "note_too_long"
    assert MeetingRequest.objects.count() == 1


def test_only_an_officer_of_the_detainees_centre_records(world):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    for who in (world.other_officer, world.lawyer, world.authority_officer):
        with pytest.raises(PermissionDenied):
            meeting_requests.meeting_request_create(actor=Actor(who), detainee=detainee)
    assert not MeetingRequest.objects.exists()


# --- the lawyer's list and counter --------------------------------------------------------------


def test_the_list_highlights_unseen_requests_once_and_marks_them_seen(world, login):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    older = record(world, detainee, note="第一次")
    newer = record(world, detainee, note="第二次")
    counter = home_counters._entries["meeting_requests"]
    assert counter.count(world.lawyer) == 2

    client = login(world.lawyer)
    html = client.get(reverse("visits:meeting_requests")).content.decode()
    assert html.index("第二次") < html.index("第一次")  # newest first
    assert html.count('class="unread"') == 2
    assert f'href="/visits/book/?centre={world.centre.pk}&amp;detainee={detainee.pk}"' in html
    # Counts are remembered on the user object for one request; the next request loads the user anew.
    assert counter.count(type(world.lawyer).objects.get(pk=world.lawyer.pk)) == 0
    assert client.get(reverse("visits:meeting_requests")).content.decode().count('class="unread"') == 0
    assert not MeetingRequestRecipient.objects.filter(request__in=[older, newer], seen_at__isnull=True).exists()


def test_a_row_can_be_marked_read_and_another_lawyers_row_is_not_found(world, login):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    bind(world.other_lawyer, detainee, seat=2)
    m = record(world, detainee)
    mine = m.recipients.get(lawyer=world.lawyer)
    theirs = m.recipients.get(lawyer=world.other_lawyer)
    client = login(world.lawyer)
    assert client.post(reverse("visits:meeting_request_seen", args=[mine.pk])).status_code == 302
    assert client.post(reverse("visits:meeting_request_seen", args=[theirs.pk])).status_code == 404
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.seen_at is not None and theirs.seen_at is None


def test_the_booking_page_accepts_the_preselection(world, login, centre, detainee):
    client = login(world.lawyer)
    response = client.get(meeting_requests.booking_url(detainee))
    assert response.status_code == 200
    assert response.context["centre_id"] == world.centre.pk and response.context["detainee_id"] == detainee.pk


def test_the_lawyers_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    record(world, detainee)
    client = login(world.lawyer)
    client.get(reverse("visits:meeting_requests"))
    record(world, detainee)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("visits:meeting_requests"))
    for _i in range(12):
        other = make_detainee(world.other_centre)
        bind(world.lawyer, other)
        meeting_requests.meeting_request_create(actor=Actor(world.other_officer), detainee=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:meeting_requests"))
    assert response.content.decode().count('id="request-') == 14


# --- the officer's page ----------------------------------------------------------------------


def test_the_officer_records_by_centre_number_and_sees_their_centres_requests(world, login):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    elsewhere = make_detainee(world.other_centre)
    bind(world.other_lawyer, elsewhere)
    meeting_requests.meeting_request_create(actor=Actor(world.other_officer), detainee=elsewhere, note="别所")
    client = login(world.officer)
    url = reverse("visits:meeting_request_record")
    data = {"centre": world.centre.pk, "centre_number": detainee.centre_number, "note": "急"}
    assert client.post(url, data).status_code == 302
    assert MeetingRequest.objects.filter(detainee=detainee, recorded_by=world.officer).count() == 1
    html = client.get(url).content.decode()
    assert detainee.name in html and "别所" not in html
    # Another centre's detainee cannot be reached by number.
    wrong = {"centre": world.other_centre.pk, "centre_number": elsewhere.centre_number}
    response = client.post(url, wrong)
    assert response.status_code == 200
    assert MeetingRequest.objects.filter(detainee=elsewhere).count() == 1


def test_the_officer_is_told_when_nobody_is_bound(world, login):
    detainee = make_detainee(world.centre)
    client = login(world.officer)
    data = {"centre": world.centre.pk, "centre_number": detainee.centre_number}
    response = client.post(reverse("visits:meeting_request_record"), data)
    assert response.status_code == 200
    assert "没有有效委托的律师" in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_the_officers_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.officer)
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    record(world, detainee)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("visits:meeting_request_record"))
    for _i in range(12):
        d = make_detainee(world.centre)
        bind(world.lawyer, d)
        bind(make_lawyer(world.firm), d, seat=2)
        record(world, d)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:meeting_request_record"))
    assert response.content.decode().count('id="request-') == 13


# --- API -------------------------------------------------------------------------------------


def test_api_records_lists_and_marks_seen(client, world):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    response = client.post(
        "/api/v1/visits/meeting-requests",
        {"detainee_id": detainee.pk, "note": "想见律师"},
        content_type="application/json",
        **bearer_for(world.officer),
    )
    assert response.status_code == 201, response.content
    assert [r["lawyer_id"] for r in body(response)["recipients"]] == [world.lawyer.pk]

    listed = body(client.get("/api/v1/visits/meeting-requests", **bearer_for(world.lawyer)))
    assert listed["count"] == 1 and listed["unseen"] == 1
    item = listed["items"][0]
    assert item["detainee_id"] == detainee.pk and item["seen_at"] is None
    seen = client.post(f"/api/v1/visits/meeting-requests/{item['id']}/seen", **bearer_for(world.lawyer))
    assert seen.status_code == 200 and body(seen)["seen_at"] is not None
    assert body(client.get("/api/v1/visits/meeting-requests", **bearer_for(world.lawyer)))["unseen"] == 0

    officer_view = body(client.get("/api/v1/visits/meeting-requests", **bearer_for(world.officer)))
    assert officer_view["count"] == 1
    assert body(client.get("/api/v1/visits/meeting-requests", **bearer_for(world.other_officer)))["count"] == 0


def test_api_refuses_without_a_bound_lawyer_and_hides_other_centres(client, world):
    detainee = make_detainee(world.centre)
    url = "/api/v1/visits/meeting-requests"
    response = client.post(
        url, {"detainee_id": detainee.pk}, content_type="application/json", **bearer_for(world.officer)
    )
    assert response.status_code == 400 and body(response)["code"] == "no_bound_lawyer"
    bind(world.lawyer, detainee)
    response = client.post(
        url, {"detainee_id": detainee.pk}, content_type="application/json", **bearer_for(world.other_officer)
    )
    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()
