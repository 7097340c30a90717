"""Check-in, violations, appeals and lock-outs in the JSON API (V7, V8)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, StepOut
from lvshi.orgs import permissions

from .. import access, flows
from ..models import Appeal, AppealStatus, BookingLock, LockStatus, Violation, ViolationStatus
from ..selectors.window import hhmm
from ..services import checkin
from .booking import BookingOut, _booking_out

router = Router()


class CheckInIn(Schema):
    assistant_name: str = Field("", max_length=50, description="律师助理姓名（如有）")


class CheckInOut(Schema):
    booking: BookingOut
    assistant_name: str
    at: datetime


class AppealOut(Schema):
    id: int
    violation_id: int
    status: AppealStatus
    status_label: str
    text: str
    note: str
    created_at: datetime
    decided_at: datetime | None


class ViolationOut(Schema):
    id: int
    date: date
    expires_on: date
    status: ViolationStatus
    status_label: str
    centre: str
    booking_id: int
    when: str
    appeal: AppealOut | None


class LockOut(Schema):
    id: int
    status: LockStatus
    starts_on: date
    ends_on: date = Field(description="网上预约自该日起恢复")
    reason: str


class ViolationsOut(Schema):
    violations: list[ViolationOut]
    lock: LockOut | None


class AppealIn(Schema):
    text: str = Field(max_length=1000)


class DecideIn(Schema):
    uphold: bool
    note: str = Field("", max_length=300)


class LiftIn(Schema):
    reason: str = Field(max_length=300)


def _appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "violation_id": a.violation_id,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "text": a.text,
        "note": a.note,
        "created_at": a.created_at,
        "decided_at": a.decided_at,
    }


def _lock_out(lock: BookingLock) -> dict:
    return {
        "id": lock.pk,
        "status": lock.status,
        "starts_on": lock.starts_on,
        "ends_on": lock.ends_on,
        "reason": lock.reason,
    }


@router.post(
    "/bookings/{int:booking_id}/check-in",
    response=CheckInOut,
    url_name="visit_booking_check_in",
    summary="会见登记（民警，会见当天，开始后20分钟内）",
)
@permissions.operation(permissions.SIGNED_IN)
def check_in_booking(request, booking_id: Id, payload: CheckInIn):
    booking = access.booking_for_check_in_or_404(request.auth, booking_id)
    record = checkin.booking_check_in(actor=Actor.of(request), booking=booking, assistant_name=payload.assistant_name)
    return {"booking": _booking_out(booking), "assistant_name": record.assistant_name, "at": record.at}


@router.get("/violations", response=ViolationsOut, url_name="visit_violations", summary="我的违约记录和预约锁定")
@permissions.operation(permissions.SIGNED_IN)
def list_violations(request):
    qs = Violation.objects.filter(lawyer=request.auth).select_related("centre", "booking", "appeal")
    violations = []
    for v in qs:
        appeal = getattr(v, "appeal", None)
        violations.append(
            {
                "id": v.pk,
                "date": v.date,
                "expires_on": v.expires_on,
                "status": v.status,
                "status_label": str(v.get_status_display()),
                "centre": v.centre.name,
                "booking_id": v.booking_id,
                "when": f"{v.booking.date.isoformat()} {hhmm(v.booking.start)}-{hhmm(v.booking.end)}",
                "appeal": _appeal_out(appeal) if appeal else None,
            }
        )
    lock = checkin.active_lock(request.auth)
    return {"violations": violations, "lock": _lock_out(lock) if lock else None}


@router.post(
    "/violations/{int:violation_id}/appeal",
    response={201: AppealOut},
    url_name="visit_violation_appeal",
    summary="对违约记录提出申诉",
)
@permissions.operation(permissions.SIGNED_IN)
def appeal_violation(request, violation_id: Id, payload: AppealIn):
    violation = access.own_violation_or_404(request.auth, violation_id)
    appeal = checkin.violation_appeal(actor=Actor.of(request), violation=violation, text=payload.text)
    return Status(201, _appeal_out(appeal))


@router.post(
    "/appeals/{int:appeal_id}/decide",
    response=AppealOut,
    url_name="visit_appeal_decide",
    summary="处理违约申诉（监所管理民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def decide_appeal(request, appeal_id: Id, payload: DecideIn):
    appeal = access.appeal_for_decision_or_404(request.auth, appeal_id)
    appeal = checkin.appeal_decide(actor=Actor.of(request), appeal=appeal, uphold=payload.uphold, note=payload.note)
    return _appeal_out(appeal)


@router.post(
    "/locks/{int:lock_id}/lift",
    response=LockOut,
    url_name="visit_lock_lift",
    summary="解除预约锁定（监所管理民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def lift_lock(request, lock_id: Id, payload: LiftIn):
    lock = access.lock_for_lift_or_404(request.auth, lock_id)
    return _lock_out(checkin.lock_lift(actor=Actor.of(request), lock=lock, reason=payload.reason))


class AppealStepOut(StepOut):
    source: AppealStatus
    target: AppealStatus


class LockStepOut(StepOut):
    source: LockStatus
    target: LockStatus


@router.get(
    "/appeals/{int:appeal_id}/history",
    response=list[AppealStepOut],
    url_name="visit_appeal_history",
    summary="违约申诉的办理记录（律师本人或监所管理民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def appeal_history(request, appeal_id: Id):
    appeal = access.appeal_history_or_404(request.auth, appeal_id)
    return [step.__dict__ for step in flows.APPEAL.history(appeal)]


@router.get(
    "/locks/{int:lock_id}/history",
    response=list[LockStepOut],
    url_name="visit_lock_history",
    summary="预约锁定的办理记录（律师本人或监所管理民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def lock_history(request, lock_id: Id):
    lock = access.lock_history_or_404(request.auth, lock_id)
    return [step.__dict__ for step in flows.LOCK.history(lock)]
