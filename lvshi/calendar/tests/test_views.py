from datetime import date, timedelta

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from lvshi.calendar.models import Closure
from lvshi.calendar.services import next_working_day, today

pytestmark = pytest.mark.django_db


def future_workday() -> date:
    return next_working_day(today() + timedelta(days=20))


# --- month view ------------------------------------------------------------------------


def test_month_view_for_any_signed_in_user(world, login, django_assert_max_num_queries):
    client = login(world.lawyer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("calendar:month"), {"year": 2025, "month": 10})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2025年10月" in page
    assert "国庆节、中秋节" in page
    assert "调休上班" in page  # Saturday 11 October
    assert "本月共有 18 个工作日" in page


def test_month_view_of_a_centre_shows_its_closures(world, login, django_assert_max_num_queries):
    Closure.objects.create(organisation=world.authority, date=date(2025, 3, 12), reason="全市监所安全检查")
    client = login(world.lawyer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("calendar:month"), {"year": 2025, "month": 3, "org": world.centre.pk})
    assert "全市监所安全检查" in page.content.decode()
    national = client.get(reverse("calendar:month"), {"year": 2025, "month": 3}).content.decode()
    assert "全市监所安全检查" not in national


def test_month_view_of_an_unpublished_year_says_so(world, login):
    page = login(world.lawyer).get(reverse("calendar:month"), {"year": 2031, "month": 1}).content.decode()
    assert "该年度放假安排尚未公布" in page


def test_month_view_htmx_returns_the_grid_only(world, login):
    response = login(world.lawyer).get(reverse("calendar:month"), {"year": 2026, "month": 2}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="month-grid"')
    assert "春节" in page


@pytest.mark.parametrize("params", [{"year": 1800}, {"month": 13}, {"year": "abc"}, {"org": 999999}])
def test_month_view_bad_input_is_400_with_a_message(world, login, params):
    response = login(world.lawyer).get(reverse("calendar:month"), params)
    assert response.status_code == 400
    assert "年份、月份或机构无效" in response.content.decode()


def test_month_view_needs_login(client):
    response = client.get(reverse("calendar:month"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- closures page ---------------------------------------------------------------------


def test_closures_page_lists_closures_in_my_scope(world, login, django_assert_max_num_queries):
    Closure.objects.create(organisation=world.centre, date=future_workday(), reason="本所检修")
    Closure.objects.create(organisation=world.other_centre, date=future_workday(), reason="二所检修")
    client = login(world.officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("calendar:closures"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "本所检修" in page and "二所检修" not in page
    # Only the officer's own centre is offered in the form.
    assert f'value="{world.centre.pk}"' in page and f'value="{world.other_centre.pk}"' not in page


def test_authority_officer_sees_all_its_centres(world, login):
    Closure.objects.create(organisation=world.centre, date=future_workday(), reason="一所检修")
    Closure.objects.create(organisation=world.other_centre, date=future_workday(), reason="二所检修")
    page = login(world.authority_officer).get(reverse("calendar:closures")).content.decode()
    assert "一所检修" in page and "二所检修" in page


def test_add_closure(world, login):
    day = future_workday()
    response = login(world.officer).post(
        reverse("calendar:closures"), {"organisation": world.centre.pk, "date": day.isoformat(), "reason": "设施检修"}
    )
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.organisation, closure.date, closure.reason) == (world.centre, day, "设施检修")


def test_add_closure_for_another_centre_is_refused(world, login):
    response = login(world.officer).post(
        reverse("calendar:closures"),
        {"organisation": world.other_centre.pk, "date": future_workday().isoformat(), "reason": "检修"},
    )
    assert response.status_code == 400
    assert "请从列表中选择您管理的机构" in response.content.decode()
    assert Closure.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2020-01-01", "reason": "检修"}, "请选择今天或以后的日期"),
        ({"date": "not-a-date", "reason": "检修"}, "请输入有效的日期"),
        ({"reason": ""}, "请填写原因"),
    ],
)
def test_add_closure_bad_input_shows_the_form_again(world, login, data, message):
    payload = {"organisation": world.centre.pk, "date": future_workday().isoformat(), **data}
    response = login(world.officer).post(reverse("calendar:closures"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Closure.objects.count() == 0


def test_add_closure_twice_is_409(world, login):
    day = future_workday()
    client = login(world.officer)
    payload = {"organisation": world.centre.pk, "date": day.isoformat(), "reason": "检修"}
    client.post(reverse("calendar:closures"), payload)
    response = client.post(reverse("calendar:closures"), payload)
    assert response.status_code == 409
    assert "该日期已登记" in response.content.decode()
    assert Closure.objects.count() == 1


@pytest.mark.parametrize("who", ["lawyer", "judge", "bureau_clerk"])
def test_closures_page_needs_a_closure_role(world, login, who):
    client = login(getattr(world, who))
    assert client.get(reverse("calendar:closures")).status_code == 403
    response = client.post(
        reverse("calendar:closures"),
        {"organisation": world.centre.pk, "date": future_workday().isoformat(), "reason": "检修"},
    )
    assert response.status_code == 403
    assert Closure.objects.count() == 0


def test_closures_page_needs_login(client):
    response = client.get(reverse("calendar:closures"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_delete_closure(world, login):
    closure = Closure.objects.create(organisation=world.centre, date=future_workday(), reason="检修")
    response = login(world.officer).post(reverse("calendar:closure_delete", args=[closure.pk]))
    assert response.status_code == 302
    assert Closure.objects.count() == 0


def test_delete_closure_of_another_centre_is_404(world, login):
    closure = Closure.objects.create(organisation=world.other_centre, date=future_workday(), reason="检修")
    response = login(world.officer).post(reverse("calendar:closure_delete", args=[closure.pk]))
    assert response.status_code == 404
    assert Closure.objects.count() == 1


def test_delete_closure_by_a_lawyer_is_404(world, login):
    closure = Closure.objects.create(organisation=world.centre, date=future_workday(), reason="检修")
    assert login(world.lawyer).post(reverse("calendar:closure_delete", args=[closure.pk])).status_code == 404
    assert Closure.objects.count() == 1


def test_delete_needs_post(world, login):
    closure = Closure.objects.create(organisation=world.centre, date=future_workday(), reason="检修")
    assert login(world.officer).get(reverse("calendar:closure_delete", args=[closure.pk])).status_code == 405


def test_platform_admin_manages_any_closure(world, login):
    closure = Closure.objects.create(organisation=world.centre, date=future_workday(), reason="检修")
    client = login(world.admin)
    assert "检修" in client.get(reverse("calendar:closures")).content.decode()
    assert client.post(reverse("calendar:closure_delete", args=[closure.pk])).status_code == 302


def test_staff_home_links_to_closures_for_closure_roles_only(world, login, client):
    url = reverse("calendar:closures")
    assert url in login(world.officer).get(reverse("site:home")).content.decode()
    client.logout()
    assert url not in login(world.lawyer).get(reverse("site:home")).content.decode()
