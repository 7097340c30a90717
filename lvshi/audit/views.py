"""The auditor's pages: the trail of their organisations, one event, and an
Excel export. Every read of the trail is itself recorded in it."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvshi.core.actor import Actor
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from . import access, selectors
from .export import EXPORT_LIMIT, workbook_bytes
from .forms import EventFilterForm
from .services import audit_record

PAGE_SIZE = 50


@require_GET
@permissions.page("audit.view_events")
def events(request: HtmxHttpRequest):
    form = EventFilterForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "page": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else {}
        with transaction.atomic():
            page = Paginator(selectors.event_list(user=request.user, **filters), PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            # Read the page before recording the read, so the record is not on it.
            page.object_list = list(page.object_list)
            audit_record(
                action="audit.view_events",
                actor=Actor.of(request),
                organisation=selectors.audit_home_organisation(request.user),
                after={
                    "filters": form.described() if form.is_bound else {},
                    "page": page.number,
                    "count": page.paginator.count,
                },
            )
        context.update(page=page, query=_query_without_page(request))
    template = "audit/events.html#results" if request.htmx else "audit/events.html"
    return render(request, template, context, status=status)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@permissions.page(permissions.SIGNED_IN)
def event_detail(request: HttpRequest, pk: int):
    event = access.event_or_404(request.user, pk)
    audit_record(
        action="audit.view_event",
        actor=Actor.of(request),
        organisation=selectors.audit_home_organisation(request.user),
        object_type="audit.auditevent",
        object_id=event.pk,
        object_repr=str(event),
    )
    context = {
        "event": event,
        "before_text": json.dumps(event.before, ensure_ascii=False, indent=2, sort_keys=True),
        "after_text": json.dumps(event.after, ensure_ascii=False, indent=2, sort_keys=True),
    }
    return render(request, "audit/event_detail.html", context)


@require_GET
@permissions.page("audit.export_events")
def export(request: HttpRequest):
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/events.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if form.is_bound else {}
    rows = selectors.event_list(user=request.user, **filters)
    count = rows.count()
    if count > EXPORT_LIMIT:
        form.add_error(
            None,
            _("筛选结果有 %(count)d 条，超过一次导出的上限 %(limit)d 条，请缩小日期范围后再导出。")
            % {"count": count, "limit": EXPORT_LIMIT},
        )
        return render(request, "audit/events.html", {"form": form, "page": None}, status=400)
    content = workbook_bytes(rows)
    audit_record(
        action="audit.export_events",
        actor=Actor.of(request),
        organisation=selectors.audit_home_organisation(request.user),
        after={"filters": form.described() if form.is_bound else {}, "rows": count},
        message=_("导出审计日志 %(count)d 条。") % {"count": count},
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
