"""Every status field of the meetings module, declared once
(docs/decisions/0004-workflows.md): the states a transition starts from, its
target, the named permission (``rules.py``) that may make it, whether it
needs a reason. The services apply them; nothing writes a status directly.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lvshi.audit.workflow import SYSTEM, Transition, Workflow

from .models import (
    HOLDING,
    WAITLIST_OPEN,
    Appeal,
    AppealStatus,
    Binding,
    BindingStatus,
    Booking,
    BookingLock,
    BookingStatus,
    Complaint,
    ComplaintStatus,
    LockStatus,
    Violation,
    ViolationStatus,
    WaitlistEntry,
    WaitlistStatus,
)

BS = BindingStatus
B = BookingStatus

REVIEW_BINDING = "visits.review_binding"
OWN_BINDING = "visits.own_binding"
END_BINDING = "visits.end_binding"
REVIEW_BOOKING = "visits.review_booking"
OWN_BOOKING = "visits.own_booking"
CANCEL_BOOKING = "visits.cancel_booking"
HANDLE_COMPLAINT = "visits.handle_complaint"
OWN_WAIT = "visits.own_waitlist_entry"
W = WaitlistStatus

BOOKING: Workflow[Booking] = Workflow(
    Booking,
    organisation=lambda b: b.centre,
    transitions=[
        Transition(
            "cancel", sources=HOLDING, target=B.CANCELLED, verb=gettext_lazy("取消预约"), permission=OWN_BOOKING
        ),
        Transition(
            "approve",
            sources=[B.UNDER_REVIEW],
            target=B.APPROVED,
            verb=gettext_lazy("审核通过"),
            permission=REVIEW_BOOKING,
        ),
        Transition(
            "reject",
            sources=[B.UNDER_REVIEW],
            target=B.REJECTED,
            verb=gettext_lazy("不予通过"),
            permission=REVIEW_BOOKING,
            reason=True,
        ),
        Transition(
            "check_in",
            sources=[B.APPROVED],
            target=B.COMPLETED,
            verb=gettext_lazy("办理会见登记"),
            permission="visits.check_in",
        ),
        # A binding ended or the detainee left: the bookings still ahead are cancelled.
        Transition(
            "withdraw",
            sources=HOLDING,
            target=B.CANCELLED,
            verb=gettext_lazy("取消预约"),
            permission=CANCEL_BOOKING,
            action="visits.booking_cancel",
        ),
        # The periodic job: unreviewed bookings lapse at their start, approved ones without a check-in are no-shows.
        Transition(
            "lapse", sources=[B.UNDER_REVIEW], target=B.REJECTED, verb=gettext_lazy("自动失效"), permission=SYSTEM
        ),
        Transition(
            "no_show", sources=[B.APPROVED], target=B.NO_SHOW, verb=gettext_lazy("按未到处理"), permission=SYSTEM
        ),
    ],
)

BINDING: Workflow[Binding] = Workflow(
    Binding,
    organisation=lambda b: b.detainee.centre,
    transitions=[
        Transition(
            "resubmit", sources=[BS.RETURNED], target=BS.PENDING, verb=gettext_lazy("重新提交"), permission=OWN_BINDING
        ),
        Transition(
            "withdraw",
            sources=[BS.PENDING, BS.RETURNED, BS.VERIFYING],
            target=BS.WITHDRAWN,
            verb=gettext_lazy("撤回"),
            permission=OWN_BINDING,
        ),
        Transition(
            "return",
            sources=[BS.PENDING, BS.VERIFYING],
            target=BS.RETURNED,
            verb=gettext_lazy("退回"),
            permission=REVIEW_BINDING,
            reason=True,
        ),
        Transition(
            "pass", sources=[BS.PENDING], target=BS.VERIFYING, verb=gettext_lazy("初审通过"), permission=REVIEW_BINDING
        ),
        Transition(
            "verify", sources=[BS.VERIFYING], target=BS.ACTIVE, verb=gettext_lazy("现场核验"), permission=REVIEW_BINDING
        ),
        Transition(
            "revoke", sources=[BS.ACTIVE], target=BS.ENDED, verb=gettext_lazy("登记解除委托"), permission=REVIEW_BINDING
        ),
        Transition("end", sources=[BS.ACTIVE], target=BS.ENDED, verb=gettext_lazy("终止委托"), permission=END_BINDING),
        # The detainee left the centre (released, transferred): recorded by its officers.
        Transition(
            "lapse",
            sources=[BS.ACTIVE],
            target=BS.ENDED,
            verb=gettext_lazy("因在押人员离所终止委托"),
            permission=REVIEW_BINDING,
            action="visits.binding_end",
        ),
        Transition(
            "lapse_open",
            sources=[BS.PENDING, BS.RETURNED, BS.VERIFYING],
            target=BS.WITHDRAWN,
            verb=gettext_lazy("因在押人员离所撤回委托"),
            permission=REVIEW_BINDING,
            action="visits.binding_withdraw",
        ),
    ],
)

COMPLAINT: Workflow[Complaint] = Workflow(
    Complaint,
    organisation=lambda c: c.centre,
    transitions=[
        Transition(
            "handle",
            sources=[ComplaintStatus.OPEN],
            target=ComplaintStatus.HANDLING,
            verb=gettext_lazy("开始处理"),
            permission=HANDLE_COMPLAINT,
        ),
        Transition(
            "answer",
            sources=[ComplaintStatus.HANDLING],
            target=ComplaintStatus.ANSWERED,
            verb=gettext_lazy("答复"),
            permission=HANDLE_COMPLAINT,
        ),
        Transition(
            "close",
            sources=[ComplaintStatus.ANSWERED],
            target=ComplaintStatus.CLOSED,
            verb=gettext_lazy("办结"),
            permission=HANDLE_COMPLAINT,
        ),
        Transition(
            "reopen",
            sources=[ComplaintStatus.ANSWERED],
            target=ComplaintStatus.HANDLING,
            verb=gettext_lazy("重新处理"),
            permission=HANDLE_COMPLAINT,
            reason=True,
        ),
    ],
)


# A waitlist entry: a released room is held for it (offer) for 15 minutes; the
# lawyer books it (accept) or leaves; the job expires offers and entries whose
# slot started; the detainee leaving closes the entry.
WAITLIST: Workflow[WaitlistEntry] = Workflow(
    WaitlistEntry,
    organisation=lambda e: e.centre,
    action_prefix="visits.waitlist",
    transitions=[
        Transition("offer", sources=[W.WAITING], target=W.OFFERED, verb=gettext_lazy("保留会见室"), permission=SYSTEM),
        Transition("accept", sources=[W.OFFERED], target=W.BOOKED, verb=gettext_lazy("确认预约"), permission=OWN_WAIT),
        Transition(
            "leave", sources=WAITLIST_OPEN, target=W.CANCELLED, verb=gettext_lazy("退出候补"), permission=OWN_WAIT
        ),
        Transition(
            "close", sources=WAITLIST_OPEN, target=W.CANCELLED, verb=gettext_lazy("关闭候补"), permission=SYSTEM
        ),
        Transition("expire", sources=WAITLIST_OPEN, target=W.EXPIRED, verb=gettext_lazy("候补过期"), permission=SYSTEM),
    ],
)


# Lock-out: an authority officer decides a lawyer's appeal against a violation;
# upholding it voids the violation and lifts the lock it caused.
DECIDE_APPEAL = "visits.decide_appeal"
LIFT_LOCK = "visits.lift_lock"

APPEAL: Workflow[Appeal] = Workflow(
    Appeal,
    organisation=lambda a: a.violation.centre,
    transitions=[
        Transition(
            "uphold",
            sources=[AppealStatus.PENDING],
            target=AppealStatus.UPHELD,
            verb=gettext_lazy("认定申诉成立"),
            permission=DECIDE_APPEAL,
            action="visits.appeal_decide",
        ),
        Transition(
            "reject",
            sources=[AppealStatus.PENDING],
            target=AppealStatus.REJECTED,
            verb=gettext_lazy("驳回申诉"),
            permission=DECIDE_APPEAL,
            reason=True,
            action="visits.appeal_decide",
        ),
    ],
)

VIOLATION: Workflow[Violation] = Workflow(
    Violation,
    organisation=lambda v: v.centre,
    transitions=[
        Transition(
            "void",
            sources=[ViolationStatus.ACTIVE],
            target=ViolationStatus.VOID,
            verb=gettext_lazy("撤销违约记录"),
            permission=DECIDE_APPEAL,
        ),
    ],
)

LOCK: Workflow[BookingLock] = Workflow(
    BookingLock,
    organisation=lambda lock: lock.centre,
    action_prefix="visits.lock",
    transitions=[
        Transition(
            "lift",
            sources=[LockStatus.ACTIVE],
            target=LockStatus.LIFTED,
            verb=gettext_lazy("解除预约锁定"),
            permission=LIFT_LOCK,
            reason=True,
        ),
    ],
)
