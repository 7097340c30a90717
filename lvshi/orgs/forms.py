"""Forms of the organisation pages. They check the shape of the input; the
rules are in :mod:`lvshi.orgs.services`."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core.errors import DomainError
from lvshi.core.text import StrOrPromise

from .models import Organisation, OrgKind, Role, assignable_roles, child_kinds


def _role_choices(kind: str) -> list[tuple[str, StrOrPromise]]:
    labels = dict(Role.choices)
    return [(r, labels[r]) for r in assignable_roles(kind)]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "region_code", "region_name", "address", "phone"]
        help_texts = {
            "region_code": _("6位行政区划代码，例如上海市 310000、广州市 440100。"),
            "short_name": _("可不填。"),
        }

    def __init__(self, *args, parent: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(OrgKind.choices)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k, labels[k]) for k in child_kinds(parent.kind if parent else None)
        ]
        if parent is not None:
            self.fields["region_code"].initial = parent.region_code
            self.fields["region_name"].initial = parent.region_name

    def validate_unique(self):
        """Uniqueness under the parent is the service's rule."""


class OrganisationEditForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "region_code", "region_name", "address", "phone"]
        help_texts = OrganisationForm.Meta.help_texts

    def validate_unique(self):
        """Uniqueness under the parent is the service's rule."""


class StaffForm(forms.Form):
    # Length and check digit are judged by normalize_id_number, whose messages say what is wrong.
    id_number = forms.CharField(label=_("身份证号码"), max_length=32, strip=True)
    name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=20)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"))
    title = forms.CharField(label=_("职务"), max_length=50, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(organisation.kind)
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["mobile"].widget.attrs.update(autocomplete="off", inputmode="tel")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    title = forms.CharField(label=_("职务"), max_length=50, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(organisation.kind)


class ActivationForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致，请重新输入。"))
        return data


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one."""
    placed = False
    for field, messages in (exc.details or {}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
