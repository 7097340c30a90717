"""The courts' demo data: made once, and the codes the README prints work."""

from io import StringIO

import pytest
from django.core.management import call_command

from lvshi.accounts.models import User
from lvshi.calendar import schedule
from lvshi.courts import demo
from lvshi.courts.models import Court, Filing, FilingStatus, Hearing, NoticeStatus, PaymentNotice
from lvshi.site.demo import ACCOUNTS

pytestmark = pytest.mark.django_db


def _user(key):
    spec = next(a for a in ACCOUNTS if a.key == key)
    return User.objects.by_id_number(spec.id_number).get()


@pytest.fixture
def seeded(settings, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    settings.DEBUG = True
    now = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, as the meetings' demo test
    monkeypatch.setattr(timezone, "now", lambda: now)
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_three_courts_cases_filings_and_hearings(seeded, api, client):
    assert sorted(Court.objects.values_list("code", flat=True)) == ["渝", "渝01", "渝0103"]
    lawyer = _user("lawyer1")
    statuses = set(Filing.objects.filter(lawyer=lawyer).values_list("status", flat=True))
    assert statuses == {FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.SUBMITTED}
    cases = client.get("/api/v1/courts/cases", **api(lawyer)).json()
    assert len(cases) == 2
    assert Hearing.objects.count() == 3
    # One of 张明's hearings clashes with one of his detention meetings.
    hearing = Hearing.objects.filter(case__links__lawyer=lawyer).order_by("start").first()
    found = schedule.conflicts_at(
        lawyer,
        hearing.start,
        hearing.end,
        place=hearing.case.court.organisation.region_code,
        ignore=[f"hearing-{hearing.pk}@courts.lvshi"],
    )
    assert any(c.other.uid.startswith("booking-") for c in found)
    call_command("seed_demo", stdout=(out := StringIO()))
    assert "nothing changed" in out.getvalue()


def test_the_readme_s_fee_code_pays_through_the_api(seeded, api, client):
    lawyer = _user("lawyer1")
    headers = api(lawyer)
    notice = client.get(f"/api/v1/courts/fees/{demo.DEMO_FEE_CODE}", **headers).json()
    assert notice["amount"] == "13800.00" and notice["status"] == "unpaid"
    pay = client.post(
        f"/api/v1/courts/fees/{demo.DEMO_FEE_CODE}/pay",
        {"provider": "alipay"},
        content_type="application/json",
        **headers,
    ).json()
    done = client.post(f"/api/v1/courts/payments/{pay['payment_id']}/simulate", **headers).json()
    assert done["outcomes"] == ["paid"] and done["notice_status"] == "paid"
    assert PaymentNotice.objects.get(code=demo.DEMO_FEE_CODE).status == NoticeStatus.PAID


def test_the_printed_query_code_binds_the_old_case(seeded, api, client):
    r = client.post(
        "/api/v1/courts/cases/bind",
        {"code": demo.DEMO_QUERY_CODE, "password": demo.DEMO_QUERY_PASSWORD},
        content_type="application/json",
        **api(_user("lawyer3")),
    )
    assert r.status_code == 200 and r.json()["cause"] == "劳动争议"


def test_the_demo_casework_is_ready_to_try(seeded, api, client):
    from lvshi.laws.models import Law

    lawyer = _user("lawyer1")
    headers = api(lawyer)
    to_sign = client.get("/api/v1/courts/documents", **headers).json()
    assert [d["title"] for d in to_sign] == ["民事判决书"]
    exchanges = client.get("/api/v1/courts/evidence-exchanges", **headers).json()
    assert exchanges and not exchanges[0]["closed"] and exchanges[0]["items"]
    reviews = client.get("/api/v1/courts/file-reviews", **headers).json()
    assert reviews[0]["open"] and reviews[0]["volumes"][0]["pages"] == 5
    review, volume = reviews[0], reviews[0]["volumes"][0]
    page = client.get(f"/api/v1/courts/file-reviews/{review['id']}/volumes/{volume['id']}/pages/5", **headers)
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    threads = client.get("/api/v1/courts/messages", **headers).json()
    thread = client.get(f"/api/v1/courts/messages/{threads[0]['id']}", **headers).json()
    assert [m["from_court"] for m in thread["messages"]] == [False, True]
    assert {"律师法", "刑事诉讼法", "民事诉讼法", "法律援助法", "民法典"} <= set(
        Law.objects.values_list("short_title", flat=True)
    )
