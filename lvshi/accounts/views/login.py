"""Sign-in, sign-out and two-factor pages. The rules live in
:mod:`lvshi.accounts.signin` and :mod:`lvshi.accounts.otp`."""

from __future__ import annotations

from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.orgs.scope import requires_two_factor

from .. import otp, signin
from ..http import SignedInRequest
from ..middleware import owes_second_factor
from ..models import TwoFactorMethod, mask_mobile

NEXT_SESSION_KEY = "signin_next"


# --- forms ---------------------------------------------------------------------


class LoginForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("身份证号码或执业证号"),
        max_length=signin.MAX_LOGIN_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}),
        error_messages={"required": gettext_lazy("请输入18位身份证号码或17位执业证号。")},
    )
    password = forms.CharField(
        label=gettext_lazy("密码"),
        max_length=signin.MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("请输入密码。")},
    )
    captcha_key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    captcha_value = forms.CharField(
        label=gettext_lazy("图形验证码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("请输入图中的字符（不区分大小写）。")},
    )


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6位验证码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
        error_messages={"required": gettext_lazy("请输入6位验证码。")},
    )


class TotpConfirmForm(CodeForm):
    device_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DisableForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("当前登录密码"),
        max_length=signin.MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("请输入当前登录密码以确认关闭。")},
    )


# --- helpers -------------------------------------------------------------------


def safe_next(request: HttpRequest, candidate: str | None = None) -> str:
    """The ``next`` address if it stays on this site, else the home page."""
    url = candidate if candidate is not None else request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked(request: HttpRequest, message: str):
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def _finish(request: HttpRequest, user, device=None, next_url: str | None = None):
    """Second factor passed (or none needed): mark the session and go on."""
    if device is not None:
        otp_login(request, device)
        request.session.cycle_key()
    signin.signin_complete(request, user=user)
    target = next_url if next_url is not None else request.session.pop(NEXT_SESSION_KEY, "")
    return redirect(safe_next(request, target))


# --- sign-in and sign-out --------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@permissions.page(permissions.PUBLIC)
def login_view(request: HttpRequest):
    next_url = safe_next(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect("accounts:otp_verify" if owes_second_factor(request.user) else next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = signin.signin_password(
                request,
                username=data["username"],
                password=data["password"],
                captcha_key=data["captcha_key"],
                captcha_value=data["captcha_value"],
            )
        except DomainError as exc:
            if exc.code == "locked_out":
                return _locked(request, exc.message)
            form.add_error("captcha_value" if exc.code == "captcha_invalid" else None, exc.message)
        else:
            auth_login(request, user)
            method = otp.required_method(user)
            if not method:
                return _finish(request, user, next_url=next_url)
            request.session[NEXT_SESSION_KEY] = next_url
            device = otp.login_device(user)
            if device is None:
                return redirect("accounts:otp_setup")
            if method == TwoFactorMethod.SMS:
                try:
                    messages.info(request, signin.second_factor_send(user=user))
                except DomainError as exc:
                    messages.warning(request, exc.message)
            return redirect("accounts:otp_verify")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "captcha_key": CaptchaStore.generate_key(), "next": next_url},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permissions.page(permissions.PUBLIC)
def logout_view(request: HttpRequest):
    """GET asks for confirmation; only POST ends the session (on the server)."""
    if request.method == "POST":
        auth_logout(request)
        messages.info(request, _("您已安全退出。"))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")


# --- second factor at sign-in ----------------------------------------------------


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def otp_verify(request: HttpRequest):
    user = request.user
    if not owes_second_factor(user):
        return redirect(safe_next(request, request.session.pop(NEXT_SESSION_KEY, None)))
    if "next" in request.GET and NEXT_SESSION_KEY not in request.session:
        request.session[NEXT_SESSION_KEY] = safe_next(request)
    device = otp.login_device(user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = signin.second_factor_check(request, user=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            if exc.code == "locked_out":
                auth_logout(request)
                return _locked(request, exc.message)
            form.add_error("token", exc.message)
        else:
            return _finish(request, user, device)
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "is_sms": isinstance(device, otp.SmsDevice), "device": device},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_POST
@permissions.page(permissions.SIGNED_IN)
def otp_resend(request: HttpRequest):
    if not owes_second_factor(request.user):
        return redirect("accounts:two_factor")
    try:
        messages.info(request, signin.second_factor_send(user=request.user))
    except DomainError as exc:
        messages.warning(request, exc.message)
    return redirect("accounts:otp_verify")


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def otp_setup(request: HttpRequest):
    """Set up an authenticator app: QR code and secret, confirmed by a code."""
    user = request.user
    owed = owes_second_factor(user)
    if owed and (otp.required_method(user) != TwoFactorMethod.TOTP or otp.login_device(user) is not None):
        # Someone who signed in with only the password may not replace an
        # existing second factor.
        return redirect("accounts:otp_verify")
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.totp_enrol_confirm(
                actor=Actor.of(request, user=user),
                device_id=form.cleaned_data["device_id"],
                token=form.cleaned_data["token"],
            )
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            messages.success(request, _("身份验证器已绑定，今后登录时请输入其中显示的6位数字。"))
            if owed:
                return _finish(request, user, device)
            otp_login(request, device)
            request.session.cycle_key()
            return redirect("accounts:two_factor")
    device = otp.totp_enrolment_start(user=user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "device": device,
            "qr": otp.totp_qr_data_uri(device),
            "secret": otp.totp_secret(device),
            "owed": owed,
        },
        status=400 if form.is_bound else 200,
    )


# --- profile: choose the second factor -----------------------------------------------


@sensitive_post_parameters("password", "token")
@never_cache
@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def two_factor(request: SignedInRequest):
    user = request.user
    code_form = CodeForm()
    disable_form = DisableForm()
    sms_pending = False
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "sms_send":
                messages.info(request, otp.sms_enrolment_start(user=user))
                sms_pending = True
            elif action == "sms_confirm":
                sms_pending = True
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    device = otp.sms_enrol_confirm(
                        actor=Actor.of(request, user=user), token=code_form.cleaned_data["token"]
                    )
                    otp_login(request, device)
                    request.session.cycle_key()
                    messages.success(request, _("已开启短信验证码双重验证，今后登录时需输入发送到您手机的验证码。"))
                    return redirect("accounts:two_factor")
                status = 400
            elif action == "disable":
                disable_form = DisableForm(request.POST)
                if disable_form.is_valid():
                    otp.two_factor_disable(
                        actor=Actor.of(request, user=user), password=disable_form.cleaned_data["password"]
                    )
                    messages.success(request, _("已关闭双重验证。建议您开启，以保护账户安全。"))
                    return redirect("accounts:two_factor")
                status = 400
            else:
                messages.error(request, _("无法识别的操作，请在页面上重新选择。"))
                status = 400
        except DomainError as exc:
            status = exc.status
            if action == "disable":
                disable_form.add_error(None, exc.message)
            else:
                messages.error(request, exc.message)
    user.refresh_from_db(fields=["two_factor_method"])
    return render(
        request,
        "accounts/two_factor.html",
        {
            "method": otp.required_method(user),
            "method_label": TwoFactorMethod(otp.required_method(user)).label,
            "mandatory": requires_two_factor(user),
            "code_form": code_form,
            "disable_form": disable_form,
            "sms_pending": sms_pending,
            "mobile_masked": mask_mobile(user.mobile),
            "setup_url": reverse("accounts:otp_setup"),
        },
        status=status,
    )
