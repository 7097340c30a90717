"""Forms of lawyer administration: what people type, checked before the
services check the rules. An application's form is built from its
business type's declaration (``business.FORMS``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core.widgets import DateInput, MultipleFileField

from . import business
from .models import ITEMS, ApplicationReturnCode, Business, ImportKind, LawyerKind, LetterKind, MatterType, PenaltyKind

_LONG = forms.Textarea(attrs={"rows": 4})


def _field(f: business.Field) -> forms.Field:
    label, required = str(f.label), f.required
    if f.kind == "choice":
        choices = list(f.choices) if f.required else [("", "—"), *f.choices]
        return forms.ChoiceField(label=label, required=required, choices=choices)
    if f.kind == "long":
        return forms.CharField(label=label, required=required, max_length=f.limit, widget=_LONG)
    if f.kind == "id_number":
        help_text = _("18位居民身份证号码，保存后只显示前4位和后4位。")
        return forms.CharField(label=label, required=required, max_length=18, help_text=help_text)
    if f.kind in ("credit_code", "firm"):
        help_text = _("18位统一社会信用代码。")
        return forms.CharField(label=label, required=required, max_length=18, help_text=help_text)
    if f.kind == "mobile":
        widget = forms.TextInput(attrs={"inputmode": "tel"})
        return forms.CharField(label=label, required=required, max_length=11, widget=widget)
    return forms.CharField(label=label, required=required, max_length=f.limit)


class BusinessChoiceForm(forms.Form):
    business = forms.ChoiceField(label=_("业务类型"), choices=Business.choices)


class ApplicationForm(forms.Form):
    """The fields of one business type (+ the lawyer and the year where it asks)."""

    def __init__(self, *args, business_type: str, lawyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        form = business.FORMS[business_type]
        if form.lawyer:
            self.fields["lawyer"] = forms.TypedChoiceField(
                label=_("律师"), coerce=int, choices=[(lw.pk, f"{lw.name}（{lw.licence_no}）") for lw in lawyers]
            )
        if form.yearly:
            self.fields["year"] = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
        for f in form.fields:
            self.fields[f.key] = _field(f)


class ReceiveForm(forms.Form):
    originals = forms.BooleanField(
        label=_("纸质申请材料已收到"), required=False, help_text=_("收到纸质原件后勾选，受理回执上会注明。")
    )
    opinion = forms.CharField(label=_("备注"), max_length=300, required=False)


class ReturnForm(forms.Form):
    code = forms.ChoiceField(label=_("退回原因"), choices=ApplicationReturnCode.choices)
    reason = forms.CharField(
        label=_("需要补正的内容"), max_length=300, widget=_LONG, help_text=_("一次写明需要补正的全部内容。")
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("意见"), max_length=300, widget=_LONG)


class LawyerEditForm(forms.Form):
    mobile = forms.CharField(label=_("手机号码"), max_length=11, required=False)
    employer = forms.CharField(label=_("所在单位"), max_length=100, required=False)


class LawyerBureauForm(LawyerEditForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    kind = forms.ChoiceField(label=_("律师类别"), choices=LawyerKind.choices)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("照片"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
        help_text=_("JPEG 或 PNG，不超过2 MB。"),
    )


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("姓名、执业证号、律师事务所名称或统一社会信用代码"), max_length=100, min_length=2, required=False
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    upload = forms.FileField(
        label=_("Excel 文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("按导入模板填写的 .xlsx 文件，一次不超过20000行。上传后先预览，确认后才导入。"),
    )


class ReportForm(forms.Form):
    period = forms.CharField(
        label=_("报表期间"), max_length=7, help_text=_("如 2026（年报）、2026-H1（半年报）或 2026-Q3（季报）。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ITEMS:
            self.fields[key] = forms.IntegerField(label=str(label), min_value=0, initial=0)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=300, widget=_LONG)


class CaseForm(forms.Form):
    lawyer = forms.TypedChoiceField(label=_("承办律师"), coerce=int)
    co_lawyer = forms.TypedChoiceField(label=_("协办律师"), coerce=int, required=False, empty_value=None)
    client = forms.CharField(label=_("委托人"), max_length=100)
    matter_type = forms.ChoiceField(label=_("业务类型"), choices=MatterType.choices)
    matter = forms.CharField(label=_("案由或事项"), max_length=200)
    venue = forms.CharField(label=_("受理法院或机关"), max_length=100, required=False)
    taken_on = forms.DateField(label=_("收案日期"), widget=DateInput())
    fee = forms.DecimalField(label=_("收费（元）"), min_value=0, max_digits=12, decimal_places=2, initial=0)

    def __init__(self, *args, lawyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(lw.pk, f"{lw.name}（{lw.licence_no}）") for lw in lawyers]
        self.fields["lawyer"].choices = choices  # type: ignore[attr-defined]
        self.fields["co_lawyer"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("结案日期"), widget=DateInput())


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("函件类型"), choices=LetterKind.choices)
    recipient = forms.CharField(label=_("致"), max_length=100, help_text=_("收函单位，如“广州市第一看守所”。"))
    days = forms.IntegerField(label=_("有效期（天）"), min_value=1, max_value=90, initial=30)


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label=_("投诉人"), max_length=50)
    complainant_phone = forms.CharField(label=_("投诉人联系电话"), max_length=20, required=False)
    lawyer = forms.CharField(
        label=_("被投诉律师执业证号"),
        max_length=17,
        required=False,
        help_text=_("投诉律师事务所的，此项不填，填写下方统一社会信用代码。"),
    )
    firm = forms.CharField(label=_("被投诉律师事务所统一社会信用代码"), max_length=18, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())
    facts = forms.CharField(label=_("投诉事实"), max_length=5000, widget=_LONG)
    first_opinion = forms.CharField(label=_("初步处理意见"), max_length=500, widget=_LONG)
    evidence = MultipleFileField(
        label=_("证据材料"), required=False, help_text=_("PDF 或图片，最多10个，每个不超过10 MB。")
    )


class StepForm(forms.Form):
    text = forms.CharField(label=_("处理情况"), max_length=1000, widget=_LONG)


class PenaltyForm(forms.Form):
    kind = forms.ChoiceField(label=_("处罚或处分"), choices=PenaltyKind.choices)
    decision_no = forms.CharField(label=_("决定书文号"), max_length=50)
    reason = forms.CharField(label=_("违法违规事实"), max_length=500, widget=_LONG)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    starts_on = forms.DateField(label=_("执行开始"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("执行结束"), widget=DateInput(), required=False)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, required=False)
    public_until = forms.DateField(
        label=_("公示截止"), widget=DateInput(), required=False, help_text=_("不填则不在公众查询中公示。")
    )


class CorrectionForm(forms.Form):
    """One optional input per field the request may correct (built per target)."""

    reason = forms.CharField(label=_("更正理由"), max_length=500, widget=_LONG)
    evidence = MultipleFileField(label=_("证明材料"), help_text=_("PDF 或图片，最多10个，每个不超过10 MB。"))

    def __init__(self, *args, fields: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in fields.items():
            self.fields[f"new_{name}"] = forms.CharField(
                label=_("更正后的%(label)s") % {"label": label}, max_length=500, required=False
            )
        self.order_fields([f"new_{n}" for n in fields] + ["reason", "evidence"])

    def changes(self) -> dict[str, str]:
        return {k[4:]: v for k, v in self.cleaned_data.items() if k.startswith("new_") and v}


class DuesForm(forms.Form):
    licence_no = forms.CharField(label=_("执业证号"), max_length=17)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("缴纳日期"), widget=DateInput())


class TrainingForm(forms.Form):
    licence_no = forms.CharField(label=_("执业证号"), max_length=17)
    course = forms.CharField(label=_("课程"), max_length=100)
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_digits=5, decimal_places=1)
    attended_on = forms.DateField(label=_("培训日期"), widget=DateInput())


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(label=_("内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))


class MessageForm(forms.Form):
    recipient = forms.TypedChoiceField(label=_("收件机关"), coerce=int)
    subject = forms.CharField(label=_("主题"), max_length=100)
    text = forms.CharField(label=_("内容"), max_length=5000, widget=_LONG)


class BackgroundForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=[("education", _("学习经历")), ("career", _("工作经历"))])
    place = forms.CharField(label=_("学校或单位"), max_length=100)
    detail = forms.CharField(label=_("专业或职务"), max_length=50, required=False)
    degree = forms.CharField(label=_("学历学位"), max_length=30, required=False)
    start = forms.DateField(label=_("开始"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("结束"), widget=DateInput(), required=False)
