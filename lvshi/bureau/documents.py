"""Documents lawyer administration generates: the receipt slip of an
application (受理回执), with a QR code of its public progress page. Every
download is recorded in the audit log."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.pdf import pdf_response, qr_svg, render_pdf

from . import routes
from .models import Application, Letter


def receipt_response(application: Application, *, actor: Actor, progress_url: str) -> HttpResponse:
    route = routes.route_of(application)
    received = application.steps.filter(action="receive").select_related("body").order_by("pk").first()
    context = {
        "a": application,
        "step": route.steps[application.step],
        "received": received,
        "received_at": timezone.localtime(received.at, SHANGHAI) if received else None,
        "originals_at": (
            timezone.localtime(application.originals_received_at, SHANGHAI)
            if application.originals_received_at
            else None
        ),
        "qr": qr_svg(progress_url),
        "progress_url": progress_url,
        "basis": route.basis,
    }
    data = render_pdf("bureau/pdf/receipt.html", context)
    audit_record(action="bureau.application_receipt", actor=actor, obj=application)
    return pdf_response(data, f"receipt-{application.number}.pdf")


def letter_response(letter: Letter, *, actor: Actor, verify_url: str) -> HttpResponse:
    case = letter.case
    context = {
        "letter": letter,
        "case": case,
        "firm": case.organisation,
        "issued": timezone.localtime(letter.issued_at, SHANGHAI),
        "qr": qr_svg(verify_url),
        "verify_url": verify_url,
    }
    data = render_pdf("bureau/pdf/letter.html", context)
    audit_record(action="bureau.letter_download", actor=actor, obj=letter, organisation=case.organisation)
    return pdf_response(data, f"letter-{letter.code}.pdf")
