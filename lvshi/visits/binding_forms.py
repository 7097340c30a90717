"""Forms of the binding pages. They shape the input and check each file by
its content as soon as it arrives, so the error sits next to its field; the
rules are the services' (:mod:`lvshi.visits.bindings`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lvshi.core.errors import DomainError
from lvshi.core.uploads import ACCEPT_DOCUMENTS, check_upload

from .bindings import REASON_MAX, submit_centres
from .models import DocumentKind


def _file_field(kind: DocumentKind, *, required: bool, help_text=None) -> forms.FileField:
    return forms.FileField(
        label=kind.label,
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_DOCUMENTS}),
        help_text=help_text or _("PDF、JPG 或 PNG，不超过10 MB。"),
    )


class _FilesForm(forms.Form):
    file_fields: tuple[str, ...] = ()

    def _clean_file(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload:
            try:
                check_upload(upload, label=str(self.fields[name].label))
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return upload

    def clean(self):
        data = super().clean()
        for name in self.file_fields:
            if name in data and name not in self.errors:
                try:
                    data[name] = self._clean_file(name)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def documents(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.file_fields if self.cleaned_data.get(name)}


class BindingSubmitForm(_FilesForm):
    file_fields = tuple(k.value for k in DocumentKind if k != DocumentKind.REVOCATION)

    centre = forms.TypedChoiceField(label=_("看守所"), coerce=int)
    detainee_name = forms.CharField(label=_("在押人员姓名"), max_length=50, help_text=_("与委托书上的姓名一致。"))
    centre_number = forms.CharField(label=_("监号"), max_length=30, help_text=_("委托书或看守所告知的监号。"))
    case_number = forms.CharField(label=_("案号"), max_length=60, required=False, help_text=_("选填。"))
    legal_aid = forms.BooleanField(label=_("法律援助案件"), required=False)
    power_of_attorney = _file_field(DocumentKind.POWER_OF_ATTORNEY, required=True)
    licence = _file_field(DocumentKind.LICENCE, required=True)
    firm_letter = _file_field(DocumentKind.FIRM_LETTER, required=True)
    legal_aid_letter = _file_field(
        DocumentKind.LEGAL_AID_LETTER,
        required=False,
        help_text=_("法律援助案件必须上传，不超过10 MB。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("", _("请选择看守所"))] + [(c.pk, c.name) for c in submit_centres()]

    def clean(self):
        data = super().clean()
        if data.get("legal_aid") and not data.get("legal_aid_letter") and "legal_aid_letter" not in self.errors:
            self.add_error("legal_aid_letter", _("法律援助案件请上传法律援助指派函。"))
        return data


class BindingResubmitForm(_FilesForm):
    file_fields = BindingSubmitForm.file_fields

    case_number = forms.CharField(
        label=_("案号"), max_length=60, required=False, help_text=_("需要更正时填写，否则留空。")
    )
    power_of_attorney = _file_field(DocumentKind.POWER_OF_ATTORNEY, required=False)
    licence = _file_field(DocumentKind.LICENCE, required=False)
    firm_letter = _file_field(DocumentKind.FIRM_LETTER, required=False)
    legal_aid_letter = _file_field(DocumentKind.LEGAL_AID_LETTER, required=False)

    def __init__(self, *args, legal_aid: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not legal_aid:
            del self.fields["legal_aid_letter"]
            self.file_fields = tuple(f for f in self.file_fields if f != "legal_aid_letter")


class BindingReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("律师将在通知中看到这段话，请写明需要补正的材料。"),
    )


class BindingRevokeForm(_FilesForm):
    file_fields = ("document",)

    document = _file_field(DocumentKind.REVOCATION, required=True, help_text=_("委托人签署的书面解除委托书扫描件。"))
    note = forms.CharField(
        label=_("说明"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
