"""Object permissions for organisations and memberships."""

from django.utils.translation import gettext_lazy as _

from .models import Role
from .permissions import declare
from .scope import role_in_scope

org_admin = role_in_scope(Role.ORG_ADMIN)
any_member = role_in_scope(*Role.values)

# Without an object: "may this user open the organisation pages at all?"
ADMIN = _("只有机构管理员和平台管理员可以管理机构与人员。")
declare("orgs.administer", roles=(Role.ORG_ADMIN,), platform_admin=True, denied=ADMIN)
declare("orgs.view_organisation", roles=tuple(Role.values), platform_admin=True)
declare("orgs.manage_members", roles=(Role.ORG_ADMIN,), platform_admin=True, denied=ADMIN)
declare("orgs.change_organisation", roles=(Role.ORG_ADMIN,), platform_admin=True, denied=ADMIN)
declare("orgs.create_child", roles=(Role.ORG_ADMIN,), platform_admin=True, denied=ADMIN)
declare("orgs.create_top_level", platform_admin=True, denied=_("只有平台管理员可以新建顶级机构。"))
