"""Pages for meeting requests (V9), authority notices (V15) and the
complaints line (V16).

Lawyers see the requests addressed to them; officers record requests for
the detainees of their centre; authority officers publish notices, which
anyone may read without logging in; officers and authority officers keep
the complaints log of the centres in their scope. Objects of other scopes
answer 404. The rules are the services'; their refusals show as form errors.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvshi.calendar.workdays import SHANGHAI, local_date
from lvshi.core import widgets
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role

from .. import access
from ..models import Complaint, ComplaintCategory, ComplaintStatus, MeetingRequestRecipient
from ..services import complaints, meeting_requests, notices

PAGE_SIZE = 20


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- meeting requests: lawyers --------------------------------------------------------------


@require_GET
@permissions.page("visits.view_meeting_requests")
def meeting_requests_received(request: HttpRequest):
    """The lawyer's requests, newest first; the unseen ones are highlighted
    once and marked seen by opening the list."""
    page = Paginator(meeting_requests.received_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"r": r, "unseen": r.seen_at is None, "book_url": meeting_requests.booking_url(r.request.detainee)}
        for r in page
    ]
    unseen = [row["r"].pk for row in rows if row["unseen"]]
    if unseen:
        meeting_requests.meeting_requests_mark_seen(actor=Actor.of(request), recipient_ids=unseen)
    return render(request, "visits/requests/received.html", {"page": page, "rows": rows})


@require_POST
@permissions.page(permissions.SIGNED_IN)
def meeting_request_seen(request: HttpRequest, pk: int):
    recipient = get_object_or_404(MeetingRequestRecipient, pk=pk, lawyer=request.user)
    meeting_requests.meeting_requests_mark_seen(actor=Actor.of(request), recipient_ids=[recipient.pk])
    messages.success(request, _("已标记为已读。"))
    return redirect("visits:meeting_requests")


# --- meeting requests: officers ---------------------------------------------------------------


class MeetingRequestForm(forms.Form):
    centre = forms.TypedChoiceField(label=gettext_lazy("看守所"), coerce=int)
    centre_number = forms.CharField(
        label=gettext_lazy("监号"), max_length=30, help_text=gettext_lazy("在押人员的监号，例如 J00012。")
    )
    note = forms.CharField(
        label=gettext_lazy("说明（可不填）"),
        max_length=meeting_requests.NOTE_MAX,
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.pk, c.name) for c in centres]


@require_http_methods(["GET", "POST"])
@permissions.page("visits.record_meeting_request")
def meeting_request_record(request: HttpRequest):
    """The officer records a detainee's request and sees the requests of their centre(s)."""
    centres = list(scope.orgs_for(request.user, Role.OFFICER).filter(kind__in=("detention_centre", "video_point")))
    form = MeetingRequestForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        detainee = meeting_requests.held_detainee_or_none(
            request.user, centre_id=form.cleaned_data["centre"], centre_number=form.cleaned_data["centre_number"]
        )
        if detainee is None:
            form.add_error("centre_number", _("本所没有这个监号的在押人员，请核对监号。"))
        else:
            try:
                meeting_requests.meeting_request_create(
                    actor=Actor.of(request), detainee=detainee, note=form.cleaned_data["note"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记%(name)s的会见要求，并通知其委托律师。") % {"name": detainee.name})
                return redirect("visits:meeting_request_record")
    page = Paginator(meeting_requests.recorded_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/requests/record.html", {"form": form, "page": page})


# --- notices ---------------------------------------------------------------------------------


@require_GET
@permissions.page(permissions.PUBLIC)
def notice_list(request: HttpRequest):
    """Published notices, for everyone, optionally for one centre."""
    centre_id = _int(request.GET.get("centre"))
    page = Paginator(notices.published(centre_id=centre_id), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "centres": notices.public_centres(), "centre_id": centre_id}
    return render(request, "visits/notices/list.html", context)


@require_GET
@permissions.page(permissions.PUBLIC)
def notice_detail(request: HttpRequest, pk: int):
    notice = get_object_or_404(notices.published(), pk=pk)
    return render(request, "visits/notices/detail.html", {"notice": notice})


@require_GET
@permissions.page("visits.publish_notice")
def notice_manage(request: HttpRequest):
    """The authority's own notices with how many lawyers each reached."""
    page = Paginator(notices.issued_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/notices/manage.html", {"page": page})


class NoticeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=notices.TITLE_MAX)
    body = forms.CharField(label=gettext_lazy("正文"), max_length=notices.BODY_MAX, widget=forms.Textarea)
    centres = forms.TypedMultipleChoiceField(
        label=gettext_lazy("涉及机构"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("不选则发给管辖范围内的全部看守所和会见点。"),
    )

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].choices = [(c.pk, c.name) for c in centres]


@require_http_methods(["GET", "POST"])
@permissions.page("visits.publish_notice")
def notice_new(request: HttpRequest):
    form = NoticeForm(request.POST or None, centres=notices.centres_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            notice = notices.notice_publish(
                actor=Actor.of(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                centres=form.cleaned_data["centres"] or None,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("通知已发布，已向%(n)d位有预约的律师发送短信。") % {"n": notice.recipients})
            return redirect("visits:notice_manage")
    return render(request, "visits/notices/new.html", {"form": form})


# --- complaints ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict:
    status = request.GET.get("status") or ""
    return {
        "status": status if status in ComplaintStatus.values else "",
        "q": (request.GET.get("q") or "").strip()[:50],
        "centre_id": _int(request.GET.get("centre")),
        "overdue": request.GET.get("overdue") == "1",
    }


@require_GET
@permissions.page("visits.handle_complaint")
def complaint_list(request: HttpRequest):
    """Complaints by status with counts, overdue ones highlighted, searchable."""
    filters = _filters(request)
    today = local_date(timezone.now())
    base = complaints.filtered(request.user, **{**filters, "status": ""}, today=today)
    counts = complaints.status_counts(base)
    rows = base.filter(status=filters["status"]) if filters["status"] else base
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    late = complaints.overdue_ids(page.object_list, today)
    tabs = [{"status": "", "label": _("全部"), "count": sum(counts.values()), "current": not filters["status"]}]
    tabs += [
        {"status": s.value, "label": s.label, "count": counts[s.value], "current": filters["status"] == s.value}
        for s in ComplaintStatus
    ]
    # One name per menu entry and page: those who answer complaints handle
    # them (投诉处理); a centre's officers log them (投诉登记).
    answers = permissions.allowed(request.user, "visits.answer_complaints")
    context = {
        "title": _("投诉处理") if answers else _("投诉登记"),
        "page": page,
        "rows": [{"c": c, "overdue": c.pk in late} for c in page],
        "tabs": tabs,
        "filters": filters,
        "centres": complaints.centres_for(request.user),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "visits/complaints/list.html", context)


@require_GET
@permissions.page("visits.handle_complaint")
def complaints_export(request: HttpRequest):
    try:
        content, _count = complaints.complaints_export(actor=Actor.of(request), filters=_filters(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("visits:complaints") + "?" + request.GET.urlencode())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def _max_length(name: str) -> int | None:
    return Complaint._meta.get_field(name).max_length


class ComplaintForm(forms.Form):
    centre = forms.TypedChoiceField(label=gettext_lazy("被投诉机构"), coerce=int)
    received_at = forms.DateTimeField(
        label=gettext_lazy("来电时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=widgets.DateTimeInput(),
        help_text=gettext_lazy("不填为现在。"),
    )
    caller_name = forms.CharField(
        label=gettext_lazy("来电人"), max_length=Complaint._meta.get_field("caller_name").max_length
    )
    caller_phone = forms.CharField(
        label=gettext_lazy("联系电话"), max_length=20, help_text=gettext_lazy("手机号码，或带区号的固定电话。")
    )
    lawyer_licence_no = forms.CharField(
        label=gettext_lazy("律师执业证号（可不填）"),
        max_length=17,
        required=False,
        help_text=gettext_lazy("来电人是律师时填写，答复将同时通知该律师。"),
    )
    category = forms.ChoiceField(label=gettext_lazy("类别"), choices=ComplaintCategory.choices)
    content = forms.CharField(
        label=gettext_lazy("投诉内容"),
        max_length=Complaint._meta.get_field("content").max_length,
        widget=forms.Textarea,
    )

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.pk, c.name) for c in centres]

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value is not None and timezone.is_naive(value):
            value = value.replace(tzinfo=SHANGHAI)
        return value


@require_http_methods(["GET", "POST"])
@permissions.page("visits.handle_complaint")
def complaint_new(request: HttpRequest):
    centres = {c.pk: c for c in complaints.centres_for(request.user)}
    form = ComplaintForm(request.POST or None, centres=centres.values())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaints.complaint_create(
                actor=Actor.of(request),
                centre=centres[data["centre"]],
                received_at=data["received_at"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                lawyer_licence_no=data["lawyer_licence_no"],
                category=data["category"],
                content=data["content"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("投诉已登记。"))
            return redirect("visits:complaint_detail", pk=complaint.pk)
    return render(request, "visits/complaints/new.html", {"form": form})


TEXT_OF = {"handle": "handling", "answer": "answer", "reopen": "reason"}


@require_GET
@permissions.page("visits.handle_complaint")
def complaint_detail(request: HttpRequest, pk: int):
    complaint = access.complaint_or_404(request.user, pk)
    return _detail(request, complaint)


def _detail(
    request: HttpRequest, complaint: Complaint, *, error: str = "", action: str = "", text: str = "", status: int = 200
):
    today = local_date(timezone.now())
    context = {
        "c": complaint,
        "transitions": complaints.allowed_transitions(complaint),
        "history": complaints.FLOW.history(complaint),
        "overdue": bool(complaints.overdue_ids([complaint], today)),
        "error": error,
        "error_action": action,
        "text": text,
        "text_field": TEXT_OF,
    }
    return render(request, "visits/complaints/detail.html", context, status=status)


@require_POST
@permissions.page("visits.handle_complaint")
def complaint_action(request: HttpRequest, pk: int, action: str):
    complaint = access.complaint_or_404(request.user, pk)
    if action not in complaints.TRANSITIONS:
        raise Http404
    text = (request.POST.get("text") or "").strip()
    try:
        if action == "handle":
            complaints.complaint_handle(actor=Actor.of(request), complaint=complaint, handling=text)
        elif action == "answer":
            complaints.complaint_answer(actor=Actor.of(request), complaint=complaint, answer=text)
        elif action == "close":
            complaints.complaint_close(actor=Actor.of(request), complaint=complaint)
        else:
            complaints.complaint_reopen(actor=Actor.of(request), complaint=complaint, reason=text)
    except DomainError as exc:
        complaint.refresh_from_db()
        return _detail(request, complaint, error=exc.message, action=action, text=text, status=exc.status)
    messages.success(
        request,
        _("投诉已%(action)s，当前状态：%(status)s。")
        % {"action": complaints.TRANSITIONS[action].verb, "status": ComplaintStatus(complaint.status).label},
    )
    return redirect("visits:complaint_detail", pk=complaint.pk)
