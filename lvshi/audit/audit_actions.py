"""The names of the audit actions audit records itself: reading and
exporting the trail, retention, and the changes django-auditlog sees
(lvshi.audit.actions)."""

from django.utils.translation import gettext_lazy as _

from . import actions
from .chain import PRUNE_ACTION

ACTIONS = {
    "audit.view_events": _("查询审计日志"),
    "audit.view_event": _("查看审计事件"),
    "audit.export_events": _("导出审计日志"),
    PRUNE_ACTION: _("清理过期审计日志"),
    "admin.create": _("后台管理：新增"),
    "admin.change": _("后台管理：修改"),
    "admin.delete": _("后台管理：删除"),
    "admin.view": _("后台管理：查看"),
    "model.create": _("数据新增"),
    "model.change": _("数据修改"),
    "model.delete": _("数据删除"),
    "model.view": _("数据查看"),
}


def register() -> None:
    actions.register(ACTIONS)
