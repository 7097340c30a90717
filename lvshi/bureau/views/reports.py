"""Work reports' pages (A5): the firm's forms, the bureau's checking, and a
bureau's sum of a period with its parts (late and missing stand out)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors, sums
from ..flows import REPORT
from ..forms import ReasonForm, ReportForm
from ..models import ITEMS, ReportStatus
from ..services import reports as svc

READ = "bureau.view_reports"


@require_safe
@permissions.page(READ)
def reports(request: HttpRequest):
    status = request.GET.get("status", "")
    qs = selectors.reports(request.user, status=status, period=request.GET.get("period", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    tabs = [{"status": None, "label": _("全部"), "count": None, "current": not status}] + [
        {"status": v, "label": label, "count": None, "current": status == v} for v, label in ReportStatus.choices
    ]
    firm = access.own_firm(request.user)
    context = {"page": page, "tabs": tabs, "firm": firm, "period": request.GET.get("period", "")}
    return render(request, "bureau/reports/list.html", context)


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.own_report")
def report_form(request: HttpRequest):
    firm = access.own_firm(request.user)
    if firm is None:
        raise Http404
    form = ReportForm(request.POST or None, initial={"period": request.GET.get("period", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = svc.report_save(
                actor=Actor.of(request), organisation=firm, period=d["period"], values={k: d[k] for k, _label in ITEMS}
            )
        except DomainError as exc:
            form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("报表已保存，核对无误后请报送。"))
            return redirect("bureau:report", report.pk)
    return render(request, "bureau/reports/form.html", {"form": form, "firm": firm}, status=400 if form.errors else 200)


@require_safe
@permissions.page(READ)
def report(request: HttpRequest, report_id: int):
    r = access.report_or_404(request.user, report_id)
    allowed = {t.name for t in REPORT.allowed(r, request.user)}
    rows = [(label, r.values.get(key, 0)) for key, label in ITEMS]
    context = {
        "r": r,
        "rows": rows,
        "allowed": allowed,
        "reason_form": ReasonForm(),
        "due": sums.period_due(r.period),
        "history": REPORT.history(r),
    }
    return render(request, "bureau/reports/detail.html", context)


@require_POST
@permissions.page(READ)
def report_step(request: HttpRequest, report_id: int, step: str):
    if step not in REPORT.by_name:
        raise Http404
    r = access.report_or_404(
        request.user, report_id, "bureau.own_report" if step == "submit" else "bureau.check_report"
    )
    actor = Actor.of(request)
    try:
        if step == "submit":
            svc.report_submit(report=r, actor=actor)
        elif step == "accept":
            svc.report_accept(report=r, actor=actor)
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError("reason_required", _("请填写退回原因。"))
            svc.report_return(report=r, actor=actor, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(verb)s。") % {"verb": REPORT.by_name[step].verb})
    return redirect("bureau:report", r.pk)


def _body_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("body") or request.POST.get("body")
    try:
        return int(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.send_sum")
def report_sums(request: HttpRequest):
    body = access.body_or_404(request.user, _body_id(request))
    period = (request.GET.get("period") or request.POST.get("period") or "").strip().upper()
    if request.method == "POST":
        try:
            svc.sum_send(body=body, actor=Actor.of(request), period=period)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("汇总已报送上级机关。"))
        return redirect(f"{request.path}?body={body.pk}&period={period}")
    summary = None
    if period:
        try:
            period = svc.clean_period(period)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            summary = sums.summary(body, period, today=local_date(timezone.now()))
    rows = [(label, summary.values[key]) for key, label in ITEMS] if summary else []
    context = {
        "body": body,
        "period": period,
        "summary": summary,
        "rows": rows,
        "due": sums.period_due(period) if summary else None,
    }
    return render(request, "bureau/reports/sums.html", context)
