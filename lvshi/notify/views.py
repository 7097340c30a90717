"""Inbox pages. One view serves the full page or, for htmx, the list partial."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from lvshi.core.errors import NotFound
from lvshi.core.http import HtmxHttpRequest
from lvshi.orgs import permissions

from . import selectors, services

PAGE_SIZE = 20


def _page_number(raw) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def _render_inbox(request: HtmxHttpRequest, *, page_number: int, unread_only: bool) -> HttpResponse:
    paginator = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), PAGE_SIZE)
    page = paginator.get_page(page_number)
    context = {
        "page": page,
        "notifications": list(page.object_list),
        "unread_only": unread_only,
        "unread_total": selectors.unread_count(request.user),
    }
    template = "notify/inbox.html#inbox-list" if request.htmx else "notify/inbox.html"
    response = render(request, template, context)
    if request.htmx:
        response["HX-Trigger"] = "notifications-changed"
    return response


def _back_to_inbox(request: HtmxHttpRequest) -> HttpResponse:
    page = _page_number(request.POST.get("page"))
    unread = "&unread=1" if request.POST.get("unread") == "1" else ""
    if request.htmx:
        return _render_inbox(request, page_number=page, unread_only=bool(unread))
    return redirect(f"{reverse('notify:inbox')}?page={page}{unread}")


@require_GET
@permissions.page(permissions.SIGNED_IN)
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    return _render_inbox(
        request,
        page_number=_page_number(request.GET.get("page")),
        unread_only=request.GET.get("unread") == "1",
    )


@require_POST
@permissions.page(permissions.SIGNED_IN)
def mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except NotFound:
        return render(request, "notify/not_found.html", status=404)
    # "Open": mark read, then follow the link, if it stays on this site.
    if request.POST.get("open") == "1" and notification.url and not request.htmx:
        if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
            return redirect(notification.url)
    return _back_to_inbox(request)


@require_POST
@permissions.page(permissions.SIGNED_IN)
def mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return _back_to_inbox(request)
