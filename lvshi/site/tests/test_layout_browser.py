"""The shell in a real browser at phone width: nothing runs off the side of
the screen, the strict CSP is never violated, the skip link works."""

import pytest
from django.db import connections
from django.urls import reverse

from conftest import chromium_path
from lvshi.orgs.models import Role
from tests.browser.fixtures import session_cookie
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# Collects CSP violations before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()
        # Queries made while Playwright's loop runs use their own connection
        # (Django's connections are context-local); close it before the
        # test database is flushed or dropped.
        connections.close_all()


def _open(chromium, live_server, path: str, user=None):
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    context.add_init_script(WATCH_CSP)
    if user is not None:
        context.add_cookies([session_cookie(user, live_server.url)])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(live_server.url + path, wait_until="networkidle")
    assert response.status == 200, path
    return page, errors


def _check_layout(page, errors, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what}: the page is {width}px wide on a {PHONE['width']}px screen"
    assert page.evaluate("window.__cspViolations") == [], what
    assert errors == [], f"{what}: console errors {errors}"


def test_pages_fit_a_phone_and_respect_the_csp(transactional_db, live_server, chromium):
    from conftest import World

    world = World()
    admin = UserFactory(name="总队管理员")
    MembershipFactory(user=admin, organisation=world.authority, role=Role.ORG_ADMIN)
    for i in range(4):
        MembershipFactory(organisation=world.centre, role=Role.OFFICER, title=f"一级警长{i}")
    visits = [
        (None, reverse("site:home")),
        (world.lawyer, reverse("site:home")),
        (world.officer, reverse("site:home")),
        (world.admin, reverse("site:home")),
        (admin, reverse("orgs:list")),
        (admin, reverse("orgs:detail", args=[world.centre.pk])),
        (admin, reverse("orgs:staff_create", args=[world.centre.pk])),
    ]
    for user, path in visits:
        page, errors = _open(chromium, live_server, path, user)
        _check_layout(page, errors, f"{user or 'anonymous'} {path}")
        page.context.close()


def test_the_skip_link_appears_on_focus_and_moves_to_the_content(transactional_db, live_server, chromium):
    page, _ = _open(chromium, live_server, reverse("site:home"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_language_switch_changes_the_page(transactional_db, live_server, chromium):
    page, errors = _open(chromium, live_server, reverse("site:home"))
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.select_option("#lang", "en")
    page.click(".lang-switch button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Lawyer Service Platform"
    assert errors == []


def test_deactivating_a_member_redraws_the_row_in_place(transactional_db, live_server, chromium):
    from conftest import World

    world = World()
    admin = UserFactory(name="总队管理员")
    MembershipFactory(user=admin, organisation=world.authority, role=Role.ORG_ADMIN)
    membership = world.officer.memberships.get()
    page, errors = _open(chromium, live_server, reverse("orgs:detail", args=[world.centre.pk]), admin)
    page.evaluate("window.__marker = 'same page'")
    page.locator(f"#member-{membership.pk} button.danger").click()
    page.locator(f"#member-{membership.pk}.inactive .row-status").wait_for()
    assert page.evaluate("window.__marker") == "same page", "the row was not swapped in place"
    membership.refresh_from_db()
    assert not membership.is_active
    _check_layout(page, errors, "after the htmx swap")


def test_the_phone_menu_folds_behind_one_button(transactional_db, live_server, chromium):
    from conftest import World

    world = World()
    page, errors = _open(chromium, live_server, reverse("site:home"), world.lawyer)
    toggle = page.locator(".menu-toggle")
    menu = page.locator("#main-nav")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="我的预约").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "我的会见预约"
    _check_layout(page, errors, "the phone menu")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("#main-nav").is_visible() and not page.locator(".menu-toggle").is_visible()
