from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core import widgets

from .models import Result


class EventFilterForm(forms.Form):
    action = forms.CharField(
        label=_("动作"),
        max_length=64,
        required=False,
        help_text=_("按前缀匹配，例如 auth. 表示全部登录事件"),
    )
    actor = forms.CharField(label=_("操作人"), max_length=100, required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=widgets.DateInput())
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=widgets.DateInput())
    result = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部")), *Result.choices])

    def clean_action(self):
        return self.cleaned_data["action"].strip()

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期，请调整日期范围。"))
        return data

    DATE_FIELDS = ("date_from", "date_to")
    TEXT_FIELDS = ("action", "actor", "result")

    def filters(self) -> dict:
        """The cleaned filters, for the selector and for the audit record."""
        data = self.cleaned_data
        return {
            **{name: data.get(name) or "" for name in self.TEXT_FIELDS},
            **{name: data.get(name) for name in self.DATE_FIELDS},
        }

    def described(self) -> dict:
        """The filters as they are recorded in the trail (only those set)."""
        return {
            name: value.isoformat() if name in self.DATE_FIELDS else value
            for name, value in self.filters().items()
            if value
        }
