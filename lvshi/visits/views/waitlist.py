"""The lawyer's waitlist pages: join a full slot from the booking page, see
the entries with the time left on a held room, accept or leave.

Entries come through the lawyer's own list: another lawyer's entry answers
404. The rules are :mod:`lvshi.visits.services.waitlist`'s; refusals are messages.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..models import RoomKind, WaitlistEntry, WaitlistStatus
from ..services import waitlist
from .booking import _date, _int


def _when(entry: WaitlistEntry) -> str:
    return f"{entry.date:%Y-%m-%d} {entry.start:%H:%M}-{entry.end:%H:%M}"


@permissions.page("visits.book")
def my_waitlist(request: HttpRequest):
    """Open entries first (a held room with its deadline and minutes left),
    then the latest closed ones."""
    now = timezone.now()
    rows = []
    for entry in selectors.waitlist_for(request.user)[:50]:
        left = None
        if entry.status == WaitlistStatus.OFFERED:
            left = max(int((entry.offer_expires_at - now).total_seconds() // 60), 0)
        rows.append({"entry": entry, "minutes_left": left, "is_open": entry.is_open == 0})
    assistants = (
        list(selectors.assistants_for(request.user)) if any(r["minutes_left"] is not None for r in rows) else []
    )
    return render(request, "visits/waitlist/list.html", {"rows": rows, "assistants": assistants})


@require_POST
@permissions.page("visits.book")
def waitlist_join(request: HttpRequest):
    """From the booking page, after a full slot: the same centre, detainee,
    day and room kind, and the slot of the refusal."""
    data = request.POST
    detainee_id, day = _int(data.get("detainee")), _date(data.get("date"))
    back = (
        reverse("visits:book")
        + "?"
        + urlencode({k: data.get(k, "") for k in ("centre", "detainee", "date", "room_kind")})
    )
    binding = selectors.active_bindings(request.user).filter(detainee_id=detainee_id).first()
    try:
        start = datetime.strptime(data.get("join_slot", ""), "%H:%M").time()
    except ValueError:
        start = None
    if binding is None or day is None or start is None:
        messages.error(request, _("请先在预约页面选择在押人员、日期和已约满的时段，再加入候补。"))
        return redirect(back)
    try:
        entry = waitlist.waitlist_join(
            actor=Actor.of(request),
            detainee=binding.detainee,
            date=day,
            slot_start=start,
            room_kind=data.get("join_room_kind") or data.get("room_kind") or RoomKind.IN_PERSON,
            centre=_int(data.get("centre")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("已加入%(when)s的候补。有会见室空出时，将为您保留15分钟并通知您。") % {"when": _when(entry)},
    )
    return redirect("visits:waitlist")


@require_POST
@permissions.page(permissions.SIGNED_IN)
def waitlist_accept(request: HttpRequest, entry_id: int):
    entry = access.own_waitlist_entry_or_404(request.user, entry_id)
    try:
        booking = waitlist.waitlist_accept(
            actor=Actor.of(request), entry=entry, assistant_id=_int(request.POST.get("assistant"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("visits:waitlist")
    messages.success(request, _("已预约%(when)s的会见。") % {"when": _when(entry)})
    return redirect(reverse("visits:my_bookings") + "?status=" + booking.status)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def waitlist_leave(request: HttpRequest, entry_id: int):
    entry = access.own_waitlist_entry_or_404(request.user, entry_id)
    try:
        waitlist.waitlist_leave(actor=Actor.of(request), entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已退出%(when)s的候补。") % {"when": _when(entry)})
    return redirect("visits:waitlist")
