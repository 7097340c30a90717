"""Work reports (A5): fill, submit, accept or return; each level's sum is its
firms' accepted reports and its sub-bodies' sent sums, and equals the sum of
the parts at every level; late and missing reports stand out."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs.models import Organisation, OrgKind

from .. import sums
from ..models import Report, ReportStatus, ReportSum
from ..models.reports import ITEM_KEYS
from ..services import reports as svc

PERIOD = "2026-Q3"


def values(n: int = 1) -> dict[str, int]:
    return {key: n * (i + 1) for i, key in enumerate(ITEM_KEYS)}


def filed(gd, firm_org, admin, n: int = 1, *, accept: bool = True) -> Report:
    report = svc.report_save(actor=Actor(admin), organisation=firm_org, period=PERIOD, values=values(n))
    svc.report_submit(report=report, actor=Actor(admin))
    if accept:
        svc.report_accept(report=report, actor=Actor(gd.gz_clerk if firm_org.parent == gd.gz else gd.sz_clerk))
    return report


def test_periods_and_their_due_dates():
    assert sums.period_end("2026") == date(2026, 12, 31)
    assert sums.period_end("2026-H1") == date(2026, 6, 30)
    assert sums.period_end("2026-Q3") == date(2026, 9, 30)
    assert sums.period_due("2026-Q3") == date(2026, 10, 15)
    for bad in ("2026-Q5", "26", "2026Q3", "2026-q3x", ""):
        with pytest.raises(DomainError):
            svc.clean_period(bad)


def test_a_firm_fills_and_submits_and_its_bureau_accepts_or_returns(gd):
    report = filed(gd, gd.gz_firm_org, gd.firm_admin, accept=False)
    assert report.status == ReportStatus.SUBMITTED and report.body == gd.gz
    with pytest.raises(DomainError):  # the province is not the bureau it is filed with
        svc.report_accept(report=report, actor=Actor(gd.province_clerk))
    with pytest.raises(DomainError):  # a submitted report is no longer the firm's to change
        svc.report_save(actor=Actor(gd.firm_admin), organisation=gd.gz_firm_org, period=PERIOD, values=values(2))
    svc.report_return(report=report, actor=Actor(gd.gz_clerk), reason="收入与纸质报表不一致")
    assert report.status == ReportStatus.RETURNED and report.reason == "收入与纸质报表不一致"
    svc.report_save(actor=Actor(gd.firm_admin), organisation=gd.gz_firm_org, period=PERIOD, values=values(2))
    svc.report_submit(report=Report.objects.get(pk=report.pk), actor=Actor(gd.firm_admin))
    svc.report_accept(report=Report.objects.get(pk=report.pk), actor=Actor(gd.gz_clerk))
    assert Report.objects.get(pk=report.pk).values == values(2)


def test_bad_values_are_refused_by_item(gd):
    for bad in ({"revenue": -1}, {"civil": "3.5"}, {"lawyers": 10**13}, {"staff": "十"}):
        with pytest.raises(DomainError) as refused:
            svc.report_save(actor=Actor(gd.firm_admin), organisation=gd.gz_firm_org, period=PERIOD, values=bad)
        assert refused.value.details == {"field": next(iter(bad))}
    assert not Report.objects.exists()


def test_each_level_sums_what_it_accepted_and_what_was_sent_to_it(gd):
    filed(gd, gd.gz_firm_org, gd.firm_admin, 1)
    filed(gd, gd.gz_other_org, gd.other_firm_admin, 10, accept=False)  # submitted, not yet accepted
    filed(gd, gd.sz_firm_org, gd.sz_firm_admin, 100)
    today = date(2026, 10, 20)
    gz = sums.summary(gd.gz, PERIOD, today=today)
    assert gz.values == values(1) and gz.firms_counted == 1
    province = sums.summary(gd.province, PERIOD, today=today)
    assert province.values == sums.zero() and province.missing_bodies == 2  # neither city has sent its sum
    svc.sum_send(body=gd.gz, actor=Actor(gd.gz_clerk), period=PERIOD)
    svc.sum_send(body=gd.sz, actor=Actor(gd.sz_clerk), period=PERIOD)
    province = sums.summary(gd.province, PERIOD, today=today)
    assert province.values == values(101) and province.firms_counted == 2
    # Guangzhou accepts the other firm late and sends again: the province's sum follows.
    svc.report_accept(report=Report.objects.get(organisation=gd.gz_other_org), actor=Actor(gd.gz_clerk))
    svc.sum_send(body=gd.gz, actor=Actor(gd.gz_clerk), period=PERIOD)
    province = sums.summary(gd.province, PERIOD, today=today)
    assert province.values == values(111) == sums.subtree_total(gd.province, PERIOD)[0]
    assert ReportSum.objects.filter(body=gd.gz).count() == 1
    with pytest.raises(DomainError):  # Shenzhen cannot send Guangzhou's sum
        svc.sum_send(body=gd.gz, actor=Actor(gd.sz_clerk), period=PERIOD)


def test_late_and_missing_reports_stand_out(gd):
    svc.report_submit(
        report=svc.report_save(actor=Actor(gd.firm_admin), organisation=gd.gz_firm_org, period="2026", values=values()),
        actor=Actor(gd.firm_admin),
    )  # submitted today, before the year's report is due (2027-01-15)
    before_due = sums.summary(gd.gz, "2026", today=date(2027, 1, 15))
    assert {(f.organisation, f.missing, f.late) for f in before_due.firms} == {
        (gd.gz_firm_org, False, False),
        (gd.gz_other_org, True, False),
    }
    after_due = sums.summary(gd.gz, "2026", today=date(2027, 1, 16))
    assert after_due.missing_firms == 1 and after_due.late_firms == 1
    late = sums.summary(gd.gz, PERIOD, today=date(2026, 12, 4))  # nothing of the third quarter, past its due date
    assert late.missing_firms == 2 and late.late_firms == 2


@st.composite
def trees(draw):
    """A province's cities, each with firms whose reports are accepted, submitted or missing."""
    cities = draw(st.integers(min_value=1, max_value=4))
    return [
        draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["accepted", "submitted", "missing"]), st.integers(min_value=0, max_value=10**9)
                ),
                max_size=5,
            )
        )
        for _ in range(cities)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees())
def test_every_levels_sum_equals_the_sum_of_its_parts(gd, tree):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        province = Organisation.objects.create(name="某省司法厅", kind=OrgKind.JUSTICE_BUREAU, region_code="450000")
        expected_total = sums.zero()
        for c, firms in enumerate(tree):
            city = Organisation.objects.create(
                name=f"某市{c}", kind=OrgKind.JUSTICE_BUREAU, parent=province, region_code="450100"
            )
            city_total = sums.zero()
            for f, (state, n) in enumerate(firms):
                org = Organisation.objects.create(
                    name=f"所{c}-{f}", kind=OrgKind.LAW_FIRM, parent=city, region_code="450100"
                )
                if state != "missing":
                    Report.objects.create(
                        organisation=org,
                        body=city,
                        period=PERIOD,
                        values=values(n),
                        status=state,
                        created_by=gd.gz_clerk,
                    )
                if state == "accepted":
                    sums.add(city_total, values(n))
            summary = sums.summary(city, PERIOD, today=date(2026, 10, 1))
            assert summary.values == city_total == sums.subtree_total(city, PERIOD)[0]
            ReportSum.objects.create(
                body=city,
                period=PERIOD,
                values=summary.values,
                firms=summary.firms_counted,
                sent_by=gd.gz_clerk,
                sent_at="2026-10-01T00:00:00Z",
            )
            sums.add(expected_total, city_total)
        top = sums.summary(province, PERIOD, today=date(2026, 10, 1))
        assert top.values == expected_total == sums.subtree_total(province, PERIOD)[0]
        assert top.firms_counted == sum(1 for firms in tree for state, _n in firms if state == "accepted")
    finally:
        transaction.savepoint_rollback(sid)


def test_the_pages_and_api(gd, login, client, api):
    login(gd.firm_admin)
    response = client.post(reverse("bureau:report_new"), {"period": PERIOD, **values(3)})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bureau:report", args=[report.pk])
    client.post(reverse("bureau:report_step", args=[report.pk, "submit"]))
    login(gd.gz_clerk)
    assert "审核通过" in client.get(reverse("bureau:report", args=[report.pk])).content.decode()
    client.post(reverse("bureau:report_step", args=[report.pk, "accept"]))
    page = client.get(reverse("bureau:report_sums"), {"period": PERIOD}).content.decode()
    assert "广州乙律师事务所" in page and "未报送" in page
    client.post(reverse("bureau:report_sums"), {"period": PERIOD, "body": gd.gz.pk})
    body = client.get("/api/v1/bureau/report-sums", {"period": PERIOD}, **api(gd.province_clerk)).json()
    assert body["values"] == values(3) and body["firms"] == 1
    assert [(b["name"], b["status"]) for b in body["bodies"]] == [("广州市司法局", "sent"), ("深圳市司法局", "missing")]
    drill = client.get("/api/v1/bureau/report-sums", {"period": PERIOD, "body_id": gd.gz.pk}, **api(gd.province_clerk))
    assert {(f["name"], f["status"]) for f in drill.json()["direct_firms"]} == {
        ("广州甲律师事务所", "accepted"),
        ("广州乙律师事务所", "missing"),
    }
    outside = client.get("/api/v1/bureau/report-sums", {"period": PERIOD, "body_id": gd.gz.pk}, **api(gd.sz_clerk))
    assert outside.status_code == 404
    made = client.post(
        "/api/v1/bureau/reports",
        {"period": "2026-Q2", "values": values(1)},
        content_type="application/json",
        **api(gd.firm_admin),
    )
    assert made.status_code == 201 and made.json()["status"] == "draft"
