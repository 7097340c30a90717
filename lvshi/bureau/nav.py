"""Lawyer administration's navigation entries and home counters.
Registered from ``BureauConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.site.registry import home_todos, nav

from . import selectors


def register() -> None:
    for key, label, url_name, permission, order in (
        ("bureau_applications", _("业务申请"), "bureau:applications", "bureau.view_application", 20),
        ("bureau_lawyers", _("律师名册"), "bureau:lawyers", "bureau.view_registry", 21),
        ("bureau_firms", _("律师事务所"), "bureau:firms", "bureau.view_registry", 22),
    ):
        nav.register(key, label=label, url_name=url_name, permission=permission, order=order)
    for key, label, query, counter in (
        ("todo_bureau_receive", _("待接收的业务申请"), "", "to_receive"),
        ("todo_bureau_examine", _("审查中的业务申请"), "", "examining"),
        ("todo_bureau_overdue", _("超过办理期限的业务申请"), "overdue=1", "overdue"),
    ):
        home_todos.register(
            key,
            label=label,
            url_name="bureau:applications",
            permission="bureau.workbench",
            order=40,
            query=query,
            count=lambda user, counter=counter: selectors.workbench_counts(user)[counter],
        )
