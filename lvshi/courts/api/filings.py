"""Online filing in the API: the lawyer's drafts (saved step by step,
checked, submitted, deleted) and the clerk's acceptance or return."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.calendar.workdays import WorkCalendar
from lvshi.core.actor import Actor
from lvshi.core.api import Id
from lvshi.orgs import permissions

from .. import access, deadlines, selectors
from ..models import ApplicationType, CaseType, FileKind, Filing, FilingStatus, PartyKind, PartyRole, ReturnCode
from ..services import filings as svc
from ..services import parties as party_svc
from ..services import review
from .cases import CourtCaseOut, case_out

router = Router()

# The party an ID image belongs to, in a form: its id; empty (or the text
# "null", as some multipart clients write a missing value) for other materials.
PartyRef = Annotated[
    str, Field(pattern=r"^(null|[1-9][0-9]{0,17})?$", description="身份证照片所属当事人的编号（其他材料不填）")
]


class PartyIn(Schema):
    id: int | None = Field(None, description="已保存的当事人编号（保留其证件照片）；新当事人不填")
    kind: PartyKind
    role: PartyRole
    name: str = Field(max_length=100)
    id_number: str = Field("", max_length=30, description="身份证号码（法人填法定代表人的）；已保存的不填则不变")
    credit_code: str = Field("", max_length=30)
    representative: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    service_address: str = Field("", max_length=200)


class AgentIn(Schema):
    party: int = Field(ge=0, le=99, description="被代理人在 parties 中的位置（从0起）")
    name: str = Field(max_length=50)
    licence_no: str = Field(max_length=30)
    id_number: str = Field(max_length=30)
    phone: str = Field("", max_length=20)


class FilingIn(Schema):
    notice_accepted: bool | None = None
    case_type: CaseType | Literal[""] | None = None
    application_type: ApplicationType | Literal[""] | None = None
    cause: str | None = Field(None, max_length=100)
    claim_amount: str | None = Field(
        None,
        pattern=r"^\d{1,13}(\.\d{1,2})?$",
        description='诉讼标的额（元），如 "150000" 或 "150000.50"；null 为非财产案件',
    )
    claims: str | None = Field(None, max_length=2000)
    facts: str | None = Field(None, max_length=5000)
    service_notice_accepted: bool | None = None
    court_id: Id | None = None
    mediation_consent: bool | None = None
    parties: list[PartyIn] | None = Field(None, max_length=20, description="给出时替换全部当事人")
    agents: list[AgentIn] | None = Field(None, max_length=10, description="与 parties 一起给出")


class FilingPartyOut(Schema):
    id: int
    kind: PartyKind
    role: PartyRole
    name: str
    id_number_masked: str
    credit_code: str
    representative: str
    phone: str
    address: str
    service_address: str


class AgentOut(Schema):
    party_id: int
    name: str
    licence_no: str
    id_number_masked: str
    phone: str


class FileOut(Schema):
    id: int
    kind: FileKind
    party_id: int | None
    name: str
    content_type: str
    size: int
    sha256: str


class MissingOut(Schema):
    step: str = Field(description="所缺内容所在的步骤：notice、type、info、service、court、materials、identity")
    message: str


class FilingOut(Schema):
    id: int
    status: FilingStatus
    status_label: str
    notice_accepted: bool
    case_type: str
    application_type: str
    cause: str
    claim_amount: Decimal | None
    claims: str
    facts: str
    service_notice_accepted: bool
    court_id: int | None
    court: str
    mediation_consent: bool
    steps_done: int = Field(description="已完成的步骤数（共7步，不含预览）")
    submitted_at: datetime | None
    review_due: date | None = Field(description="法定审查期限（提交后7日，遇节假日顺延）")
    return_code: ReturnCode | Literal[""]
    return_reason: str
    case_number: str
    parties: list[FilingPartyOut]
    agents: list[AgentOut]
    files: list[FileOut]


def filing_out(f: Filing, cal: WorkCalendar | None = None) -> dict:
    parties = list(f.parties.all())
    return {
        "id": f.pk,
        "status": f.status,
        "status_label": f.get_status_display(),
        "notice_accepted": f.notice_accepted,
        "case_type": f.case_type,
        "application_type": f.application_type,
        "cause": f.cause,
        "claim_amount": f.claim_amount,
        "claims": f.claims,
        "facts": f.facts,
        "service_notice_accepted": f.service_notice_accepted,
        "court_id": f.court_id,
        "court": f.court.organisation.name if f.court else "",
        "mediation_consent": f.mediation_consent,
        "steps_done": svc.steps_done(f),
        "submitted_at": f.submitted_at,
        "review_due": deadlines.period_end(f.submitted_at, deadlines.REVIEW_DAYS, cal=cal) if f.submitted_at else None,
        "return_code": f.return_code,
        "return_reason": f.return_reason,
        "case_number": f.case.number if f.case is not None else "",
        "parties": [
            {
                "id": p.pk,
                "kind": p.kind,
                "role": p.role,
                "name": p.name,
                "id_number_masked": p.id_number_masked,
                "credit_code": p.credit_code,
                "representative": p.representative,
                "phone": p.phone,
                "address": p.address,
                "service_address": p.service_address,
            }
            for p in parties
        ],
        "agents": [
            {
                "party_id": a.party_id,
                "name": a.name,
                "licence_no": a.licence_no,
                "id_number_masked": a.id_number_masked,
                "phone": a.phone,
            }
            for a in f.agents.all()
        ],
        "files": [
            {
                "id": x.pk,
                "kind": x.kind,
                "party_id": x.party_id,
                "name": x.name,
                "content_type": x.content_type,
                "size": x.size,
                "sha256": x.sha256,
            }
            for x in f.files.all()
        ],
    }


class FilingQuery(Schema):
    status: FilingStatus | None = None


@router.get(
    "/filings", response=list[FilingOut], url_name="court_filings", summary="我的网上立案（草稿、待审查、退回、已立案）"
)
@permissions.operation("courts.file")
def list_filings(request, query: Query[FilingQuery]):
    cal = deadlines.calendar()
    return [filing_out(f, cal) for f in selectors.filings_of(request.auth, status=query.status or "")[:100]]


@router.post("/filings", response={201: FilingOut}, url_name="court_filing_create", summary="新建网上立案草稿")
@permissions.operation("courts.file")
def create_filing(request):
    return Status(201, filing_out(svc.filing_create(actor=Actor.of(request))))


def _own(request, filing_id: int) -> Filing:
    return access.own_filing_or_404(request.auth, filing_id)


@router.get("/filings/{int:filing_id}", response=FilingOut, url_name="court_filing", summary="一件网上立案")
@permissions.operation(permissions.SIGNED_IN)
def get_filing(request, filing_id: Id):
    return filing_out(_own(request, filing_id))


@router.patch(
    "/filings/{int:filing_id}",
    response=FilingOut,
    url_name="court_filing_update",
    summary="保存草稿（只改给出的字段；parties 和 agents 给出时整体替换）",
)
@permissions.operation(permissions.SIGNED_IN)
def update_filing(request, filing_id: Id, body: FilingIn):
    filing = _own(request, filing_id)
    actor = Actor.of(request)
    changes = body.model_dump(exclude_unset=True, exclude={"parties", "agents"})
    if "court_id" in changes:
        changes["court"] = changes.pop("court_id")
    if changes:
        svc.filing_update(filing=filing, actor=actor, changes=changes)
    if body.parties is not None:
        party_svc.filing_set_parties(
            filing=filing,
            actor=actor,
            parties=[p.model_dump() for p in body.parties],
            agents=[a.model_dump() for a in body.agents or []],
        )
    return filing_out(_own(request, filing_id))


@router.delete("/filings/{int:filing_id}", response={204: None}, url_name="court_filing_delete", summary="删除草稿")
@permissions.operation(permissions.SIGNED_IN)
def delete_filing(request, filing_id: Id):
    svc.filing_delete(filing=_own(request, filing_id), actor=Actor.of(request))
    return Status(204, None)


@router.post(
    "/filings/{int:filing_id}/files",
    response={201: list[FileOut]},
    url_name="court_filing_files",
    summary="上传材料（multipart，可一次多个文件；身份证照片需 party_id）",
)
@permissions.operation(permissions.SIGNED_IN)
def upload_files(
    request,
    filing_id: Id,
    kind: Form[FileKind],
    files: File[list[UploadedFile] | None] = None,
    party_id: Form[PartyRef | None] = None,
):
    rows = party_svc.filing_add_files(
        filing=_own(request, filing_id),
        actor=Actor.of(request),
        kind=kind,
        uploads=files or [],
        party_id=int(party_id) if party_id and party_id.isdigit() else None,
    )
    return Status(
        201,
        [
            {
                "id": x.pk,
                "kind": x.kind,
                "party_id": x.party_id,
                "name": x.name,
                "content_type": x.content_type,
                "size": x.size,
                "sha256": x.sha256,
            }
            for x in rows
        ],
    )


@router.delete(
    "/filings/{int:filing_id}/files/{int:file_id}",
    response={204: None},
    url_name="court_filing_file_delete",
    summary="删除一个材料",
)
@permissions.operation(permissions.SIGNED_IN)
def delete_file(request, filing_id: Id, file_id: Id):
    party_svc.filing_remove_file(filing=_own(request, filing_id), actor=Actor.of(request), file_id=file_id)
    return Status(204, None)


class CheckOut(Schema):
    complete: bool
    missing: list[MissingOut]


@router.post(
    "/filings/{int:filing_id}/check",
    response=CheckOut,
    url_name="court_filing_check",
    summary="完整性检查（不提交）：按步骤列出所缺内容",
)
@permissions.operation(permissions.SIGNED_IN)
def check_filing(request, filing_id: Id):
    missing = svc.filing_check(_own(request, filing_id))
    return {"complete": not missing, "missing": [m.__dict__ for m in missing]}


@router.post(
    "/filings/{int:filing_id}/submit",
    response=FilingOut,
    url_name="court_filing_submit",
    summary="提交立案（材料不全时 400 incomplete，details.missing 列出所缺）",
)
@permissions.operation(permissions.SIGNED_IN)
def submit_filing(request, filing_id: Id):
    filing = svc.filing_submit(filing=_own(request, filing_id), actor=Actor.of(request))
    return filing_out(filing)


# --- the court ------------------------------------------------------------------------------


class ReviewQuery(Schema):
    overdue: bool = Field(False, description="只列超过7日法定期限的")


class FilingReviewOut(FilingOut):
    lawyer: str
    overdue: bool


def _review_out(f: Filing, cal: WorkCalendar | None = None) -> dict:
    return {
        **filing_out(f, cal),
        "lawyer": f.lawyer.name,
        "overdue": bool(f.submitted_at and deadlines.is_overdue(f.submitted_at, deadlines.REVIEW_DAYS, cal=cal)),
    }


@router.get(
    "/filing-reviews", response=list[FilingReviewOut], url_name="court_filing_reviews", summary="本院待审查的网上立案"
)
@permissions.operation("courts.review_filing")
def list_reviews(request, query: Query[ReviewQuery]):
    cal = deadlines.calendar()
    queue = selectors.review_queue(request.auth, overdue=query.overdue).prefetch_related("parties", "agents", "files")
    return [_review_out(f, cal) for f in queue[:100]]


class FilingAcceptIn(Schema):
    judge_id: Id
    simplified: bool = Field(False, description="适用简易程序（受理费减半）")


@router.post(
    "/filings/{int:filing_id}/accept", response=CourtCaseOut, url_name="court_filing_accept", summary="登记立案"
)
@permissions.operation("courts.review_filing")
def accept_filing(request, filing_id: Id, body: FilingAcceptIn):
    filing = access.filing_for_review_or_404(request.auth, filing_id)
    case = review.filing_accept(
        filing=filing, actor=Actor.of(request), judge_id=body.judge_id, simplified=body.simplified
    )
    return case_out(case)


class FilingReturnIn(Schema):
    code: ReturnCode
    reason: str = Field(max_length=300)


@router.post(
    "/filings/{int:filing_id}/return", response=FilingReviewOut, url_name="court_filing_return", summary="退回补正"
)
@permissions.operation("courts.review_filing")
def return_filing(request, filing_id: Id, body: FilingReturnIn):
    filing = access.filing_for_review_or_404(request.auth, filing_id)
    return _review_out(review.filing_return(filing=filing, actor=Actor.of(request), code=body.code, reason=body.reason))
