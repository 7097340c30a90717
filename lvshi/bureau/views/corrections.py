"""Correction requests' pages (A2): the firm asks with evidence; the body
holding the request sees the field-by-field difference and corrects,
refuses or forwards it."""

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
from ..flows import CORRECTION
from ..forms import CorrectionForm, OpinionForm, ReasonForm
from ..inputs import as_int
from ..models import Lawyer, Penalty
from ..services import corrections as svc
from ..services import registry

READ = "bureau.view_corrections"


@require_safe
@permissions.page(READ)
def corrections(request: HttpRequest):
    tab = "all" if request.GET.get("status") == "all" else "todo"
    page = Paginator(selectors.corrections(request.user, tab=tab), 30).get_page(request.GET.get("page"))
    tabs = [
        {"status": "todo", "label": _("待处理"), "count": None, "current": tab == "todo"},
        {"status": "all", "label": _("全部"), "count": None, "current": tab == "all"},
    ]
    return render(request, "bureau/corrections/list.html", {"page": page, "tabs": tabs})


def _target(request: HttpRequest, firm):
    """(what, fields, lawyer id, penalty id) of the record the request is about."""
    if request.GET.get("penalty"):
        p = Penalty.objects.filter(pk=as_int(request.GET["penalty"]), firm=firm).first()
        if p is None:
            raise Http404
        return f"{p.get_kind_display()} {p.decision_no}", svc.PENALTY_FIELDS, None, p.pk
    if request.GET.get("lawyer"):
        lw = Lawyer.objects.filter(pk=as_int(request.GET["lawyer"]), organisation=firm).first()
        if lw is None:
            raise Http404
        return str(lw), {k: registry.FIELDS[k][0] for k in svc.LAWYER_FIELDS}, lw.pk, None
    return firm.name, svc.FIRM_FIELDS, None, None


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.request_correction")
def correction_new(request: HttpRequest):
    firm = access.own_firm(request.user)
    if firm is None:
        raise Http404
    what, fields, lawyer_id, penalty_id = _target(request, firm)
    form = CorrectionForm(request.POST or None, request.FILES or None, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            correction = svc.correction_request(
                actor=Actor.of(request),
                organisation=firm,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                lawyer_id=lawyer_id,
                penalty_id=penalty_id,
                uploads=form.cleaned_data["evidence"],
            )
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(f"new_{field}" if f"new_{field}" in form.fields else None, exc.message)
        else:
            messages.success(request, _("更正申请已提交至%(body)s。") % {"body": correction.body.name})
            return redirect("bureau:correction", correction.pk)
    return render(
        request, "bureau/corrections/new.html", {"form": form, "what": what}, status=400 if form.errors else 200
    )


def _page(request: HttpRequest, c, status: int = 200, **forms):
    context = {
        "c": c,
        "files": list(c.files.all()),
        "allowed": {t.name for t in CORRECTION.allowed(c, request.user)},
        "history": CORRECTION.history(c),
        "opinion_form": forms.get("opinion_form") or OpinionForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "bureau/corrections/detail.html", context, status=status)


@require_safe
@permissions.page(READ)
def correction(request: HttpRequest, correction_id: int):
    return _page(request, access.correction_or_404(request.user, correction_id))


@require_POST
@permissions.page(READ)
def correction_step(request: HttpRequest, correction_id: int, step: str):
    if step not in CORRECTION.by_name:
        raise Http404
    c = access.correction_or_404(request.user, correction_id, "bureau.decide_correction")
    actor = Actor.of(request)
    form = ReasonForm(request.POST) if step == "reject" else OpinionForm(request.POST)
    if not form.is_valid() and step != "approve":
        return _page(request, c, 400, **{"reason_form" if step == "reject" else "opinion_form": form})
    text = form.cleaned_data.get("reason") or form.cleaned_data.get("opinion") or ""
    try:
        if step == "forward":
            svc.correction_forward(correction=c, actor=actor, opinion=text)
        elif step == "approve":
            svc.correction_approve(correction=c, actor=actor, opinion=text)
        else:
            svc.correction_reject(correction=c, actor=actor, reason=text)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(verb)s。") % {"verb": CORRECTION.by_name[step].verb})
    return redirect("bureau:correction", c.pk)


@require_safe
@permissions.page(READ)
def correction_file(request: HttpRequest, file_id: int):
    row = access.correction_file_or_404(request.user, file_id)
    return serve_download(
        row.file,
        name=row.name,
        content_type=row.content_type,
        audit_action="bureau.correction_file",
        obj=row.correction,
        actor=Actor.of(request),
    )
