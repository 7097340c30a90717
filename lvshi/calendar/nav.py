"""The lawyer's schedule, the work calendar and the closures in the navigation and on the staff
home. Registered from ``CalendarConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_links, nav


def register() -> None:
    nav.register(
        "schedule", label=_("我的日程"), url_name="calendar:schedule", permission="calendar.view_schedule", order=13
    )
    nav.register(
        "calendar", label=_("工作日历"), url_name="calendar:month", permission="calendar.view_calendar", order=65
    )
    home_links.register(
        "calendar",
        label=_("工作日历"),
        url_name="calendar:month",
        permission="calendar.view_calendar",
        order=40,
        description=_("法定节假日、调休上班日和本机构的闭馆安排。"),
    )
    home_links.register(
        "closures",
        label=_("停止办公日"),
        url_name="calendar:closures",
        permission="calendar.manage_closures",
        order=45,
        description=_("登记本机构因检修、检查等原因停止办公的日期，当天不接受预约。"),
    )
