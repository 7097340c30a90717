"""Search and export (A10): one box across the registry, applications,
complaints and reports within the reader's reach; lists to Excel."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lvshi.core.actor import Actor
from lvshi.core.xlsx import CONTENT_TYPE
from lvshi.orgs import permissions

from .. import selectors
from ..exports import EXPORTS
from ..services import exports

PER_KIND = 10


@require_safe
@permissions.page("bureau.view_registry")
def search(request: HttpRequest):
    q = request.GET.get("q", "").strip()[:50]
    found: dict = {}
    if len(q) >= 2:
        user = request.user
        found = {
            "lawyers": list(selectors.lawyers(user, q=q)[:PER_KIND]),
            "firms": list(selectors.firms(user, q=q)[:PER_KIND]),
        }
        if permissions.allowed(user, "bureau.view_application"):
            found["applications"] = list(selectors.applications(user, tab="all", q=q)[:PER_KIND])
        if permissions.allowed(user, "bureau.view_complaints"):
            found["complaints"] = list(selectors.complaints(user, q=q)[:PER_KIND])
        if permissions.allowed(user, "bureau.view_reports"):
            found["reports"] = list(selectors.reports(user, period=q)[:PER_KIND]) if q[:2] == "20" else []
    return render(request, "bureau/search.html", {"q": q, "found": found, "searched": len(q) >= 2})


@require_safe
@permissions.page("bureau.view_registry")
def export(request: HttpRequest):
    kind = request.GET.get("of", "")
    if kind not in EXPORTS:
        raise Http404
    data, name = exports.export_workbook(actor=Actor.of(request), kind=kind, filters=request.GET)
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    return response
