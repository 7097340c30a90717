"""The whole court journey through the API: file, accept, pay, receipt."""

from lvshi.courts.models import Case, CaseLink, FilingStatus, NoticeStatus, PaymentNotice

from .factories import complete_filing


def test_a_filing_goes_from_draft_to_a_paid_case(world, court, api, client):
    lawyer = api(world.lawyer)
    filing = complete_filing(world.lawyer, court)
    check = client.post(f"/api/v1/courts/filings/{filing.pk}/check", **lawyer).json()
    assert check == {"complete": True, "missing": []}
    r = client.post(f"/api/v1/courts/filings/{filing.pk}/submit", **lawyer)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == FilingStatus.SUBMITTED
    clerk = api(world.clerk)
    r = client.post(
        f"/api/v1/courts/filings/{filing.pk}/accept",
        {"judge_id": world.judge.pk},
        content_type="application/json",
        **clerk,
    )
    assert r.status_code == 200, r.content
    number = r.json()["number"]
    assert number == "（2026）渝01民初1号" or number.endswith("民初1号")
    case = Case.objects.get(number=number)
    assert CaseLink.objects.filter(case=case, lawyer=world.lawyer).exists()
    cases = client.get("/api/v1/courts/cases", **lawyer).json()
    assert [c["number"] for c in cases] == [number]
    notice = PaymentNotice.objects.get(case=case)
    assert str(notice.amount) == "3300.00"
    fees = client.get("/api/v1/courts/fees", **lawyer).json()
    assert fees[0]["code"] == notice.code
    r = client.post(
        f"/api/v1/courts/fees/{notice.code}/pay", {"provider": "wechat"}, content_type="application/json", **lawyer
    )
    assert r.status_code == 201, r.content
    payment_id = r.json()["payment_id"]
    assert r.json()["amount"] == "3300.00"
    assert r.json()["qr"].startswith("weixin://")
    r = client.post(f"/api/v1/courts/payments/{payment_id}/simulate?times=3", **lawyer)
    assert r.status_code == 200, r.content
    assert r.json()["outcomes"] == ["paid", "duplicate", "duplicate"]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    r = client.post(
        f"/api/v1/courts/fees/{notice.code}/pay", {"provider": "alipay"}, content_type="application/json", **lawyer
    )
    assert r.status_code == 409 and r.json()["code"] == "already_paid"
    r = client.get(f"/api/v1/courts/fees/{notice.code}/receipt", **lawyer)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
