"""Every status field of court services, declared once
(docs/decisions/0004-workflows.md); the services apply them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lvshi.audit.workflow import SYSTEM, Transition, Workflow

from .models import (
    Filing,
    FilingStatus,
    HearingRequest,
    NoticeStatus,
    PaymentNotice,
    RequestStatus,
)

F = FilingStatus
OWN_FILING = "courts.own_filing"
REVIEW_FILING = "courts.review_filing"
# The statutory periods (seven days to decide on a filing, seven to pay a
# fee) are counted in deadlines.py, in working-day terms: not as plain
# workflow deadlines.

FILING: Workflow[Filing] = Workflow(
    Filing,
    organisation=lambda f: f.scope_org,
    entered_field="entered_at",
    transitions=[
        Transition(
            "submit",
            sources=[F.DRAFT, F.RETURNED],
            target=F.SUBMITTED,
            verb=gettext_lazy("提交立案"),
            permission=OWN_FILING,
        ),
        Transition(
            "delete", sources=[F.DRAFT, F.RETURNED], target=F.DELETED, verb=gettext_lazy("删除"), permission=OWN_FILING
        ),
        Transition(
            "accept",
            sources=[F.SUBMITTED],
            target=F.ACCEPTED,
            verb=gettext_lazy("登记立案"),
            permission=REVIEW_FILING,
        ),
        Transition(
            "return",
            sources=[F.SUBMITTED],
            target=F.RETURNED,
            verb=gettext_lazy("退回补正"),
            permission=REVIEW_FILING,
            reason=True,
        ),
    ],
)

NOTICE: Workflow[PaymentNotice] = Workflow(
    PaymentNotice,
    organisation=lambda n: n.scope_org,
    entered_field="entered_at",
    transitions=[
        # Made by a verified provider callback (no user acts).
        Transition(
            "pay", sources=[NoticeStatus.UNPAID], target=NoticeStatus.PAID, verb=gettext_lazy("缴费"), permission=SYSTEM
        ),
    ],
)

R = RequestStatus
REQUEST: Workflow[HearingRequest] = Workflow(
    HearingRequest,
    organisation=lambda r: r.scope_org,
    transitions=[
        Transition(
            "grant",
            sources=[R.PENDING],
            target=R.GRANTED,
            verb=gettext_lazy("准许"),
            permission="courts.decide_request",
        ),
        Transition(
            "refuse",
            sources=[R.PENDING],
            target=R.REFUSED,
            verb=gettext_lazy("不予准许"),
            permission="courts.decide_request",
            reason=True,
        ),
    ],
)
