"""Calendar pages: the month view for everyone signed in, and closures for
the organisations' administrators and officers."""

import calendar as pycalendar
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions
from lvshi.site import confirm

from . import access, selectors, services
from .forms import ClosureForm, MonthForm
from .workdays import DayInfo, local_date

# The month grid's column heads, Monday first, in the page's language.
WEEKDAYS = [
    pgettext_lazy("weekday", "一"),
    pgettext_lazy("weekday", "二"),
    pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"),
    pgettext_lazy("weekday", "五"),
    pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
]


def _apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, errors in exc.details.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@require_http_methods(["GET", "POST"])
@permissions.page("calendar.manage_closures")
def closures(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                closure = services.closure_create(
                    actor=Actor.of(request),
                    organisation=form.cleaned_data["organisation"],
                    day=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
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


@require_POST
@permissions.page(permissions.SIGNED_IN)
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = access.closure_or_404(request.user, pk)
    try:
        services.closure_delete(actor=Actor.of(request), closure=closure)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已撤销：%(org)s %(day)s恢复办公。") % {"org": closure.organisation, "day": closure.date.isoformat()},
        )
    return redirect("calendar:closures")


@require_GET
@permissions.page(permissions.SIGNED_IN)
def month(request: HtmxHttpRequest) -> HttpResponse:
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
    weeks: list[list[DayInfo | None]] = [[None] * start.weekday() + list(days[: 7 - start.weekday()])]
    rest = days[7 - start.weekday() :]
    while rest:
        weeks.append(list(rest[:7]))
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
        "can_subscribe": _may_subscribe(request.user),
    }
    template = "calendar/month.html#month-grid" if request.htmx else "calendar/month.html"
    return render(request, template, context, status=status)


# --- the private calendar feed (X4) ---------------------------------------------------


def _may_subscribe(user) -> bool:
    from . import feeds

    return feeds.may_have_feed(user)


@require_GET
@permissions.page(permissions.PUBLIC)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login, the secret in the URL is the permission."""
    from . import feeds

    user = feeds.feed_user(token)
    if user is None:
        raise Http404(_("该日历订阅链接无效或已重置。"))
    response = HttpResponse(feeds.render_ics(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="lvshi.ics"'
    return response


def _feed_confirmation(action: str | None) -> confirm.Confirmation | None:
    """Resetting or stopping a feed breaks the link calendars subscribe to."""
    back = reverse("calendar:schedule")
    if action == "reset":
        return confirm.Confirmation(
            title=_("重置订阅链接"),
            consequence=_("重置后原链接立即失效，已订阅的日历应用将不再更新，需要用新链接重新订阅。"),
            button=_("确认重置"),
            back_url=back,
            hidden=[("action", "reset")],
        )
    if action == "delete":
        return confirm.Confirmation(
            title=_("停止日历订阅"),
            consequence=_("停止后原链接立即失效，日历应用中的会见日程将不再更新；以后可以重新生成链接。"),
            button=_("确认停止订阅"),
            back_url=back,
            hidden=[("action", "delete")],
        )
    return None


def _webcal(url: str) -> str:
    """The same link for calendar apps that subscribe on a tap."""
    return "webcal://" + url.split("://", 1)[1]


@require_http_methods(["GET", "POST"])
@permissions.page("calendar.view_schedule")
def schedule(request: HttpRequest) -> HttpResponse:
    """ "我的日程": the lawyer's meetings (and whatever else registers a feed
    source), and the private link that puts them into a phone's calendar:
    create or reset it (shown once, with a copy button and a ``webcal:``
    link), or stop it."""
    from . import feeds

    new_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        ask = _feed_confirmation(action) if feeds.feed_token_of(request.user) is not None else None
        if ask is not None and not confirm.confirmed(request):
            return confirm.ask(request, ask)
        if action == "reset":
            raw = feeds.feed_token_reset(actor=Actor.of(request))
            new_url = request.build_absolute_uri(feeds.feed_path(raw))
        elif action == "delete":
            if feeds.feed_token_delete(actor=Actor.of(request)):
                messages.success(request, _("已停止日历订阅，原链接不再可用。"))
            return redirect("calendar:schedule")
        else:
            messages.error(request, _("请选择“生成订阅链接”或“停止订阅”。"))
            return redirect("calendar:schedule")
    past = request.GET.get("status") == "past"
    events = feeds.schedule(request.user, past=past)
    from . import schedule as plan

    clashes = plan.conflicts_among(events)
    days: dict = {}
    for e in events:
        days.setdefault(local_date(e.start), []).append(
            {"event": e, "conflicts": clashes.get(e.uid, []), "entry_id": plan.entry_id_of(e.uid)}
        )
    context = {
        "days": list(days.items()),
        "past": past,
        "tabs": [
            {"status": "upcoming", "label": _("即将进行"), "count": None, "current": not past},
            {"status": "past", "label": _("过去30天"), "count": None, "current": past},
        ],
        "token": feeds.feed_token_of(request.user),
        "new_url": new_url,
        "webcal_url": _webcal(new_url) if new_url else None,
        "today": services.today(),
    }
    response = render(request, "calendar/schedule.html", context)
    if new_url:
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@permissions.page("calendar.view_schedule")
def entry_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or change one of the lawyer's own schedule entries (C1)."""
    from . import schedule as plan
    from .forms import EntryForm

    entry = access.own_entry_or_404(request.user, pk) if pk is not None else None
    initial = (
        {
            "start": entry.start,
            "end": entry.end,
            "text": entry.text,
            "can_attend": entry.can_attend,
            "region_code": entry.region_code,
        }
        if entry
        else {}
    )
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete" and entry is not None:
        if not confirm.confirmed(request):
            return confirm.ask(
                request,
                confirm.Confirmation(
                    title=_("删除个人日程"),
                    consequence=_("删除后法院排期时将不再看到这条安排。"),
                    button=_("确认删除"),
                    back_url=reverse("calendar:schedule"),
                    facts=[(_("事项"), entry.text)],
                    hidden=[("action", "delete")],
                ),
            )
        plan.entry_delete(entry=entry, actor=Actor.of(request))
        messages.success(request, _("已删除。"))
        return redirect("calendar:schedule")
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                plan.entry_create(actor=Actor.of(request), **form.cleaned_data)
            else:
                plan.entry_update(entry=entry, actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("日程已保存。"))
            return redirect("calendar:schedule")
    return render(request, "calendar/entry.html", {"form": form, "entry": entry})
