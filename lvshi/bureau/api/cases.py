"""The case register (A6) in the API: register and list cases, issue a
letter of introduction for a registered case, download it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, Limit, Offset
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, documents, selectors
from ..models import CaseRecord, Letter, LetterKind, MatterType
from ..services import cases as svc

router = Router()
READ = "bureau.view_cases"


class LetterOut(Schema):
    id: int
    kind: LetterKind
    recipient: str
    code: str = Field(description="核验码：GET /api/v1/public/letters/{code}")
    valid_until: date
    revoked: bool
    issued_at: datetime
    pdf: str = Field(description="PDF 下载地址（登录后）")


class RegisteredCaseOut(Schema):
    id: int
    number: str
    organisation: str
    lawyer_id: int
    lawyer: str
    co_lawyer: str | None
    client: str
    matter_type: MatterType
    matter: str
    venue: str
    taken_on: date
    closed_on: date | None
    fee: Decimal
    letters: list[LetterOut]


def _letter(letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "recipient": letter.recipient,
        "code": letter.code,
        "valid_until": letter.valid_until,
        "revoked": letter.revoked_at is not None,
        "issued_at": letter.issued_at,
        "pdf": reverse("bureau:letter_pdf", args=[letter.pk]),
    }


def _out(c: CaseRecord, *, letters: bool = True) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "organisation": c.organisation.name,
        "lawyer_id": c.lawyer_id,
        "lawyer": c.lawyer.name,
        "co_lawyer": c.co_lawyer.name if c.co_lawyer else None,
        "client": c.client,
        "matter_type": c.matter_type,
        "matter": c.matter,
        "venue": c.venue,
        "taken_on": c.taken_on,
        "closed_on": c.closed_on,
        "fee": c.fee,
        "letters": [_letter(letter) for letter in c.letters.all()] if letters else [],
    }


class RegisteredCaseFilters(Schema):
    q: Annotated[str, Field(max_length=50)] = ""
    open: bool = Field(False, description="只看未结案")
    offset: Offset = 0
    limit: Limit = 50


class RegisteredCasePageOut(Schema):
    total: int
    items: list[RegisteredCaseOut]


@router.get("/case-register", response=RegisteredCasePageOut, url_name="bureau_cases", summary="收结案登记")
@permissions.operation(READ)
def list_cases(request, filters: Query[RegisteredCaseFilters]):
    qs = selectors.cases(request.auth, q=filters.q, open_only=filters.open).prefetch_related("letters")
    return {"total": qs.count(), "items": [_out(c) for c in qs[filters.offset : filters.offset + filters.limit]]}


class RegisteredCaseIn(Schema):
    lawyer: Id = Field(description="承办律师（名册编号）")
    co_lawyer: Id | None = None
    client: Annotated[str, Field(min_length=1, max_length=100)]
    matter_type: MatterType
    matter: Annotated[str, Field(min_length=1, max_length=200)]
    venue: Annotated[str, Field(max_length=100)] = ""
    taken_on: IsoDate
    fee: Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,2})?$", description="收费（元），如 30000 或 30000.50")] = "0"


@router.post("/case-register", response={201: RegisteredCaseOut}, url_name="bureau_case_new", summary="登记收案")
@permissions.operation("bureau.register_cases")
def register(request, payload: RegisteredCaseIn):
    firm = access.own_firm(request.auth)
    if firm is None:
        raise DomainError("not_a_firm", "案件由律师事务所登记。", status=403)
    c = svc.case_register(actor=Actor.of(request), organisation=firm, data=payload.dict())
    return Status(201, _out(access.case_or_404(request.auth, c.pk)))


@router.get("/case-register/{int:case_id}", response=RegisteredCaseOut, url_name="bureau_case", summary="一件登记案件")
@permissions.operation(READ)
def get_case(request, case_id: Id):
    return _out(access.case_or_404(request.auth, case_id))


class LetterIn(Schema):
    kind: LetterKind
    recipient: Annotated[str, Field(min_length=1, max_length=100, description="收函单位")]
    days: int = Field(30, ge=1, le=svc.LETTER_MAX_DAYS, description="有效期（天）")


@router.post(
    "/case-register/{int:case_id}/letter",
    response={201: LetterOut},
    url_name="bureau_letter_new",
    summary="为登记案件出具介绍信",
)
@permissions.operation(READ)
def issue_letter(request, case_id: Id, payload: LetterIn):
    c = access.case_or_404(request.auth, case_id, "bureau.register_cases")
    letter = svc.letter_issue(
        case=c, actor=Actor.of(request), kind=payload.kind, recipient=payload.recipient, days=payload.days
    )
    return Status(201, _letter(letter))


@router.get(
    "/letters/{int:letter_id}/pdf",
    url_name="bureau_letter_pdf",
    summary="下载介绍信 PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@permissions.operation(READ)
def letter_pdf(request, letter_id: Id) -> HttpResponse:
    letter = access.letter_or_404(request.auth, letter_id)
    verify = request.build_absolute_uri(reverse("lookup:letter", args=[letter.code]))
    return documents.letter_response(letter, actor=Actor.of(request), verify_url=verify)
