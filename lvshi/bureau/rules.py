"""The permissions of lawyer administration, each declared once. A body
(justice bureau, bar association) acts within its jurisdiction
(``bureau.scope``); a firm administrator acts for their own firm; a step
of an application is taken by the body the route gives it to."""

import rules
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation, OrgKind, Role
from lvshi.orgs.permissions import declare
from lvshi.orgs.scope import grants

from .scope import BAR, BODY_ROLES, BUREAU, FIRM, acts_at, in_jurisdiction

READERS = (*BODY_ROLES, *FIRM)

declare(
    "bureau.view_registry",
    also=in_jurisdiction(*READERS),
    denied=_("只有司法行政机关、律师协会和律师事务所管理员可以查看律师管理信息。"),
)
declare(
    "bureau.maintain_firm",
    also=in_jurisdiction(*FIRM),
    denied=_("只有本所管理员可以维护本所律师、实习人员和辅助人员信息。"),
)
declare(
    "bureau.manage_registry",
    also=in_jurisdiction(*BUREAU),
    denied=_("只有司法行政机关工作人员可以导入和修改名册、处理更正申请。"),
)


@rules.predicate
def registers_for_firm(user, application=None) -> bool:
    """A bureau registers the establishment of a firm that does not exist yet."""
    if application is None:
        return getattr(user, "is_authenticated", False) and any(
            g.role in BUREAU and g.kind == OrgKind.JUSTICE_BUREAU for g in grants(user)
        )
    return acts_at(user, application.organisation, BUREAU) and application.created_by_id == user.pk


declare(
    "bureau.apply",
    also=in_jurisdiction(*FIRM) | registers_for_firm,
    denied=_("只有律师事务所管理员可以提出律师管理业务申请。"),
)
declare(
    "bureau.view_application",
    also=in_jurisdiction(*READERS),
    denied=_("只有司法行政机关、律师协会和申请的律师事务所可以查看业务申请。"),
)


@rules.predicate
def step_body(user, application=None) -> bool:
    """The user works at the body of the application's current step, in the
    role that body's kind acts with."""
    if application is None:
        return getattr(user, "is_authenticated", False) and bool({g.role for g in grants(user)} & set(BODY_ROLES))
    body = application.body
    if body is None:
        return False
    return acts_at(user, body, BAR if body.kind == OrgKind.BAR_ASSOCIATION else BUREAU)


declare(
    "bureau.handle_application",
    also=step_body,
    denied=_("该申请正由其他机关办理，只有当前环节的办理机关可以接收、退回、报送或批准。"),
)
declare(
    "bureau.own_application",
    also=in_jurisdiction(*FIRM) | registers_for_firm,
    denied=_("只有申请单位可以修改、提交或撤回该申请。"),
)
declare(
    "bureau.import_registry",
    also=in_jurisdiction(*BUREAU, *FIRM),
    denied=_("只有司法行政机关和律师事务所管理员可以导入名册数据。"),
)
declare(
    "bureau.workbench",
    roles=(Role.BUREAU_CLERK, Role.BAR_STAFF),
    denied=_("只有司法行政机关和律师协会工作人员可以使用律师管理工作台。"),
)


@rules.predicate
def report_body(user, report=None) -> bool:
    """The user works at the bureau the report is filed with."""
    if report is None:
        return any(g.role in BUREAU for g in grants(user))
    return acts_at(user, report.body, BUREAU)


declare(
    "bureau.own_report",
    also=in_jurisdiction(*FIRM),
    denied=_("只有本所管理员可以填报和报送工作报表。"),
)
declare(
    "bureau.check_report",
    also=report_body,
    denied=_("只有主管司法行政机关可以审核该报表。"),
)
declare(
    "bureau.view_reports",
    also=in_jurisdiction(*BUREAU, *FIRM),
    denied=_("只有司法行政机关和律师事务所管理员可以查看工作报表。"),
)
declare(
    "bureau.send_sum",
    also=in_jurisdiction(*BUREAU),
    denied=_("只有司法行政机关可以汇总报表并报送上级。"),
)

declare(
    "bureau.register_cases",
    also=in_jurisdiction(*FIRM),
    denied=_("只有本所管理员可以登记案件和出具介绍信。"),
)
declare(
    "bureau.view_cases",
    also=in_jurisdiction(*BUREAU, *FIRM),
    denied=_("收结案登记只有本所和主管司法行政机关可以查看。"),
)


def _acting_roles(org) -> tuple[str, ...]:
    return BAR if org is not None and org.kind == OrgKind.BAR_ASSOCIATION else BUREAU


@rules.predicate
def acts_for_body(user, obj=None) -> bool:
    """The user works at the object's body (a complaint's receiving body, a
    penalty's deciding body; an organisation: that body itself)."""
    if obj is None:
        return any(g.role in BODY_ROLES for g in grants(user))
    body = obj if isinstance(obj, Organisation) else obj.body
    return acts_at(user, body, _acting_roles(body))


declare(
    "bureau.view_complaints",
    also=in_jurisdiction(*BODY_ROLES),
    denied=_("只有司法行政机关和律师协会可以查看投诉和处罚处分。"),
)
declare(
    "bureau.handle_complaint",
    also=acts_for_body,
    denied=_("只有受理该投诉的机关可以登记和处理投诉。"),
)
declare(
    "bureau.decide_penalty",
    also=acts_for_body,
    denied=_("处罚、处分只能由作出决定的机关登记和修改。"),
)

declare(
    "bureau.request_correction",
    also=in_jurisdiction(*FIRM),
    denied=_("只有本所管理员可以提交更正申请。"),
)
declare(
    "bureau.view_corrections",
    also=in_jurisdiction(*BODY_ROLES, *FIRM),
    denied=_("只有司法行政机关、律师协会和申请的律师事务所可以查看更正申请。"),
)
declare(
    "bureau.decide_correction",
    also=acts_for_body,
    denied=_("只有当前处理该更正申请的机关可以处理。"),
)

declare(
    "bureau.record_bar_affairs",
    also=in_jurisdiction(*BAR),
    denied=_("只有律师协会工作人员可以登记会费和培训。"),
)

declare(
    "bureau.publish",
    also=acts_for_body,
    denied=_("只有司法行政机关和律师协会工作人员可以发布公告和给其他机关留言。"),
)
declare(
    "bureau.read_notices",
    roles=(*BODY_ROLES, *FIRM),
    denied=_("公告栏面向司法行政机关、律师协会和律师事务所管理员。"),
)
