"""Calendar pages: the month view for everyone signed in, and closures for
the organisations' administrators and officers."""

import calendar as pycalendar
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvshi.core.errors import DomainError
from lvshi.orgs.scope import can, get_or_404

from . import selectors, services
from .forms import ClosureForm, MonthForm
from .models import Closure

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _require_closure_manager(request: HttpRequest) -> None:
    if not can(request.user, "calendar.manage_closures"):
        raise PermissionDenied


def _apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, errors in exc.details.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    _require_closure_manager(request)
    form = ClosureForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                closure = services.closure_create(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    day=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DomainError as exc:
                _apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已登记：%(org)s %(day)s停止办公。该机构及其下属机构当天不再接受预约。")
                    % {"org": closure.organisation, "day": closure.date.isoformat()},
                )
                return redirect("calendar:closures")
        else:
            status = 400
    past = request.GET.get("past") == "1"
    page = Paginator(selectors.closures_for(request.user, past=past), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "closures": list(page.object_list), "past": past, "today": services.today()}
    return render(request, "calendar/closures.html", context, status=status)


@login_required
@require_POST
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_or_404(request.user, "calendar.manage_closure", Closure.objects.select_related("organisation"), pk=pk)
    try:
        services.closure_delete(actor=request.user, closure=closure, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已撤销：%(org)s %(day)s恢复办公。") % {"org": closure.organisation, "day": closure.date.isoformat()},
        )
    return redirect("calendar:closures")


@login_required
@require_GET
def month(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("年份、月份或机构无效，已显示本月的全国日历。"))
        form = MonthForm({})
        form.is_valid()
        status = 400
    else:
        status = 200
    start = form.month_start(services.today())
    organisation = form.cleaned_data.get("org")
    days = services.month_days(start.year, start.month, organisation)
    weeks = [[None] * start.weekday() + days[: 7 - start.weekday()]]
    rest = days[7 - start.weekday() :]
    while rest:
        weeks.append(rest[:7])
        rest = rest[7:]
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    prev_month = start - timedelta(days=1)
    next_month = start + timedelta(days=pycalendar.monthrange(start.year, start.month)[1])
    context = {
        "start": start,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "organisation": organisation,
        "orgs": selectors.calendar_orgs(),
        "prev_month": prev_month,
        "next_month": next_month,
        "today": services.today(),
        "unofficial": any(not d.official for d in days),
        "working_count": sum(1 for d in days if d.working),
        "special_days": [d for d in days if d.kind not in ("workday", "weekend")],
    }
    template = "calendar/month.html#month-grid" if request.htmx else "calendar/month.html"
    return render(request, template, context, status=status)
