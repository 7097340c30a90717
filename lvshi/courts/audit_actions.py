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
    "courts.material_add": _("提交诉讼材料"),
    "courts.material_delete": _("删除诉讼材料"),
    "courts.material_download": _("查看诉讼材料"),
    "courts.document_serve": _("电子送达文书"),
    "courts.document_open": _("查看送达文书"),
    "courts.document_key": _("获取签收密钥"),
    "courts.exchange_create": _("组织证据交换"),
    "courts.opinions_save": _("保存质证意见"),
    "courts.opinions_submit": _("提交质证意见"),
    "courts.message_start": _("给法官留言"),
    "courts.message_post": _("继续留言"),
    "courts.message_reply": _("回复律师留言"),
    "courts.attachment_download": _("下载留言附件"),
    "courts.volume_add": _("添加卷宗"),
    "courts.review_request": _("申请网上阅卷"),
    "courts.review_page": _("在线阅卷（查看一页）"),
}


def register() -> None:
    actions.register(
        ACTIONS, workflows=[flows.FILING, flows.NOTICE, flows.REQUEST, flows.SERVICE, flows.MATERIAL, flows.REVIEW]
    )
