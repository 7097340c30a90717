"""The names of the audit actions lawyer administration records."""

from django.utils.translation import gettext_lazy as _

from lvshi.audit import actions

from . import flows

ACTIONS = {
    "bureau.application_create": _("新建业务申请"),
    "bureau.application_update": _("修改业务申请"),
    "bureau.application_receipt": _("打印受理回执"),
    "bureau.firm_establish": _("设立律师事务所"),
    "bureau.firm_change": _("变更律师事务所"),
    "bureau.firm_close": _("注销律师事务所"),
    "bureau.lawyer_update": _("修改律师信息"),
    "bureau.lawyer_photo": _("上传律师照片"),
    "bureau.lawyer_background": _("添加律师学习或工作经历"),
    "bureau.lawyer_view": _("查看律师个人信息"),
    "bureau.firm_view": _("查看律师事务所信息"),
    "bureau.import_upload": _("上传导入文件"),
    "bureau.import_confirm": _("确认导入"),
    "bureau.import_done": _("导入完成"),
    "bureau.report_save": _("填报工作报表"),
    "bureau.correction_request": _("提交更正申请"),
    "bureau.correction_file": _("下载更正证明材料"),
    "bureau.dues_record": _("登记会费"),
    "bureau.training_record": _("登记培训"),
    "bureau.announcement_publish": _("发布公告"),
    "bureau.message_send": _("给其他机关留言"),
    "bureau.export": _("导出律师管理数据"),
    "bureau.search": _("综合查询"),
    "bureau.complaint_register": _("登记投诉"),
    "bureau.complaint_step": _("登记投诉处理情况"),
    "bureau.evidence_download": _("下载投诉证据"),
    "bureau.penalty_record": _("登记处罚处分"),
    "bureau.penalty_update": _("修改处罚处分"),
    "bureau.case_register": _("登记案件"),
    "bureau.case_close": _("登记结案"),
    "bureau.letter_issue": _("出具介绍信"),
    "bureau.letter_revoke": _("作废介绍信"),
    "bureau.letter_download": _("下载介绍信"),
    "bureau.report_sum_send": _("报送报表汇总"),
}


def register() -> None:
    actions.register(ACTIONS, workflows=[flows.APPLICATION, flows.REPORT, flows.COMPLAINT, flows.CORRECTION])
