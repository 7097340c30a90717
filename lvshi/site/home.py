"""What the home page and the navigation show, per role.

Apps plug in from their ``AppConfig.ready()``::

    from lvshi.site.registry import home_counters, nav

    home_counters.register(
        "bookings_review", label=_("预约审核中"), url_name="visits:my_bookings_review",
        roles=[Role.LAWYER], order=10, count=selectors.count_under_review,
    )
    nav.register("book", label=_("我要预约"), url_name="visits:book", roles=[Role.LAWYER], order=10)

The lawyer's V2 counters are declared here with no count yet: they show 0
(there is nothing to count until meetings exist) and link to the home page,
until the meetings module registers the same keys with its own count and list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.orgs import scope
from lvshi.orgs.models import Role

from .registry import home_counters, home_links, nav

STAFF_ROLES_FOR_NAV = [r for r in Role.values if r not in {Role.LAWYER, Role.ASSISTANT}]

# --- navigation ----------------------------------------------------------------
nav.register_default("home", label=_("首页"), url_name="site:home", order=0)
nav.register_default("book", label=_("我要预约"), url_name="site:home", roles=[Role.LAWYER], order=10)
nav.register_default("notifications", label=_("通知"), url_name="notify:inbox", order=80, badge="unread_notifications")
nav.register_default("profile", label=_("我的资料"), url_name="accounts:profile", order=90)
nav.register_default(
    "orgs", label=_("机构管理"), url_name="orgs:list", roles=[Role.ORG_ADMIN], platform_admin=True, order=50
)
nav.register_default(
    "audit",
    label=_("审计日志"),
    url_name="audit:events",
    roles=[Role.AUDITOR, Role.ORG_ADMIN],
    platform_admin=True,
    order=60,
)
nav.register_default(
    "licence_queue",
    label=_("执业证核验"),
    url_name="accounts:licence_queue",
    roles=[Role.BUREAU_CLERK],
    platform_admin=True,
    order=40,
)
nav.register_default(
    "calendar", label=_("工作日历"), url_name="calendar:month", roles=STAFF_ROLES_FOR_NAV, platform_admin=True, order=65
)
nav.register_default("admin", label=_("后台管理"), url_name="admin:index", roles=[], platform_admin=True, order=70)

# --- the lawyer's counters (V2) ---------------------------------------------------
LAWYER = [Role.LAWYER]
home_counters.register_default("bookings_review", label=_("预约审核中"), url_name="site:home", roles=LAWYER, order=10)
home_counters.register_default(
    "bookings_upcoming", label=_("已通过的预约"), url_name="site:home", roles=LAWYER, order=20
)
home_counters.register_default("bookings_failed", label=_("预约失败记录"), url_name="site:home", roles=LAWYER, order=30)
home_counters.register_default("meeting_requests", label=_("要求会见"), url_name="site:home", roles=LAWYER, order=40)

# --- links on the staff home ---------------------------------------------------------
home_links.register_default(
    "orgs",
    label=_("机构与人员管理"),
    url_name="orgs:list",
    roles=[Role.ORG_ADMIN],
    platform_admin=True,
    order=10,
    description=_("查看本机构及下级机构，添加工作人员，调整角色。"),
)
home_links.register_default(
    "orgs_create",
    label=_("新建顶级机构"),
    url_name="orgs:create",
    roles=[],
    platform_admin=True,
    order=20,
    description=_("新增司法厅、法院、监所管理总队等顶级机构。"),
)
home_links.register_default(
    "audit",
    label=_("审计日志"),
    url_name="audit:events",
    roles=[Role.AUDITOR, Role.ORG_ADMIN],
    platform_admin=True,
    order=30,
    description=_("查看本机构范围内的操作记录。"),
)
home_links.register_default(
    "licence_queue",
    label=_("执业证核验"),
    url_name="accounts:licence_queue",
    roles=[Role.BUREAU_CLERK],
    platform_admin=True,
    order=25,
    description=_("核验本辖区律师注册时提交的执业证。"),
)
home_links.register_default(
    "calendar",
    label=_("工作日历"),
    url_name="calendar:month",
    roles=STAFF_ROLES_FOR_NAV,
    platform_admin=True,
    order=40,
    description=_("法定节假日、调休上班日和本机构的闭馆安排。"),
)
home_links.register_default(
    "closures",
    label=_("闭馆安排"),
    url_name="calendar:closures",
    roles=[Role.ORG_ADMIN, Role.OFFICER, Role.AUTHORITY_OFFICER, Role.CLERK],
    platform_admin=True,
    order=45,
    description=_("登记本机构临时闭馆、停止会见或停止开庭的日期。"),
)
home_links.register_default(
    "notifications",
    label=_("通知"),
    url_name="notify:inbox",
    order=80,
    description=_("查看站内通知。"),
)
home_links.register_default(
    "profile",
    label=_("我的资料"),
    url_name="accounts:profile",
    order=90,
    description=_("修改手机号码、密码和双重验证方式。"),
)


def lawyer_counters(user) -> list[dict]:
    return [
        {"key": e.key, "label": e.label, "url": e.url(), "count": e.count(user) if e.count else 0}
        for e in home_counters.for_user(user)
    ]


def home_context(user) -> dict:
    """Everything the signed-in home page shows for *user*."""
    grants = scope.grants(user)
    roles = {g.role for g in grants}
    is_admin = scope.is_platform_admin(user)
    labels = dict(Role.choices)
    administered = {g.org_id for g in grants if g.role == Role.ORG_ADMIN}
    workplaces = [
        {
            "org_id": g.org_id,
            "org_name": g.org_name,
            "role": labels.get(g.role, g.role),
            "administers": is_admin or g.org_id in administered,
        }
        for g in grants
        if g.role not in {Role.LAWYER}
    ]
    is_lawyer = Role.LAWYER in roles
    return {
        "is_lawyer": is_lawyer,
        "lawyer_orgs": [g.org_name for g in grants if g.role == Role.LAWYER],
        "counters": lawyer_counters(user) if is_lawyer else [],
        "workplaces": workplaces,
        "is_staff_home": bool(workplaces) or is_admin,
        "staff_links": home_links.for_user(user) if (workplaces or is_admin) else [],
        "book_entry": next((e for e in nav.for_user(user) if e.key == "book"), None),
    }
