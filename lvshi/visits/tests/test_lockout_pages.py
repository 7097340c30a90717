"""Authority officers' pages: the appeal queue and decision, the list of
lock-outs and the lift form (V8)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.notify.models import Notification
from lvshi.site.tests.test_layout_browser import chromium  # noqa: F401  (fixture)
from lvshi.visits.models import (
    Appeal,
    AppealStatus,
    BookingLock,
    CheckIn,
    LockStatus,
    Violation,
    ViolationStatus,
)
from tests.factories import MembershipFactory, UserFactory

from .access_lockouts import foreign_centre, violation_of
from .factories import make_lawyer

pytestmark = pytest.mark.django_db


def make_appeal(lawyer, centre, text="当日突发疾病") -> Appeal:
    return Appeal.objects.create(violation=violation_of(lawyer, centre), lawyer=lawyer, text=text)


def make_lock(lawyer, centre, **extra) -> BookingLock:
    today = timezone.localdate()
    values = {"starts_on": today, "ends_on": today + timedelta(days=180), "reason": "累计违约3次", **extra}
    return BookingLock.objects.create(lawyer=lawyer, centre=centre, **values)


# --- the appeal queue ------------------------------------------------------------------


def test_the_queue_lists_pending_appeals_oldest_first_with_the_meeting_facts(world, login):
    old = make_appeal(world.lawyer, world.centre, text="第一份申诉")
    new = make_appeal(world.other_lawyer, world.other_centre, text="第二份申诉")
    Appeal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    decided = make_appeal(world.lawyer, world.centre, text="已处理的申诉")
    Appeal.objects.filter(pk=decided.pk).update(status=AppealStatus.REJECTED)
    make_appeal(world.lawyer, foreign_centre(), text="外省申诉")
    CheckIn.objects.create(booking=new.violation.booking, officer=world.other_officer, at=timezone.now())

    response = login(world.authority_officer).get(reverse("visits:appeals"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("第一份申诉") < page.index("第二份申诉")
    assert "已处理的申诉" not in page and "外省申诉" not in page
    booking = old.violation.booking
    assert booking.date.isoformat() in page and "08:30" in page and world.centre.name in page
    assert "无人登记到场" in page and "已登记到场" in page
    assert f"{booking.date.isoformat()} 08:50" in page  # the no-show time, 20 minutes after the start
    assert reverse("visits:appeal_decide", args=[old.pk]) in page


def test_a_platform_admin_sees_the_queue_without_decide_links(world, login):
    appeal = make_appeal(world.lawyer, foreign_centre())
    page = login(world.admin).get(reverse("visits:appeals")).content.decode()
    assert appeal.text in page
    assert reverse("visits:appeal_decide", args=[appeal.pk]) not in page


@pytest.mark.parametrize("who", ["lawyer", "officer", "judge"])
def test_other_roles_cannot_open_the_authority_pages(world, login, who):
    client = login(getattr(world, who))
    assert client.get(reverse("visits:appeals")).status_code == 403
    assert client.get(reverse("visits:locks")).status_code == 403


def test_the_queue_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.authority_officer)
    make_appeal(world.lawyer, world.centre)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("visits:appeals"))
    for i in range(15):
        appeal = make_appeal(make_lawyer(world.firm), world.centre if i % 2 else world.other_centre)
        if i % 3 == 0:
            CheckIn.objects.create(booking=appeal.violation.booking, officer=world.officer, at=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:appeals"))
    assert response.content.decode().count('id="appeal-') == 16


# --- deciding ------------------------------------------------------------------------------


def _decide(client, appeal, **data):
    return client.post(reverse("visits:appeal_decide", args=[appeal.pk]), data)


def test_dismissing_without_a_note_is_refused(world, login):
    appeal = make_appeal(world.lawyer, world.centre)

    response = _decide(login(world.authority_officer), appeal, decision="dismiss", note="  ")

    assert response.status_code == 400
    assert "驳回申诉时请填写理由" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert not AuditEvent.objects.filter(action="visits.appeal_decide").exists()


def test_a_note_over_300_characters_is_refused(world, login):
    appeal = make_appeal(world.lawyer, world.centre)
    response = _decide(login(world.authority_officer), appeal, decision="dismiss", note="否" * 301)
    assert response.status_code == 400
    assert "处理意见不能超过300字" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_no_decision_chosen_is_refused(world, login):
    appeal = make_appeal(world.lawyer, world.centre)
    response = _decide(login(world.authority_officer), appeal, note="说明")
    assert response.status_code == 400
    assert "请选择申诉成立或不成立" in response.content.decode()


def test_dismissing_with_a_note_rejects_audits_and_tells_the_lawyer(world, login):
    appeal = make_appeal(world.lawyer, world.centre)

    response = _decide(login(world.authority_officer), appeal, decision="dismiss", note="未提供证明材料")

    assert response.status_code == 302 and response["Location"] == reverse("visits:appeals")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED and appeal.note == "未提供证明材料"
    assert appeal.decided_by == world.authority_officer
    assert AuditEvent.objects.filter(action="visits.appeal_decide", object_id=str(appeal.pk)).exists()
    assert Notification.objects.filter(user=world.lawyer, kind="visit_appeal_decided").exists()
    assert Violation.objects.get(pk=appeal.violation_id).status == ViolationStatus.ACTIVE


def test_upholding_voids_the_violation_and_lifts_its_lock(world, login):
    appeal = make_appeal(world.lawyer, world.centre)
    lock = make_lock(world.lawyer, world.centre)
    Violation.objects.filter(pk=appeal.violation_id).update(lock=lock)

    response = _decide(login(world.authority_officer), appeal, decision="uphold", note="")

    assert response.status_code == 302
    assert Violation.objects.get(pk=appeal.violation_id).status == ViolationStatus.VOID
    lock.refresh_from_db()
    assert lock.status == LockStatus.LIFTED
    assert AuditEvent.objects.filter(action="visits.lock_lift", object_id=str(lock.pk)).exists()


def test_a_decided_appeal_cannot_be_decided_again(world, login):
    appeal = make_appeal(world.lawyer, world.centre)
    client = login(world.authority_officer)
    _decide(client, appeal, decision="dismiss", note="未提供证明材料")
    response = _decide(client, appeal, decision="uphold")
    assert response.status_code == 409
    assert "该违约申诉当前状态为" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED


def test_an_appeal_of_another_authority_is_not_found(world, login):
    appeal = make_appeal(world.lawyer, foreign_centre())
    client = login(world.authority_officer)
    assert client.get(reverse("visits:appeal_decide", args=[appeal.pk])).status_code == 404
    assert _decide(client, appeal, decision="uphold").status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_an_officer_of_the_centre_cannot_decide(world, login):
    appeal = make_appeal(world.lawyer, world.centre)
    assert _decide(login(world.officer), appeal, decision="uphold").status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


# --- locks ---------------------------------------------------------------------------------


def test_locks_are_listed_active_first_and_searchable(world, login):
    lifted = make_lock(world.other_lawyer, world.other_centre, status=LockStatus.LIFTED, lift_reason="核实无误")
    active = make_lock(world.lawyer, world.centre)
    make_lock(make_lawyer(world.firm), foreign_centre(), reason="外省锁定")
    client = login(world.authority_officer)

    page = client.get(reverse("visits:locks")).content.decode()
    assert page.index(f'id="lock-{active.pk}"') < page.index(f'id="lock-{lifted.pk}"')
    assert "外省锁定" not in page
    assert reverse("visits:lock_lift", args=[active.pk]) in page
    assert reverse("visits:lock_lift", args=[lifted.pk]) not in page

    by_name = client.get(reverse("visits:locks"), {"q": world.other_lawyer.name}).content.decode()
    assert f'id="lock-{lifted.pk}"' in by_name and f'id="lock-{active.pk}"' not in by_name
    by_licence = client.get(reverse("visits:locks"), {"q": world.lawyer.licence_no[-8:]}).content.decode()
    assert f'id="lock-{active.pk}"' in by_licence and f'id="lock-{lifted.pk}"' not in by_licence
    nothing = client.get(reverse("visits:locks"), {"q": "无此人"}).content.decode()
    assert "没有找到“无此人”的预约锁定" in nothing


def test_lifting_without_a_reason_is_refused(world, login):
    lock = make_lock(world.lawyer, world.centre)
    response = login(world.authority_officer).post(reverse("visits:lock_lift", args=[lock.pk]), {"reason": " "})
    assert response.status_code == 400
    assert "请填写解除锁定的原因" in response.content.decode()
    lock.refresh_from_db()
    assert lock.status == LockStatus.ACTIVE


def test_a_reason_of_301_characters_is_refused_and_300_accepted(world, login):
    lock = make_lock(world.lawyer, world.centre)
    client = login(world.authority_officer)
    url = reverse("visits:lock_lift", args=[lock.pk])

    assert client.post(url, {"reason": "因" * 301}).status_code == 400
    lock.refresh_from_db()
    assert lock.status == LockStatus.ACTIVE

    response = client.post(url, {"reason": "因" * 300})
    assert response.status_code == 302 and response["Location"] == reverse("visits:locks")
    lock.refresh_from_db()
    assert lock.status == LockStatus.LIFTED and lock.lifted_by == world.authority_officer
    assert AuditEvent.objects.filter(action="visits.lock_lift", object_id=str(lock.pk)).exists()
    assert Notification.objects.filter(user=world.lawyer, kind="visit_lock_lifted").exists()
    # Lifting again is refused.
    again = client.post(url, {"reason": "再次解除"})
    assert again.status_code == 409 and "该预约锁定当前状态为“已解除”" in again.content.decode()


def test_a_lock_of_another_authority_is_not_found(world, login):
    lock = make_lock(world.lawyer, foreign_centre())
    client = login(world.authority_officer)
    url = reverse("visits:lock_lift", args=[lock.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "核实无误"}).status_code == 404
    lock.refresh_from_db()
    assert lock.status == LockStatus.ACTIVE


def test_an_authority_officer_of_a_subordinate_centre_only_sees_their_centre(world, login):
    """An authority officer placed at one centre does not reach a sibling centre."""
    officer = UserFactory(name="冯警官", licence_no=None)
    MembershipFactory(user=officer, organisation=world.centre, role="authority_officer")
    here = make_lock(world.lawyer, world.centre)
    there = make_lock(world.other_lawyer, world.other_centre)
    client = login(officer)
    page = client.get(reverse("visits:locks")).content.decode()
    assert f'id="lock-{here.pk}"' in page and f'id="lock-{there.pk}"' not in page
    assert client.get(reverse("visits:lock_lift", args=[there.pk])).status_code == 404


def test_the_locks_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.authority_officer)
    make_lock(world.lawyer, world.centre)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("visits:locks"))
    for i in range(15):
        status = LockStatus.ACTIVE if i % 2 else LockStatus.LIFTED
        make_lock(make_lawyer(world.firm), world.centre, status=status, lifted_by=world.authority_officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:locks"))
    assert response.content.decode().count('id="lock-') == 16


def test_navigation_shows_the_authority_pages(world, login):
    page = login(world.authority_officer).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("visits:appeals")}"' in page and f'href="{reverse("visits:locks")}"' in page
    lawyer_page = login(world.lawyer).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("visits:locks")}"' not in lawyer_page
    assert f'href="{reverse("visits:violations")}"' in lawyer_page


# --- in a browser at phone width ---------------------------------------------------------


@pytest.mark.browser
def test_the_pages_fit_a_phone_and_respect_the_csp(transactional_db, live_server, chromium):  # noqa: F811
    from conftest import World
    from lvshi.calendar.models import FeedToken
    from lvshi.site.tests.test_layout_browser import _check_layout, _open

    world = World()
    appeal = make_appeal(world.lawyer, world.centre, text="当日突发疾病，已附医院证明。" * 10)
    violation_of(world.lawyer, world.other_centre)
    lock = make_lock(world.lawyer, world.centre, reason="累计违约3次（2026-09-01、2026-09-08、2026-09-15）")
    FeedToken.objects.create(user=world.lawyer, key_hash="0" * 64, created_at=timezone.now())
    pages = [
        (world.lawyer, reverse("visits:violations")),
        (world.lawyer, reverse("visits:violation_appeal", args=[appeal.violation_id])),
        (world.lawyer, reverse("calendar:schedule")),
        (world.authority_officer, reverse("visits:appeals")),
        (world.authority_officer, reverse("visits:appeal_decide", args=[appeal.pk])),
        (world.authority_officer, reverse("visits:locks")),
        (world.authority_officer, reverse("visits:lock_lift", args=[lock.pk])),
    ]
    for user, path in pages:
        page, errors = _open(chromium, live_server, path, user)
        if path == reverse("visits:violations"):
            page.click("summary")  # open an appeal form
        _check_layout(page, errors, path)
        page.context.close()
