"""Meeting requests, notices and the complaints line in the JSON API."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDateTime, Limit, Offset, StepOut
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role

from .. import access
from ..models import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    MeetingRequest,
    MeetingRequestRecipient,
    Notice,
)
from ..services import complaints, meeting_requests, notices

router = Router()


class Page(Schema):
    limit: Limit = 20
    offset: Offset = 0


# --- meeting requests -------------------------------------------------------------------------


class MeetingRequestIn(Schema):
    detainee_id: Id
    note: str = Field("", max_length=300)


class RecipientOut(Schema):
    lawyer_id: int
    lawyer: str
    seen_at: datetime | None


class MeetingRequestOut(Schema):
    id: int = Field(description="received: the recipient row's id (for /seen); recorded: the request's id")
    request_id: int
    centre_id: int
    centre: str
    detainee_id: int
    detainee: str
    note: str
    recorded_at: datetime
    seen_at: datetime | None = None
    book_url: str = ""
    recipients: list[RecipientOut] = []


class MeetingRequestPage(Schema):
    count: int
    unseen: int
    items: list[MeetingRequestOut]


def _recorded_out(m: MeetingRequest) -> dict:
    return {
        "id": m.pk,
        "request_id": m.pk,
        "centre_id": m.centre_id,
        "centre": m.centre.name,
        "detainee_id": m.detainee_id,
        "detainee": m.detainee.name,
        "note": m.note,
        "recorded_at": m.recorded_at,
        "recipients": [
            {"lawyer_id": r.lawyer_id, "lawyer": r.lawyer.name, "seen_at": r.seen_at} for r in m.recipients.all()
        ],
    }


def _received_out(r: MeetingRequestRecipient) -> dict:
    m = r.request
    return {
        "id": r.pk,
        "request_id": m.pk,
        "centre_id": m.centre_id,
        "centre": m.centre.name,
        "detainee_id": m.detainee_id,
        "detainee": m.detainee.name,
        "note": m.note,
        "recorded_at": m.recorded_at,
        "seen_at": r.seen_at,
        "book_url": meeting_requests.booking_url(m.detainee),
    }


@router.post(
    "/meeting-requests",
    response={201: MeetingRequestOut},
    url_name="visit_meeting_request_create",
    summary="登记在押人员的会见要求（看守所民警），通知其全部有效委托律师",
)
@permissions.operation("visits.record_meeting_request")
def create_meeting_request(request, payload: MeetingRequestIn):
    detainee = access.detainee_for_meeting_request_or_404(request.auth, payload.detainee_id)
    m = meeting_requests.meeting_request_create(actor=Actor.of(request), detainee=detainee, note=payload.note)
    m = meeting_requests.recorded_for(request.auth).get(pk=m.pk)
    return Status(201, _recorded_out(m))


@router.get(
    "/meeting-requests",
    response=MeetingRequestPage,
    url_name="visit_meeting_requests",
    summary="会见要求：律师收到的，或民警本所登记的",
)
@permissions.operation(permissions.SIGNED_IN)
def list_meeting_requests(request, params: Query[Page]):
    user = request.auth
    window = slice(params.offset, params.offset + params.limit)
    if scope.has_role(user, Role.LAWYER):
        qs = meeting_requests.received_by(user)
        return {
            "count": qs.count(),
            "unseen": meeting_requests.unseen_count(user),
            "items": [_received_out(r) for r in qs[window]],
        }
    if scope.has_role(user, Role.OFFICER):
        qs = meeting_requests.recorded_for(user)
        return {"count": qs.count(), "unseen": 0, "items": [_recorded_out(m) for m in qs[window]]}
    raise PermissionDenied(message=_("只有律师和看守所民警可以查看会见要求。"))


@router.post(
    "/meeting-requests/{int:recipient_id}/seen",
    response=MeetingRequestOut,
    url_name="visit_meeting_request_seen",
    summary="标记会见要求为已读（律师）",
)
@permissions.operation(permissions.SIGNED_IN)
def seen_meeting_request(request, recipient_id: Id):
    qs = MeetingRequestRecipient.objects.select_related("request__detainee", "request__centre")
    recipient = get_object_or_404(qs, pk=recipient_id, lawyer=request.auth)
    meeting_requests.meeting_requests_mark_seen(actor=Actor.of(request), recipient_ids=[recipient.pk])
    recipient.refresh_from_db(fields=["seen_at"])
    return _received_out(recipient)


# --- notices --------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    issuer: str
    centres: list[dict]
    published_at: datetime


class NoticePage(Schema):
    count: int
    items: list[NoticeOut]


class NoticeParams(Page):
    centre_id: Id | None = None


class NoticeIn(Schema):
    title: str = Field(max_length=100)
    body: str = Field(max_length=5000)
    centre_ids: list[Id] = Field(default_factory=list, max_length=500, description="空则为管辖范围内的全部机构")


class NoticePublishedOut(NoticeOut):
    recipients: int


def _notice_out(n: Notice) -> dict:
    return {
        "id": n.pk,
        "title": n.title,
        "body": n.body,
        "issuer": n.issuer.name,
        "centres": [{"id": c.pk, "name": c.name} for c in n.centres.all()],
        "published_at": n.published_at,
    }


@router.get("/notices", auth=None, response=NoticePage, url_name="visit_notices", summary="通知公告（公开）")
@permissions.operation(permissions.PUBLIC)
def list_notices(request, params: Query[NoticeParams]):
    qs = notices.published(centre_id=params.centre_id)
    return {"count": qs.count(), "items": [_notice_out(n) for n in qs[params.offset : params.offset + params.limit]]}


@router.get(
    "/notices/{int:notice_id}", auth=None, response=NoticeOut, url_name="visit_notice", summary="通知公告全文（公开）"
)
@permissions.operation(permissions.PUBLIC)
def get_notice(request, notice_id: Id):
    notice = notices.published().filter(pk=notice_id).first()
    if notice is None:
        raise DomainError("not_found", _("未找到该通知，可能已撤下。"), status=404)
    return _notice_out(notice)


@router.post(
    "/notices",
    response={201: NoticePublishedOut},
    url_name="visit_notice_publish",
    summary="发布通知公告（监所管理民警），短信通知有预约的律师",
)
@permissions.operation(permissions.SIGNED_IN)
def publish_notice(request, payload: NoticeIn):
    notice = notices.notice_publish(
        actor=Actor.of(request), title=payload.title, body=payload.body, centres=payload.centre_ids or None
    )
    return Status(201, {**_notice_out(notice), "recipients": notice.recipients})


# --- complaints -----------------------------------------------------------------------------


class ComplaintIn(Schema):
    centre_id: Id
    received_at: IsoDateTime | None = Field(None, description="默认为现在，不能晚于现在")
    caller_name: str = Field(max_length=50)
    caller_phone: str = Field(max_length=20)
    lawyer_licence_no: str = Field("", max_length=17)
    category: str
    content: str = Field(max_length=2000)


class ComplaintOut(Schema):
    id: int
    centre_id: int
    centre: str
    received_at: datetime
    caller_name: str
    caller_phone: str
    lawyer_id: int | None
    category: ComplaintCategory
    content: str
    handling: str
    answer: str
    status: ComplaintStatus
    status_label: str
    answered_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    actions: list[str]


class ComplaintPage(Schema):
    count: int
    counts: dict[str, int]
    items: list[ComplaintOut]


class ComplaintParams(Page):
    status: ComplaintStatus | None = None
    q: str = Field("", max_length=50)
    centre_id: Id | None = None
    overdue: bool = False


class TextIn(Schema):
    text: str = Field("", max_length=2000)


def _complaint_out(c: Complaint, late: set[int]) -> dict:
    return {
        "id": c.pk,
        "centre_id": c.centre_id,
        "centre": c.centre.name,
        "received_at": c.received_at,
        "caller_name": c.caller_name,
        "caller_phone": c.caller_phone,
        "lawyer_id": c.lawyer_id,
        "category": c.category,
        "content": c.content,
        "handling": c.handling,
        "answer": c.answer,
        "status": c.status,
        "status_label": str(ComplaintStatus(c.status).label),
        "answered_at": c.answered_at,
        "closed_at": c.closed_at,
        "overdue": c.pk in late,
        "actions": [t.name for t in complaints.allowed_transitions(c)],
    }


def _one(c: Complaint) -> dict:
    return _complaint_out(c, complaints.overdue_ids([c], local_date(timezone.now())))


@router.get("/complaints", response=ComplaintPage, url_name="visit_complaints", summary="投诉记录（监所民警）")
@permissions.operation("visits.handle_complaint")
def list_complaints(request, params: Query[ComplaintParams]):
    today = local_date(timezone.now())
    base = complaints.filtered(
        request.auth, q=params.q, centre_id=params.centre_id, overdue=params.overdue, today=today
    )
    rows = base.filter(status=params.status) if params.status else base
    items = list(rows[params.offset : params.offset + params.limit])
    late = complaints.overdue_ids(items, today)
    return {
        "count": rows.count(),
        "counts": complaints.status_counts(base),
        "items": [_complaint_out(c, late) for c in items],
    }


@router.post(
    "/complaints", response={201: ComplaintOut}, url_name="visit_complaint_create", summary="登记投诉来电（监所民警）"
)
@permissions.operation("visits.handle_complaint")
def create_complaint(request, payload: ComplaintIn):
    centre = complaints.centres_for(request.auth).filter(pk=payload.centre_id).first()
    if centre is None:
        raise DomainError("centre_out_of_scope", _("只能登记本看守所（或本总队下属机构）的投诉，请核对机构。"))
    received_at = payload.received_at
    if received_at is not None and timezone.is_naive(received_at):
        raise DomainError("received_at_timezone", _("来电时间请带时区，例如 2026-09-28T10:00:00+08:00。"))
    c = complaints.complaint_create(
        actor=Actor.of(request),
        centre=centre,
        received_at=received_at,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
        lawyer_licence_no=payload.lawyer_licence_no,
        category=payload.category,
        content=payload.content,
    )
    return Status(201, _one(c))


@router.get("/complaints/{int:complaint_id}", response=ComplaintOut, url_name="visit_complaint", summary="投诉记录详情")
@permissions.operation("visits.handle_complaint")
def get_complaint(request, complaint_id: Id):
    return _one(access.complaint_or_404(request.auth, complaint_id))


class ComplaintStepOut(StepOut):
    source: ComplaintStatus
    target: ComplaintStatus


@router.get(
    "/complaints/{int:complaint_id}/history",
    response=list[ComplaintStepOut],
    url_name="visit_complaint_history",
    summary="投诉的办理记录（谁、何时、从什么状态到什么状态、原因）",
)
@permissions.operation("visits.handle_complaint")
def complaint_history(request, complaint_id: Id):
    return [step.__dict__ for step in complaints.FLOW.history(access.complaint_or_404(request.auth, complaint_id))]


@router.post(
    "/complaints/{int:complaint_id}/handle",
    response=ComplaintOut,
    url_name="visit_complaint_handle",
    summary="开始处理（待处理 → 处理中，需填写处理情况）",
)
@permissions.operation("visits.handle_complaint")
def handle_complaint(request, complaint_id: Id, payload: TextIn):
    c = access.complaint_or_404(request.auth, complaint_id)
    return _one(complaints.complaint_handle(actor=Actor.of(request), complaint=c, handling=payload.text))


@router.post(
    "/complaints/{int:complaint_id}/answer",
    response=ComplaintOut,
    url_name="visit_complaint_answer",
    summary="答复（处理中 → 已答复，需填写答复内容）",
)
@permissions.operation("visits.handle_complaint")
def answer_complaint(request, complaint_id: Id, payload: TextIn):
    c = access.complaint_or_404(request.auth, complaint_id)
    return _one(complaints.complaint_answer(actor=Actor.of(request), complaint=c, answer=payload.text))


@router.post(
    "/complaints/{int:complaint_id}/close",
    response=ComplaintOut,
    url_name="visit_complaint_close",
    summary="办结（已答复 → 已办结）",
)
@permissions.operation("visits.handle_complaint")
def close_complaint(request, complaint_id: Id):
    c = access.complaint_or_404(request.auth, complaint_id)
    return _one(complaints.complaint_close(actor=Actor.of(request), complaint=c))


@router.post(
    "/complaints/{int:complaint_id}/reopen",
    response=ComplaintOut,
    url_name="visit_complaint_reopen",
    summary="重新处理（已答复 → 处理中，需填写原因）",
)
@permissions.operation("visits.handle_complaint")
def reopen_complaint(request, complaint_id: Id, payload: TextIn):
    c = access.complaint_or_404(request.auth, complaint_id)
    return _one(complaints.complaint_reopen(actor=Actor.of(request), complaint=c, reason=payload.text))
