"""Meeting pages: the lawyer books a meeting step by step and follows their
bookings; officers review the bookings of their centre.

Objects come through the lawyer's own bookings or
:func:`lvshi.orgs.scope.get_or_404`: another lawyer's booking, or a booking of
another centre, answers 404. The rules are the services'; their refusals are
shown as form errors or messages.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions
from lvshi.site import components, confirm

from .. import access, capacity, selectors, services
from ..forms import BookingForm, RejectForm
from ..models import Booking, BookingStatus, RoomKind
from ..selectors import pages as page_selectors

PAGE_SIZE = 20
# The booking form's steps (the step indicator).
BOOKING_STEPS = (
    gettext_lazy("选择看守所"),
    gettext_lazy("选择在押人员"),
    gettext_lazy("选择日期"),
    gettext_lazy("选择时段并提交"),
)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def hhmm(value) -> str:
    return value.strftime("%H:%M")


def _slot_rows(config, day: date, *, legal_aid: bool = False) -> list[dict]:
    """One row per slot start: its time and the free rooms of each kind that
    a booking of this binding may take (rooms reserved for legal aid count
    only for a legal-aid case)."""
    rows: dict[str, dict] = {}
    for s in selectors.availability(config.organisation_id, day, config=config):
        value = hhmm(s["start"])
        row = rows.setdefault(value, {"value": value, "end": hhmm(s["end"]), "free": {}})
        row["free"][s["kind"]] = capacity.free_for(s, legal_aid=legal_aid)
    return [
        {
            **row,
            "in_person": row["free"].get(RoomKind.IN_PERSON),
            "video": row["free"].get(RoomKind.VIDEO),
        }
        for row in rows.values()
    ]


@require_http_methods(["GET", "POST"])
@permissions.page("visits.book")
def book(request: HtmxHttpRequest):
    """Centre → detainee → date → slots → submit. Each step is a plain GET of
    this page (htmx swaps only the steps); the booking itself is a POST."""
    bindings = list(selectors.active_bindings(request.user))
    data = request.POST if request.method == "POST" else request.GET
    # The places: the centres of the lawyer's bindings and the video points
    # serving them; at a point, the detainees of every centre it serves.
    centres = {b.detainee.centre_id: b.detainee.centre for b in bindings}
    points = {p.pk: p for p in selectors.points_serving(centres.values())}
    centre_id = _int(data.get("centre"))
    point = points.get(centre_id)
    if point is not None:
        served = {pk for pk, c in centres.items() if selectors.serves(point, c)}
    elif centre_id in centres:
        served = {centre_id}
    else:
        centre_id, served = None, set()
    detainees = {b.detainee_id: b.detainee for b in bindings if b.detainee.centre_id in served}
    detainee_id = _int(data.get("detainee"))
    if detainee_id not in detainees:
        detainee_id = None
    legal_aid = any(b.legal_aid for b in bindings if b.detainee_id == detainee_id)
    day = _date(data.get("date")) if detainee_id else None
    config = selectors.config_with_rooms(centre_id) if centre_id else None
    # The date step offers the window's days; a day outside it or closed is
    # explained before any slot table.
    window: list[dict] = []
    calendar = selectors.centre_calendar(config) if config is not None else None
    if config is not None and detainee_id is not None:
        window = selectors.window_days(config, local_date(timezone.now()), legal_aid=legal_aid, calendar=calendar)
        for d in window:
            d["current"] = d["date"] == day
    closed_reason, slot_rows = "", []
    if config is not None and day is not None:
        try:
            selectors.check_window(config, day, legal_aid=legal_aid)
        except DomainError as exc:
            closed_reason = exc.message
        else:
            is_open, closed_reason = selectors.day_open(config, day, calendar)
            slot_rows = _slot_rows(config, day, legal_aid=legal_aid) if is_open else []
    assistants = list(selectors.assistants_for(request.user)) if slot_rows else []
    # A video point takes video meetings only.
    room_kind = RoomKind.VIDEO if point is not None else data.get("room_kind") or RoomKind.IN_PERSON
    slot_choices = [(r["value"], r["value"]) for r in slot_rows]
    initial = {
        "centre": centre_id,
        "detainee": detainee_id,
        "date": day,
        "room_kind": room_kind,
        "key": uuid.uuid4().hex,
    }
    choices = {"bindings": bindings, "points": points.values(), "slot_choices": slot_choices, "assistants": assistants}
    if request.method == "POST":
        form = BookingForm(data, **choices)
    else:
        form = BookingForm(initial=initial, **choices)
    form.set_detainees(served)
    if window:
        form.fields["date"].widget.attrs.update(min=window[0]["date"].isoformat(), max=window[-1]["date"].isoformat())

    full_slot = None
    alternatives: list[dict] = []
    locked = False
    if request.method == "POST" and form.is_valid():
        if detainee_id is None or day is None:
            form.add_error(None, _("请依次选择会见地点、在押人员和会见日期。"))
        else:
            try:
                bookings = services.booking_create(
                    actor=Actor.of(request),
                    detainee=detainees[detainee_id],
                    date=day,
                    slot_start=form.cleaned_data["slots"],
                    room_kind=RoomKind.VIDEO if point is not None else form.cleaned_data["room_kind"] or room_kind,
                    assistant_id=form.cleaned_data["assistant"],
                    idempotency_key=form.cleaned_data["key"],
                    centre=centre_id,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                alternatives = [a for a in exc.details.get("alternatives", []) if isinstance(a, dict)]
                if exc.code == "slot_full":
                    full_slot = exc.details.get("slot")
                locked = exc.code == "booking_locked"
            else:
                messages.success(request, _("已提交%(n)d个时段的会见预约，请等待看守所审核。") % {"n": len(bookings)})
                return redirect(reverse("visits:my_bookings") + "?status=" + BookingStatus.UNDER_REVIEW)

    # A slot chosen from the nearest free alternatives comes ticked (?pick=HH:MM).
    selected = set(data.getlist("slots")) if request.method == "POST" else {request.GET.get("pick", "")}
    chosen_kind = RoomKind.VIDEO if point is not None else room_kind
    for row in slot_rows:
        free = row["video"] if chosen_kind == RoomKind.VIDEO else row["in_person"]
        row["full"] = free is not None and free <= 0
    if centre_id is None:
        at = 0
    elif detainee_id is None:
        at = 1
    elif not slot_rows:
        at = 2
    else:
        at = 3
    context = {
        "steps": components.steps(BOOKING_STEPS, at),
        "window": window,
        "alternatives": alternatives,
        "chosen_kind": chosen_kind,
        "full_slot": full_slot,
        "locked": locked,
        "legal_aid": legal_aid,
        "latest_days": config.latest_days + (config.legal_aid_priority_days if legal_aid else 0) if config else 0,
        "form": form,
        "has_bindings": bool(bindings),
        "centre_id": centre_id,
        "detainee_id": detainee_id,
        "day": day,
        "config": config,
        "closed_reason": closed_reason,
        "slot_rows": slot_rows,
        "selected": selected,
        "show_video": any(r["video"] is not None for r in slot_rows),
        "point": point,
        "show_in_person": point is None,
    }
    template = "visits/book.html#steps" if request.htmx else "visits/book.html"
    return render(request, template, context)


@permissions.page("visits.book")
def my_bookings(request: HttpRequest):
    """The lawyer's bookings in tabs: under review, approved, failed, cancelled."""
    status = request.GET.get("status")
    if status not in page_selectors.TABS:
        status = BookingStatus.UNDER_REVIEW
    page = Paginator(selectors.bookings_for(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = page_selectors.tab_counts(request.user)
    tabs = [
        {"status": s.value, "label": s.label, "count": counts[s], "current": s == status} for s in page_selectors.TABS
    ]
    rows = [
        {"booking": b, "can_cancel": page_selectors.can_cancel(b), "cancel_until": selectors.cancel_deadline(b)}
        for b in page
    ]
    return render(request, "visits/my_bookings.html", {"tabs": tabs, "status": status, "page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def cancel(request: HttpRequest, booking_id: int):
    """Cancelling gives the room away for good: confirmed first."""
    booking = access.own_booking_or_404(request.user, booking_id)
    if not confirm.confirmed(request):
        deadline = selectors.cancel_deadline(booking)
        return confirm.ask(
            request,
            confirm.Confirmation(
                title=_("取消会见预约"),
                consequence=_("取消后该时段将释放给其他律师，本操作不可撤销。如仍需会见，须重新预约。"),
                button=_("确认取消预约"),
                back_url=reverse("visits:my_bookings") + "?status=" + booking.status,
                facts=[
                    (_("会见时间"), f"{_when(booking)}–{booking.end:%H:%M}"),
                    (_("看守所"), booking.centre.name),
                    (_("在押人员"), booking.detainee.name),
                    (_("可取消至"), f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"),
                ],
            ),
        )
    try:
        services.booking_cancel(booking=booking, actor=Actor.of(request))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消%(when)s的会见预约。") % {"when": _when(booking)})
    return redirect(reverse("visits:my_bookings") + "?status=" + booking.status)


def _when(booking: Booking) -> str:
    return f"{booking.date:%Y-%m-%d} {booking.start:%H:%M}"


# --- officers ----------------------------------------------------------------------


@permissions.page("visits.review_booking")
def review_queue(request: HttpRequest):
    """Bookings under review at the officer's centre(s), earliest first."""
    page = Paginator(page_selectors.review_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/review_queue.html", {"page": page})


@require_POST
@permissions.page(permissions.SIGNED_IN)
def approve(request: HttpRequest, booking_id: int):
    booking = access.booking_for_review_or_404(request.user, booking_id)
    try:
        services.booking_approve(booking=booking, actor=Actor.of(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已通过%(name)s %(when)s的会见预约。") % {"name": booking.lawyer.name, "when": _when(booking)}
        )
    return redirect("visits:review_queue")


@require_http_methods(["GET", "POST"])
@permissions.page(permissions.SIGNED_IN)
def reject(request: HttpRequest, booking_id: int):
    booking = access.booking_for_review_or_404(request.user, booking_id)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reject(booking=booking, actor=Actor.of(request), reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s %(when)s的会见预约未通过，已通知律师。")
                % {"name": booking.lawyer.name, "when": _when(booking)},
            )
            return redirect("visits:review_queue")
    return render(request, "visits/reject.html", {"form": form, "booking": booking})
