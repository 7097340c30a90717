"""The announcement board and messages between bodies (A9)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions, scope

from .. import access, selectors
from ..forms import AnnouncementForm, MessageForm
from ..models import AnnouncementRead
from ..scope import BODY_ROLES
from ..services import notices as svc

READ = "bureau.read_notices"


@require_http_methods(["GET", "POST"])
@permissions.page(READ)
def notices(request: HttpRequest):
    body = access.acting_body(request.user)
    form = AnnouncementForm(request.POST or None) if body is not None else None
    if request.method == "POST":
        if body is None or form is None:
            permissions.require(request.user, "bureau.publish")
        elif form.is_valid():
            try:
                svc.announcement_publish(
                    actor=Actor.of(request), body=body, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("公告已发布。"))
                return redirect("bureau:notices")
    page = Paginator(selectors.announcements(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "bureau/notices/list.html",
        {"page": page, "form": form, "body": body},
        status=400 if form is not None and form.errors else 200,
    )


@require_safe
@permissions.page(READ)
def notice(request: HttpRequest, notice_id: int):
    found = selectors.announcements(request.user).filter(pk=notice_id).first()
    if found is None:
        raise Http404
    org = access.acting_body(request.user) or access.own_firm(request.user)
    if org is not None:
        svc.announcement_read(actor=Actor.of(request), announcement=found, organisation=org)
    receipts = None
    if permissions.allowed(request.user, "bureau.publish", found.body):
        receipts = list(AnnouncementRead.objects.filter(announcement=found).select_related("user", "organisation"))
    return render(request, "bureau/notices/detail.html", {"n": found, "receipts": receipts})


@require_http_methods(["GET", "POST"])
@permissions.page("bureau.publish")
def body_messages(request: HttpRequest):
    body = access.acting_body(request.user)
    if body is None:
        raise Http404
    form = MessageForm(request.POST or None)
    form.fields["recipient"].choices = [(o.pk, o.name) for o in svc.recipients(body)]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.message_send(
                actor=Actor.of(request), sender=body, recipient_id=d["recipient"], subject=d["subject"], text=d["text"]
            )
        except DomainError as exc:
            form.add_error("recipient", exc.message)
        else:
            messages.success(request, _("留言已发送。"))
            return redirect("bureau:messages")
    box = "sent" if request.GET.get("status") == "sent" else "inbox"
    page = Paginator(selectors.messages_for(request.user, box=box), 20).get_page(request.GET.get("page"))
    tabs = [
        {"status": None, "label": _("收件"), "count": None, "current": box == "inbox"},
        {"status": "sent", "label": _("已发送"), "count": None, "current": box == "sent"},
    ]
    return render(
        request,
        "bureau/notices/messages.html",
        {"page": page, "form": form, "tabs": tabs, "box": box},
        status=400 if form.errors else 200,
    )


@require_safe
@permissions.page("bureau.publish")
def body_message(request: HttpRequest, message_id: int):
    bodies = [g.org_id for g in scope.grants(request.user) if g.role in BODY_ROLES]
    found = (
        selectors.messages_for(request.user, box="inbox").filter(pk=message_id).first()
        or selectors.messages_for(request.user, box="sent").filter(pk=message_id).first()
    )
    if found is None:
        raise Http404
    if found.recipient_id in bodies:
        svc.message_read(actor=Actor.of(request), message=found)
    return render(request, "bureau/notices/message.html", {"m": found})
