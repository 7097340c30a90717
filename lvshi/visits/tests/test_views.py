"""Meeting pages: the lawyer's booking steps and records, the officers'
review queue. Each page: it works, it keeps to the user's own scope, it
needs the right role."""

import itertools
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.visits import services
from lvshi.visits.models import Booking, BookingStatus

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
BOOK = reverse("visits:book")
MINE = reverse("visits:my_bookings")
QUEUE = reverse("visits:review_queue")


def book(world, detainee, *, day=TUESDAY, slots=(time(8, 30),), lawyer=None):
    return services.booking_create(
        actor=Actor(lawyer or world.lawyer), detainee=detainee, date=day, slot_start=list(slots)
    )


# --- booking steps ----------------------------------------------------------------


def test_booking_steps_offer_only_centres_and_detainees_the_lawyer_is_bound_to(login, world, clock, centre, detainee):
    make_centre(world.other_centre)
    stranger = make_detainee(world.centre, name="陌生人")
    bind(world.other_lawyer, stranger)
    client = login(world.lawyer)

    page = client.get(BOOK).content.decode()
    assert world.centre.name in page and world.other_centre.name not in page

    page = client.get(BOOK, {"centre": world.centre.pk}).content.decode()
    assert detainee.name in page and "陌生人" not in page

    # Another lawyer's client in the query string is ignored, not revealed.
    page = client.get(BOOK, {"centre": world.centre.pk, "detainee": stranger.pk, "date": "2026-09-29"})
    assert 'name="slots"' not in page.content.decode()


def test_date_step_shows_free_rooms_per_slot(login, world, clock, centre, detainee):
    other = make_detainee(world.centre)
    bind(world.other_lawyer, other)
    book(world, other, lawyer=world.other_lawyer)
    client = login(world.lawyer)

    response = client.get(BOOK, {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29"})

    rows = response.context["slot_rows"]
    assert [(r["value"], r["in_person"]) for r in rows] == [("08:30", 1), ("13:30", 2)]
    html = response.content.decode()
    assert 'value="08:30"' in html
    assert 'type="date" name="date" value="2026-09-29"' in html  # the browser's date field needs ISO


def test_htmx_step_answers_with_the_steps_only(login, world, clock, centre, detainee):
    client = login(world.lawyer)

    response = client.get(BOOK, {"centre": world.centre.pk}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'id="book-steps"' in html and "<html" not in html and detainee.name in html


def test_closed_day_says_why_and_offers_no_slots(login, world, clock, centre, detainee):
    client = login(world.lawyer)

    response = client.get(BOOK, {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-10-01"})

    assert response.context["closed_reason"]
    assert 'name="slots"' not in response.content.decode()


def test_lawyer_books_two_slots_at_once(login, world, clock, centre, detainee):
    client = login(world.lawyer)
    data = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29", "key": "k1"}

    response = client.post(BOOK, {**data, "slots": ["08:30", "13:30"]})

    assert response.status_code == 302 and response["Location"].startswith(MINE)
    starts = sorted(b.start for b in Booking.objects.filter(lawyer=world.lawyer, status=BookingStatus.UNDER_REVIEW))
    assert starts == [time(8, 30), time(13, 30)]


def test_refusal_is_shown_with_the_services_message(login, world, clock, centre, detainee):
    client = login(world.lawyer)
    data = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-28", "slots": ["13:30"]}

    response = client.post(BOOK, data)

    # Today is outside the window: the page says so before any slot table.
    assert response.status_code == 200 and not Booking.objects.exists()
    page = response.content.decode()
    assert response.context["closed_reason"] and response.context["closed_reason"] in page
    assert "请在此范围内选择日期" in page and 'name="slots"' not in page


def test_the_date_step_offers_the_window_s_open_days(login, world, clock, centre, detainee):
    client = login(world.lawyer)
    page = client.get(BOOK, {"centre": world.centre.pk, "detainee": detainee.pk})
    window = page.context["window"]
    assert window and all(d["date"] > date(2026, 9, 28) for d in window)
    html = page.content.decode()
    first, last = window[0]["date"].isoformat(), window[-1]["date"].isoformat()
    assert f'min="{first}"' in html and f'max="{last}"' in html
    open_days = [d for d in window if d["open"]]
    closed = [d for d in window if not d["open"]]
    assert open_days and closed  # weekends in the window
    assert f"date={open_days[0]['date'].isoformat()}" in html
    assert f"date={closed[0]['date'].isoformat()}" not in html  # a closed day is not offered


def test_a_full_slot_cannot_be_ticked_and_offers_the_waitlist(login, world, clock, centre, detainee):
    from lvshi.visits.models import SlotLoad

    [first] = book(world, detainee)  # Tuesday 08:30
    SlotLoad.objects.filter(centre=world.centre, date=first.date, start=first.start).update(capacity=1)
    steps = {"centre": world.centre.pk, "detainee": detainee.pk, "date": first.date.isoformat()}
    html = login(world.lawyer).get(BOOK, steps).content.decode()
    assert 'name="slots" value="08:30"' not in html and 'name="slots" value="13:30"' in html
    assert "已满" in html and 'name="join_slot" value="08:30"' in html


def test_booking_with_no_slot_is_refused(login, world, clock, centre, detainee):
    client = login(world.lawyer)

    response = client.post(BOOK, {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29"})

    assert "请至少选择一个时段" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "judge", "bureau_clerk"])
def test_only_lawyers_book(login, world, persona):
    client = login(getattr(world, persona))
    assert client.get(BOOK).status_code == 403
    assert client.get(MINE).status_code == 403


# --- the lawyer's records -------------------------------------------------------------


def test_tabs_show_each_status_with_reason_and_cancel_button(login, world, clock, centre, detainee):
    [under_review] = book(world, detainee, day=date(2026, 9, 29))
    [approved] = book(world, detainee, day=date(2026, 9, 30))
    [rejected] = book(world, detainee, day=date(2026, 9, 29), slots=[time(13, 30)])
    services.booking_approve(booking=approved, actor=Actor(world.officer))
    services.booking_reject(booking=rejected, actor=Actor(world.officer), reason="当日提审安排冲突")
    client = login(world.lawyer)

    page = client.get(MINE).content.decode()
    assert reverse("visits:cancel", args=[under_review.pk]) in page
    assert reverse("visits:cancel", args=[approved.pk]) not in page

    page = client.get(MINE, {"status": "approved"}).content.decode()
    assert reverse("visits:cancel", args=[approved.pk]) in page

    page = client.get(MINE, {"status": "rejected"}).content.decode()
    assert "当日提审安排冲突" in page and reverse("visits:cancel", args=[rejected.pk]) not in page


def test_no_cancel_button_after_the_deadline(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)
    clock.set_local(2026, 9, 28, 18, 0)

    page = login(world.lawyer).get(MINE).content.decode()

    assert f"booking-{booking.pk}" in page
    assert reverse("visits:cancel", args=[booking.pk]) not in page


_days = itertools.count()


def _many(world, n):
    """*n* bookings under review, each on its own day and with its own detainee."""
    for _ in range(n):
        d = make_detainee(world.centre)
        bind(world.lawyer, d)
        Booking.objects.create(
            lawyer=world.lawyer,
            detainee=d,
            centre=world.centre,
            date=date(2027, 1, 1) + timedelta(days=next(_days)),
            start="08:30",
            end="11:00",
            submitted_at="2026-09-28T02:00:00Z",
        )


def test_my_bookings_query_count_does_not_grow(login, world, clock, centre, django_assert_max_num_queries):
    client = login(world.lawyer)
    _many(world, 3)
    with django_assert_max_num_queries(12):
        assert client.get(MINE).status_code == 200
    _many(world, 15)
    with django_assert_max_num_queries(12):
        assert client.get(MINE).status_code == 200


def test_the_date_step_query_count_does_not_grow(login, world, clock, centre, detainee, django_assert_max_num_queries):
    from lvshi.visits.models import ExtraSession

    client = login(world.lawyer)
    steps = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29"}
    with django_assert_max_num_queries(20) as few:
        assert client.get(BOOK, steps).status_code == 200
    for i in range(4):
        other, lawyer = make_detainee(world.centre), make_lawyer(world.firm)
        bind(lawyer, other)
        bind(world.lawyer, make_detainee(world.centre), seat=1)
        book(world, other, lawyer=lawyer, slots=[time(8, 30)] if i % 2 else [time(13, 30)])
        ExtraSession.objects.create(centre=world.centre, date=TUESDAY, start=time(17, i), end=time(18, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(BOOK, steps)
    assert len(page.context["slot_rows"]) == 6
    assert [r["in_person"] for r in page.context["slot_rows"]][:2] == [0, 0]


# --- cancelling -------------------------------------------------------------------


def test_lawyer_cancels_before_the_deadline_after_confirming(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)
    client = login(world.lawyer)
    url = reverse("visits:cancel", args=[booking.pk])

    # The link opens the confirmation; saying nothing more changes nothing.
    asked = client.get(url).content.decode()
    assert "取消后该时段将释放给其他律师，本操作不可撤销" in asked
    assert 'name="confirmed" value="1"' in asked and "返回，不做更改" in asked
    assert client.post(url).status_code == 200  # a POST without the confirmation only asks
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNDER_REVIEW
    # With htmx the same step comes as a dialog, without the page around it.
    dialog = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert dialog.lstrip().startswith("<dialog") and "<html" not in dialog

    response = client.post(url, {"confirmed": "1"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_cancelling_too_late_shows_the_services_message(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)
    clock.set_local(2026, 9, 28, 18, 30)

    response = login(world.lawyer).post(reverse("visits:cancel", args=[booking.pk]), {"confirmed": "1"}, follow=True)

    assert "18:00" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNDER_REVIEW


def test_another_lawyers_booking_cannot_be_cancelled(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)

    response = login(world.other_lawyer).post(reverse("visits:cancel", args=[booking.pk]), {"confirmed": "1"})

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNDER_REVIEW


# --- the officers' review -------------------------------------------------------------


@pytest.fixture
def elsewhere(world):
    """A booking under review at the other centre."""
    make_centre(world.other_centre)
    d = make_detainee(world.other_centre, name="别所人员")
    bind(world.lawyer, d)
    return book(world, d, day=date(2026, 9, 30))[0]


def test_queue_shows_only_the_officers_centre(login, world, clock, centre, detainee, elsewhere):
    book(world, detainee)

    page = login(world.officer).get(QUEUE).content.decode()

    assert detainee.name in page and "别所人员" not in page


def test_officer_approves(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)

    response = login(world.officer).post(reverse("visits:approve", args=[booking.pk]))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED and booking.decided_by == world.officer


def test_approving_twice_shows_the_services_message(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)
    client = login(world.officer)
    client.post(reverse("visits:approve", args=[booking.pk]))

    response = client.post(reverse("visits:approve", args=[booking.pk]), follow=True)

    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_officer_rejects_with_a_reason(login, world, clock, centre, detainee):
    [booking] = book(world, detainee)
    client = login(world.officer)
    url = reverse("visits:reject", args=[booking.pk])

    asked = client.get(url).content.decode()
    assert "不通过会见预约" in asked and "本操作不可撤销" in asked and "返回，不做更改" in asked
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"reason": "当日提审安排冲突"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED and booking.reason == "当日提审安排冲突"


def test_other_centres_booking_is_not_found(login, world, clock, centre, elsewhere):
    client = login(world.officer)

    assert client.post(reverse("visits:approve", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("visits:reject", args=[elsewhere.pk])).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == BookingStatus.UNDER_REVIEW


@pytest.mark.parametrize("persona", ["lawyer", "judge", "bureau_clerk"])
def test_only_officers_open_the_queue(login, world, persona):
    assert login(getattr(world, persona)).get(QUEUE).status_code == 403


def test_queue_query_count_does_not_grow(login, world, clock, centre, django_assert_max_num_queries):
    client = login(world.officer)
    _many(world, 3)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200
    _many(world, 15)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200


def test_submitting_the_same_form_twice_books_once(login, world, clock, centre, detainee):
    client = login(world.lawyer)
    data = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29", "slots": ["08:30"], "key": "k2"}

    first, second = client.post(BOOK, data), client.post(BOOK, data)

    assert first.status_code == second.status_code == 302
    assert Booking.objects.filter(lawyer=world.lawyer).count() == 1


def test_full_slot_offers_the_nearest_free_ones(login, world, clock, centre, detainee):
    for lawyer in (world.other_lawyer, make_lawyer(world.firm)):
        other = make_detainee(world.centre)
        bind(lawyer, other)
        book(world, other, lawyer=lawyer)
    client = login(world.lawyer)
    data = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29", "slots": ["08:30"]}

    response = client.post(BOOK, data)

    errors = response.context["form"].non_field_errors()
    assert any("2026-09-29 13:30" in e for e in errors)
    assert not Booking.objects.filter(lawyer=world.lawyer).exists()


def test_staff_home_is_a_to_do_list_opening_filtered_lists(world, login, clock, centre, detainee):
    import re

    book(world, detainee)
    body = login(world.officer).get(reverse("site:home")).content.decode()
    todo = re.search(
        r'<a class="counter has-work" href="([^"]+)" data-todo="todo_review_bookings">'
        r'<span class="counter-value">(\d+)<',
        body,
    )
    assert todo and todo.group(1) == reverse("visits:review_queue") and todo.group(2) == "1"
    assert 'data-todo="todo_check_in"' in body and 'data-todo="todo_review_bindings"' in body
    assert 'data-todo="todo_appeals"' not in body  # an officer does not decide appeals
    authority = login(world.authority_officer).get(reverse("site:home")).content.decode()
    assert 'data-todo="todo_appeals"' in authority and 'data-todo="todo_complaints"' in authority
    assert reverse("visits:complaints") + "?status=open" in authority
    assert "data-todo=" not in login(world.lawyer).get(reverse("site:home")).content.decode()
