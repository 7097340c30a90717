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


def foreign_court():
    """A court in another province, with its own judge and clerk."""
    from lvshi.orgs.models import OrgKind, Role
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    org = OrganisationFactory(
        name="四川省成都市中级人民法院", kind=OrgKind.COURT, region_code="510100", region_name="成都市"
    )
    court = make_court(org, code="川01")
    for name, role in (("蒋法官", Role.JUDGE), ("韩书记员", Role.CLERK)):
        MembershipFactory(user=UserFactory(name=name), organisation=org, role=role)
    return court


def court_of(world) -> Court:
    """The Court profile of ``world.court`` (made on first use)."""
    found = Court.objects.filter(organisation=world.court).first()
    return found or make_court(world.court)


def direct_case(court, *, judge, lawyers=(), clerk=None, claim: str | None = "100000", case_type=CaseType.CIVIL_FIRST):
    """A case entered by the court (no filing), its agents *lawyers* linked,
    with an unpaid fee notice."""
    from django.db import transaction
    from django.utils import timezone

    from .. import numbers
    from ..models import Agent, Case, Party
    from ..services.cases import link_agents, new_query_credentials, set_query_password

    with transaction.atomic():
        now = timezone.now()
        number = numbers.allocate(court, timezone.localdate().year, case_type)
        code, password = new_query_credentials()
        case = Case(
            court=court,
            year=number.year,
            case_type=case_type,
            seq=number.seq,
            number=str(number),
            cause="买卖合同纠纷",
            claim_amount=Decimal(claim) if claim else None,
            judge=judge,
            clerk=clerk,
            accepted_at=now,
            query_code=code,
        )
        set_query_password(case, password)
        case.save()
        case.query_password = password  # for the test that binds it
        plaintiff = Party.objects.create(
            case=case, kind=PartyKind.ORGANISATION, role=PartyRole.PLAINTIFF, name="重庆甲公司"
        )
        Party.objects.create(case=case, kind=PartyKind.PERSON, role=PartyRole.DEFENDANT, name="王五", position=1)
        for lawyer in lawyers:
            agent = Agent(case=case, party=plaintiff, name=lawyer.name, licence_no=lawyer.licence_no)
            agent.set_id_number(lawyer.id_number)
            agent.save()
        link_agents(case)
        review.issue_notice(case, now=now)
    return case
