"""Forms of the casework after filing (materials, service, evidence
exchange, messages, file review): what people type, checked before the
services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core.widgets import DateTimeInput, MultipleFileField

from .models import ServedKind, Stance


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=100, help_text=_("如“补充证据：借条原件照片”。"))
    uploads = MultipleFileField(label=_("文件"), help_text=_("可一次选择多个 PDF 或图片，每个不超过10 MB。"))


class MaterialDecideForm(forms.Form):
    """The clerk's batch decision; the ticked materials come as ``ids``."""

    action = forms.ChoiceField(choices=[("receive", _("接收")), ("return", _("退回"))])
    reason = forms.CharField(label=_("退回原因"), max_length=300, required=False)


class ServeForm(forms.Form):
    recipient = forms.TypedChoiceField(label=_("受送达律师"), coerce=int)
    kind = forms.ChoiceField(label=_("文书类型"), choices=ServedKind.choices)
    title = forms.CharField(label=_("文书名称"), max_length=100)
    upload = forms.FileField(
        label=_("文书 PDF"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}), help_text=_("只接受 PDF。")
    )


class SignForm(forms.Form):
    key = forms.CharField(
        label=_("签收密钥"),
        min_length=6,
        max_length=6,
        help_text=_("短信中的6位数字，10分钟内有效。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )


class ExchangeForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100, initial=_("第一次证据交换"))
    deadline = forms.DateTimeField(label=_("质证截止时间"), widget=DateTimeInput())
    materials = forms.TypedMultipleChoiceField(label=_("交换的证据"), coerce=int, widget=forms.CheckboxSelectMultiple)
    lawyers = forms.TypedMultipleChoiceField(label=_("发送给"), coerce=int, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


STANCES = [("", "—"), *Stance.choices]


def opinion_fields(item_id: int) -> dict[str, forms.Field]:
    return {
        f"authenticity_{item_id}": forms.ChoiceField(label=_("真实性"), choices=STANCES, required=False),
        f"legality_{item_id}": forms.ChoiceField(label=_("合法性"), choices=STANCES, required=False),
        f"relevance_{item_id}": forms.ChoiceField(label=_("关联性"), choices=STANCES, required=False),
        f"comment_{item_id}": forms.CharField(
            label=_("意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
        ),
    }


class OpinionsForm(forms.Form):
    """One row of fields per item sent: three stances and a comment."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_ids = []
        for item, opinion in items:
            self.item_ids.append(item.pk)
            for name, field in opinion_fields(item.pk).items():
                aspect = name.rsplit("_", 1)[0]
                field.initial = getattr(opinion, aspect, "") if opinion else ""
                self.fields[name] = field

    def opinions(self) -> dict[int, dict[str, str]]:
        d = self.cleaned_data
        return {
            i: {a: d.get(f"{a}_{i}", "") for a in ("authenticity", "legality", "relevance", "comment")}
            for i in self.item_ids
        }

    def rows(self):
        return [[self[f"{a}_{i}"] for a in ("authenticity", "legality", "relevance", "comment")] for i in self.item_ids]


class ThreadForm(forms.Form):
    case = forms.TypedChoiceField(label=_("案件"), coerce=int)
    title = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    uploads = MultipleFileField(label=_("附件"), required=False, help_text=_("可不附；最多5个，每个不超过10 MB。"))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("回复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    uploads = MultipleFileField(label=_("附件"), required=False)


class ReviewRequestForm(forms.Form):
    case = forms.TypedChoiceField(label=_("案件"), coerce=int)
    reason = forms.CharField(label=_("阅卷理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("批准")), ("0", _("不予批准"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    volumes = forms.TypedMultipleChoiceField(
        label=_("准予查阅的卷宗"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(label=_("查阅期限（天）"), min_value=1, max_value=90, initial=30, required=False)
    reason = forms.CharField(label=_("不予批准的理由"), max_length=300, required=False)


class VolumeForm(forms.Form):
    title = forms.CharField(label=_("卷宗名称"), max_length=100, help_text=_("如“正卷第一册”。"))
    upload = forms.FileField(label=_("卷宗 PDF"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))
