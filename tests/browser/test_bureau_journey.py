"""Lawyer administration in a real browser on a phone-sized screen: a firm
administrator submits a licence change, the city bureau's clerk receives and
forwards it, the province approves it, and the registry shows the change."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lvshi.bureau.models import Application, ApplicationStatus, Lawyer
from lvshi.bureau.tests.conftest import Guangdong

from .fixtures import label
from .test_booking_journey import WATCH_CSP, assert_clean
from .test_court_journey import as_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_licence_change_from_the_firm_to_the_province_and_into_the_registry(live_server, page, screenshot):
    gd = Guangdong()
    url = live_server.url
    page.context.add_init_script(WATCH_CSP)

    # --- the firm fills and submits --------------------------------------------------------------
    as_user(page, gd.firm_admin, url)
    page.goto(url + reverse("bureau:applications"))
    page.get_by_role("link", name="提出申请").click()
    page.get_by_label(label("业务类型")).select_option(label="律师执业变更")
    page.get_by_role("button", name="下一步：填写申请表").click()
    page.get_by_label(label("律师")).select_option(label=f"张明（{gd.lawyer.licence_no}）")
    page.get_by_label(label("变更后律师类别")).select_option(label="兼职律师")
    page.get_by_label(label("变更理由")).fill("本人受聘为高校教师，申请转为兼职律师")
    assert_clean(page)
    screenshot("form")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("申请已保存为草稿")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已提交申请。")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.body == gd.gz

    # --- the city bureau receives (the paper originals have arrived) and forwards ------------------
    as_user(page, gd.gz_clerk, url)
    page.goto(url + reverse("bureau:applications"))
    page.get_by_role("link", name=application.number).click()
    page.get_by_label(label("纸质申请材料已收到")).check()
    page.get_by_role("button", name="接收", exact=True).click()
    expect(page.get_by_text("已接收申请。")).to_be_visible()
    page.get_by_label(label("意见")).fill("材料齐全，符合条件，同意报送")
    assert_clean(page)
    screenshot("city")
    page.get_by_role("button", name="同意，报送上级").click()
    expect(page.get_by_text("已报送上级。")).to_be_visible()

    # --- the province receives and approves ----------------------------------------------------------
    as_user(page, gd.province_clerk, url)
    page.goto(url + reverse("bureau:application", args=[application.pk]))
    page.get_by_role("button", name="接收", exact=True).click()
    page.locator("#id_opinion").fill("准予变更")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_text("已批准申请。")).to_be_visible()
    expect(page.get_by_text("广东省司法厅").first).to_be_visible()
    screenshot("approved")

    # --- the registry shows the change ----------------------------------------------------------------
    assert Lawyer.objects.get(pk=gd.lawyer.pk).kind == "part_time"
    page.goto(url + reverse("bureau:lawyer", args=[gd.lawyer.pk]))
    expect(page.get_by_text("兼职律师").first).to_be_visible()
    expect(page.get_by_role("cell", name="业务审批 " + application.number)).to_be_visible()
    assert_clean(page)
    screenshot("registry")
