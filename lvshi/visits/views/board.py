"""The day board of a centre (今日会见): the day's approved, met and missed
bookings of the officer's centre(s), and check-in with one button (htmx
swaps the row; without JavaScript the form posts and the page reloads)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from .. import access
from ..models import Booking
from ..selectors import board as selectors
from ..services import checkin


def _day(value: str | None, today: date) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return today


def _row(booking: Booking, now) -> dict:
    return {
        "booking": booking,
        "state": selectors.board_row_state(booking, now=now),
        "assistant_name": booking.assistant.name if booking.assistant_id else "",
    }


@permissions.page("visits.view_board")
def board(request: HttpRequest):
    now = timezone.now()
    today = local_date(now)
    day = _day(request.GET.get("date"), today)
    rows = [_row(b, now) for b in selectors.board_bookings(request.user, day)]
    context = {
        "rows": rows,
        "day": day,
        "today": today,
        "past": day < today,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
    }
    return render(request, "visits/board/day.html", context)


@require_POST
@permissions.page("visits.view_board")
def board_check_in(request: HtmxHttpRequest, booking_id: int):
    booking = access.booking_on_board_or_404(request.user, booking_id)
    error = ""
    try:
        checkin.booking_check_in(
            actor=Actor.of(request), booking=booking, assistant_name=request.POST.get("assistant_name", "")
        )
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        fresh = selectors.board_bookings(request.user, pk=booking.pk)
        if not fresh:
            raise Http404
        return render(request, "visits/board/_row.html", {"row": _row(fresh[0], timezone.now()), "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已登记%(name)s到场。") % {"name": booking.lawyer.name})
    return redirect(reverse("visits:board") + f"?date={booking.date.isoformat()}")
