"""Monitoring (A8): each body sees its own and its sub-bodies' pending and
overdue work, by body, in a bounded number of queries."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from lvshi.core.actor import Actor

from .. import monitor
from ..models import Application
from ..services import applications as svc


def _submitted(gd, n: int) -> list[Application]:
    made = []
    for i in range(n):
        a = svc.application_create(
            actor=Actor(gd.firm_admin),
            organisation=gd.gz_firm_org,
            business_type="inspection",
            data={"summary": "x"},
            year=2026 - i,
        )
        svc.application_submit(application=a, actor=Actor(gd.firm_admin))
        made.append(a)
    return made


def test_each_body_sees_its_own_and_its_sub_bodies_work(gd):
    late, _on_time = _submitted(gd, 2)
    Application.objects.filter(pk=late.pk).update(due_on=date(2026, 1, 5))
    today = date(2026, 12, 4)
    rows = {r.body.name: r for r in monitor.work_by_body(gd.province_clerk, today=today)}
    assert set(rows) == {"广东省司法厅", "广东省律师协会", "广州市司法局", "广州市律师协会", "深圳市司法局"}
    assert rows["广州市司法局"].counts["applications"] == 2  # the inspection lies with the city bureau
    assert rows["广州市司法局"].counts["applications_late"] == 1 and rows["广州市司法局"].late == 1
    assert rows["深圳市司法局"].pending == 0
    gz = {r.body.name for r in monitor.work_by_body(gd.gz_clerk, today=today)}
    assert gz == {"广州市司法局", "广州市律师协会"}


def test_the_page_runs_a_bounded_number_of_queries(gd, login, client, django_assert_max_num_queries):
    login(gd.province_clerk)
    client.get(reverse("bureau:monitor"))
    _submitted(gd, 5)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("bureau:monitor"))
    assert page.status_code == 200 and "广州市律师协会" in page.content.decode()
    login(gd.firm_admin)
    assert client.get(reverse("bureau:monitor")).status_code == 403
