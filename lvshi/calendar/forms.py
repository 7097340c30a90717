from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core import widgets
from lvshi.orgs.models import Organisation

from .selectors import calendar_orgs, closure_orgs_for


class ClosureForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("机构"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("请从列表中选择您管理的机构。"), "required": _("请选择机构。")},
    )
    date = forms.DateField(
        label=_("日期"),
        widget=widgets.DateInput(),
        error_messages={"invalid": _("请输入有效的日期，例如 2026-10-09。"), "required": _("请选择日期。")},
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=200,
        help_text=_("律师预约时会看到这一说明，例如“设施检修，暂停会见”。"),
        error_messages={"required": _("请填写原因。"), "max_length": _("原因最多200个字。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = closure_orgs_for(user)


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)
    org = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org"]).queryset = calendar_orgs()

    def month_start(self, default: date) -> date:
        year = self.cleaned_data.get("year") or default.year
        month = self.cleaned_data.get("month") or default.month
        return date(year, month, 1)


class EntryForm(forms.Form):
    """A lawyer's own schedule entry (C1)."""

    start = forms.DateTimeField(label=_("开始时间"), widget=widgets.DateTimeInput())
    end = forms.DateTimeField(label=_("结束时间"), widget=widgets.DateTimeInput())
    text = forms.CharField(
        label=_("事项"), max_length=200, help_text=_("如：外地出差、另案开庭。只有您案件的承办法官能看到。")
    )
    can_attend = forms.BooleanField(label=_("该时段可以出庭"), required=False)
    region_code = forms.CharField(
        label=_("所在地区代码"),
        max_length=6,
        required=False,
        help_text=_("6位行政区划代码，如渝中区 500103；用于计算与其他安排之间的路程时间。"),
    )
