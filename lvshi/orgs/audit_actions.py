"""The names of the audit actions orgs records (lvshi.audit.actions)."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

ACTIONS = {
    "orgs.organisation_create": _("新建机构"),
    "orgs.organisation_update": _("修改机构信息"),
    "orgs.view_organisation": _("查看机构及其人员"),
    "orgs.membership_add": _("添加机构人员"),
    "orgs.membership_change_role": _("调整人员角色"),
    "orgs.membership_activate": _("恢复人员"),
    "orgs.membership_deactivate": _("停用人员"),
    "orgs.staff_account_create": _("开设工作人员账户"),
    "orgs.staff_account_activate": _("工作人员激活账户"),
    "orgs.staff_activation_reissue": _("重发激活链接"),
}


def register() -> None:
    actions.register(ACTIONS)
