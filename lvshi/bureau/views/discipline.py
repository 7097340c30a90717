"""Complaints and penalties' pages (A4): a body registers and handles
complaints, decides them with or without a penalty, and corrects only its
own penalties."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lvshi.audit.downloads import serve_download
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..flows import COMPLAINT
from ..forms import ComplaintForm, PenaltyForm, ReasonForm, StepForm
from ..models import Firm, Lawyer, LawyerComplaintStatus
from ..services import discipline as svc

READ = "bureau.view_complaints"


def _form_error(form, exc: DomainError) -> None:
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_safe
@permissions.page(READ)
def complaints(request: HttpRequest):
    status = request.GET.get("status", "")
    qs = selectors.complaints(request.user, status=status, q=request.GET.get("q", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    tabs = [{"status": None, "label": _("全部"), "count": None, "current": not status}] + [
        {"status": v, "label": label, "count": None, "current": status == v}
        for v, label in LawyerComplaintStatus.choices
    ]
    return render(
        request, "bureau/discipline/complaints.html", {"page": page, "tabs": tabs, "q": request.GET.get("q", "")}
    )


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.handle_complaint")
def complaint_new(request: HttpRequest):
    body = access.acting_body_or_404(request.user)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["lawyer"] = (
            Lawyer.objects.filter(licence_no=d["lawyer"].strip()).values_list("pk", flat=True).first()
            if (d["lawyer"])
            else None
        )
        d["firm"] = (
            Firm.objects.filter(credit_code=d["firm"].strip().upper()).values_list("organisation_id", flat=True).first()
        )
        try:
            complaint = svc.complaint_register(actor=Actor.of(request), body=body, data=d, uploads=d["evidence"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("投诉已登记。"))
            return redirect("bureau:complaint", complaint.pk)
    return render(
        request,
        "bureau/discipline/complaint_new.html",
        {"form": form, "body": body},
        status=400 if form.errors else 200,
    )


def _complaint_page(request: HttpRequest, complaint, status: int = 200, **forms):
    context = {
        "c": complaint,
        "steps": list(complaint.steps.select_related("actor")),
        "evidence": list(complaint.evidence.all()),
        "penalties": list(complaint.penalties.all()),
        "allowed": {t.name for t in COMPLAINT.allowed(complaint, request.user)},
        "step_form": forms.get("step_form") or StepForm(),
        "penalty_form": forms.get("penalty_form") or PenaltyForm(prefix="p"),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "bureau/discipline/complaint.html", context, status=status)


@require_safe
@permissions.page(READ)
def complaint(request: HttpRequest, complaint_id: int):
    return _complaint_page(request, access.complaint_or_404(request.user, complaint_id))


@require_POST
@permissions.page(READ)
def complaint_action(request: HttpRequest, complaint_id: int, action: str):
    if action not in ("step", "dismiss", "decide"):
        raise Http404
    c = access.complaint_or_404(request.user, complaint_id, "bureau.handle_complaint")
    actor = Actor.of(request)
    if action == "step":
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                svc.complaint_step(complaint=c, actor=actor, text=form.cleaned_data["text"])
                return redirect("bureau:complaint", c.pk)
            except DomainError as exc:
                _form_error(form, exc)
        return _complaint_page(request, c, 400, step_form=form)
    if action == "dismiss":
        reason = ReasonForm(request.POST)
        if reason.is_valid():
            try:
                svc.complaint_dismiss(complaint=c, actor=actor, reason=reason.cleaned_data["reason"])
                return redirect("bureau:complaint", c.pk)
            except DomainError as exc:
                _form_error(reason, exc)
        return _complaint_page(request, c, 400, reason_form=reason)
    penalty = PenaltyForm(request.POST, prefix="p") if request.POST.get("with_penalty") else None
    if penalty is not None and not penalty.is_valid():
        return _complaint_page(request, c, 400, penalty_form=penalty)
    try:
        svc.complaint_decide(complaint=c, actor=actor, penalty=penalty.cleaned_data if penalty else None)
    except DomainError as exc:
        if penalty is None:
            messages.error(request, exc.message)
            return redirect("bureau:complaint", c.pk)
        _form_error(penalty, exc)
        return _complaint_page(request, c, 400, penalty_form=penalty)
    messages.success(request, _("已作出处理决定。"))
    return redirect("bureau:complaint", c.pk)


@require_safe
@permissions.page(READ)
def evidence_file(request: HttpRequest, evidence_id: int):
    e = access.evidence_or_404(request.user, evidence_id)
    return serve_download(
        e.file,
        name=e.name,
        content_type=e.content_type,
        audit_action="bureau.evidence_download",
        obj=e.complaint,
        actor=Actor.of(request),
    )


@require_safe
@permissions.page(READ)
def penalties(request: HttpRequest):
    page = Paginator(selectors.penalties(request.user, q=request.GET.get("q", "")), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "bureau/discipline/penalties.html", {"page": page, "q": request.GET.get("q", "")})


@require_http_methods(["GET", "POST"])
@permissions.page(READ)
def penalty(request: HttpRequest, penalty_id: int):
    p = access.penalty_or_404(request.user, penalty_id)
    may_change = permissions.allowed(request.user, "bureau.decide_penalty", p)
    initial = {f: getattr(p, f) for f in PenaltyForm.base_fields}
    form = PenaltyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            permissions.require(request.user, "bureau.decide_penalty", p)
        if form.is_valid():
            try:
                svc.penalty_update(penalty=p, actor=Actor.of(request), data=form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已修改。"))
                return redirect("bureau:penalty", p.pk)
    return render(
        request,
        "bureau/discipline/penalty.html",
        {"p": p, "form": form if may_change else None},
        status=400 if form.errors else 200,
    )
