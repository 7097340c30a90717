"""Complaints, penalties and discipline (A4): registered with a first opinion
and evidence, handled step by step, decided with an administrative penalty
(bureau) or an industry sanction (bar association); only the deciding body
changes a penalty; public ones show in the public lookup for their period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from .. import selectors
from ..models import Complaint, Lawyer, LawyerComplaintStatus, Penalty
from ..services import discipline as svc

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def complaint(gd, body=None, by=None, **extra) -> Complaint:
    data = {
        "complainant": "王某",
        "complainant_phone": "13900001111",
        "lawyer": gd.lawyer.pk,
        "facts": "律师收取费用后未按约定出庭。",
        "first_opinion": "立案调查",
        "received_on": date(2026, 11, 2),
        **extra,
    }
    return svc.complaint_register(
        actor=Actor(by or gd.gz_clerk), body=body or gd.gz, data=data, uploads=[SimpleUploadedFile("收据.pdf", PDF)]
    )


def penalty(kind="suspension", **extra) -> dict:
    today = timezone.localdate()
    return {
        "kind": kind,
        "decision_no": extra.pop("decision_no", "穗司罚〔2026〕1号"),
        "reason": "未尽勤勉义务",
        "decided_on": today,
        "starts_on": today,
        "ends_on": today + timedelta(days=90),
        "public_until": today + timedelta(days=365),
        **extra,
    }


def test_a_complaint_is_registered_handled_and_decided_with_a_suspension_that_reaches_the_registry(gd):
    c = complaint(gd)
    assert c.firm == gd.gz_firm_org and c.evidence.count() == 1 and c.status == LawyerComplaintStatus.REGISTERED
    svc.complaint_step(complaint=c, actor=Actor(gd.gz_clerk), text="约谈律师，调取收费凭证")
    assert c.status == LawyerComplaintStatus.HANDLING
    svc.complaint_decide(complaint=c, actor=Actor(gd.gz_clerk), penalty=penalty())
    assert c.status == LawyerComplaintStatus.DECIDED
    p = Penalty.objects.get()
    assert (p.body, p.lawyer, p.complaint) == (gd.gz, gd.lawyer, c)
    lawyer = Lawyer.objects.get(pk=gd.lawyer.pk)
    assert lawyer.status == "suspended"
    assert lawyer.changes.get(field="status").cause == "penalty"


def test_a_bar_association_gives_industry_sanctions_only(gd):
    c = complaint(gd, body=gd.gz_bar, by=gd.gz_bar_staff)
    with pytest.raises(DomainError) as refused:
        svc.complaint_decide(complaint=c, actor=Actor(gd.gz_bar_staff), penalty=penalty("fine", amount="5000"))
    assert refused.value.code == "kind_not_allowed"
    assert Complaint.objects.get(pk=c.pk).status == LawyerComplaintStatus.REGISTERED  # nothing half-done
    svc.complaint_decide(
        complaint=Complaint.objects.get(pk=c.pk),
        actor=Actor(gd.gz_bar_staff),
        penalty=penalty("censure", starts_on=None, ends_on=None),
    )
    assert Penalty.objects.get().kind == "censure"
    assert Lawyer.objects.get(pk=gd.lawyer.pk).status == "practising"


def test_only_the_deciding_body_changes_a_penalty(gd, login, client):
    c = complaint(gd)
    svc.complaint_decide(
        complaint=c, actor=Actor(gd.gz_clerk), penalty=penalty("warning", starts_on=None, ends_on=None)
    )
    p = Penalty.objects.get()
    for other in (gd.province_clerk, gd.gz_bar_staff):
        with pytest.raises(DomainError):
            svc.penalty_update(
                penalty=p, actor=Actor(other), data=penalty("warning", starts_on=None, ends_on=None, reason="改")
            )
        login(other)
        assert client.post(reverse("bureau:penalty", args=[p.pk]), {"kind": "warning"}).status_code == 403
    svc.penalty_update(
        penalty=p,
        actor=Actor(gd.gz_clerk),
        data=penalty("warning", starts_on=None, ends_on=None, reason="更正后的事实"),
    )
    assert Penalty.objects.get().reason == "更正后的事实"
    login(gd.sz_clerk)
    assert client.get(reverse("bureau:penalty", args=[p.pk])).status_code == 404


def test_a_body_only_registers_complaints_within_its_jurisdiction(gd):
    with pytest.raises(DomainError) as refused:
        complaint(gd, lawyer=gd.sz_lawyer.pk)
    assert refused.value.code == "subject_unknown"
    with pytest.raises(DomainError):
        complaint(gd, by=gd.province_clerk)  # the province cannot register in Guangzhou's name


def test_public_penalties_show_in_the_lookup_for_their_period_only(gd, client):
    c = complaint(gd)
    svc.complaint_decide(complaint=c, actor=Actor(gd.gz_clerk), penalty=penalty())
    page = client.get(reverse("lookup:lookup"), {"q": "张明"}).content.decode()
    assert "停止执业" in page and "广州市司法局" in page
    rows = selectors.public_lawyers("张明")
    assert rows[0]["penalties"][0]["kind"] == "suspension"
    Penalty.objects.update(public_until=timezone.localdate() - timedelta(days=1))
    assert selectors.public_lawyers("张明")[0]["penalties"] == []
    Penalty.objects.update(public_until=None)
    assert selectors.public_lawyers("张明")[0]["penalties"] == []


def test_the_api_registers_and_decides(gd, client, api):
    response = client.post(
        "/api/v1/bureau/complaints",
        {
            "complainant": "李某",
            "facts": "拖延办案",
            "first_opinion": "调查",
            "received_on": "2026-11-20",
            "lawyer_id": gd.lawyer2.pk,
            "files": SimpleUploadedFile("a.pdf", PDF),
        },
        **api(gd.gz_clerk),
    )
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    decided = client.post(
        f"/api/v1/bureau/complaints/{cid}/decide", {}, content_type="application/json", **api(gd.gz_clerk)
    )
    assert decided.json()["status"] == "decided" and decided.json()["penalties"] == []
    assert client.get(f"/api/v1/bureau/complaints/{cid}", **api(gd.sz_clerk)).status_code == 404
    assert client.get(f"/api/v1/bureau/complaints/{cid}", **api(gd.firm_admin)).status_code == 403


def test_the_complaint_list_api_reads_a_fixed_number_of_queries(gd, client, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = api(gd.gz_clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/api/v1/bureau/complaints", **headers).status_code == 200
        return len(seen)

    first = complaint(gd)
    svc.complaint_step(complaint=first, actor=Actor(gd.gz_clerk), text="调查")
    one = queries()
    for _n in range(4):
        c = complaint(gd)
        svc.complaint_step(complaint=c, actor=Actor(gd.gz_clerk), text="调查")
    assert queries() == one
