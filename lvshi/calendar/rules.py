"""Who may declare and remove closures: the organisation's administrators and
its officers (centre officers, authority officers for their centres, court
clerks), and platform administrators."""

import rules

from lvshi.orgs.models import Role
from lvshi.orgs.scope import platform_admin, role_in_scope

CLOSURE_ROLES = (Role.ORG_ADMIN, Role.OFFICER, Role.AUTHORITY_OFFICER, Role.CLERK)

closure_manager = role_in_scope(*CLOSURE_ROLES)

# Without an object: "may this user open the closures page at all?"
rules.add_perm("calendar.manage_closures", platform_admin | closure_manager)
# With a Closure or an Organisation.
rules.add_perm("calendar.manage_closure", platform_admin | closure_manager)
