from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import search, selectors

IN_FORCE = [("", _("全部")), ("1", _("现行有效")), ("0", _("已被修改或废止"))]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("检索词"),
        required=False,
        max_length=200,
        help_text=_("可输入多个词，用空格分开；结果为同时包含这些词的条文。"),
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    in_force = forms.ChoiceField(label=_("效力"), required=False, choices=IN_FORCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("全部类别"))] + [(name, f"{name}（{n}）") for name, n in selectors.categories()]

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip()
        try:
            search.words(q)
        except search.QueryError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from exc
        return q

    def filters(self) -> search.Filters:
        value = self.cleaned_data.get("in_force") or ""
        return search.Filters(
            category=self.cleaned_data.get("category") or "",
            in_force=None if value == "" else value == "1",
        )
