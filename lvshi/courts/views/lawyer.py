"""The lawyer's court pages: my cases (search, bind by code), fees (pay by
code, the QR code, the receipt) and hearings (with conflict requests)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.pdf import qr_svg
from lvshi.orgs import permissions
from lvshi.orgs.scope import can

from .. import access, deadlines, documents, selectors
from ..forms import BindForm, CodeForm, ConflictRequestForm, PayForm
from ..models import CaseStatus, NoticeStatus, PaymentStatus
from ..payments import registry
from ..services import cases as case_svc
from ..services import hearings as hearing_svc
from ..services import payments as pay_svc

PAGE_SIZE = 20


@permissions.page("courts.file")
def cases(request: HttpRequest):
    q, status = request.GET.get("q", "")[:50], request.GET.get("status", "")
    page = Paginator(selectors.lawyer_cases(request.user, q=q, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "courts/cases/list.html", {"page": page, "q": q, "status": status, "statuses": CaseStatus.choices}
    )


@permissions.page(permissions.SIGNED_IN)
def case(request: HttpRequest, case_id: int):
    c = access.case_or_404(request.user, case_id)
    staff = can(request.user, "courts.view_court_cases", c)
    context = {
        "case": c,
        "staff": staff,
        "parties": list(c.parties.prefetch_related("agents")),
        "hearings": list(c.hearings.select_related("room").order_by("start")),
        "notices": list(c.payment_notices.order_by("pk")),
        "may_print": access.may_print_notice(request.user, c),
    }
    return render(request, "courts/cases/detail.html", context)


@permissions.page(permissions.SIGNED_IN)
def acceptance_pdf(request: HttpRequest, case_id: int):
    c = access.case_or_404(request.user, case_id)
    if not access.may_print_notice(request.user, c):
        raise Http404
    return documents.acceptance_notice_response(c, actor=Actor.of(request))


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def bind(request: HttpRequest):
    form = BindForm(request.POST or None)
    locked = case_svc.bind_locked_until(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            c = case_svc.case_bind(actor=Actor.of(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已绑定案件%(number)s。") % {"number": c.number})
            return redirect("courts:case", c.pk)
    return render(request, "courts/cases/bind.html", {"form": form, "locked": locked})


# --- fees --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def fees(request: HttpRequest):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        try:
            access.notice_by_code_or_404(request.user, code)
        except Http404:
            form.add_error(
                "code",
                _("未找到该缴费码。请核对交费通知书上的16位数字；如案件尚未出现在“我的案件”中，请先凭查询码绑定案件。"),
            )
        else:
            return redirect("courts:fee", code)
    cal = deadlines.calendar()
    rows = [
        {"notice": n, "pay_by": deadlines.period_end(n.issued_at, deadlines.PAY_DAYS, cal=cal)}
        for n in selectors.lawyer_notices(request.user)[:100]
    ]
    return render(request, "courts/fees/list.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def fee(request: HttpRequest, code: str):
    notice = access.notice_by_code_or_404(request.user, code)
    form = PayForm(request.POST or None, initial={"provider": "wechat"})
    if request.method == "POST" and form.is_valid():
        try:
            payment = pay_svc.payment_start(
                actor=Actor.of(request), notice=notice, provider=form.cleaned_data["provider"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("courts:payment", payment.pk)
    context = {
        "notice": notice,
        "form": form,
        "pay_by": deadlines.period_end(notice.issued_at, deadlines.PAY_DAYS),
        "paid": notice.status == NoticeStatus.PAID,
    }
    return render(request, "courts/fees/detail.html", context)


@permissions.page("courts.file")
def payment(request: HttpRequest, payment_id: int):
    p = access.own_payment_or_404(request.user, payment_id)
    template = "courts/fees/payment.html#status" if getattr(request, "htmx", False) else "courts/fees/payment.html"
    context = {
        "payment": p,
        "notice": p.notice,
        "qr": qr_svg(p.qr) if p.status == PaymentStatus.PENDING else "",
        "simulated": registry.simulated_on(),
        "amount": p.amount_fen / 100,
    }
    return render(request, template, context)


@require_POST
@permissions.page("courts.file")
def payment_simulate(request: HttpRequest, payment_id: int):
    if not registry.simulated_on():
        raise Http404
    p = access.own_payment_or_404(request.user, payment_id)
    outcomes = pay_svc.payment_simulate(payment=p, times=1)
    if outcomes[0] == "paid":
        messages.success(request, _("缴费成功。电子票据可在下方下载。"))
    elif outcomes[0] == "refund_due":
        messages.warning(request, _("该通知书已由其他支付缴清，本次支付将原路退回。"))
    return redirect("courts:fee", p.notice.code)


@permissions.page("courts.file")
def receipt(request: HttpRequest, code: str):
    return documents.receipt_response(access.notice_by_code_or_404(request.user, code), actor=Actor.of(request))


# --- hearings ----------------------------------------------------------------------------------


@permissions.page("courts.file")
def hearings(request: HttpRequest):
    past = request.GET.get("past") == "1"
    rows = list(selectors.lawyer_hearings(request.user, past=past)[:100])
    return render(request, "courts/hearings/list.html", {"rows": rows, "past": past})


@require_http_methods(["GET", "POST"])
@permissions.page("courts.file")
def hearing_request(request: HttpRequest, hearing_id: int):
    hearing = access.lawyer_hearing_or_404(request.user, hearing_id)
    form = ConflictRequestForm(
        request.POST or None, initial={"phone": getattr(request.user, "mobile", ""), "kind": "postpone"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing_svc.request_create(
                actor=Actor.of(request),
                hearing=hearing,
                kind=data["kind"],
                reason=data["reason"],
                phone=data["phone"],
                proposed=form.proposed(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("申请已提交，法官处理后会通知您。"))
            return redirect("courts:hearings")
    return render(request, "courts/hearings/request.html", {"hearing": hearing, "form": form})
