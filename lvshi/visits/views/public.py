"""The public availability page (no login): a centre's free rooms per slot
on one day of its booking window, and its daily meeting totals.

Nothing personal is shown, so the page may be cached for half a minute;
for a signed-in visitor (whose name is in the header) only by their browser.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lvshi.calendar.workdays import WorkCalendar, today
from lvshi.core.errors import DomainError
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from .. import selectors
from ..models import RoomKind
from ..selectors import stats

MAX_AGE = 30


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def slot_table(config, day: date) -> tuple[list[dict], list[str]]:
    """One row per slot: for each room kind the centre has, its free rooms,
    capacity and (when the availability gives it) free legal-aid rooms."""
    rows: dict = {}
    kinds: list[str] = []
    for s in selectors.availability(config.organisation_id, day, config=config):
        row = rows.setdefault(s["start"], {"start": s["start"], "end": s["end"], "cells": {}})
        row["cells"][s["kind"]] = {
            "free": s["free"],
            "capacity": s["capacity"],
            "free_legal_aid": s.get("free_legal_aid"),
        }
        if s["kind"] not in kinds:
            kinds.append(s["kind"])
    kinds = [k for k in RoomKind.values if k in kinds]
    labels = {k: RoomKind(k).label for k in kinds}
    table = [
        {**row, "cells": [{"label": labels[k], "capacity": None, **row["cells"].get(k, {})} for k in kinds]}
        for row in rows.values()
    ]
    return table, kinds


@require_safe
@permissions.page(permissions.PUBLIC)
def availability(request: HtmxHttpRequest):
    centres = list(selectors.centres())
    centre_id = _int(request.GET.get("centre"))
    if request.GET.get("centre") and centre_id not in {c.organisation_id for c in centres}:
        raise Http404(_("未找到该机构，请从列表中选择。"))
    if centre_id is None and centres:
        centre_id = centres[0].organisation_id
    context: dict = {"centres": centres, "centre_id": centre_id, "date_error": ""}
    config = selectors.config_with_rooms(centre_id) if centre_id else None
    if config is not None:
        calendar = WorkCalendar(config.organisation)
        window = selectors.window_days(config, today(), calendar=calendar)
        day = None
        try:
            day = stats.parse_day(request.GET.get("date"), _("日期"))
        except DomainError as exc:
            context["date_error"] = exc.message
        if day is None:
            day = next((d["date"] for d in window if d["open"]), None)
        in_window = bool(window) and day is not None and window[0]["date"] <= day <= window[-1]["date"]
        is_open, reason = selectors.day_open(config, day, calendar) if day else (False, "")
        rows, kinds = slot_table(config, day) if (is_open and in_window) else ([], [])
        for d in window:
            d["current"] = d["date"] == day
        start, end = stats.date_range(
            None, None, max_days=stats.TOTALS_MAX_DAYS, default_days=stats.TOTALS_DEFAULT_DAYS
        )
        context.update(
            config=config,
            centre=config.organisation,
            window=window,
            day=day,
            in_window=in_window,
            is_open=is_open,
            reason=reason,
            rows=rows,
            kinds=[{"value": k, "label": RoomKind(k).label} for k in kinds],
            legal_aid=any(c and c["free_legal_aid"] is not None for r in rows for c in r["cells"]),
            totals=stats.daily_totals(start=start, end=end, centre_id=centre_id),
            totals_from=start,
            totals_to=end,
        )
    template = "visits/public/availability.html#panel" if request.htmx else "visits/public/availability.html"
    response = render(request, template, context)
    visibility = "private" if request.user.is_authenticated else "public"
    response["Cache-Control"] = f"{visibility}, max-age={MAX_AGE}"
    patch_vary_headers(response, ["HX-Request"])
    return response
