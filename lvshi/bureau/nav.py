"""Lawyer administration's navigation entries and home counters.
Registered from ``BureauConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.orgs import permissions
from lvshi.site.registry import home_todos, nav

from . import selectors


def register() -> None:
    for key, label, url_name, permission, order in (
        ("bureau_monitor", _("业务监控"), "bureau:monitor", "bureau.workbench", 19),
        ("bureau_applications", _("业务申请"), "bureau:applications", "bureau.view_application", 20),
        ("bureau_lawyers", _("律师名册"), "bureau:lawyers", "bureau.view_registry", 21),
        ("bureau_firms", _("律师事务所"), "bureau:firms", "bureau.view_registry", 22),
        ("bureau_corrections", _("更正申请"), "bureau:corrections", "bureau.view_corrections", 23),
        ("bureau_imports", _("数据导入"), "bureau:imports", "bureau.import_registry", 24),
        ("bureau_reports", _("工作报表"), "bureau:reports", "bureau.view_reports", 25),
        ("bureau_cases", _("收结案登记"), "bureau:cases", "bureau.view_cases", 26),
        ("bureau_complaints", _("投诉"), "bureau:complaints", "bureau.view_complaints", 27),
        ("bureau_bar", _("会费和培训"), "bureau:bar_affairs", "bureau.record_bar_affairs", 28),
        ("bureau_notices", _("公告栏"), "bureau:notices", "bureau.read_notices", 29),
        ("bureau_search", _("综合查询"), "bureau:search", "bureau.view_registry", 30),
        ("bureau_lookup", _("律师查询"), "lookup:lookup", permissions.SIGNED_IN, 66),
    ):
        nav.register(key, label=label, url_name=url_name, permission=permission, order=order)
    workbench = "bureau.workbench"
    for key, label, url_name, permission, query, counter in (
        ("todo_bureau_receive", _("待接收的业务申请"), "bureau:applications", workbench, "", "to_receive"),
        ("todo_bureau_examine", _("审查中的业务申请"), "bureau:applications", workbench, "", "examining"),
        ("todo_bureau_overdue", _("超过办理期限的业务申请"), "bureau:applications", workbench, "overdue=1", "overdue"),
        ("todo_bureau_corrections", _("待处理的更正申请"), "bureau:corrections", workbench, "", "corrections"),
        (
            "todo_bureau_reports",
            _("待审核的工作报表"),
            "bureau:reports",
            "bureau.view_reports",
            "status=submitted",
            "reports",
        ),
    ):
        home_todos.register(
            key,
            label=label,
            url_name=url_name,
            permission=permission,
            order=40,
            query=query,
            count=lambda user, counter=counter: selectors.workbench_counts(user)[counter],
        )
