"""The lawyer's violations page and appeal form (V8)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.calendar.workdays import local_date
from lvshi.visits.models import Appeal, AppealStatus, BookingLock, Violation, ViolationStatus

from .access_lockouts import violation_of

pytestmark = pytest.mark.django_db


def _appeal_url(v: Violation) -> str:
    return reverse("visits:violation_appeal", args=[v.pk])


def test_the_page_lists_each_violation_with_expiry_state_and_appeal(world, login):
    active = violation_of(world.lawyer, world.centre)
    void = violation_of(world.lawyer, world.other_centre)
    Violation.objects.filter(pk=void.pk).update(status=ViolationStatus.VOID)
    expired = violation_of(world.lawyer, world.centre)
    Violation.objects.filter(pk=expired.pk).update(date=date(2024, 1, 5), expires_on=date(2025, 1, 5))
    Appeal.objects.create(violation=void, lawyer=world.lawyer, text="车辆故障", status="upheld", note="情况属实")
    violation_of(world.other_lawyer, world.centre)  # not theirs

    response = login(world.lawyer).get(reverse("visits:violations"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('id="violation-') == 3
    assert active.expires_on.isoformat() in page
    for label in ("有效", "已撤销", "已过期", "申诉成立", "情况属实"):
        assert label in page
    # Only the active one offers an appeal form.
    assert page.count('action="' + _appeal_url(active)) == 1
    assert _appeal_url(void) not in page
    assert _appeal_url(expired) in page  # expired but not void: it may still be contested


def test_the_active_lock_is_explained(world, login):
    v = violation_of(world.lawyer, world.centre)
    today = local_date(timezone.now())
    lock = BookingLock.objects.create(
        lawyer=world.lawyer,
        centre=world.centre,
        starts_on=today,
        ends_on=today + timedelta(days=180),
        reason="累计违约3次（测试）",
    )
    Violation.objects.filter(pk=v.pk).update(lock=lock)

    page = login(world.lawyer).get(reverse("visits:violations")).content.decode()

    assert "累计违约3次（测试）" in page
    assert lock.ends_on.isoformat() in page and lock.starts_on.isoformat() in page
    assert "锁定期间不能网上预约会见，可至看守所现场办理" in page
    assert "已计入锁定" in page


def test_no_lock_section_without_a_lock(world, login):
    page = login(world.lawyer).get(reverse("visits:violations")).content.decode()
    assert "锁定期间" not in page
    assert "您没有违约记录" in page


def test_an_appeal_of_1000_characters_is_accepted_and_audited(world, login):
    v = violation_of(world.lawyer, world.centre)
    client = login(world.lawyer)

    response = client.post(_appeal_url(v), {"text": "因" * 1000})

    assert response.status_code == 302 and response["Location"] == reverse("visits:violations")
    appeal = Appeal.objects.get(violation=v)
    assert len(appeal.text) == 1000 and appeal.status == AppealStatus.PENDING
    assert AuditEvent.objects.filter(action="visits.violation_appeal", object_id=str(appeal.pk)).exists()
    page = client.get(reverse("visits:violations")).content.decode()
    assert "待处理" in page and _appeal_url(v) + '"' not in page


def test_an_appeal_of_1001_characters_is_refused_and_nothing_changes(world, login):
    v = violation_of(world.lawyer, world.centre)

    response = login(world.lawyer).post(_appeal_url(v), {"text": "因" * 1001})

    assert response.status_code == 400
    assert "申诉理由不能超过1000字" in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_empty_appeal_is_refused(world, login):
    v = violation_of(world.lawyer, world.centre)
    response = login(world.lawyer).post(_appeal_url(v), {"text": "   "})
    assert response.status_code == 400
    assert "请填写申诉理由" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_second_appeal_is_refused(world, login):
    v = violation_of(world.lawyer, world.centre)
    client = login(world.lawyer)
    client.post(_appeal_url(v), {"text": "第一次申诉"})

    response = client.post(_appeal_url(v), {"text": "第二次申诉"})

    assert response.status_code == 409
    assert "每条违约记录只能申诉一次" in response.content.decode()
    assert list(Appeal.objects.values_list("text", flat=True)) == ["第一次申诉"]


def test_a_void_violation_cannot_be_appealed(world, login):
    v = violation_of(world.lawyer, world.centre)
    Violation.objects.filter(pk=v.pk).update(status=ViolationStatus.VOID)

    client = login(world.lawyer)
    assert "无需申诉" in client.get(_appeal_url(v)).content.decode()
    response = client.post(_appeal_url(v), {"text": "理由"})

    assert response.status_code == 409
    assert "该违约记录已撤销，无需申诉" in response.content.decode()
    assert not Appeal.objects.exists()


def test_another_lawyers_violation_is_not_found(world, login):
    theirs = violation_of(world.other_lawyer, world.centre)
    client = login(world.lawyer)
    assert client.get(_appeal_url(theirs)).status_code == 404
    assert client.post(_appeal_url(theirs), {"text": "理由"}).status_code == 404
    assert not Appeal.objects.exists()


def test_officers_cannot_open_the_lawyers_page(world, login):
    assert login(world.officer).get(reverse("visits:violations")).status_code == 403


def test_the_navigation_links_the_page_for_lawyers_only(world, login):
    url = reverse("visits:violations")
    assert f'href="{url}"' in login(world.lawyer).get(reverse("visits:my_bookings")).content.decode()
    assert f'href="{url}"' not in login(world.officer).get(reverse("visits:review_queue")).content.decode()


def test_the_page_query_count_does_not_grow_with_violations(world, login, django_assert_max_num_queries):
    client = login(world.lawyer)
    for _ in range(3):
        violation_of(world.lawyer, world.centre)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("visits:violations"))
    for i in range(30):
        v = violation_of(world.lawyer, world.other_centre if i % 2 else world.centre)
        if i % 3 == 0:
            Appeal.objects.create(violation=v, lawyer=world.lawyer, text="理由")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:violations"))
    assert response.content.decode().count('id="violation-') == 33
