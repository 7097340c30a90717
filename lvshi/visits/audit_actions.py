"""The names of the audit actions the meetings module records
(lvshi.audit.actions): its use cases', and its workflows' transitions named
from their declarations (``flows.py``)."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

from . import flows

ACTIONS = {
    "visits.booking_create": _("预约会见"),
    # Transitions that share an action (declared in flows.py):
    "visits.booking_cancel": _("会见预约：取消（律师取消，或委托终止、在押人员离所后撤销）"),
    "visits.binding_end": _("委托关系：终止"),
    "visits.binding_withdraw": _("委托关系：撤回"),
    "visits.appeal_decide": _("违约申诉：处理"),
    "visits.binding_submit": _("提交委托材料"),
    "visits.binding_create": _("看守所登记委托关系"),
    "visits.binding_document_download": _("下载委托材料"),
    "visits.centre_config_create": _("开通网上预约"),
    "visits.centre_config_update": _("修改预约设置"),
    "visits.room_create": _("新增会见室"),
    "visits.room_update": _("修改会见室"),
    "visits.extra_session_create": _("增开会见时段"),
    "visits.extra_session_delete": _("撤销增开时段"),
    "visits.detainee_create": _("登记在押人员"),
    "visits.detainee_update": _("修改在押人员信息"),
    "visits.detainee_leave": _("办理在押人员离所"),
    "visits.case_create": _("登记案件"),
    "visits.case_attach": _("关联同案在押人员"),
    "visits.case_detach": _("解除同案关联"),
    "visits.waitlist_join": _("加入候补"),
    "visits.violation_appeal": _("对违约记录提出申诉"),
    "visits.lock_create": _("锁定网上预约"),
    "visits.complaint_create": _("登记投诉"),
    "visits.complaints_export": _("导出投诉"),
    "visits.meeting_request_create": _("登记在押人员会见要求"),
    "visits.meeting_request_seen": _("查看会见要求"),
    "visits.notice_publish": _("发布通知公告"),
    "visits.records_export": _("导出会见记录"),
    "visits.statistics_export": _("导出会见统计"),
    "visits.demo_history_create": _("载入演示会见记录"),
}


def register() -> None:
    actions.register(
        ACTIONS,
        workflows=[
            flows.BOOKING,
            flows.BINDING,
            flows.COMPLAINT,
            flows.WAITLIST,
            flows.APPEAL,
            flows.VIOLATION,
            flows.LOCK,
        ],
    )
