"""Forms of the registration, profile, password and licence pages.

Forms check the shape of the input (and the captcha); the services in
:mod:`lvshi.accounts.services` apply the rules and report refusals, which
:func:`add_domain_error` puts next to the field concerned.
"""

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from lvshi.core.errors import DomainError

from . import selectors
from .identity import normalize_id_number, normalize_licence_no, normalize_mobile

CAPTCHA_ERRORS = {
    "invalid": _("图片验证码不正确，请看清图片重新输入（不区分大小写）。"),
    "required": _("请输入图片中的验证码。"),
}


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: beside its field when the form
    has that field, otherwise above the form."""
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


class PasswordPairMixin(forms.Form):
    """Two password boxes that must match. The rules themselves are checked
    by the service, which knows the account."""

    password_fields = ("new_password1", "new_password2")

    def clean(self):
        cleaned = super().clean() or {}
        first, second = (cleaned.get(name) for name in self.password_fields)
        if first and second and first != second:
            self.add_error(self.password_fields[1], _("两次输入的密码不一致，请重新输入。"))
        return cleaned


def _password_field(label, help_text=""):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
        error_messages={"required": _("请输入密码。")},
    )


class FirmChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class RegistrationForm(PasswordPairMixin, forms.Form):
    password_fields = ("password1", "password2")

    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=40,
        help_text=_("18位第二代居民身份证号码，注册后作为登录名，不能修改。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "text"}),
        error_messages={"required": _("请输入18位身份证号码。")},
    )
    name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请输入姓名，与身份证上的姓名一致。")}
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("请输入11位手机号码。")},
    )
    licence_no = forms.CharField(
        label=_("执业证号"),
        max_length=40,
        help_text=_("律师执业证上的17位数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("请输入17位执业证号。")},
    )
    firm = FirmChoiceField(
        label=_("执业机构"),
        queryset=selectors.registration_firms(),
        empty_label=_("请选择律师事务所、公职律师事务所或法律援助机构"),
        error_messages={
            "required": _("请选择您的执业机构。"),
            "invalid_choice": _("所选执业机构不存在或已停用，请重新选择。"),
        },
    )
    password1 = _password_field(_("密码"), help_text=password_validators_help_text_html())
    password2 = _password_field(_("确认密码"))
    captcha = CaptchaField(label=_("验证码"), error_messages=CAPTCHA_ERRORS)

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_licence_no(self):
        return normalize_licence_no(self.cleaned_data["licence_no"])


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("请输入有效的电子邮箱地址，例如 name@example.com。")},
    )


class MobileChangeForm(forms.Form):
    mobile = forms.CharField(
        label=_("新手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("请输入新的11位手机号码。")},
    )
    current_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("更换手机号码须再次输入当前密码。")},
    )

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class SmsCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^[0-9]{6}$",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("请输入短信中的6位验证码。"), "invalid": _("验证码是6位数字。")},
    )


class LicenceResubmitForm(forms.Form):
    licence_no = forms.CharField(
        label=_("执业证号"), max_length=40, error_messages={"required": _("请输入17位执业证号。")}
    )

    def clean_licence_no(self):
        return normalize_licence_no(self.cleaned_data["licence_no"])


class PasswordChangeForm(PasswordPairMixin, forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入当前密码。")},
    )
    new_password1 = _password_field(_("新密码"), help_text=password_validators_help_text_html())
    new_password2 = _password_field(_("确认新密码"))


class PasswordResetRequestForm(forms.Form):
    login_name = forms.CharField(
        label=_("身份证号码或执业证号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": _("请输入注册时使用的身份证号码或执业证号。")},
    )
    captcha = CaptchaField(label=_("验证码"), error_messages=CAPTCHA_ERRORS)


class PasswordResetConfirmForm(PasswordPairMixin, SmsCodeForm):
    new_password1 = _password_field(_("新密码"), help_text=password_validators_help_text_html())
    new_password2 = _password_field(_("确认新密码"))


class LicenceRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不予核验的原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("律师会收到这段说明，请写明需要核对或补充的内容。"),
        error_messages={"required": _("请填写不予核验的原因，律师将据此修改。")},
    )
