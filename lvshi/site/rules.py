"""The shell's permissions."""

from django.utils.translation import gettext_lazy as _

from lvshi.orgs.permissions import declare

# Django's admin site, for platform administrators.
declare("site.use_admin", platform_admin=True, denied=_("只有平台管理员可以进入后台管理。"))
