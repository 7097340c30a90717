"""Browser tests: Playwright driving Debian's Chromium against live_server.

Loaded for the whole suite by the root conftest (``pytest_plugins``), so any
test can take pytest-playwright's ``page`` fixture. Playwright cannot download
its own browser here, so the tests launch the system Chromium
(``/usr/bin/chromium`` or ``CHROMIUM_PATH``) with the flags that keep it off
the network. ``screenshot("step")`` keeps PNGs under
``artifacts/browser/<test>/`` (the folder is not committed).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from conftest import chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"


def label(text: str) -> re.Pattern:
    """A field's label exactly, with or without the required mark (*) and
    the trailing colon."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*[:：]?\s*$")


def session_cookie(user, base_url: str) -> dict:
    """A session cookie for *user*, signed in with the second factor passed
    (a confirmed TOTP device), for a browser context's ``add_cookies``."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "lvshi.accounts.backends.IdentityBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}


@pytest.fixture(scope="session")
def playwright():
    """Playwright's sync API runs an event loop in the test thread; Django
    refuses database work from a thread with a running loop unless told the
    caller is synchronous code, which these tests are."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            yield pw
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone-sized window: every page must work on a phone.
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


@pytest.fixture
def context(context):
    from playwright.sync_api import expect

    # Pages here answer in milliseconds; fail in seconds, not Playwright's default 30.
    context.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


@pytest.fixture
def screenshot(page, request):
    """``screenshot("step")`` saves a full-page PNG under artifacts/browser/<test>/;
    a failed test leaves one more, of the page as it was when it failed."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def _shot(name: str) -> Path:
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    yield _shot
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        _shot("FAILED")
