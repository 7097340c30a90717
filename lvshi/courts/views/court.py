"""The court's pages (C13): the workbench's queues, filing review (accept
or return), fees (overdue, adjust), cases and hearing scheduling with each
agent's conflicts shown before saving, and conflict requests."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.orgs.models import Role

from .. import access, deadlines, selectors
from ..forms import AcceptFilingForm, AdjustForm, DecideForm, HearingForm, ReturnFilingForm
from ..services import hearings as hearing_svc
from ..services import review

PAGE_SIZE = 20


@permissions.page("courts.workbench")
def workbench(request: HttpRequest):
    user = request.user
    context = {
        "counts": selectors.workbench_counts(user),
        "perms_receive": permissions.allowed(user, "courts.receive_material"),
        "perms_serve": permissions.allowed(user, "courts.serve_document"),
        "perms_judge": permissions.allowed(user, "courts.answer_message"),
        "reply_days": settings.COURT_MESSAGE_REPLY_DAYS,
    }
    return render(request, "courts/court/workbench.html", context)


@permissions.page("courts.review_filing")
def review_queue(request: HttpRequest):
    overdue = request.GET.get("overdue") == "1"
    page = Paginator(selectors.review_queue(request.user, overdue=overdue), PAGE_SIZE).get_page(request.GET.get("page"))
    cal = deadlines.calendar()
    rows = [
        {
            "filing": f,
            "due": deadlines.period_end(f.submitted_at, deadlines.REVIEW_DAYS, cal=cal),
            "overdue": deadlines.is_overdue(f.submitted_at, deadlines.REVIEW_DAYS, cal=cal),
        }
        for f in page
        if f.submitted_at is not None  # every filing in the queue was submitted
    ]
    return render(request, "courts/court/review_queue.html", {"page": page, "rows": rows, "overdue": overdue})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.review_filing")
def review_filing(request: HttpRequest, filing_id: int):
    f = access.filing_for_review_or_404(request.user, filing_id)
    judges = list(review.court_members(f.court, Role.JUDGE).order_by("pk")) if f.court else []
    action = request.POST.get("action")
    accept_form = AcceptFilingForm(request.POST if action == "accept" else None, judges=judges)
    return_form = ReturnFilingForm(request.POST if action == "return" else None)
    actor = Actor.of(request)
    if action == "accept" and accept_form.is_valid():
        try:
            case = review.filing_accept(
                filing=f,
                actor=actor,
                judge_id=accept_form.cleaned_data["judge"],
                simplified=accept_form.cleaned_data["simplified"],
            )
        except DomainError as exc:
            accept_form.add_error(None, exc.message)
        else:
            messages.success(request, _("已立案，案号%(n)s。律师已收到通知。") % {"n": case.number})
            return redirect("courts:court_case", case.pk)
    if action == "return" and return_form.is_valid():
        try:
            review.filing_return(filing=f, actor=actor, **return_form.cleaned_data)
        except DomainError as exc:
            return_form.add_error(None, exc.message)
        else:
            messages.success(request, _("已退回，律师已收到补正通知。"))
            return redirect("courts:review_queue")
    context = {
        "filing": f,
        "parties": list(f.parties.all()),
        "agents": list(f.agents.select_related("party")),
        "files": list(f.files.all()),
        "accept_form": accept_form,
        "return_form": return_form,
        "due": deadlines.period_end(f.submitted_at, deadlines.REVIEW_DAYS) if f.submitted_at else None,
        "overdue": bool(f.submitted_at and deadlines.is_overdue(f.submitted_at, deadlines.REVIEW_DAYS)),
        "history": review.FILING.history(f),
    }
    return render(request, "courts/court/review.html", context)


@permissions.page("courts.adjust_fee")
def court_fees(request: HttpRequest):
    overdue = request.GET.get("overdue") == "1"
    page = Paginator(selectors.court_notices(request.user, overdue=overdue), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cal = deadlines.calendar()
    rows = [
        {
            "notice": n,
            "pay_by": deadlines.period_end(n.issued_at, deadlines.PAY_DAYS, cal=cal),
            "late": n.status == "unpaid" and deadlines.is_overdue(n.issued_at, deadlines.PAY_DAYS, cal=cal),
        }
        for n in page
    ]
    return render(request, "courts/court/fees.html", {"page": page, "rows": rows, "overdue": overdue})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.adjust_fee")
def fee_adjust(request: HttpRequest, notice_id: int):
    notice = access.notice_for_staff_or_404(request.user, notice_id)
    form = AdjustForm(request.POST or None, initial={"amount": notice.amount})
    if request.method == "POST" and form.is_valid():
        try:
            review.notice_adjust(notice=notice, actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("金额已调整。"))
            return redirect("courts:court_fees")
    return render(request, "courts/court/fee_adjust.html", {"notice": notice, "form": form})


@permissions.page("courts.view_court_cases")
def court_cases(request: HttpRequest):
    q = request.GET.get("q", "")[:50]
    page = Paginator(selectors.court_cases(request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courts/court/cases.html", {"page": page, "q": q})


@permissions.page("courts.view_court_cases")
def court_case(request: HttpRequest, case_id: int):
    return redirect("courts:case", access.court_case_or_404(request.user, case_id, "courts.view_court_cases").pk)


@permissions.page("courts.schedule_hearing")
def court_hearings(request: HttpRequest):
    week = request.GET.get("week") == "1"
    rows = list(selectors.court_hearings(request.user, week=week)[:200])
    return render(request, "courts/court/hearings.html", {"rows": rows, "week": week})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.schedule_hearing")
def schedule_hearing(request: HttpRequest, case_id: int):
    """Pick a time: the agents' conflicts show before saving (htmx on each
    change, and again on submit); saving over conflicts needs a tick."""
    case = access.court_case_or_404(request.user, case_id)
    rooms = list(case.court.rooms.filter(active=True).order_by("name"))
    judges = list(review.court_members(case.court, Role.JUDGE).order_by("pk"))
    data = request.POST if request.method == "POST" else (request.GET if "start" in request.GET else None)
    form = HearingForm(data, rooms=rooms, judges=judges, initial={"judge": case.judge_id})
    plan = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            plan = hearing_svc.hearing_plan(
                actor=Actor.of(request),
                case=case,
                start=d["start"],
                minutes=d["minutes"],
                room_id=d["room"],
                judge_id=d["judge"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        if plan is not None and request.method == "POST":
            if (plan.conflicts or plan.short_notice) and not d["confirm"]:
                form.add_error("confirm", _("该时间有冲突或通知期不足三日。请改选时间，或勾选确认后仍按此时间排期。"))
            elif plan.room_busy:
                form.add_error(None, _("该时间法庭或审判人员已有其他庭审，请另选时间。"))
            else:
                try:
                    hearing_svc.hearing_schedule(
                        actor=Actor.of(request),
                        case=case,
                        start=d["start"],
                        minutes=d["minutes"],
                        room_id=d["room"],
                        judge_id=d["judge"],
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("已排期，各方律师已收到开庭通知。"))
                    return redirect("courts:case", case.pk)
    template = "courts/court/schedule.html#plan" if getattr(request, "htmx", False) else "courts/court/schedule.html"
    return render(request, template, {"case": case, "form": form, "plan": plan})


@permissions.page("courts.decide_request")
def requests(request: HttpRequest):
    return render(request, "courts/court/requests.html", {"rows": list(selectors.pending_requests(request.user)[:100])})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.decide_request")
def decide_request(request: HttpRequest, request_id: int):
    req = access.request_for_judge_or_404(request.user, request_id)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["grant"]:
                hearing_svc.request_grant(actor=Actor.of(request), request=req, start=d["start"], answer=d["answer"])
            else:
                hearing_svc.request_refuse(actor=Actor.of(request), request=req, answer=d["answer"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已处理，律师已收到通知。"))
            return redirect("courts:requests")
    return render(request, "courts/court/decide.html", {"req": req, "form": form})
