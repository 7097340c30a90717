"""Demo casework after filing (docs/demo-accounts.md): on 张明's loan case a
judgment served and waiting for his signature (the SMS key appears in the
SMS log: the console of ``make run``), an approved file review of a
five-page volume, a message thread with the judge's reply and a material
waiting for the clerk; on the sale case an evidence exchange waiting for
his opinions. The PDFs are drawn with Pillow (no WeasyPrint needed).
Idempotent: nothing is made when the loan case already has a volume."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from lvshi.core.actor import Actor

from .models import Case, Volume
from .services import exchanges, materials, messages, reviews, service

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def demo_pdf(name: str, pages: list[list[str]]) -> SimpleUploadedFile:
    """An A4 PDF (100 dpi) whose pages carry the given lines."""
    font = ImageFont.truetype(str(FONT), 22) if FONT.exists() else ImageFont.load_default(22)
    images = []
    for lines in pages:
        image = Image.new("RGB", (827, 1169), "white")
        draw = ImageDraw.Draw(image)
        for n, line in enumerate(lines):
            draw.text((80, 100 + n * 44), line, font=font, fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def seed_casework(orgs, users) -> int:
    lawyer1, lawyer2 = users["lawyer1"], users["lawyer2"]
    loan = Case.objects.filter(cause="借款合同纠纷", links__lawyer=lawyer1).select_related("judge", "clerk").first()
    sale = Case.objects.filter(cause="买卖合同纠纷", links__lawyer=lawyer2).select_related("judge").first()
    if loan is None or sale is None or Volume.objects.filter(case=loan).exists():
        return 0
    judge, clerk = loan.judge, loan.clerk or users["clerk"]
    made = 0

    # A judgment waiting for 张明's signature.
    service.document_serve(
        case=loan,
        actor=Actor(clerk),
        recipient_id=lawyer1.pk,
        kind="judgment",
        title="民事判决书",
        upload=demo_pdf(
            "判决书.pdf",
            [
                [
                    f"{loan.court.organisation.name}",
                    "民 事 判 决 书",
                    loan.number,
                    "",
                    "原告：重庆某某科技有限公司",
                    "被告：王某",
                ]
            ],
        ),
    )
    made += 1

    # An approved file review of a five-page volume.
    volume = reviews.volume_add(
        case=loan,
        actor=Actor(clerk),
        title="正卷第一册",
        upload=demo_pdf(
            "正卷第一册.pdf",
            [[loan.number, "正卷第一册", f"第{n}页", "", "借款合同、转账凭证、催款函及送达回执"] for n in range(1, 6)],
        ),
    )
    review = reviews.review_request(case=loan, actor=Actor(lawyer1), reason="准备庭审，核对原告提交的证据")
    reviews.review_approve(review=review, actor=Actor(judge), volume_ids=[volume.pk], days=30)
    made += 2

    # A thread with the judge's reply, and a material waiting for the clerk.
    thread = messages.thread_start(
        case=loan, actor=Actor(lawyer1), title="关于举证期限", text="被告申请延长举证期限十五日，理由见附件。"
    )
    messages.thread_post(thread=thread, actor=Actor(judge), text="已收到，合议庭将在三个工作日内答复。")
    materials.material_add(
        case=loan,
        actor=Actor(lawyer1),
        title="补充证据：还款记录",
        uploads=[demo_pdf("还款记录.pdf", [["还款记录", "2025年1月至6月"]])],
    )
    made += 2

    # An evidence exchange on the sale case, waiting for both sides' opinions.
    delivery = materials.material_add(
        case=sale,
        actor=Actor(lawyer2),
        title="证据一：送货单",
        uploads=[demo_pdf("送货单.pdf", [["送货单", "货物：钢材 20 吨", "收货人签字：陈某"]])],
    )
    exchanges.exchange_create(
        case=sale,
        actor=Actor(sale.judge),
        title="第一次证据交换",
        deadline=timezone.now() + timedelta(days=5),
        material_ids=[m.pk for m in delivery],
        lawyer_ids=[lawyer1.pk, lawyer2.pk],
        note="请对原告提交的送货单发表质证意见。",
    )
    return made + 2
