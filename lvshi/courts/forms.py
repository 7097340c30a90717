"""The forms of court services' pages. They check shapes; the rules are the
services', whose refusals the views show as form errors."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core.widgets import DateTimeInput, MultipleFileField

from .models import ApplicationType, CaseType, FileKind, PartyKind, PartyRole, ProviderName, RequestKind, ReturnCode


class AcceptForm(forms.Form):
    accepted = forms.BooleanField(label=_("我已阅读并同意上述须知"), required=True)


class TypeForm(forms.Form):
    case_type = forms.ChoiceField(label=_("案件类型"), choices=CaseType.choices)
    application_type = forms.ChoiceField(label=_("申请类型"), choices=ApplicationType.choices)


class InfoForm(forms.Form):
    cause = forms.CharField(label=_("案由"), max_length=100, help_text=_("如：民间借贷纠纷、买卖合同纠纷。"))
    claim_amount = forms.DecimalField(
        label=_("诉讼标的额（元）"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        help_text=_("财产案件填写，按《诉讼费用交纳办法》第十三条计算受理费；非财产案件不填。"),
    )
    claims = forms.CharField(label=_("诉讼请求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    facts = forms.CharField(
        label=_("事实与理由"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices)
    role = forms.ChoiceField(label=_("诉讼地位"), choices=PartyRole.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("原告一方必填；法人或其他组织填写法定代表人的。"),
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    representative = forms.CharField(label=_("法定代表人或负责人"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    address = forms.CharField(label=_("住所地"), max_length=200, required=False)


class AgentForm(forms.Form):
    party_id = forms.TypedChoiceField(label=_("被代理人"), coerce=int, choices=())
    name = forms.CharField(label=_("姓名"), max_length=50)
    licence_no = forms.CharField(label=_("执业证号"), max_length=30)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party_id"]).choices = [
            (p.pk, f"{p.get_role_display()} {p.name}") for p in parties
        ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=[(FileKind.COMPLAINT, FileKind.COMPLAINT.label), (FileKind.EVIDENCE, FileKind.EVIDENCE.label)],
    )
    uploads = MultipleFileField(label=_("文件"), help_text=_("可一次选择多张图片或多个 PDF，每个不超过10 MB。"))


class IdentityForm(forms.Form):
    party_id = forms.IntegerField(widget=forms.HiddenInput)
    front = forms.FileField(
        label=_("身份证人像面"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    back = forms.FileField(
        label=_("身份证国徽面"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )


class BindForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20, help_text=_("见受理通知书。"))
    password = forms.CharField(label=_("密码"), max_length=20, widget=forms.PasswordInput(render_value=False))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("缴费码"), max_length=20, help_text=_("见交费通知书或立案受理短信，16位数字。"))


class PayForm(forms.Form):
    provider = forms.ChoiceField(label=_("支付方式"), choices=ProviderName.choices, widget=forms.RadioSelect)


class AcceptFilingForm(forms.Form):
    judge = forms.TypedChoiceField(label=_("承办法官"), coerce=int, choices=())
    simplified = forms.BooleanField(label=_("适用简易程序（受理费减半）"), required=False)

    def __init__(self, *args, judges=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["judge"]).choices = [(j.pk, j.name) for j in judges]


class ReturnFilingForm(forms.Form):
    code = forms.ChoiceField(label=_("退回原因"), choices=ReturnCode.choices)
    reason = forms.CharField(label=_("需要补正的内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class AdjustForm(forms.Form):
    amount = forms.DecimalField(label=_("应缴金额（元）"), min_value=0.01, max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("调整理由"), max_length=300)


class HearingForm(forms.Form):
    start = forms.DateTimeField(label=_("开庭时间"), widget=DateTimeInput(attrs={"step": 900}))
    minutes = forms.TypedChoiceField(
        label=_("预计时长"),
        coerce=int,
        initial=60,
        choices=[(m, _("%(m)d分钟") % {"m": m}) for m in (30, 60, 90, 120, 180, 240)],
    )
    room = forms.TypedChoiceField(label=_("法庭"), coerce=int, choices=())
    judge = forms.TypedChoiceField(label=_("审判人员"), coerce=int, choices=())
    confirm = forms.BooleanField(label=_("已知悉上述冲突，仍按此时间排期"), required=False)

    def __init__(self, *args, rooms=(), judges=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["room"]).choices = [(r.pk, r.name) for r in rooms]
        cast(forms.ChoiceField, self.fields["judge"]).choices = [(j.pk, j.name) for j in judges]


class ConflictRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请事项"), choices=RequestKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    proposed_1 = forms.DateTimeField(label=_("建议开庭时间一"), required=False, widget=DateTimeInput())
    proposed_2 = forms.DateTimeField(label=_("建议开庭时间二"), required=False, widget=DateTimeInput())
    proposed_3 = forms.DateTimeField(label=_("建议开庭时间三"), required=False, widget=DateTimeInput())

    def proposed(self) -> list:
        return [self.cleaned_data[k] for k in ("proposed_1", "proposed_2", "proposed_3") if self.cleaned_data.get(k)]


class DecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("决定"),
        coerce=lambda v: v == "1",
        choices=[("1", _("准许")), ("0", _("不予准许"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    start = forms.DateTimeField(
        label=_("新的开庭时间（准许延期时）"), required=False, widget=DateTimeInput(attrs={"step": 900})
    )
