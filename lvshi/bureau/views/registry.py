"""The registry's pages (A1): lawyers and firms within the reader's reach;
a lawyer's record (each view of personal data audited), its history, and
the fields the reader's role may change."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lvshi.audit.downloads import serve_download
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..forms import BackgroundForm, LawyerBureauForm, LawyerEditForm, PhotoForm
from ..models import FirmStatus, LawyerKind, LawyerStatus
from ..scope import BUREAU, within
from ..services import registry as svc

PAGE_SIZE = 30


def _status_tabs(request: HttpRequest, choices) -> list[dict]:
    current = request.GET.get("status", "")
    tabs = [{"status": None, "label": _("全部"), "count": None, "current": not current}]
    return tabs + [{"status": v, "label": label, "count": None, "current": current == v} for v, label in choices]


@require_safe
@permissions.page("bureau.view_registry")
def lawyers(request: HttpRequest):
    qs = selectors.lawyers(
        request.user,
        q=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", "") if request.GET.get("kind") in LawyerKind.values else "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tabs": _status_tabs(request, LawyerStatus.choices),
        "kinds": LawyerKind.choices,
        "kind": request.GET.get("kind", ""),
        "q": request.GET.get("q", ""),
    }
    return render(request, "bureau/registry/lawyers.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.view_registry")
def lawyer(request: HttpRequest, lawyer_id: int):
    lw = access.lawyer_or_404(request.user, lawyer_id)
    actor = Actor.of(request)
    bureau = within(request.user, lw.organisation, BUREAU)
    may_edit = bureau or permissions.allowed(request.user, "bureau.maintain_firm", lw)
    form_class = LawyerBureauForm if bureau else LawyerEditForm
    initial = {"mobile": lw.mobile, "employer": lw.employer, "name": lw.name, "kind": lw.kind}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and may_edit and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if str(v) != str(initial.get(k) or "")}
        try:
            svc.lawyer_update(lawyer=lw, actor=actor, values=changed)
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("已保存。") if changed else _("没有需要保存的修改。"))
            return redirect("bureau:lawyer", lw.pk)
    if request.method == "GET":
        audit_record(action="bureau.lawyer_view", actor=actor, obj=lw)
    context = {
        "lw": lw,
        "form": form if may_edit else None,
        "photo_form": PhotoForm() if may_edit else None,
        "bureau": bureau,
        **selectors.lawyer_record(lw),
    }
    status = 400 if form.errors or (request.method == "POST" and not may_edit) else 200
    return render(request, "bureau/registry/lawyer.html", context, status=status)


@require_http_methods(["POST"])
@permissions.page("bureau.view_registry")
def lawyer_photo(request: HttpRequest, lawyer_id: int):
    lw = access.lawyer_or_404(request.user, lawyer_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择照片文件。"))
        return redirect("bureau:lawyer", lw.pk)
    try:
        svc.lawyer_photo(lawyer=lw, actor=Actor.of(request), upload=form.cleaned_data["photo"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("照片已更新。"))
    return redirect("bureau:lawyer", lw.pk)


@require_safe
@permissions.page("bureau.view_registry")
def lawyer_photo_file(request: HttpRequest, lawyer_id: int):
    lw = access.lawyer_or_404(request.user, lawyer_id)
    if not lw.photo:
        raise Http404
    content_type = "image/png" if lw.photo.name.endswith(".png") else "image/jpeg"
    return serve_download(
        lw.photo,
        name=f"{lw.licence_no}.{lw.photo.name.rsplit('.', 1)[-1]}",
        content_type=content_type,
        audit_action="bureau.lawyer_view",
        obj=lw,
        actor=Actor.of(request),
    )


@require_safe
@permissions.page("bureau.view_registry")
def firms(request: HttpRequest):
    qs = selectors.firms(request.user, q=request.GET.get("q", ""), status=request.GET.get("status", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "tabs": _status_tabs(request, FirmStatus.choices), "q": request.GET.get("q", "")}
    return render(request, "bureau/registry/firms.html", context)


@require_safe
@permissions.page("bureau.view_registry")
def firm(request: HttpRequest, firm_id: int):
    f = access.firm_or_404(request.user, firm_id)
    audit_record(action="bureau.firm_view", actor=Actor.of(request), obj=f, organisation=f.organisation)
    return render(request, "bureau/registry/firm.html", {"f": f, **selectors.firm_people(f)})


@require_http_methods(["POST"])
@permissions.page("bureau.view_registry")
def lawyer_background(request: HttpRequest, lawyer_id: int):
    lw = access.lawyer_or_404(request.user, lawyer_id)
    form = BackgroundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写学校或单位，日期写成 2020-05-01。"))
        return redirect("bureau:lawyer", lw.pk)
    try:
        svc.lawyer_background_add(
            lawyer=lw, actor=Actor.of(request), kind=form.cleaned_data["kind"], data=form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已添加。"))
    return redirect("bureau:lawyer", lw.pk)
