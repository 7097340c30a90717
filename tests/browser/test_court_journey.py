"""Court services end to end in a real browser on a phone-sized screen: a
lawyer files a case through the whole wizard, the clerk accepts it, the
lawyer pays the fee through the simulated QR code and gets the receipt,
and the clerk schedules a hearing and sees the lawyer's conflict before
saving."""

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from lvshi.calendar.models import ScheduleEntry
from lvshi.calendar.workdays import SHANGHAI, next_working_day
from lvshi.courts.models import Case, Filing, FilingStatus, Hearing, NoticeStatus, PaymentNotice
from lvshi.courts.tests.factories import PDF, court_of
from tests.factories import make_id_number

from .fixtures import label, session_cookie
from .test_booking_journey import WATCH_CSP, assert_clean, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PNG")
    return out.getvalue()


def as_user(page, user, url: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([session_cookie(user, url)])


def test_file_accept_pay_and_schedule(live_server, page, screenshot, world):
    court = court_of(world)
    url = live_server.url
    page.context.add_init_script(WATCH_CSP)
    lawyer = world.lawyer
    day = next_working_day(timezone.localdate() + timedelta(days=10))
    ScheduleEntry.objects.create(
        lawyer=lawyer,
        start=datetime.combine(day, time(9, 0), tzinfo=SHANGHAI),
        end=datetime.combine(day, time(12, 0), tzinfo=SHANGHAI),
        text="另案开庭（渝中区法院）",
    )

    # --- the lawyer files, step by step -------------------------------------------------------
    as_user(page, lawyer, url)
    page.goto(url + reverse("courts:filings"))
    page.get_by_role("button", name="我要立案").click()
    page.get_by_label(label("我已阅读并同意上述须知")).check()
    page.get_by_role("button", name="阅读并同意，下一步").click()

    page.get_by_label(label("案件类型")).select_option(label="民事一审")
    page.get_by_label(label("申请类型")).select_option(label="起诉")
    page.get_by_role("button", name="保存并进入下一步").click()

    # Parties one at a time, then the lawyer as agent (name and licence filled in).
    for role, name, id_number in (("原告", "张三", make_id_number()), ("被告", "李四", "")):
        details = page.locator("#parties details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        page.locator("#id_party-kind").select_option(label="自然人")
        page.locator("#id_party-role").select_option(label=role)
        page.locator("#id_party-name").fill(name)
        page.locator("#id_party-id_number").fill(id_number)
        page.get_by_role("button", name="添加当事人信息").click()
        expect(page.get_by_text("已添加当事人。")).to_be_visible()
    page.locator("#id_agent-party_id").select_option(label="原告 张三")
    expect(page.locator("#id_agent-licence_no")).to_have_value(lawyer.licence_no)
    page.locator("#id_agent-id_number").fill(lawyer.id_number)
    page.get_by_role("button", name="添加代理人信息").click()
    expect(page.get_by_text("已添加代理人。")).to_be_visible()
    page.get_by_label(label("案由")).fill("民间借贷纠纷")
    page.get_by_label(label("诉讼标的额（元）")).fill("100000")
    page.get_by_label(label("诉讼请求")).fill("判令被告归还借款10万元。")
    assert_clean(page)
    screenshot("filing-info")
    page.get_by_role("button", name="保存并进入下一步").click()

    page.get_by_label(re.compile("我已阅读并确认上述送达地址确认书")).check()
    for box in page.locator("input[name^=address_]").all():
        box.fill("重庆市渝中区解放碑1号")
    page.get_by_role("button", name="保存并进入下一步").click()

    page.get_by_label(re.compile(court.organisation.name)).check()
    page.get_by_role("button", name="保存并进入下一步").click()

    page.locator("input[name=uploads]").set_input_files(
        [
            {"name": "起诉状.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "借条.png", "mimeType": "image/png", "buffer": _png()},
        ]
    )
    page.get_by_role("button", name="开始上传").click()
    expect(page.get_by_text("已上传2个文件。")).to_be_visible()
    page.get_by_role("button", name="下一步").click()

    page.locator("input[name=front]").set_input_files({"name": "f.png", "mimeType": "image/png", "buffer": _png()})
    page.locator("input[name=back]").set_input_files({"name": "b.png", "mimeType": "image/png", "buffer": _png()})
    page.get_by_role("button", name=re.compile("^上传证件")).click()
    expect(page.get_by_text("证件已上传。")).to_be_visible()
    page.get_by_role("button", name="保存并下一步").click()

    expect(page.get_by_text("还有")).to_have_count(0)  # nothing missing on the preview
    page.get_by_label(re.compile("同意先行调解")).check()
    assert_clean(page)
    screenshot("filing-preview")
    page.get_by_role("button", name="确定提交立案资料").click()
    expect(page.get_by_text("立案材料已提交")).to_be_visible()
    filing = Filing.objects.get(lawyer=lawyer)
    assert filing.status == FilingStatus.SUBMITTED and filing.mediation_consent

    # --- the clerk accepts -----------------------------------------------------------------------
    as_user(page, world.clerk, url)
    page.goto(url + reverse("courts:review_queue"))
    page.get_by_role("link", name="民间借贷纠纷").click()
    page.get_by_label(label("承办法官")).select_option(label=world.judge.name)
    page.get_by_role("button", name="登记立案").click()
    expect(page.get_by_text(re.compile("已立案，案号"))).to_be_visible()
    case = Case.objects.get()
    assert case.number.endswith("渝01民初1号")

    # --- the lawyer pays through the simulated QR code ------------------------------------------
    as_user(page, lawyer, url)
    page.goto(url + reverse("courts:fees"))
    notice = PaymentNotice.objects.get(case=case)
    page.locator("#id_code").fill(notice.code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("2300.00")).to_be_visible()
    page.get_by_label("微信支付").check()
    page.get_by_role("button", name="生成付款二维码").click()
    expect(page.get_by_role("img", name="付款二维码")).to_be_visible()
    assert_clean(page)
    screenshot("payment-qr")
    page.get_by_role("button", name="模拟扫码支付").click()
    expect(page.get_by_text("缴费成功")).to_be_visible()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    receipt = page.get_by_role("link", name="下载电子票据（PDF）")
    response = page.request.get(url + receipt.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"

    # --- the clerk schedules a hearing and sees the conflict first -------------------------------
    as_user(page, world.clerk, url)
    page.goto(url + reverse("courts:schedule_hearing", args=[case.pk]))
    page.get_by_label(label("开庭时间")).fill(f"{day:%Y-%m-%d}T09:30")
    page.get_by_label(label("法庭")).select_option(index=0)
    page.get_by_label(label("预计时长")).select_option(label="60分钟")
    settled(page)
    plan = page.locator("#plan")
    expect(plan).to_contain_text("代理律师在该时间有冲突")
    expect(plan).to_contain_text("另案开庭（渝中区法院）")
    assert_clean(page)
    screenshot("hearing-conflict")
    assert not Hearing.objects.exists()
    page.get_by_label(re.compile("已知悉上述冲突")).check()
    page.get_by_role("button", name="保存排期").click()
    expect(page.get_by_text("已排期，各方律师已收到开庭通知。")).to_be_visible()
    assert Hearing.objects.get().case == case
