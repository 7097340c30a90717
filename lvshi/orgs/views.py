"""Organisation pages: the tree an administrator looks after, one
organisation with its members, new organisations, staff accounts, roles.

Objects are loaded through :mod:`lvshi.orgs.access`: another
body's organisation or member answers 404; a member without the right role
gets 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound, PermissionDenied
from lvshi.core.http import HtmxHttpRequest
from lvshi.notify.services import mask_mobile
from lvshi.orgs import permissions

from . import access, scope, selectors, services
from .activation import activation_tokens
from .forms import (
    ActivationForm,
    OrganisationEditForm,
    OrganisationForm,
    RoleForm,
    StaffForm,
    apply_domain_error,
)
from .models import Organisation, child_kinds


def _http_errors(view):
    """Scope and role refusals raised as domain errors become 404 / 403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc

    return wrapper


def _tree(orgs: list[Organisation]) -> list[dict]:
    """Nest organisations (in path order) under the nearest listed parent."""
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for org in orgs:
        node = {"org": org, "children": []}
        nodes[org.pk] = node
        parent = nodes.get(org.parent_id) if org.parent_id is not None else None
        (parent["children"] if parent else roots).append(node)
    return roots


@_http_errors
@permissions.page(permissions.SIGNED_IN)
def organisation_list(request: HttpRequest):
    if not scope.can(request.user, "orgs.administer"):
        raise PermissionDenied()
    query = request.GET.get("q", "").strip()[:50]
    context = {"query": query, "can_create_top_level": scope.can(request.user, "orgs.create_top_level")}
    if query:
        context["results"] = selectors.search_administered(request.user, query)
        context["limit"] = selectors.SEARCH_LIMIT
    else:
        orgs = list(selectors.administered_organisations(request.user))
        context.update(tree=_tree(orgs), count=len(orgs))
    return render(request, "orgs/organisation_list.html", context)


@_http_errors
@permissions.page(permissions.SIGNED_IN)
def organisation_detail(request: HttpRequest, pk: int):
    org = access.organisation_or_404(request.user, "orgs.manage_members", pk)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            # Where the organisation sits: the list, then its parents (named, not
            # linked: the viewer may administer this one and not them).
            "crumbs": [(reverse("orgs:list"), _("机构管理"))]
            + [(None, a.name) for a in selectors.organisation_ancestors(org)],
            "children": list(selectors.organisation_children(org)),
            "members": list(selectors.organisation_members(org)),
            "can_create_child": bool(child_kinds(org.kind)),
        },
    )


def _create(request: HttpRequest, parent: Organisation | None):
    form = OrganisationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=Actor.of(request), parent=parent, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotFound | PermissionDenied):
                raise
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已创建机构“%(name)s”。") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/organisation_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def organisation_create(request: HttpRequest):
    if not scope.can(request.user, "orgs.create_top_level"):
        raise PermissionDenied()
    return _create(request, None)


@require_http_methods(["GET", "POST"])
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def organisation_create_child(request: HttpRequest, pk: int):
    parent = access.organisation_or_404(request.user, "orgs.create_child", pk)
    if not child_kinds(parent.kind):
        messages.error(request, _("“%(name)s”下不能再设立下级机构。") % {"name": parent.name})
        return redirect("orgs:detail", pk=parent.pk)
    return _create(request, parent)


@require_http_methods(["GET", "POST"])
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def organisation_edit(request: HttpRequest, pk: int):
    org = access.organisation_or_404(request.user, "orgs.change_organisation", pk)
    form = OrganisationEditForm(request.POST or None, instance=Organisation.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in OrganisationEditForm.Meta.fields}
        try:
            services.organisation_update(actor=Actor.of(request), organisation=org, **changes)
        except DomainError as exc:
            if isinstance(exc, NotFound | PermissionDenied):
                raise
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已保存机构信息。"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/organisation_edit.html", {"form": form, "org": org})


@require_http_methods(["GET", "POST"])
@never_cache
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def staff_create(request: HttpRequest, pk: int):
    org = access.organisation_or_404(request.user, "orgs.manage_members", pk)
    form = StaffForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.staff_account_create(actor=Actor.of(request), organisation=org, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotFound | PermissionDenied):
                raise
            apply_domain_error(form, exc)
        else:
            if not result.user.has_usable_password():
                messages.success(
                    request,
                    _("已为%(name)s开通账户，激活链接已通过短信发送至%(mobile)s，本人打开链接设置密码后即可登录。")
                    % {"name": result.user.name, "mobile": mask_mobile(result.user.mobile)},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s已有账户，已将其加入本机构（%(role)s）。本人用原有密码登录即可。")
                    % {"name": result.user.name, "role": result.membership.get_role_display()},
                )
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/staff_form.html", {"form": form, "org": org})


@require_http_methods(["GET", "POST"])
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def membership_edit(request: HttpRequest, pk: int):
    membership = access.membership_or_404(request.user, pk)
    org = membership.organisation
    form = RoleForm(
        request.POST or None, organisation=org, initial={"role": membership.role, "title": membership.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(actor=Actor.of(request), membership=membership, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已更新%(name)s的角色。") % {"name": membership.user.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/membership_form.html", {"form": form, "membership": membership, "org": org})


def _set_active(request: HtmxHttpRequest, pk: int, *, active: bool):
    """Deactivate or restore a member. With htmx the answer is the member's
    row, redrawn with a status line; without it, the organisation page."""
    membership = access.membership_or_404(request.user, pk)
    try:
        membership = services.membership_set_active(actor=Actor.of(request), membership=membership, active=active)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        text, level = exc.message, messages.ERROR
    else:
        if active:
            text = _("已恢复%(name)s的成员身份。") % {"name": membership.user.name}
        else:
            text = _("已停用%(name)s在本机构的角色。") % {"name": membership.user.name}
        level = messages.SUCCESS
    if request.htmx:
        return render(
            request,
            "orgs/organisation_detail.html#member-row",
            {"m": membership, "row_message": text},
        )
    messages.add_message(request, level, text)
    return redirect("orgs:detail", pk=membership.organisation_id)


@require_POST
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def membership_deactivate(request: HtmxHttpRequest, pk: int):
    return _set_active(request, pk, active=False)


@require_POST
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def membership_activate(request: HtmxHttpRequest, pk: int):
    return _set_active(request, pk, active=True)


@require_POST
@_http_errors
@permissions.page(permissions.SIGNED_IN)
def membership_activation_link(request: HttpRequest, pk: int):
    membership = access.membership_or_404(request.user, pk)
    try:
        user = services.staff_activation_reissue(actor=Actor.of(request), membership=membership)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已重新向%(name)s的手机%(mobile)s发送激活链接，旧链接同时失效。")
            % {"name": user.name, "mobile": mask_mobile(user.mobile)},
        )
    return redirect("orgs:detail", pk=membership.organisation_id)


def _activation_user(uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if activation_tokens.check_token(user, token) else None


@require_http_methods(["GET", "POST"])
@never_cache
@permissions.page(permissions.PUBLIC)
def activate(request: HttpRequest, uidb64: str, token: str):
    """Public: the one-time link is the permission."""
    user = _activation_user(uidb64, token)
    if user is None:
        return render(request, "orgs/activation_invalid.html", status=404)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_account_activate(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password1"], actor=Actor.of(request)
            )
        except NotFound:
            return render(request, "orgs/activation_invalid.html", status=404)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("密码已设置。请用身份证号码和新密码登录，并按提示绑定身份验证器。"))
            return redirect("accounts:login")
    return render(request, "orgs/activate.html", {"form": form, "account": user})
