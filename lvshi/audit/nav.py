"""The audit log in the navigation and on the staff home. Registered from
``AuditConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.site.registry import home_links, nav

AUDIT_ROLES = [Role.AUDITOR, Role.ORG_ADMIN]


def register() -> None:
    nav.register("audit", label=_("审计日志"), url_name="audit:events", permission="audit.view_events", order=60)
    home_links.register(
        "audit",
        label=_("审计日志"),
        url_name="audit:events",
        permission="audit.view_events",
        order=30,
        description=_("查看本机构范围内的操作记录。"),
    )
