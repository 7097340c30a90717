"""Who may read the audit trail: auditors and organisation administrators,
for their organisation and everything below it; platform administrators,
everything."""

import rules
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Role
from lvshi.orgs.permissions import declare
from lvshi.orgs.scope import has_role, has_role_at

AUDIT_ROLES = (Role.AUDITOR, Role.ORG_ADMIN)


@rules.predicate
def audits_an_organisation(user) -> bool:
    return has_role(user, *AUDIT_ROLES)


@rules.predicate
def event_in_audit_scope(user, event=None) -> bool:
    if event is None:
        return has_role(user, *AUDIT_ROLES)
    return bool(event.org_path) and has_role_at(user, event.org_path, *AUDIT_ROLES)


READER = _("只有审计员、机构管理员和平台管理员可以查看审计日志。")
declare("audit.view_events", roles=AUDIT_ROLES, platform_admin=True, denied=READER)
declare("audit.export_events", roles=AUDIT_ROLES, platform_admin=True, denied=READER)
declare("audit.view_event", platform_admin=True, also=event_in_audit_scope, denied=READER)
