"""The names of the audit actions court services record."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

from . import flows

ACTIONS = {
    "courts.case_bind": _("绑定案件"),
    "courts.filing_create": _("新建网上立案"),
    "courts.filing_update": _("保存立案信息"),
    "courts.filing_parties": _("保存当事人和代理人"),
    "courts.filing_service": _("保存送达地址"),
    "courts.filing_upload": _("上传立案材料"),
    "courts.filing_file_remove": _("删除立案材料"),
    "courts.notice_adjust": _("调整诉讼费"),
    "courts.payment_start": _("发起缴费"),
    "courts.payment_callback": _("支付通知"),
    "courts.payment_refund_due": _("重复支付，登记待退款"),
    "courts.hearing_schedule": _("排期开庭"),
    "courts.hearing_reschedule": _("变更开庭时间"),
    "courts.hearing_request_create": _("提出庭审冲突申请"),
    "courts.document_download": _("下载诉讼文书"),
}


def register() -> None:
    actions.register(ACTIONS, workflows=[flows.FILING, flows.NOTICE, flows.REQUEST])
