"""The permissions of court services, each declared once (``declare``).
Lawyers act on their own filings, cases, fees and hearings; a court's
clerks and judges act in their court (and courts below it)."""

import rules
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.orgs.permissions import declare

LAWYER, CLERK, JUDGE = (Role.LAWYER,), (Role.CLERK,), (Role.JUDGE,)
COURT_STAFF = (Role.CLERK, Role.JUDGE)

# --- the lawyer's side ----------------------------------------------------------------

declare("courts.file", roles=LAWYER, denied=_("只有执业律师可以使用网上立案、缴费和案件服务。"))


@rules.predicate
def filing_lawyer(user, filing) -> bool:
    return filing is not None and filing.lawyer_id == user.pk


@rules.predicate
def request_lawyer(user, request) -> bool:
    return request is not None and request.lawyer_id == user.pk


# A filing of one's own: edit, submit, delete.
declare("courts.own_filing", also=filing_lawyer)

# --- the court's side -----------------------------------------------------------------

declare("courts.review_filing", roles=CLERK, denied=_("只有本院立案庭的书记员可以审查网上立案。"))
declare("courts.adjust_fee", roles=CLERK, denied=_("只有本院书记员可以调整诉讼费用。"))
declare("courts.schedule_hearing", roles=COURT_STAFF, denied=_("只有本院法官和书记员可以排期开庭。"))
declare("courts.decide_request", roles=JUDGE, denied=_("只有本院法官可以处理庭审冲突申请。"))
declare("courts.view_court_cases", roles=COURT_STAFF, denied=_("只有法院工作人员可以查看本院案件。"))
declare("courts.workbench", roles=COURT_STAFF, denied=_("只有法官和书记员可以使用法院工作台。"))
declare("courts.receive_material", roles=CLERK, denied=_("只有本院书记员可以接收或退回诉讼材料。"))
declare("courts.serve_document", roles=CLERK, denied=_("只有本院书记员可以电子送达文书。"))
declare("courts.manage_volumes", roles=COURT_STAFF, denied=_("只有本院法官和书记员可以管理卷宗。"))
declare("courts.exchange_evidence", roles=JUDGE, denied=_("只有本院法官可以组织证据交换。"))
declare("courts.answer_message", roles=JUDGE, denied=_("只有本院法官可以回复律师留言。"))
declare("courts.decide_review", roles=JUDGE, denied=_("只有本院法官可以审批阅卷申请。"))


@rules.predicate
def document_recipient(user, document) -> bool:
    return document is not None and document.recipient_id == user.pk


# A document served on oneself: ask for a key, sign, download.
declare("courts.own_document", also=document_recipient)
