"""A meeting from booking to cancellation, in a real browser on a phone-sized
screen: the lawyer books a slot step by step, an officer of the centre signs
in with their authenticator code and approves it, the lawyer sees it approved
and cancels it before the deadline."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from lvshi.orgs.models import Role
from lvshi.visits import selectors
from tests.factories import MembershipFactory, UserFactory, make_id_number

from .fixtures import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Collects CSP violations before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def assert_clean(page) -> None:
    """No CSP violation and nothing wider than the phone."""
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def sign_in(page, url: str, login_name: str) -> None:
    page.goto(url + reverse("accounts:login"))
    page.get_by_label(label("身份证号码或执业证号")).fill(login_name)
    page.get_by_label(label("密码")).fill(PASSWORD)
    page.get_by_label(label("图形验证码")).fill("passed")
    page.get_by_role("button", name="登录").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="退出").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))


def settled(page) -> None:
    """htmx has swapped in the next step and wired up its fields."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def meeting_day(config):
    """The next open day far enough ahead to book and still cancel."""

    day = timezone.localdate() + timedelta(days=2)
    while not selectors.day_open(config, day)[0]:
        day += timedelta(days=1)
    return day


def test_lawyer_books_officer_approves_lawyer_cancels(live_server, page, screenshot, captcha_test_mode, world):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lvshi.visits.models import Booking, BookingStatus
    from lvshi.visits.tests.factories import bind, make_centre, make_detainee

    config = make_centre(world.centre, rooms=2, earliest_days=1, latest_days=14)
    detainee = make_detainee(world.centre, name="张某某")
    bind(world.lawyer, detainee)
    officer_id = make_id_number(birth="19800101")
    officer = UserFactory(name="孔警官", id_number=officer_id, password=PASSWORD)
    MembershipFactory(user=officer, organisation=world.centre, role=Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="default", confirmed=True)
    day = meeting_day(config)
    url = live_server.url
    page.context.add_init_script(WATCH_CSP)

    # The lawyer books the morning slot, one step at a time.
    sign_in(page, url, world.lawyer.licence_no)
    expect(page).to_have_url(url + reverse("site:home"))
    page.get_by_role("link", name="我要预约").first.click()
    page.get_by_label(label("会见地点")).select_option(label=world.centre.name)
    expect(page.get_by_label(label("在押人员"))).to_be_visible()
    settled(page)
    page.get_by_label(label("在押人员")).select_option(label="张某某")
    expect(page.get_by_label(label("会见日期"))).to_be_visible()
    settled(page)
    # The date step offers the window's open days: the date box is bounded,
    # a closed day is no link, and a click on an open one shows its slots.
    date_box = page.get_by_label(label("会见日期"))
    window = [d for d in selectors.window_days(config, timezone.localdate()) if d["date"] >= day]
    assert date_box.get_attribute("max") == selectors.window_days(config, timezone.localdate())[-1]["date"].isoformat()
    days = page.get_by_role("navigation", name="可预约日期")
    closed = next((d for d in window if not d["open"]), None)
    if closed is not None:
        expect(days.get_by_role("link", name=re.compile(closed["date"].strftime("%m-%d")))).to_have_count(0)
    days.get_by_role("link", name=re.compile(day.strftime("%m-%d"))).click()
    settled(page)
    morning = page.get_by_label("08:30–11:00")
    expect(morning).to_be_visible()
    morning.check()
    assert_clean(page)
    screenshot("slots")
    page.get_by_role("button", name="提交预约").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("visits:my_bookings"))))
    expect(page.get_by_text("已提交1个时段的会见预约")).to_be_visible()
    booking = Booking.objects.get(lawyer=world.lawyer)
    assert booking.status == BookingStatus.UNDER_REVIEW and booking.date == day
    screenshot("booked")
    sign_out(page)

    # The officer signs in with the authenticator's code and approves it.
    sign_in(page, url, officer_id)
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:otp_verify"))))
    code = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token()
    page.get_by_label(label("6位验证码")).fill(f"{code:06d}")
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(url + reverse("site:home"))
    page.get_by_role("button", name="菜单").click()  # the phone menu folds behind one button
    page.get_by_role("link", name="预约审核").first.click()
    expect(page.get_by_text("张某某")).to_be_visible()
    page.get_by_role("button", name=re.compile("^通过")).click()
    expect(page.get_by_text("没有待审核的会见预约")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED and booking.decided_by == officer
    sign_out(page)

    # The lawyer sees it approved and cancels it before the deadline.
    sign_in(page, url, world.lawyer.licence_no)
    page.goto(url + reverse("visits:my_bookings") + "?status=approved")
    row = page.locator(f"#booking-{booking.pk}")
    expect(row).to_contain_text("已通过")
    assert_clean(page)
    screenshot("approved")
    # Cancelling is confirmed first: the link opens a dialog saying what follows.
    row.get_by_role("link", name=re.compile("取消预约")).click()
    dialog = page.locator("#dialog dialog")
    expect(dialog).to_contain_text("本操作不可撤销")
    assert_clean(page)
    screenshot("cancel-confirm")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    dialog.get_by_role("button", name="确认取消预约").click()
    expect(page.get_by_role("status")).to_contain_text("已取消")
    expect(page.locator(f"#booking-{booking.pk}")).to_contain_text("已取消")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    screenshot("cancelled")
