"""Correction requests (A2): what a firm may not change goes with evidence
to its city bureau, which corrects, refuses or forwards it to the province;
a penalty's record only to the body that decided it; the difference is kept
field by field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from ..models import Correction, CorrectionStatus, Lawyer, Penalty
from ..services import corrections as svc
from ..services import registry

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def evidence():
    return [SimpleUploadedFile("身份证.pdf", PDF)]


def ask(gd, **kw) -> Correction:
    return svc.correction_request(
        actor=Actor(gd.firm_admin),
        organisation=gd.gz_firm_org,
        changes=kw.pop("changes", {"name": "张明明"}),
        reason="户籍更名",
        lawyer_id=kw.pop("lawyer_id", gd.lawyer.pk),
        uploads=kw.pop("uploads", evidence()),
        **kw,
    )


def test_a_firm_edits_what_its_role_allows_and_asks_for_the_rest(gd):
    registry.lawyer_update(lawyer=gd.lawyer, actor=Actor(gd.firm_admin), values={"mobile": "13912345678"})
    with pytest.raises(DomainError) as refused:
        registry.lawyer_update(lawyer=gd.lawyer, actor=Actor(gd.firm_admin), values={"name": "张明明"})
    assert refused.value.code == "correction_needed"
    c = ask(gd)
    assert c.body == gd.gz and c.changes == {"name": {"label": "姓名", "before": "张明", "after": "张明明"}}
    assert c.files.count() == 1


def test_the_city_corrects_and_the_registry_keeps_the_change(gd):
    c = ask(gd, changes={"name": "张明明", "first_licensed_on": "2014-07-01"})
    svc.correction_approve(correction=c, actor=Actor(gd.gz_clerk), opinion="核实无误")
    lawyer = Lawyer.objects.get(pk=gd.lawyer.pk)
    assert lawyer.name == "张明明" and lawyer.first_licensed_on == date(2014, 7, 1)
    assert {(ch.field, ch.cause) for ch in lawyer.changes.all()} == {
        ("name", "correction"),
        ("first_licensed_on", "correction"),
    }


def test_the_city_forwards_what_it_may_not_decide_and_the_province_decides(gd):
    c = ask(gd)
    with pytest.raises(DomainError):
        svc.correction_approve(correction=c, actor=Actor(gd.province_clerk))  # not yet the province's
    svc.correction_forward(correction=c, actor=Actor(gd.gz_clerk), opinion="涉及执业证信息，报省厅")
    assert (c.status, c.body) == (CorrectionStatus.FORWARDED, gd.province)
    with pytest.raises(DomainError):
        svc.correction_approve(correction=c, actor=Actor(gd.gz_clerk))
    svc.correction_reject(correction=c, actor=Actor(gd.province_clerk), reason="证明材料不足")
    assert c.status == CorrectionStatus.REJECTED and Lawyer.objects.get(pk=gd.lawyer.pk).name == "张明"


def test_a_penalty_is_corrected_only_by_the_body_that_decided_it(gd):
    p = Penalty.objects.create(
        body=gd.gz_bar,
        firm=gd.gz_firm_org,
        lawyer=gd.lawyer,
        kind="reprimand",
        decision_no="穗律协〔2026〕3号",
        reason="原事实",
        decided_on=date(2026, 5, 1),
        created_by=gd.gz_bar_staff,
    )
    c = ask(gd, lawyer_id=None, penalty_id=p.pk, changes={"reason": "更正后的事实"})
    assert c.body == gd.gz_bar
    with pytest.raises(DomainError):
        svc.correction_approve(correction=c, actor=Actor(gd.gz_clerk))  # the bureau did not decide it
    with pytest.raises(DomainError) as refused:
        svc.correction_forward(correction=c, actor=Actor(gd.gz_bar_staff), opinion="x")
    assert refused.value.code == "decide_here"
    svc.correction_approve(correction=c, actor=Actor(gd.gz_bar_staff))
    assert Penalty.objects.get(pk=p.pk).reason == "更正后的事实"


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"uploads": []}, "evidence_required"),
        ({"changes": {"name": "张明"}}, "nothing_changed"),
        ({"changes": {"status": "cancelled"}}, "field_unknown"),
        ({"changes": {"kind": "boss"}}, "kind_invalid"),
        ({"lawyer_id": 10**9}, "target_unknown"),
    ],
)
def test_bad_requests_are_refused(gd, kw, code):
    with pytest.raises(DomainError) as refused:
        ask(gd, **kw)
    assert refused.value.code == code
    assert not Correction.objects.exists()


def test_another_firms_lawyer_cannot_be_asked_about(gd):
    with pytest.raises(DomainError):
        ask(gd, lawyer_id=gd.sz_lawyer.pk)


def test_the_pages_show_the_difference_and_the_api_asks(gd, login, client, api):
    login(gd.firm_admin)
    response = client.post(
        f"{reverse('bureau:correction_new')}?lawyer={gd.lawyer.pk}",
        {"new_name": "张明明", "reason": "更名", "evidence": evidence()},
    )
    c = Correction.objects.get()
    assert response.status_code == 302
    login(gd.gz_clerk)
    page = client.get(reverse("bureau:correction", args=[c.pk])).content.decode()
    assert "<del>张明</del>" in page and "<ins>张明明</ins>" in page and "同意更正" in page
    login(gd.sz_clerk)
    assert client.get(reverse("bureau:correction", args=[c.pk])).status_code == 404
    made = client.post(
        "/api/v1/bureau/corrections",
        {"changes": '{"head": "新主任"}', "reason": "负责人变更", "files": SimpleUploadedFile("a.pdf", PDF)},
        **api(gd.firm_admin),
    )
    assert made.status_code == 201 and made.json()["changes"][0]["after"] == "新主任"
    bad = client.post(
        "/api/v1/bureau/corrections",
        {"changes": "[1]", "reason": "x", "files": SimpleUploadedFile("a.pdf", PDF)},
        **api(gd.firm_admin),
    )
    assert bad.status_code == 400 and bad.json()["code"] == "changes_invalid"


def test_a_firm_adds_a_lawyers_education_and_work_history(gd, login, client):
    login(gd.firm_admin)
    client.post(
        reverse("bureau:lawyer_background", args=[gd.lawyer.pk]),
        {
            "kind": "education",
            "place": "中山大学",
            "detail": "法学",
            "degree": "法学学士",
            "start": "2003-09-01",
            "end": "2007-07-01",
        },
    )
    client.post(
        reverse("bureau:lawyer_background", args=[gd.lawyer.pk]),
        {"kind": "career", "place": "某公司", "detail": "法务", "start": "2010-01-01", "end": "2009-01-01"},
    )
    lawyer = Lawyer.objects.get(pk=gd.lawyer.pk)
    assert [str(e) for e in lawyer.education.all()] == ["中山大学 法学学士"]
    assert not lawyer.careers.exists()  # an end before its start is refused
    page = client.get(reverse("bureau:lawyer", args=[gd.lawyer.pk])).content.decode()
    assert "中山大学" in page
    login(gd.sz_firm_admin)
    response = client.post(reverse("bureau:lawyer_background", args=[gd.lawyer.pk]), {"kind": "career", "place": "x"})
    assert response.status_code == 404
