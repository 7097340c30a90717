"""会见统计 for the detention authority: per centre and day in a date range
(at most 366 days), a total, and the Excel export (an audited read)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from ..selectors import stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEWS = ("day", "centre")


def _params(request: HttpRequest):
    g = request.GET
    start, end = stats.date_range(
        g.get("from"), g.get("to"), max_days=stats.STATS_MAX_DAYS, default_days=stats.STATS_DEFAULT_DAYS
    )
    centre = g.get("centre") or None
    if centre is not None:
        try:
            centre = int(centre)
        except ValueError:
            raise DomainError("invalid_centre", _("机构应为机构编号，请从列表中选择。")) from None
    return start, end, centre


@require_safe
@permissions.page("visits.view_statistics")
def statistics(request: HtmxHttpRequest):
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "day"
    context = {"raw": request.GET, "view": view, "centres": stats.stat_centres(request.user), "result": None}
    status = 200
    try:
        start, end, centre = _params(request)
        context["result"] = stats.statistics(request.user, start=start, end=end, centre_id=centre)
        context.update(start=start, end=end, query=request.GET.urlencode())
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        context["error"], status = exc.message, 400
    template = "visits/stats/statistics.html#results" if request.htmx else "visits/stats/statistics.html"
    return render(request, template, context, status=status)


@require_safe
@permissions.page("visits.view_statistics")
def statistics_export(request: HttpRequest):
    try:
        start, end, centre = _params(request)
        content = stats.statistics_export(actor=Actor.of(request), start=start, end=end, centre_id=centre)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        context = {"raw": request.GET, "view": "day", "centres": stats.stat_centres(request.user), "error": exc.message}
        return render(request, "visits/stats/statistics.html", context, status=400)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="visit-statistics-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
