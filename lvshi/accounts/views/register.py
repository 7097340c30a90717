"""Registration, profile, password and licence-verification pages.

Thin views: the forms check the input, the services in
:mod:`lvshi.accounts.services` decide, and a refusal comes back as a form
error beside the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.core.errors import DomainError
from lvshi.core.middleware import client_ip
from lvshi.orgs import permissions

from .. import access, selectors, services
from ..forms import (
    EmailForm,
    LicenceRejectForm,
    LicenceResubmitForm,
    MobileChangeForm,
    PasswordChangeForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    RegistrationForm,
    SmsCodeForm,
    add_domain_error,
)
from ..http import SignedInRequest
from ..identity import mask_id_number, mask_mobile
from ..models import LicenceStatus

RESET_SESSION_KEY = "password_reset_login"
LOGIN_BACKEND = "lvshi.accounts.backends.IdentityBackend"


# --- registration ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.PUBLIC)
def register(request: HttpRequest):
    """V1: a lawyer opens an account with ID number, name, mobile, licence
    number and firm."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.lawyer_register(
                id_number=data["id_number"],
                name=data["name"],
                mobile=data["mobile"],
                licence_no=data["licence_no"],
                firm=data["firm"],
                password=data["password1"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            if user.licence_status == LicenceStatus.VERIFIED:
                messages.success(request, _("注册成功，您的执业证已自动核验通过。"))
            else:
                messages.info(
                    request,
                    _("注册成功。您的执业证需由所在律师事务所的主管司法局核验，核验结果会以短信和站内通知告知您。"),
                )
            return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


# --- profile -----------------------------------------------------------------------


def _profile_context(request: SignedInRequest, **forms):
    user = request.user
    memberships = selectors.memberships_of(user)
    lawyer_memberships = [m for m in memberships if m.role == "lawyer"]
    return {
        "profile": user,
        "memberships": memberships,
        "firm": lawyer_memberships[0].organisation if lawyer_memberships else None,
        "mobile_masked": mask_mobile(user.mobile),
        "pending_mobile": mask_mobile(selectors.pending_mobile_change(user)),
        "rejection_reason": selectors.licence_rejection_reason(user),
        "can_resubmit_licence": bool(lawyer_memberships)
        and user.licence_status in (LicenceStatus.PENDING, LicenceStatus.REJECTED),
        "email_form": forms.get("email_form") or EmailForm(initial={"email": user.email}),
        "licence_form": forms.get("licence_form") or LicenceResubmitForm(initial={"licence_no": user.licence_no}),
    }


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def profile(request: SignedInRequest):
    """V2 "edit my details": see the account, change the e-mail address."""
    email_form = EmailForm(request.POST or None)
    if request.method == "POST" and email_form.is_valid():
        try:
            services.profile_update(user=request.user, email=email_form.cleaned_data["email"], ip=client_ip(request))
        except DomainError as exc:
            add_domain_error(email_form, exc)
        else:
            messages.success(request, _("电子邮箱已保存。"))
            return redirect("accounts:profile")
    context = _profile_context(request, email_form=email_form if request.method == "POST" else None)
    return render(request, "accounts/profile.html", context, status=400 if email_form.errors else 200)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def profile_licence(request: SignedInRequest):
    """Correct the licence number while it waits or after a rejection."""
    form = LicenceResubmitForm(request.POST)
    if form.is_valid():
        try:
            user = services.licence_resubmit(
                user=request.user, licence_no=form.cleaned_data["licence_no"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if user.licence_status == LicenceStatus.VERIFIED:
                messages.success(request, _("执业证号已更新并核验通过。"))
            else:
                messages.info(request, _("执业证号已更新，正在等待主管司法局核验。"))
            return redirect("accounts:profile")
    context = _profile_context(request, licence_form=form)
    return render(request, "accounts/profile.html", context, status=400)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def profile_mobile(request: SignedInRequest):
    """Change the mobile number, step one: current password and new number."""
    form = MobileChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_change_request(
                user=request.user,
                current_password=form.cleaned_data["current_password"],
                new_mobile=form.cleaned_data["mobile"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.info(
                request,
                _("验证码已发送至 %(mobile)s，请在10分钟内输入。")
                % {"mobile": mask_mobile(form.cleaned_data["mobile"])},
            )
            return redirect("accounts:profile_mobile_confirm")
    return render(request, "accounts/profile_mobile.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def profile_mobile_confirm(request: SignedInRequest):
    """Change the mobile number, step two: the code sent to the new number."""
    pending = selectors.pending_mobile_change(request.user)
    if not pending:
        messages.info(request, _("没有待确认的手机号码更换，请先填写新号码。"))
        return redirect("accounts:profile_mobile")
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_change_confirm(user=request.user, code=form.cleaned_data["code"], ip=client_ip(request))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("手机号码已更换，今后的短信将发送到新号码。"))
            return redirect("accounts:profile")
    context = {"form": form, "pending_mobile": mask_mobile(pending)}
    return render(request, "accounts/profile_mobile_confirm.html", context, status=400 if form.errors else 200)


# --- passwords -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def password_change(request: SignedInRequest):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。其他设备上的登录已失效，需要用新密码重新登录。"))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.PUBLIC)
def password_reset(request: HttpRequest):
    """Forgotten password, step one: login name and captcha. The answer is
    the same whether or not the account exists."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_name = form.cleaned_data["login_name"].strip().upper()
        services.password_reset_request(login_name=login_name, ip=client_ip(request))
        request.session[RESET_SESSION_KEY] = login_name
        messages.info(
            request, _("如果该账号存在，验证码已发送至其注册手机号码，10分钟内有效。没有收到可在1分钟后重新获取。")
        )
        return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200)


def _mask_login_name(login_name: str) -> str:
    return mask_id_number(login_name) if len(login_name) > 8 else "****"


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.PUBLIC)
def password_reset_confirm(request: HttpRequest):
    """Forgotten password, step two: the SMS code and a new password."""
    login_name = request.session.get(RESET_SESSION_KEY)
    if not login_name:
        messages.info(request, _("请先输入身份证号码或执业证号获取验证码。"))
        return redirect("accounts:password_reset")
    form = PasswordResetConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                login_name=login_name,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            messages.success(request, _("密码已重设，请使用新密码登录。"))
            return redirect(settings.LOGIN_URL)
    context = {"form": form, "login_name_masked": _mask_login_name(login_name)}
    return render(request, "accounts/password_reset_confirm.html", context, status=400 if form.errors else 200)


# --- licence verification ------------------------------------------------------------


def _queue_lawyer(request: SignedInRequest, user_id: int):
    """A pending lawyer of the clerk's bureau subtree; anyone else → 404."""
    return access.lawyer_for_verification_or_404(request.user, user_id)


@require_http_methods(["GET"])
@permissions.page("accounts.verify_licence")
def licence_queue(request: SignedInRequest):
    """Lawyers of the clerk's bureau subtree waiting for licence verification."""
    lawyers: list[Any] = selectors.with_registry(list(selectors.licence_queue(request.user)[:200]))
    rows = [
        {
            "lawyer": lawyer,
            "registry_status_label": lawyer.registry_status_label,
            "name_matches": lawyer.registry_name == lawyer.name,
        }
        for lawyer in lawyers
    ]
    return render(request, "accounts/licence_queue.html", {"rows": rows, "reject_form": LicenceRejectForm()})


@require_POST
@permissions.page("accounts.verify_licence")
def licence_approve(request: SignedInRequest, user_id: int):
    lawyer = _queue_lawyer(request, user_id)
    try:
        services.licence_approve(clerk=request.user, lawyer=lawyer, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已核验通过%(name)s的执业证，并已通知本人。") % {"name": lawyer.name})
    return redirect("accounts:licence_queue")


@require_http_methods(["GET", "POST"])
@permissions.page("accounts.verify_licence")
def licence_reject(request: SignedInRequest, user_id: int):
    lawyer = _queue_lawyer(request, user_id)
    form = LicenceRejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_reject(
                clerk=request.user, lawyer=lawyer, reason=form.cleaned_data["reason"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已退回%(name)s的执业信息，并已通知本人。") % {"name": lawyer.name})
            return redirect("accounts:licence_queue")
    context = {"form": form, "lawyer": lawyer}
    return render(request, "accounts/licence_reject.html", context, status=400 if form.errors else 200)
