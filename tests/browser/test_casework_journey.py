"""Casework in a real browser on a phone-sized screen: the lawyer signs a
served judgment with the key read from the SMS log and downloads it, then
opens an approved file review and sees a page watermarked with their name."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageChops
from playwright.sync_api import expect

from lvshi.audit.models import AuditEvent
from lvshi.calendar.models import ScheduleEntry
from lvshi.calendar.workdays import SHANGHAI
from lvshi.courts import watermark
from lvshi.courts.models import ServedDocument, ServiceStatus
from lvshi.courts.tests import casework_factories as casework

from .fixtures import label
from .test_booking_journey import WATCH_CSP, assert_clean
from .test_court_journey import as_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sms_key(path) -> str:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return re.search(r"签收密钥(\d{6})", next(m for m in reversed(lines) if "签收密钥" in m["body"])["body"]).group(1)


def _overlap(served: Image.Image, plain: Image.Image, text: str) -> float:
    """How much of where *text*'s watermark would be the served page changed (IoU)."""
    changed = ImageChops.difference(served, plain).convert("L").point(lambda v: 255 if v > 24 else 0).convert("1")
    mask = watermark.layer(plain.size, text).getchannel("A").point(lambda v: 255 if v > 0 else 0).convert("1")
    both = ImageChops.logical_and(changed, mask).histogram()[255]
    either = ImageChops.logical_or(changed, mask).histogram()[255]
    return both / either


def test_sign_a_served_document_and_read_a_watermarked_file(live_server, page, screenshot, world, settings, tmp_path):
    settings.SMS_BACKEND = "lvshi.notify.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path
    url = live_server.url
    page.context.add_init_script(WATCH_CSP)
    lawyer = world.lawyer
    document = casework.served(world, lawyer)

    # --- sign with the key from the SMS log, then download -----------------------------------------
    as_user(page, lawyer, url)
    page.goto(url + reverse("courts:documents"))
    page.get_by_role("link", name="民事判决书").click()
    page.get_by_role("button", name="获取签收密钥").click()
    expect(page.get_by_text("签收密钥已发送到您的手机")).to_be_visible()
    page.get_by_label(label("签收密钥")).fill(_sms_key(tmp_path / "sms.jsonl"))
    assert_clean(page)
    screenshot("sign")
    page.get_by_role("button", name="签收", exact=True).click()
    expect(page.get_by_text("已签收，签收时间即为送达时间")).to_be_visible()
    document.refresh_from_db()
    assert document.status == ServiceStatus.SIGNED and document.signed_at is not None
    assert ScheduleEntry.objects.filter(lawyer=lawyer, text__contains="上诉期").exists()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载文书").click()
    saved = download.value.path().read_bytes()
    assert saved == ServedDocument.objects.get(pk=document.pk).file.open("rb").read()
    assert AuditEvent.objects.filter(action="courts.document_download", object_id=str(document.pk)).exists()
    screenshot("signed")

    # --- read an approved file review ---------------------------------------------------------------
    review, volume = casework.review(world, lawyer, pages=2)
    page.goto(url + reverse("courts:file_reviews"))
    page.get_by_role("link", name="在线阅卷").click()
    image = page.get_by_role("img", name="正卷第一册 第 1 / 2 页")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('.review-page img').complete")
    first_src = image.get_attribute("src")
    check = page.request.get(url + first_src)
    assert check.status == 200, check.text()[:300]
    assert page.evaluate("document.querySelector('.review-page img').naturalWidth") == 1000
    assert_clean(page)
    screenshot("review-page")
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_role("img", name="正卷第一册 第 2 / 2 页")).to_be_visible()

    # The page the browser got carries the lawyer's name, licence number and the minute of viewing.
    response = page.request.get(url + first_src.replace("/1.jpg", "/2.jpg"))
    assert response.headers["content-type"] == "image/jpeg" and response.headers["cache-control"] == "no-store"
    served = Image.open(io.BytesIO(response.body())).convert("RGB")
    with volume.file.open("rb") as fh:  # the same page rendered without a watermark
        plain = Image.open(io.BytesIO(watermark.render(fh.read(), 1, ""))).convert("RGB")
    now = timezone.localtime(timezone.now(), SHANGHAI)
    candidates = [
        f"{lawyer.name} 执业证号{lawyer.licence_no} {(now - timedelta(minutes=m)):%Y-%m-%d %H:%M}" for m in (0, 1)
    ]
    mine = max(_overlap(served, plain, text) for text in candidates)
    someone_else = _overlap(served, plain, candidates[0].replace(lawyer.name, "王某某"))
    assert mine > 0.3 and mine > someone_else + 0.1, (mine, someone_else)
    views = AuditEvent.objects.filter(action="courts.review_page", object_id=str(review.pk), actor=lawyer)
    assert views.count() >= 3
    page.reload()
    expect(page.get_by_text("正卷第一册 2/2").first).to_be_visible()
