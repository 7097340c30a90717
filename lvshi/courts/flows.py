"""Every status field of court services, declared once
(docs/decisions/0004-workflows.md); the services apply them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lvshi.audit.workflow import SYSTEM, Transition, Workflow

from .models import (
    FileReview,
    Filing,
    FilingStatus,
    HearingRequest,
    Material,
    MaterialStatus,
    NoticeStatus,
    PaymentNotice,
    RequestStatus,
    ReviewStatus,
    ServedDocument,
    ServiceStatus,
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

# The time of service is the signing's: the conditional UPDATE lets one signing win.
SERVICE: Workflow[ServedDocument] = Workflow(
    ServedDocument,
    organisation=lambda d: d.scope_org,
    transitions=[
        Transition(
            "sign",
            sources=[ServiceStatus.TO_SIGN],
            target=ServiceStatus.SIGNED,
            verb=gettext_lazy("签收"),
            permission="courts.own_document",
        ),
    ],
)

MATERIAL: Workflow[Material] = Workflow(
    Material,
    organisation=lambda m: m.scope_org,
    transitions=[
        Transition(
            "receive",
            sources=[MaterialStatus.SUBMITTED],
            target=MaterialStatus.RECEIVED,
            verb=gettext_lazy("接收"),
            permission="courts.receive_material",
        ),
        Transition(
            "return",
            sources=[MaterialStatus.SUBMITTED],
            target=MaterialStatus.RETURNED,
            verb=gettext_lazy("退回"),
            permission="courts.receive_material",
            reason=True,
        ),
    ],
)

REVIEW: Workflow[FileReview] = Workflow(
    FileReview,
    organisation=lambda r: r.scope_org,
    transitions=[
        Transition(
            "approve",
            sources=[ReviewStatus.PENDING],
            target=ReviewStatus.APPROVED,
            verb=gettext_lazy("批准阅卷"),
            permission="courts.decide_review",
        ),
        Transition(
            "refuse",
            sources=[ReviewStatus.PENDING],
            target=ReviewStatus.REFUSED,
            verb=gettext_lazy("不予批准"),
            permission="courts.decide_review",
            reason=True,
        ),
    ],
)
