"""The public lookup (A12) in the API, without a token: lawyers and firms
by name, number or code; only what is public; rate-limited per address."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Query, Router, Schema

from lvshi.core import ratelimit
from lvshi.core.errors import DomainError, NotFound
from lvshi.orgs import permissions

from .. import selectors
from ..models import FirmForm, FirmStatus, LawyerKind, LawyerStatus, LetterKind, MatterType

router = Router(tags=["public"])

Q = Annotated[
    str,
    Field(min_length=2, max_length=100, description="律师姓名（完整）或17位执业证号；律师事务所名称或统一社会信用代码"),
]


class LookupIn(Schema):
    q: Q


class TooMany(DomainError):
    status = 429


def _limit(request) -> None:
    if not ratelimit.allow(request, "lookup"):
        raise TooMany("too_many_requests", "查询过于频繁，请一分钟后再试。")


class PublicPenaltyOut(Schema):
    kind: str
    kind_label: str
    body: str = Field(description="作出决定的机关")
    decided_on: str
    public_until: str


class PublicLawyerOut(Schema):
    name: str
    licence_no: str
    kind: LawyerKind
    kind_label: str
    status: LawyerStatus
    status_label: str
    firm: str = Field(description="执业机构")
    practice_years: int | None = Field(description="自首次执业起的整年数")
    penalties: list[PublicPenaltyOut] = Field(default_factory=list, description="公示期内的行政处罚和行业处分")


class PublicFirmOut(Schema):
    name: str
    credit_code: str
    form: FirmForm
    form_label: str
    status: FirmStatus
    status_label: str
    lawyers: int = Field(description="正常执业的律师人数")


@router.get(
    "/lawyers", response=list[PublicLawyerOut], auth=None, url_name="public_lawyers", summary="查询律师（公开）"
)
@permissions.operation(permissions.PUBLIC)
def public_lawyers(request, filters: Query[LookupIn]):
    _limit(request)
    return selectors.public_lawyers(filters.q)


@router.get(
    "/firms", response=list[PublicFirmOut], auth=None, url_name="public_firms", summary="查询律师事务所（公开）"
)
@permissions.operation(permissions.PUBLIC)
def public_firms(request, filters: Query[LookupIn]):
    _limit(request)
    return selectors.public_firms(filters.q)


class PublicLetterOut(Schema):
    code: str
    kind: LetterKind
    kind_label: str
    firm: str = Field(description="出具律师事务所")
    lawyers: list[str]
    matter_type: MatterType
    matter_type_label: str
    issued_on: date
    valid_until: date
    state: str = Field(description="valid 有效、expired 已过期、revoked 已作废")
    state_label: str


@router.get(
    "/letters/{code}", response=PublicLetterOut, auth=None, url_name="public_letter", summary="核验介绍信（公开）"
)
@permissions.operation(permissions.PUBLIC)
def public_letter(request, code: Annotated[str, Field(min_length=1, max_length=16, pattern="^[A-Za-z0-9]+$")]):
    _limit(request)
    found = selectors.public_letter(code)
    if found is None:
        raise NotFound("letter_not_found", "没有该核验码的介绍信，请与出具律师事务所或其主管司法局核实。")
    return found
