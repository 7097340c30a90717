"""The case register and letters of introduction (A6): a letter only for a
registered open case; its code verifies publicly and a forged one does not;
the public page shows only firm, lawyers, matter type and validity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from .. import selectors
from ..models import CaseRecord, Lawyer, Letter
from ..services import cases as svc


def register(gd, **extra) -> CaseRecord:
    data = {
        "lawyer": gd.lawyer.pk,
        "client": "王某某",
        "matter_type": "criminal",
        "matter": "王某某涉嫌诈骗案",
        "venue": "广州市第一看守所",
        "taken_on": timezone.localdate() - timedelta(days=3),
        "fee": "30000.00",
        **extra,
    }
    return svc.case_register(actor=Actor(gd.firm_admin), organisation=gd.gz_firm_org, data=data)


def letter(gd, case, **extra) -> Letter:
    return svc.letter_issue(
        case=case,
        actor=Actor(gd.firm_admin),
        kind=extra.get("kind", "meeting"),
        recipient=extra.get("recipient", "广州市第一看守所"),
        days=extra.get("days", 30),
    )


def test_cases_are_numbered_per_firm_and_year(gd):
    first, second = register(gd), register(gd, co_lawyer=gd.lawyer2.pk)
    year = (timezone.localdate() - timedelta(days=3)).year
    assert (first.number, second.number) == (f"{year}-00001", f"{year}-00002")
    assert register(gd, taken_on=date(2025, 3, 1)).number == "2025-00001"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"lawyer": 0}, "lawyer"),
        ({"matter_type": "spying"}, "matter_type"),
        ({"client": " "}, None),
        ({"fee": "-1"}, "fee"),
        ({"fee": "1.005"}, "fee"),
        ({"fee": "NaN"}, "fee"),
        ({"taken_on": "2026-02-30"}, "taken_on"),
        ({"co_lawyer": 0}, "co_lawyer"),
    ],
)
def test_bad_case_data_is_refused(gd, extra, field):
    with pytest.raises(DomainError) as refused:
        register(gd, **extra)
    assert refused.value.details.get("field") == field
    assert not CaseRecord.objects.exists()


def test_a_sz_lawyer_cannot_be_registered_by_a_gz_firm(gd):
    with pytest.raises(DomainError):
        register(gd, lawyer=gd.sz_lawyer.pk)


def test_a_letters_code_verifies_and_a_forged_one_does_not(gd, client):
    case = register(gd)
    issued = letter(gd, case)
    assert len(issued.code) == svc.CODE_LENGTH and issued.valid_until == timezone.localdate() + timedelta(days=30)
    page = client.get(reverse("lookup:letter", args=[issued.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "真实有效" in html
    assert "广州甲律师事务所" in html and "张明" in html and "刑事辩护与代理" in html
    for private in ("王某某", "诈骗", "30000", gd.lawyer.licence_no, case.number):
        assert private not in html, private
    api = client.get(f"/api/v1/public/letters/{issued.code}").json()
    assert api["state"] == "valid" and api["lawyers"] == ["张明"] and "client" not in api
    forged = issued.code[:-1] + ("A" if issued.code[-1] != "A" else "B")
    assert client.get(reverse("lookup:letter", args=[forged])).status_code == 404
    assert client.get(f"/api/v1/public/letters/{forged}").json()["code"] == "letter_not_found"
    assert client.get("/api/v1/public/letters/<script>").status_code in (404, 422)


def test_revoked_and_expired_letters_say_so(gd):
    case = register(gd)
    revoked = letter(gd, case)
    svc.letter_revoke(letter=revoked, actor=Actor(gd.firm_admin))
    assert selectors.public_letter(revoked.code)["state"] == "revoked"
    short = letter(gd, case, days=1)
    assert selectors.public_letter(short.code, today=short.valid_until)["state"] == "valid"
    assert selectors.public_letter(short.code, today=short.valid_until + timedelta(days=1))["state"] == "expired"


def test_no_letter_without_an_open_registered_case_of_a_practising_lawyer(gd, client, api):
    case = register(gd)
    Lawyer.objects.filter(pk=gd.lawyer.pk).update(status="suspended")
    with pytest.raises(DomainError) as refused:
        letter(gd, case)
    assert refused.value.code == "lawyer_not_practising"
    Lawyer.objects.filter(pk=gd.lawyer.pk).update(status="practising")
    svc.case_close(case=case, actor=Actor(gd.firm_admin), closed_on=timezone.localdate())
    with pytest.raises(DomainError) as refused:
        letter(gd, case)
    assert refused.value.code == "case_closed"
    body = {"kind": "investigation", "recipient": "某单位"}
    assert (
        client.post(
            "/api/v1/bureau/case-register/999999/letter", body, content_type="application/json", **api(gd.firm_admin)
        ).status_code
        == 404
    )
    other = CaseRecord.objects.create(
        organisation=gd.gz_other_org,
        number="2026-00001",
        lawyer=gd.lawyer,
        client="x",
        matter_type="civil",
        matter="x",
        taken_on=date(2026, 1, 5),
        created_by=gd.other_firm_admin,
    )
    assert (
        client.post(
            f"/api/v1/bureau/case-register/{other.pk}/letter",
            body,
            content_type="application/json",
            **api(gd.firm_admin),
        ).status_code
        == 404
    )
    assert not Letter.objects.exists()


def test_the_firms_pages_register_issue_and_download(gd, login, client):
    login(gd.firm_admin)
    response = client.post(
        reverse("bureau:case_new"),
        {
            "lawyer": gd.lawyer.pk,
            "client": "李某",
            "matter_type": "civil",
            "matter": "买卖合同纠纷",
            "taken_on": timezone.localdate().isoformat(),
            "fee": "5000",
        },
    )
    case = CaseRecord.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("bureau:letter_new", args=[case.pk]), {"kind": "investigation", "recipient": "某银行", "days": 15}
    )
    issued = Letter.objects.get()
    pdf = client.get(reverse("bureau:letter_pdf", args=[issued.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    login(gd.gz_clerk)  # the supervising bureau reads the register
    assert client.get(reverse("bureau:case", args=[case.pk])).status_code == 200
    login(gd.sz_clerk)
    assert client.get(reverse("bureau:case", args=[case.pk])).status_code == 404
