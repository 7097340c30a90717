"""Hearings in the API: the lawyer's hearings and conflict requests; the
court's scheduling (with the agents' conflicts before saving) and the
judge's decisions."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDateTime
from lvshi.orgs import permissions

from .. import access, selectors
from ..models import HearingStatus, RequestKind, RequestStatus
from ..services import hearings as svc

router = Router()


class RequestOut(Schema):
    id: int
    kind: RequestKind
    status: RequestStatus
    status_label: str
    reason: str
    proposed: list[str]
    answer: str


class HearingOut(Schema):
    id: int
    case_number: str
    cause: str
    court: str
    room: str
    start: datetime
    end: datetime
    status: HearingStatus
    short_notice: bool = Field(description="通知时距开庭不足三日")
    my_requests: list[RequestOut]


def _request_out(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "status_label": r.get_status_display(),
        "reason": r.reason,
        "proposed": r.proposed,
        "answer": r.answer,
    }


def hearing_out(h, requests=()) -> dict:
    return {
        "id": h.pk,
        "case_number": h.case.number,
        "cause": h.case.cause,
        "court": h.case.court.organisation.name,
        "room": h.room.name,
        "start": h.start,
        "end": h.end,
        "status": h.status,
        "short_notice": h.short_notice,
        "my_requests": [_request_out(r) for r in requests],
    }


class HearingQuery(Schema):
    past: bool = Field(False, description="true：已开过的（最近的在前）")


@router.get("/hearings", response=list[HearingOut], url_name="court_hearings", summary="我的庭审")
@permissions.operation("courts.file")
def list_hearings(request, query: Query[HearingQuery]):
    hearings = selectors.lawyer_hearings(request.auth, past=query.past)[:200]
    return [hearing_out(h, getattr(h, "mine", ())) for h in hearings]


class ConflictRequestIn(Schema):
    kind: RequestKind
    reason: str = Field(max_length=500)
    phone: str = Field(max_length=20, description="联系电话（默认为账户手机号）")
    proposed: list[IsoDateTime] = Field(default_factory=list, max_length=3, description="建议的开庭时间（至多3个）")


@router.post(
    "/hearings/{int:hearing_id}/conflict-requests",
    response={201: RequestOut},
    url_name="court_hearing_request",
    summary="申请不出庭或延期开庭（建议时间按本人日程检查）",
)
@permissions.operation("courts.file")
def create_request(request, hearing_id: Id, body: ConflictRequestIn):
    hearing = access.lawyer_hearing_or_404(request.auth, hearing_id)
    req = svc.request_create(
        actor=Actor.of(request),
        hearing=hearing,
        kind=body.kind,
        reason=body.reason,
        phone=body.phone,
        proposed=list(body.proposed),
    )
    return Status(201, _request_out(req))


# --- the court ---------------------------------------------------------------------------------


class PlanIn(Schema):
    start: IsoDateTime
    minutes: int = Field(60, ge=15, le=480)
    room_id: Id
    judge_id: Id


class ConflictOut(Schema):
    lawyer: str
    what: str = Field(description="冲突事项（对法院显示的说明）")
    start: datetime
    end: datetime
    kind: str = Field(description="overlap 时间重叠；travel 路程时间不足")
    travel_minutes: int


class PlanOut(Schema):
    start: datetime
    end: datetime
    room_busy: bool
    short_notice: bool = Field(description="距开庭不足三日（民事诉讼法第一百三十九条）")
    conflicts: list[ConflictOut]
    suggestions: list[datetime] = Field(description="最近的各方均无冲突的时间")


def plan_out(plan) -> dict:
    return {
        "start": plan.start,
        "end": plan.end,
        "room_busy": plan.room_busy,
        "short_notice": plan.short_notice,
        "conflicts": [
            {
                "lawyer": u.name,
                "what": c.other.public_summary or c.other.summary,
                "start": c.other.start,
                "end": c.other.end,
                "kind": c.kind,
                "travel_minutes": c.travel,
            }
            for u, found in plan.conflicts.items()
            for c in found
        ],
        "suggestions": plan.suggestions,
    }


@router.post(
    "/cases/{int:case_id}/hearings/plan",
    response=PlanOut,
    url_name="court_hearing_plan",
    summary="排期预览（不保存）：各代理律师在该时间的冲突，以及最近的可行时间",
)
@permissions.operation("courts.schedule_hearing")
def plan_hearing(request, case_id: Id, body: PlanIn):
    case = access.court_case_or_404(request.auth, case_id)
    return plan_out(
        svc.hearing_plan(
            actor=Actor.of(request),
            case=case,
            start=body.start,
            minutes=body.minutes,
            room_id=body.room_id,
            judge_id=body.judge_id,
        )
    )


@router.post(
    "/cases/{int:case_id}/hearings",
    response={201: HearingOut},
    url_name="court_hearing_schedule",
    summary="排期开庭（法庭或审判人员时间已占用：409 resource_taken）",
)
@permissions.operation("courts.schedule_hearing")
def schedule_hearing(request, case_id: Id, body: PlanIn):
    case = access.court_case_or_404(request.auth, case_id)
    hearing = svc.hearing_schedule(
        actor=Actor.of(request),
        case=case,
        start=body.start,
        minutes=body.minutes,
        room_id=body.room_id,
        judge_id=body.judge_id,
    )
    return Status(201, hearing_out(hearing))


class CourtRequestOut(RequestOut):
    hearing: HearingOut
    lawyer: str
    phone: str


@router.get(
    "/conflict-requests", response=list[CourtRequestOut], url_name="court_requests", summary="本院待处理的庭审冲突申请"
)
@permissions.operation("courts.decide_request")
def list_requests(request):
    return [
        {**_request_out(r), "hearing": hearing_out(r.hearing), "lawyer": r.lawyer.name, "phone": r.phone}
        for r in selectors.pending_requests(request.auth)[:100]
    ]


class RequestDecideIn(Schema):
    grant: bool
    answer: str = Field("", max_length=300)
    start: IsoDateTime | None = Field(None, description="准许延期时的新开庭时间")
    minutes: int | None = Field(None, ge=15, le=480)


@router.post(
    "/conflict-requests/{int:request_id}/decide",
    response=RequestOut,
    url_name="court_request_decide",
    summary="准许（延期的改期并通知各方）或不予准许（须说明理由）",
)
@permissions.operation("courts.decide_request")
def decide_request(request, request_id: Id, body: RequestDecideIn):
    req = access.request_for_judge_or_404(request.auth, request_id)
    actor = Actor.of(request)
    if body.grant:
        svc.request_grant(actor=actor, request=req, start=body.start, minutes=body.minutes, answer=body.answer)
    else:
        svc.request_refuse(actor=actor, request=req, answer=body.answer)
    return _request_out(req)
