"""Who may declare and remove closures: the organisation's administrators and
its officers (centre officers, authority officers for their centres, court
clerks), and platform administrators."""

from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.orgs.permissions import declare
from lvshi.orgs.scope import role_in_scope

from .feeds import FEED_ROLES

CLOSURE_ROLES = (Role.ORG_ADMIN, Role.OFFICER, Role.AUTHORITY_OFFICER, Role.CLERK)

closure_manager = role_in_scope(*CLOSURE_ROLES)

# Without an object: "may this user open the closures page at all?"
declare(
    "calendar.manage_closures",
    roles=CLOSURE_ROLES,
    platform_admin=True,
    denied=_("只有机构管理员和工作人员可以登记停止办公日。"),
)
# With a Closure or an Organisation.
declare("calendar.manage_closure", roles=CLOSURE_ROLES, platform_admin=True)

# Everyone but lawyers and their assistants works by the calendar.
STAFF_ROLES = tuple(r for r in Role.values if r not in {Role.LAWYER, Role.ASSISTANT})
declare("calendar.view_calendar", roles=STAFF_ROLES, platform_admin=True, denied=_("只有工作人员可以查看工作日历。"))

# A lawyer's own schedule and its private feed (X4).
declare(
    "calendar.view_schedule",
    roles=FEED_ROLES,
    denied=_("只有执业律师可以查看会见日程和订阅日历。"),
)
