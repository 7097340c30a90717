"""The work calendar and the closures in the navigation and on the staff
home. Registered from ``CalendarConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.site.registry import home_links, nav

from .rules import CLOSURE_ROLES

# Everyone but lawyers and their assistants works by the calendar.
STAFF_ROLES = [r for r in Role.values if r not in {Role.LAWYER, Role.ASSISTANT}]


def register() -> None:
    nav.register(
        "calendar", label=_("工作日历"), url_name="calendar:month", roles=STAFF_ROLES, platform_admin=True, order=65
    )
    home_links.register(
        "calendar",
        label=_("工作日历"),
        url_name="calendar:month",
        roles=STAFF_ROLES,
        platform_admin=True,
        order=40,
        description=_("法定节假日、调休上班日和本机构的闭馆安排。"),
    )
    home_links.register(
        "closures",
        label=_("停止办公日"),
        url_name="calendar:closures",
        roles=CLOSURE_ROLES,
        platform_admin=True,
        order=45,
        description=_("登记本机构因检修、检查等原因停止办公的日期，当天不接受预约。"),
    )
