from datetime import date

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.calendar.models import HolidayYear
from lvshi.calendar.services import day_info

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["calendar_holidayyear", "calendar_closure", "notify_notification", "notify_delivery"]
)
def test_admin_lists_open(world, login, model):
    response = login(world.admin).get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200


def test_admin_enters_an_official_year_and_it_is_audited(world, login):
    client = login(world.admin)
    response = client.post(
        reverse("admin:calendar_holidayyear_add"),
        {
            "year": "2031",
            "published": "on",
            "source": "国务院办公厅关于2031年部分节假日安排的通知",
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "1000",
            "dates-0-date": "2031-01-02",
            "dates-0-kind": "holiday",
            "dates-0-name": "元旦",
            "dates-1-date": "2031-01-05",
            "dates-1-kind": "makeup_workday",
            "dates-1-name": "元旦调休上班",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HolidayYear.objects.get(year=2031).dates.count() == 2
    assert day_info(date(2031, 1, 2)).kind == "holiday"
    assert day_info(date(2031, 1, 5)).working is True
    assert AuditEvent.objects.filter(action="calendar.holiday_year_create").exists()
    assert AuditEvent.objects.get(action="calendar.holiday_dates_update").after["dates"][0] == [
        "2031-01-02",
        "holiday",
        "元旦",
    ]


def test_admin_refuses_a_weekday_make_up_day_and_a_date_of_another_year(world, login):
    response = login(world.admin).post(
        reverse("admin:calendar_holidayyear_add"),
        {
            "year": "2031",
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "1000",
            "dates-0-date": "2031-01-06",  # a Monday
            "dates-0-kind": "makeup_workday",
            "dates-0-name": "调休",
            "dates-1-date": "2030-12-31",
            "dates-1-kind": "holiday",
            "dates-1-name": "元旦",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "调休上班日应为周六或周日" in page
    assert "日期应在2031年内" in page
    assert not HolidayYear.objects.exists()
