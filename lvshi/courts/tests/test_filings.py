"""Online filing (C2): drafts saved step by step, the completeness check,
submission, the clerk's acceptance (number, fee notice, acceptance notice)
or return, and resubmission."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts.models import CaseType, Filing, FilingStatus, PaymentNotice
from lvshi.courts.services import filings as svc
from lvshi.courts.services import parties as party_svc
from lvshi.courts.services import review
from lvshi.notify.models import Delivery, Notification

from .factories import complete_filing, court_of, foreign_court, pdf


@pytest.fixture
def court(world):
    return court_of(world)


def test_a_new_filing_lists_what_is_missing_by_step(world):
    filing = svc.filing_create(actor=Actor(world.lawyer))
    missing = svc.filing_check(filing)
    assert {m.step for m in missing} == {"notice", "type", "info", "service", "court", "materials"}
    assert svc.steps_done(filing) == 1  # only the real-name step has nothing to ask yet
    with pytest.raises(DomainError) as refused:
        svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    assert refused.value.code == "incomplete" and len(refused.value.details["missing"]) == len(missing)


def test_a_complete_filing_submits_and_is_then_read_only(world, court):
    filing = complete_filing(world.lawyer, court)
    assert svc.filing_check(filing) == [] and svc.steps_done(filing) == 7
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    assert filing.status == FilingStatus.SUBMITTED and filing.submitted_at
    with pytest.raises(DomainError) as refused:
        svc.filing_update(filing=filing, actor=Actor(world.lawyer), changes={"cause": "改了"})
    assert refused.value.status == 409


def test_the_filer_side_needs_id_images_and_the_lawyer_among_the_agents(world, court):
    filing = complete_filing(world.lawyer, court)
    filing.files.filter(kind="id_back").delete()
    filing.agents.update(licence_no="11111111111111111")
    messages = [m.message for m in svc.filing_check(filing)]
    assert any("身份证正反面" in m for m in messages)
    assert any("您本人" in m for m in messages)


def test_only_courts_taking_the_case_type(world, court):
    filing = complete_filing(world.lawyer, court)
    court.case_types = [CaseType.ENFORCEMENT]
    court.save()
    filing.refresh_from_db()
    assert [m.step for m in svc.filing_check(filing)] == ["court"]
    # Choosing a court that does not take the type is refused and changes nothing.
    other = foreign_court()
    other.case_types = [CaseType.ENFORCEMENT]
    other.save()
    with pytest.raises(DomainError) as refused:
        svc.filing_update(filing=filing, actor=Actor(world.lawyer), changes={"court": other.pk})
    assert refused.value.code == "court_type"
    filing.refresh_from_db()
    assert filing.court == court


def test_inputs_are_checked(world, court):
    filing = svc.filing_create(actor=Actor(world.lawyer))
    actor = Actor(world.lawyer)
    for changes, code in (
        ({"case_type": "民事"}, "case_type_invalid"),
        ({"claim_amount": "十万"}, "claim_invalid"),
        ({"claim_amount": "-1"}, "claim_invalid"),
        ({"claim_amount": "1.001"}, "claim_invalid"),
        ({"court": "99999999999999999999"}, "court_invalid"),
        ({"cause": "x" * 101}, "cause_too_long"),
        ({"status": "accepted"}, "unknown_field"),
    ):
        with pytest.raises(DomainError) as refused:
            svc.filing_update(filing=filing, actor=actor, changes=changes)
        assert refused.value.code == code
    for party, code in (
        (
            {"kind": "person", "role": "plaintiff", "name": "张三", "id_number": "110101199001011234"},
            "party_id_invalid",
        ),
        (
            {"kind": "organisation", "role": "plaintiff", "name": "甲公司", "credit_code": "91500000MA5U0000X1"},
            "party_credit_code_invalid",
        ),
        ({"kind": "robot", "role": "plaintiff", "name": "x"}, "party_kind_invalid"),
    ):
        with pytest.raises(DomainError) as refused:
            party_svc.filing_set_parties(filing=filing, actor=actor, parties=[party], agents=[])
        assert refused.value.code == code


def test_uploads_are_checked_by_content(world, court):
    filing = svc.filing_create(actor=Actor(world.lawyer))
    fake = SimpleUploadedFile("complaint.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        party_svc.filing_add_files(filing=filing, actor=Actor(world.lawyer), kind="complaint", uploads=[fake])
    assert refused.value.code == "file_type"
    rows = party_svc.filing_add_files(
        filing=filing, actor=Actor(world.lawyer), kind="evidence", uploads=[pdf("a.pdf"), pdf("b.pdf")]
    )
    assert [r.name for r in rows] == ["a.pdf", "b.pdf"]


def test_another_lawyer_cannot_edit(world, court):
    filing = complete_filing(world.lawyer, court)
    with pytest.raises(DomainError) as refused:
        svc.filing_update(filing=filing, actor=Actor(world.other_lawyer), changes={"cause": "x"})
    assert refused.value.status == 403


def test_acceptance_numbers_the_case_issues_the_notice_and_tells_the_lawyer(
    world, court, django_capture_on_commit_callbacks
):
    filing = complete_filing(world.lawyer, court, claim="1000000")
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    with django_capture_on_commit_callbacks(execute=True):
        case = review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=world.judge.pk)
    assert case.number.endswith("渝01民初1号") and case.judge == world.judge and case.clerk == world.clerk
    notice = PaymentNotice.objects.get(case=case)
    assert notice.amount == Decimal("13800.00") and len(notice.code) == 16
    assert case.links.get().lawyer == world.lawyer
    assert case.parties.count() == 2 and case.agents.get().lawyer == world.lawyer
    note = Notification.objects.get(user=world.lawyer, kind="filing_accepted")
    assert case.number in note.body and notice.code in note.body
    assert Delivery.objects.filter(notification=note, channel="sms").exists()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.case == case


def test_simplified_procedure_halves_the_fee(world, court):
    filing = complete_filing(world.lawyer, court, claim="10000")
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    case = review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=world.judge.pk, simplified=True)
    assert case.payment_notices.get().amount == Decimal("25.00")


def test_only_a_judge_of_the_court_takes_the_case(world, court):
    filing = complete_filing(world.lawyer, court)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    for judge_id in (world.clerk.pk, world.officer.pk, 10**12):
        with pytest.raises(DomainError) as refused:
            review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=judge_id)
        assert refused.value.code == "judge_invalid"


def test_a_clerk_of_another_court_cannot_accept(world):
    other = foreign_court()
    filing = complete_filing(world.lawyer, other)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    judge = other.organisation.memberships.get(role="judge").user
    with pytest.raises(DomainError) as refused:
        review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=judge.pk)
    assert refused.value.status == 403


def test_return_and_resubmit(world, court, django_capture_on_commit_callbacks):
    filing = complete_filing(world.lawyer, court)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    with pytest.raises(DomainError):
        review.filing_return(filing=filing, actor=Actor(world.clerk), code="materials", reason="")
    with django_capture_on_commit_callbacks(execute=True):
        review.filing_return(filing=filing, actor=Actor(world.clerk), code="materials", reason="请补充借条")
    assert filing.status == FilingStatus.RETURNED and filing.return_reason == "请补充借条"
    assert Notification.objects.filter(user=world.lawyer, kind="filing_returned").exists()
    party_svc.filing_add_files(filing=filing, actor=Actor(world.lawyer), kind="evidence", uploads=[pdf("借条.pdf")])
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and filing.return_reason == ""
    assert [s.transition for s in review.FILING.history(filing)] == ["submit", "return", "submit"]


def test_drafts_can_be_deleted_but_not_once_submitted(world, court):
    draft = svc.filing_create(actor=Actor(world.lawyer))
    svc.filing_delete(filing=draft, actor=Actor(world.lawyer))
    assert Filing.objects.get(pk=draft.pk).status == FilingStatus.DELETED
    filing = complete_filing(world.lawyer, court)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    with pytest.raises(DomainError) as refused:
        svc.filing_delete(filing=filing, actor=Actor(world.lawyer))
    assert refused.value.code == "wrong_status"


def test_the_acceptance_notice_pdf_carries_the_code(world, court, login):
    filing = complete_filing(world.lawyer, court)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    case = review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=world.judge.pk)
    r = login(world.lawyer).get(reverse("courts:acceptance_pdf", args=[case.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_the_api_saves_steps_and_checks(world, court, client, api):
    lawyer = api(world.lawyer)
    r = client.post("/api/v1/courts/filings", **lawyer)
    assert r.status_code == 201
    fid = r.json()["id"]
    body = {
        "notice_accepted": True,
        "case_type": "民初",
        "application_type": "complaint",
        "cause": "借款合同纠纷",
        "claim_amount": "50000.00",
        "claims": "归还借款",
        "court_id": court.pk,
        "parties": [
            {"kind": "person", "role": "plaintiff", "name": "张三", "id_number": world.lawyer.id_number},
            {"kind": "organisation", "role": "defendant", "name": "乙公司", "credit_code": "9144030071526726XG"},
        ],
        "agents": [
            {
                "party": 0,
                "name": world.lawyer.name,
                "licence_no": world.lawyer.licence_no,
                "id_number": world.lawyer.id_number,
            }
        ],
    }
    r = client.patch(f"/api/v1/courts/filings/{fid}", body, content_type="application/json", **lawyer)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["parties"][0]["id_number_masked"].count("*") == 10 and data["court"] == court.organisation.name
    missing = client.post(f"/api/v1/courts/filings/{fid}/check", **lawyer).json()["missing"]
    assert {m["step"] for m in missing} == {"service", "materials", "identity"}
    r = client.post(f"/api/v1/courts/filings/{fid}/submit", **lawyer)
    assert r.status_code == 400 and r.json()["code"] == "incomplete"
    r = client.patch(f"/api/v1/courts/filings/{fid}", {"claim_amount": "-5"}, content_type="application/json", **lawyer)
    assert r.status_code == 422
    r = client.delete(f"/api/v1/courts/filings/{fid}", **lawyer)
    assert r.status_code == 204
    assert client.get(f"/api/v1/courts/filings/{fid}", **lawyer).status_code == 404


def test_the_review_queue_flags_overdue_filings(world, court, login, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    filing = complete_filing(world.lawyer, court)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    Filing.objects.filter(pk=filing.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    web = login(world.clerk)
    body = web.get(reverse("courts:review_queue") + "?overdue=1").content.decode()
    assert "已超期" in body and filing.cause in body
    counts = web.get(reverse("courts:workbench")).content.decode()
    assert 'href="/courts/court/filings/?overdue=1"' in counts


def test_the_filings_list_runs_a_fixed_number_of_queries(world, court, login, django_assert_max_num_queries):
    web = login(world.lawyer)
    complete_filing(world.lawyer, court)
    with django_assert_max_num_queries(60) as few:
        web.get(reverse("courts:filings"))
    for _ in range(5):
        complete_filing(world.lawyer, court)
    with django_assert_max_num_queries(len(few.captured_queries)):
        web.get(reverse("courts:filings"))


def test_the_api_takes_several_files_at_once_and_checks_each(world, court, client, api):
    from .factories import png

    lawyer = api(world.lawyer)
    fid = client.post("/api/v1/courts/filings", **lawyer).json()["id"]
    r = client.post(
        f"/api/v1/courts/filings/{fid}/files", {"kind": "evidence", "files": [pdf("a.pdf"), png("b.png")]}, **lawyer
    )
    assert r.status_code == 201, r.content
    assert [f["content_type"] for f in r.json()] == ["application/pdf", "image/png"]
    fake = SimpleUploadedFile("c.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    r = client.post(f"/api/v1/courts/filings/{fid}/files", {"kind": "evidence", "files": [fake]}, **lawyer)
    assert r.status_code == 400 and r.json()["code"] == "file_type"
    r = client.post(f"/api/v1/courts/filings/{fid}/files", {"kind": "id_front", "files": [png()]}, **lawyer)
    assert r.status_code == 400 and r.json()["code"] == "party_required"
    r = client.post(f"/api/v1/courts/filings/{fid}/files", {"kind": "evidence"}, **lawyer)
    assert r.status_code == 400 and r.json()["code"] == "file_missing"
