"""A lawyer's first visit, in a real browser on a phone-sized screen:
register, sign in with the image captcha, see the home page, switch the
language to English and back, sign out."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import OrganisationFactory, make_id_number, make_licence_no, make_mobile

from .fixtures import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lvshi@2026pass"


def test_lawyer_registers_signs_in_switches_language_and_signs_out(live_server, page, screenshot, captcha_test_mode):
    from lvshi.orgs.models import OrgKind

    firm = OrganisationFactory(name="上海浏览器测试律师事务所", kind=OrgKind.LAW_FIRM)
    id_number, licence_no = make_id_number(), make_licence_no()
    url = live_server.url

    # Register.
    page.goto(url + reverse("accounts:register"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_label(label("身份证号码")).fill(id_number.lower())
    page.get_by_label(label("姓名")).fill("林浏览")
    page.get_by_label(label("手机号码")).fill(make_mobile())
    page.get_by_label(label("执业证号")).fill(licence_no)
    page.get_by_label(label("执业机构")).select_option(value=str(firm.pk))
    page.get_by_label(label("密码")).fill(PASSWORD)
    page.get_by_label(label("确认密码")).fill(PASSWORD)
    page.get_by_label(label("验证码")).fill("PASSED")
    screenshot("register-filled")
    page.get_by_role("button", name=re.compile("注册")).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:profile")) + "$"))
    expect(page.get_by_text("注册成功")).to_be_visible()
    screenshot("registered")

    # Registration signed the lawyer in; sign out, then sign in as one does every day.
    page.get_by_role("button", name="退出").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))

    page.goto(url + reverse("accounts:login"))
    page.get_by_label(label("身份证号码或执业证号")).fill(id_number)
    page.get_by_label(label("密码")).fill(PASSWORD)
    page.get_by_label(label("图形验证码")).fill("passed")  # letters are case-insensitive
    screenshot("login-filled")
    page.get_by_role("button", name="登录").click()

    # The home page greets the lawyer by name.
    expect(page).to_have_url(url + reverse("site:home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("林浏览")
    screenshot("home-zh")

    # English, then back to Chinese, with the switch at the foot of every page.
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("combobox").select_option("en")
    footer.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url + reverse("site:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, 林浏览")
    expect(page.get_by_role("link", name="Edit my details")).to_be_visible()
    screenshot("home-en")

    footer.get_by_role("combobox").select_option("zh-hans")
    footer.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，林浏览")
    expect(page.get_by_role("link", name="编辑我的资料")).to_be_visible()
    screenshot("home-zh-again")

    # Sign out: back at the sign-in page, and the home page no longer shows the account.
    page.get_by_role("button", name="退出").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))
    expect(page.get_by_label(label("身份证号码或执业证号"))).to_be_visible()
    page.goto(url + reverse("site:home"))
    expect(page.get_by_text("林浏览")).to_have_count(0)
    screenshot("signed-out")
