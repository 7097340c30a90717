"""Monitoring (A8): the pending and overdue work of the user's bodies and
those below them, by body."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lvshi.calendar.workdays import local_date
from lvshi.orgs import permissions

from .. import monitor


@require_safe
@permissions.page("bureau.workbench")
def monitoring(request: HttpRequest):
    rows = monitor.work_by_body(request.user, today=local_date(timezone.now()))
    totals = {k: sum(r.counts[k] for r in rows) for k in rows[0].counts} if rows else {}
    context = {
        "rows": rows,
        "totals": totals,
        "correction_days": monitor.CORRECTION_DAYS,
        "complaint_days": monitor.COMPLAINT_DAYS,
    }
    return render(request, "bureau/monitor.html", context)
