"""Documents the platform generates: PDFs rendered from templates with
WeasyPrint (the WenQuanYi Zen Hei font) and QR codes as SVG."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import DomainError


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def render_pdf(template: str, context: dict) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing on this server (the system check says so at start)
        raise DomainError(
            "pdf_unavailable", _("暂时无法生成 PDF 文书，请稍后再试或联系平台管理员。"), status=409
        ) from exc

    html = render_to_string(template, context)
    out = io.BytesIO()
    HTML(string=html).write_pdf(out)
    return out.getvalue()


def pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
