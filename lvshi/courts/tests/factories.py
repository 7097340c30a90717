"""Court objects for tests: a court profile with rooms, a complete filing,
an accepted case."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lvshi.core.actor import Actor
from tests.factories import make_id_number

from ..models import CaseType, Court, CourtLevel, CourtRoom, FileKind, PartyKind, PartyRole
from ..services import filings as svc
from ..services import parties as party_svc
from ..services import review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name: str = "id.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name: str = "complaint.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_court(organisation, *, code: str = "渝01", rooms: int = 2) -> Court:
    court = Court.objects.create(
        organisation=organisation, level=CourtLevel.INTERMEDIATE, code=code, case_types=list(CaseType.values)
    )
    for n in range(1, rooms + 1):
        CourtRoom.objects.create(court=court, name=f"第{n}法庭")
    return court


def complete_filing(lawyer, court, *, claim: str = "150000", cause: str = "民间借贷纠纷"):
    """A filing with every step done, ready to submit."""
    actor = Actor(lawyer)
    filing = svc.filing_create(actor=actor)
    svc.filing_update(
        filing=filing,
        actor=actor,
        changes={
            "notice_accepted": True,
            "case_type": CaseType.CIVIL_FIRST,
            "application_type": "complaint",
            "cause": cause,
            "claim_amount": Decimal(claim),
            "claims": "判令被告归还借款。",
            "service_notice_accepted": True,
            "court": court.pk,
        },
    )
    party_svc.filing_set_parties(
        filing=filing,
        actor=actor,
        parties=[
            {
                "kind": PartyKind.PERSON,
                "role": PartyRole.PLAINTIFF,
                "name": "张三",
                "id_number": make_id_number(),
                "service_address": "重庆市渝中区解放碑1号",
            },
            {
                "kind": PartyKind.PERSON,
                "role": PartyRole.DEFENDANT,
                "name": "李四",
                "service_address": "重庆市江北区观音桥2号",
            },
        ],
        agents=[{"party": 0, "name": lawyer.name, "licence_no": lawyer.licence_no, "id_number": lawyer.id_number}],
    )
    plaintiff = filing.parties.get(role=PartyRole.PLAINTIFF)
    party_svc.filing_add_files(filing=filing, actor=actor, kind=FileKind.COMPLAINT, uploads=[pdf()])
    party_svc.filing_add_files(
        filing=filing, actor=actor, kind=FileKind.ID_FRONT, uploads=[png()], party_id=plaintiff.pk
    )
    party_svc.filing_add_files(
        filing=filing, actor=actor, kind=FileKind.ID_BACK, uploads=[png()], party_id=plaintiff.pk
    )
    return filing


def accepted_case(world, court, **kwargs):
    filing = complete_filing(world.lawyer, court, **kwargs)
    svc.filing_submit(filing=filing, actor=Actor(world.lawyer))
    return review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=world.judge.pk)
