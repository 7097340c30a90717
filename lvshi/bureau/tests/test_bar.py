"""Bar affairs (A7): dues and training registered by bar associations
within their reach; the annual assessment shows whether they are complete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from ..models import Dues, Training
from ..services import applications as applications_svc
from ..services import bar as svc


def test_dues_once_a_year_and_training_hours_add_up_to_the_standing(gd, settings):
    settings.BAR_TRAINING_HOURS = 40
    svc.dues_record(
        actor=Actor(gd.gz_bar_staff),
        body=gd.gz_bar,
        licence_no=gd.lawyer.licence_no,
        year=2025,
        amount="2000",
        paid_on=date(2025, 3, 1),
    )
    with pytest.raises(DomainError) as refused:
        svc.dues_record(
            actor=Actor(gd.gz_bar_staff),
            body=gd.gz_bar,
            licence_no=gd.lawyer.licence_no,
            year=2025,
            amount="2000",
            paid_on=date(2025, 3, 2),
        )
    assert refused.value.code == "dues_recorded"
    for n, hours in enumerate(("16", "12.5")):
        svc.training_record(
            actor=Actor(gd.gz_bar_staff),
            body=gd.gz_bar,
            licence_no=gd.lawyer.licence_no,
            course=f"执业规范{n}",
            hours=hours,
            attended_on=date(2025, 5, n + 1),
        )
    standing = svc.standing(gd.lawyer.pk, 2025)
    assert standing.dues_paid and standing.hours == Decimal("28.5") and not standing.training_complete
    assert not svc.standing(gd.lawyer2.pk, 2025).dues_paid


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"hours": "0"}, "hours_invalid"),
        ({"hours": "101"}, "hours_invalid"),
        ({"attended_on": "2099-01-01"}, "attended_on_invalid"),
    ],
)
def test_bad_training_is_refused(gd, extra, code):
    data = {"licence_no": gd.lawyer.licence_no, "course": "课", "hours": "4", "attended_on": "2025-05-01", **extra}
    with pytest.raises(DomainError) as refused:
        svc.training_record(actor=Actor(gd.gz_bar_staff), body=gd.gz_bar, **data)
    assert refused.value.code == code
    assert not Training.objects.exists()


def test_only_a_bar_association_within_reach_registers(gd):
    with pytest.raises(DomainError):  # Shenzhen's lawyer is outside Guangzhou's bar association
        svc.dues_record(
            actor=Actor(gd.gz_bar_staff),
            body=gd.gz_bar,
            licence_no=gd.sz_lawyer.licence_no,
            year=2025,
            amount="1",
            paid_on=date(2025, 3, 1),
        )
    with pytest.raises(DomainError):  # a bureau clerk is not the bar association
        svc.dues_record(
            actor=Actor(gd.gz_clerk),
            body=gd.gz,
            licence_no=gd.lawyer.licence_no,
            year=2025,
            amount="1",
            paid_on=date(2025, 3, 1),
        )
    svc.dues_record(
        actor=Actor(gd.province_bar_staff),
        body=gd.province_bar,
        licence_no=gd.sz_lawyer.licence_no,
        year=2025,
        amount="1",
        paid_on=date(2025, 3, 1),
    )  # the province's reaches every city
    assert Dues.objects.count() == 1


def test_the_assessment_page_shows_dues_and_training(gd, login, client):
    a = applications_svc.application_create(
        actor=Actor(gd.firm_admin),
        organisation=gd.gz_firm_org,
        business_type="assessment",
        data={"summary": "年度总结"},
        lawyer_id=gd.lawyer.pk,
        year=2025,
    )
    login(gd.firm_admin)
    page = client.get(reverse("bureau:application", args=[a.pk])).content.decode()
    assert "2025年度会费" in page and "未缴" in page and "0/40学时" in page
    login(gd.gz_bar_staff)
    response = client.post(
        reverse("bureau:bar_affairs"),
        {
            "record": "dues",
            "dues-licence_no": gd.lawyer.licence_no,
            "dues-year": 2025,
            "dues-amount": "2000",
            "dues-paid_on": "2025-03-01",
        },
    )
    assert response.status_code == 302 and Dues.objects.count() == 1
    page = client.get(reverse("bureau:application", args=[a.pk])).content.decode()
    assert "已缴清" in page
