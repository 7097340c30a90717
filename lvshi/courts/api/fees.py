"""Court fees in the API: the lawyer's notices, paying one (a QR code at
the chosen provider), the providers' callbacks, and — only while the
simulated provider is on — playing the payer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id
from lvshi.core.pdf import qr_svg
from lvshi.orgs import permissions

from .. import access, deadlines, documents, selectors
from ..models import NoticeStatus, PaymentStatus, ProviderName
from ..payments import registry
from ..services import payments as svc

router = Router()


class FeeNoticeOut(Schema):
    code: str = Field(description="缴费码（16位数字）")
    case_number: str
    court: str
    item: str
    amount: Decimal = Field(description="应缴金额（元）")
    status: NoticeStatus
    status_label: str
    issued_at: datetime
    pay_by: str = Field(description="缴费期限（开具后7日，遇节假日顺延），YYYY-MM-DD")
    paid_at: datetime | None
    receipt_url: str = Field(description="电子票据（PDF），缴费后可下载")


def notice_out(n, cal=None) -> dict:
    return {
        "code": n.code,
        "case_number": n.case.number,
        "court": n.case.court.organisation.name,
        "item": n.item,
        "amount": n.amount,
        "status": n.status,
        "status_label": n.get_status_display(),
        "issued_at": n.issued_at,
        "pay_by": deadlines.period_end(n.issued_at, deadlines.PAY_DAYS, cal=cal).isoformat(),
        "paid_at": n.paid_at,
        "receipt_url": reverse("api:court_fee_receipt", args=[n.code]) if n.status == NoticeStatus.PAID else "",
    }


class NoticeQuery(Schema):
    status: NoticeStatus | None = None


@router.get("/fees", response=list[FeeNoticeOut], url_name="court_fees", summary="我的交费通知书（我的案件的）")
@permissions.operation("courts.file")
def list_fees(request, query: Query[NoticeQuery]):
    cal = deadlines.calendar()
    return [notice_out(n, cal) for n in selectors.lawyer_notices(request.auth, status=query.status or "")[:200]]


@router.get("/fees/{code}", response=FeeNoticeOut, url_name="court_fee", summary="按缴费码查看交费通知书")
@permissions.operation("courts.file")
def get_fee(request, code: str):
    return notice_out(access.notice_by_code_or_404(request.auth, code))


class PayIn(Schema):
    provider: ProviderName


class PayOut(Schema):
    payment_id: int
    provider: ProviderName
    amount: Decimal
    qr: str = Field(description="二维码内容（用微信或支付宝扫码）")
    qr_svg: str = Field(description="二维码图片（SVG）")
    expires_at: datetime


@router.post(
    "/fees/{code}/pay",
    response={201: PayOut},
    url_name="court_fee_pay",
    summary="发起缴费，得到二维码（已缴费的通知书：409 already_paid）",
)
@permissions.operation("courts.file")
def pay_fee(request, code: str, body: PayIn):
    notice = access.notice_by_code_or_404(request.auth, code)
    payment = svc.payment_start(actor=Actor.of(request), notice=notice, provider=body.provider)
    return Status(
        201,
        {
            "payment_id": payment.pk,
            "provider": payment.provider,
            "amount": (Decimal(payment.amount_fen) / 100).quantize(Decimal("0.01")),
            "qr": payment.qr,
            "qr_svg": qr_svg(payment.qr),
            "expires_at": payment.expires_at,
        },
    )


@router.get("/fees/{code}/receipt", url_name="court_fee_receipt", summary="电子票据（PDF）")
@permissions.operation("courts.file")
def fee_receipt(request, code: str):
    notice = access.notice_by_code_or_404(request.auth, code)
    return documents.receipt_response(notice, actor=Actor.of(request))


@router.post(
    "/payments/callback/{provider}",
    auth=None,
    url_name="court_payment_callback",
    summary="支付机构的异步通知（验签、时间戳、商户号、金额；同一通知只处理一次）",
    include_in_schema=True,
)
@permissions.operation(permissions.PUBLIC)
def payment_callback(request, provider: ProviderName):
    result = svc.payment_callback(provider=provider, headers=dict(request.headers), body=request.body)
    return HttpResponse(result.ack.body, status=result.ack.status, content_type=result.ack.content_type)


class SimulateQuery(Schema):
    times: int = Field(1, ge=1, le=20, description="发送同一通知的次数（模拟支付机构重发）")


class SimulateOut(Schema):
    payment_id: int
    status: PaymentStatus
    outcomes: list[str] = Field(description="每次通知的处理结果：paid、duplicate、refund_due、already、rejected")
    notice_status: NoticeStatus


@router.post(
    "/payments/{int:payment_id}/simulate",
    response=SimulateOut,
    url_name="court_payment_simulate",
    summary="（仅模拟支付环境）模拟付款人扫码：支付机构发出签名的支付成功通知",
)
@permissions.operation("courts.file")
def simulate_payment(request, payment_id: Id, query: Query[SimulateQuery]):
    if not registry.simulated_on():
        raise Http404
    payment = access.own_payment_or_404(request.auth, payment_id)
    outcomes = svc.payment_simulate(payment=payment, times=query.times)
    payment.refresh_from_db()
    payment.notice.refresh_from_db()
    return {
        "payment_id": payment.pk,
        "status": payment.status,
        "outcomes": outcomes,
        "notice_status": payment.notice.status,
    }
