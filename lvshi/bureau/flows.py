"""Every status field of lawyer administration, declared once
(docs/decisions/0004-workflows.md); the services apply them. Which body
takes a step and its days are the route's (``routes``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.audit.workflow import Transition, Workflow
from lvshi.core.errors import Conflict, DomainError

from .models import (
    Application,
    ApplicationStatus,
    Complaint,
    Correction,
    CorrectionStatus,
    LawyerComplaintStatus,
    Report,
    ReportStatus,
)
from .routes import route_of

A = ApplicationStatus
OWN = "bureau.own_application"
HANDLE = "bureau.handle_application"


def _not_last(application: Application) -> DomainError | None:
    if route_of(application).last(application.step):
        return Conflict("decide_here", _("该业务由本机关作出决定，无需报送上级：请批准或不予批准。"))
    return None


def _last(application: Application) -> DomainError | None:
    if not route_of(application).last(application.step):
        return Conflict("forward_first", _("该业务须由上级机关作出决定：请审查后报送上级。"))
    return None


APPLICATION: Workflow[Application] = Workflow(
    Application,
    organisation=lambda a: a.body or a.organisation,
    entered_field="entered_at",
    transitions=[
        Transition(
            "submit", sources=[A.DRAFT, A.RETURNED], target=A.SUBMITTED, verb=gettext_lazy("提交申请"), permission=OWN
        ),
        Transition(
            "withdraw",
            sources=[A.DRAFT, A.SUBMITTED, A.RETURNED],
            target=A.WITHDRAWN,
            verb=gettext_lazy("撤回申请"),
            permission=OWN,
        ),
        Transition(
            "receive",
            sources=[A.SUBMITTED, A.FORWARDED],
            target=A.RECEIVED,
            verb=gettext_lazy("接收申请"),
            permission=HANDLE,
        ),
        Transition(
            "return",
            sources=[A.RECEIVED],
            target=A.RETURNED,
            verb=gettext_lazy("退回申请"),
            permission=HANDLE,
            reason=True,
        ),
        Transition(
            "forward",
            sources=[A.RECEIVED],
            target=A.FORWARDED,
            verb=gettext_lazy("报送上级"),
            permission=HANDLE,
            condition=_not_last,
        ),
        Transition(
            "approve",
            sources=[A.RECEIVED],
            target=A.APPROVED,
            verb=gettext_lazy("批准申请"),
            permission=HANDLE,
            condition=_last,
        ),
        Transition(
            "refuse",
            sources=[A.RECEIVED],
            target=A.REFUSED,
            verb=gettext_lazy("不予批准"),
            permission=HANDLE,
            reason=True,
            condition=_last,
        ),
    ],
)


R = ReportStatus
OWN_REPORT = "bureau.own_report"
CHECK_REPORT = "bureau.check_report"

REPORT: Workflow[Report] = Workflow(
    Report,
    organisation=lambda r: r.organisation,
    entered_field="entered_at",
    transitions=[
        Transition(
            "submit",
            sources=[R.DRAFT, R.RETURNED],
            target=R.SUBMITTED,
            verb=gettext_lazy("报送报表"),
            permission=OWN_REPORT,
        ),
        Transition(
            "accept", sources=[R.SUBMITTED], target=R.ACCEPTED, verb=gettext_lazy("审核通过"), permission=CHECK_REPORT
        ),
        Transition(
            "return",
            sources=[R.SUBMITTED],
            target=R.RETURNED,
            verb=gettext_lazy("退回报表"),
            permission=CHECK_REPORT,
            reason=True,
        ),
    ],
)


C = LawyerComplaintStatus
HANDLE_COMPLAINT = "bureau.handle_complaint"

COMPLAINT: Workflow[Complaint] = Workflow(
    Complaint,
    organisation=lambda c: c.body,
    entered_field="entered_at",
    transitions=[
        Transition(
            "handle",
            sources=[C.REGISTERED],
            target=C.HANDLING,
            verb=gettext_lazy("开始调查处理"),
            permission=HANDLE_COMPLAINT,
        ),
        Transition(
            "decide",
            sources=[C.REGISTERED, C.HANDLING],
            target=C.DECIDED,
            verb=gettext_lazy("作出处理决定"),
            permission=HANDLE_COMPLAINT,
        ),
        Transition(
            "dismiss",
            sources=[C.REGISTERED, C.HANDLING],
            target=C.DISMISSED,
            verb=gettext_lazy("不予处理"),
            permission=HANDLE_COMPLAINT,
            reason=True,
        ),
    ],
)


K = CorrectionStatus
DECIDE_CORRECTION = "bureau.decide_correction"

CORRECTION: Workflow[Correction] = Workflow(
    Correction,
    organisation=lambda c: c.body,
    entered_field="entered_at",
    transitions=[
        Transition(
            "forward",
            sources=[K.SUBMITTED],
            target=K.FORWARDED,
            verb=gettext_lazy("报省级处理"),
            permission=DECIDE_CORRECTION,
        ),
        Transition(
            "approve",
            sources=[K.SUBMITTED, K.FORWARDED],
            target=K.APPROVED,
            verb=gettext_lazy("同意更正"),
            permission=DECIDE_CORRECTION,
        ),
        Transition(
            "reject",
            sources=[K.SUBMITTED, K.FORWARDED],
            target=K.REJECTED,
            verb=gettext_lazy("不予更正"),
            permission=DECIDE_CORRECTION,
            reason=True,
        ),
    ],
)
