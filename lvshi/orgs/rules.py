"""Object permissions for organisations and memberships."""

import rules

from .models import Role
from .scope import platform_admin, role_in_scope

org_admin = role_in_scope(Role.ORG_ADMIN)
any_member = role_in_scope(*Role.values)

# Without an object: "may this user open the organisation pages at all?"
rules.add_perm("orgs.administer", platform_admin | org_admin)
rules.add_perm("orgs.view_organisation", platform_admin | any_member)
rules.add_perm("orgs.manage_members", platform_admin | org_admin)
rules.add_perm("orgs.change_organisation", platform_admin | org_admin)
rules.add_perm("orgs.create_child", platform_admin | org_admin)
rules.add_perm("orgs.create_top_level", platform_admin)
