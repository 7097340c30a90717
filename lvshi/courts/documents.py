"""Documents court services generate: the acceptance notice (受理通知书,
with the case's query code and password) and the electronic receipt of a
paid fee, as PDFs (WeasyPrint, the WenQuanYi Zen Hei font); the payment QR
code as SVG. Every download is recorded in the audit log."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.downloads import serve_download
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.pdf import pdf_response as _pdf_response
from lvshi.core.pdf import render_pdf

from . import deadlines
from .models import Case, Exchange, NoticeStatus, PaymentNotice, PaymentStatus, ServedDocument


def acceptance_notice_response(case: Case, *, actor: Actor) -> HttpResponse:
    notice = case.payment_notices.order_by("pk").first()
    context = {
        "case": case,
        "court": case.court.organisation,
        "parties": list(case.parties.all()),
        "password": crypto.decrypt(case.query_password_encrypted) if case.query_password_encrypted else "",
        "notice": notice,
        "pay_by": deadlines.period_end(notice.issued_at, deadlines.PAY_DAYS) if notice else None,
        "accepted": timezone.localtime(case.accepted_at, SHANGHAI),
    }
    data = render_pdf("courts/pdf/acceptance.html", context)
    audit_record(action="courts.document_download", actor=actor, obj=case, message=_("受理通知书"))
    return _pdf_response(data, f"acceptance-{case.pk}.pdf")


def receipt_response(notice: PaymentNotice, *, actor: Actor) -> HttpResponse:
    if notice.status != NoticeStatus.PAID:
        raise Http404
    payment = notice.payments.filter(status=PaymentStatus.SUCCEEDED).first()
    context = {
        "notice": notice,
        "case": notice.case,
        "court": notice.case.court.organisation,
        "payment": payment,
        "paid": timezone.localtime(notice.paid_at, SHANGHAI),
    }
    data = render_pdf("courts/pdf/receipt.html", context)
    audit_record(action="courts.document_download", actor=actor, obj=notice, message=_("电子票据"))
    return _pdf_response(data, f"receipt-{notice.code}.pdf")


def served_file_response(document: ServedDocument, *, actor: Actor) -> FileResponse:
    """The served PDF, once signed for (the signing is the service); each download audited."""
    if document.signed_at is None:
        raise Http404(_("请先签收，签收后才能下载文书。"))
    return serve_download(
        document.file,
        name=f"{document.title}.pdf",
        content_type="application/pdf",
        audit_action="courts.document_download",
        obj=document,
        actor=actor,
    )


def proof_of_service_response(document: ServedDocument, *, actor: Actor) -> HttpResponse:
    """送达回证: the document, its SHA-256, the recipient, the time and the method of service."""
    if document.signed_at is None:
        raise Http404
    context = {
        "document": document,
        "case": document.case,
        "court": document.case.court.organisation,
        "signed": timezone.localtime(document.signed_at, SHANGHAI),
        "sent": timezone.localtime(document.sent_at, SHANGHAI),
    }
    data = render_pdf("courts/pdf/proof.html", context)
    audit_record(action="courts.document_download", actor=actor, obj=document, message=_("送达回证"))
    return _pdf_response(data, f"proof-{document.pk}.pdf")


def exchange_response(exchange: Exchange, table: tuple[list, list], *, actor: Actor) -> HttpResponse:
    """Every side's opinions on every item, side by side."""
    recipients, rows = table
    context = {
        "exchange": exchange,
        "case": exchange.case,
        "court": exchange.case.court.organisation,
        "recipients": recipients,
        "rows": rows,
        "deadline": timezone.localtime(exchange.deadline, SHANGHAI),
    }
    data = render_pdf("courts/pdf/exchange.html", context)
    audit_record(action="courts.document_download", actor=actor, obj=exchange, message=_("质证意见汇总"))
    return _pdf_response(data, f"exchange-{exchange.pk}.pdf")


def page_image_response(image: bytes) -> HttpResponse:
    """A watermarked page of a case file: never kept by a browser or a proxy."""
    response = HttpResponse(image, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# How the API documents a PDF download.
PDF_FILE = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}

# How the API documents a download of a file someone uploaded (checked as PDF, JPEG or PNG on upload).
UPLOADED_FILE = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type in ("application/pdf", "image/jpeg", "image/png")
}
