"""Who may read the audit trail: auditors and organisation administrators,
for their organisation and everything below it; platform administrators,
everything."""

import rules

from lvshi.orgs.models import Role
from lvshi.orgs.scope import has_role, has_role_at, platform_admin

AUDIT_ROLES = (Role.AUDITOR, Role.ORG_ADMIN)


@rules.predicate
def audits_an_organisation(user) -> bool:
    return has_role(user, *AUDIT_ROLES)


@rules.predicate
def event_in_audit_scope(user, event=None) -> bool:
    if event is None:
        return has_role(user, *AUDIT_ROLES)
    return bool(event.org_path) and has_role_at(user, event.org_path, *AUDIT_ROLES)


rules.add_perm("audit.view_events", platform_admin | audits_an_organisation)
rules.add_perm("audit.export_events", platform_admin | audits_an_organisation)
rules.add_perm("audit.view_event", platform_admin | event_in_audit_scope)
