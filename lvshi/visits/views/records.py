"""会见记录: the lawyer's own records; officers' and authority officers'
records of their centres. Search, pages and an audited Excel export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound, PermissionDenied
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from ..selectors import records as selectors

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> str:
    try:
        return selectors.viewer(request.user)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc


def _filters(request: HttpRequest):
    g = request.GET
    return selectors.parse_filters(
        status=g.get("status"), q=g.get("q"), centre=g.get("centre"), start=g.get("from"), end=g.get("to")
    )


def _page(request: HtmxHttpRequest, *, mode: str, filters=None, error: str = "", status: int = 200):
    context = {
        "mode": mode,
        "staff": mode == selectors.STAFF,
        "filters": filters or selectors.RecordFilters(),
        "raw": request.GET,
        "status_choices": selectors.status_choices(),
        "centres": selectors.centre_choices(request.user),
        "error": error,
        "page": None,
        "rows": [],
    }
    if filters is not None and not error:
        try:
            qs = selectors.records(request.user, filters)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, rows=[{"b": b, "violation": selectors.violation_of(b)} for b in page])
    template = "visits/records/list.html#results" if request.htmx else "visits/records/list.html"
    return render(request, template, context, status=status)


@require_safe
@permissions.page(permissions.SIGNED_IN)
def records_list(request: HttpRequest):
    mode = _viewer(request)
    try:
        filters = _filters(request)
    except DomainError as exc:
        return _page(request, mode=mode, error=exc.message, status=400)
    return _page(request, mode=mode, filters=filters)


@require_safe
@permissions.page(permissions.SIGNED_IN)
def records_export(request: HttpRequest):
    mode = _viewer(request)
    try:
        filters = _filters(request)
        content = selectors.records_export(actor=Actor.of(request), filters=filters)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _page(request, mode=mode, error=exc.message, status=400)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="visit-records-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
