"""Test-wide set-up: which database and browser the run has, and personas.

Tests marked ``postgres`` need PostgreSQL (``DATABASE_URL=postgres://…``) and
tests marked ``browser`` need Debian's Chromium at /usr/bin/chromium (or
``CHROMIUM_PATH``). Without them those tests are skipped, loudly; with
``REQUIRE_POSTGRES=1`` / ``REQUIRE_BROWSER=1`` (as CI runs) the run fails
instead, before any test starts.
"""

import os
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

pytest_plugins = ["tests.browser.fixtures"]

NEEDS_POSTGRES = "NEEDS POSTGRESQL: set DATABASE_URL=postgres://… to run this test (REQUIRE_POSTGRES=1 makes it fail)"
NEEDS_BROWSER = (
    "NEEDS CHROMIUM: apt-get install -y chromium (or set CHROMIUM_PATH) to run this test "
    "(REQUIRE_BROWSER=1 makes it fail)"
)
# Unsalted MD5 makes user creation ~1000× cheaper than PBKDF2. Only tests use it.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def chromium_path() -> str | None:
    """Debian's Chromium, which the browser tests drive; None when missing."""
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    found = shutil.which(candidate)
    if not found:
        return None
    try:
        import playwright  # noqa: F401
    except ImportError:
        return None
    return found


def _require(name: str) -> bool:
    return os.environ.get(name, "") == "1"


def _postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be reached, or None when it can. Connects to the
    maintenance database, as pytest-django does to create the test database."""
    import psycopg

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(
            dbname="postgres",
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        where = f"{db['HOST'] or 'local socket'}:{db['PORT'] or 5432}"
        return f"PostgreSQL at {where} is unreachable ({str(exc).strip()})"
    return None


def pytest_configure(config):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    # WhiteNoise warns about a missing STATIC_ROOT on every request until collectstatic has run.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"database: {engine}", f"browser: {chromium_path() or 'none (browser tests skip)'}"]


def pytest_sessionstart(session):
    if _require("REQUIRE_POSTGRES") and not _on_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL")
    if _on_postgres():
        problem = _postgres_unreachable()
        if problem:
            raise pytest.UsageError(
                f"{problem}. Start it with: pg_ctlcluster --skip-systemctl-redirect "
                "$(ls /etc/postgresql) main start — or unset DATABASE_URL to test on SQLite."
            )
    if _require("REQUIRE_BROWSER") and not chromium_path():
        raise pytest.UsageError(
            "REQUIRE_BROWSER=1 but Chromium (or the playwright package) is missing: "
            "apt-get install -y chromium, or set CHROMIUM_PATH"
        )


def pytest_collection_modifyitems(config, items):
    browser_tests = Path(__file__).parent / "tests" / "browser"
    have_postgres, have_browser = _on_postgres(), bool(chromium_path())
    for item in items:
        if item.path.is_relative_to(browser_tests) or _uses_playwright_session(item):
            item.add_marker(pytest.mark.browser)
        if "postgres" in item.keywords and not have_postgres:
            item.add_marker(pytest.mark.skip(reason=NEEDS_POSTGRES))
        if "browser" in item.keywords and not have_browser:
            item.add_marker(pytest.mark.skip(reason=NEEDS_BROWSER))
    # pytest-playwright keeps one Playwright (and its event loop) for the rest of
    # the session once a test asks for it; a test that starts its own
    # sync_playwright() after that would fail. So those tests run last.
    items.sort(key=_uses_playwright_session)


# Fixtures through which a test starts pytest-playwright's session-long Playwright.
PLAYWRIGHT_SESSION_FIXTURES = {"playwright", "browser_type", "browser", "new_context", "context", "page"}


def _uses_playwright_session(item) -> bool:
    return bool(PLAYWRIGHT_SESSION_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly which tests did not run for want of PostgreSQL or Chromium."""
    reasons = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            reason = report.longrepr[2].removeprefix("Skipped: ")
            if reason.startswith("NEEDS "):
                reasons[reason] += 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_sep("!", f"{count} SKIPPED — {reason}", yellow=True, bold=True)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SMS_BACKEND = "lvshi.notify.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "notify"]}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def captcha_test_mode(settings, monkeypatch):
    """The image captcha accepts the answer "PASSED" (any letter case).

    django-simple-captcha copies CAPTCHA_TEST_MODE when it is first imported,
    so its copy is switched as well as Django's setting."""
    from captcha.conf import settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


# --- personas -----------------------------------------------------------------

PASSWORD = "Lvshi@2026pass"


class World:
    """The organisations and people most tests need, made once per test."""

    def __init__(self):
        from lvshi.accounts.models import LicenceStatus
        from lvshi.orgs.models import OrgKind, Role
        from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_licence_no

        org = OrganisationFactory
        self.sh_bureau = org(name="上海市司法局", kind=OrgKind.JUSTICE_BUREAU, region_code="310000")
        self.sz_bureau = org(
            name="深圳市司法局", kind=OrgKind.JUSTICE_BUREAU, region_code="440300", region_name="深圳市"
        )
        self.firm = org(name="上海甲律师事务所", kind=OrgKind.LAW_FIRM, parent=self.sh_bureau)
        self.other_firm = org(name="深圳乙律师事务所", kind=OrgKind.LAW_FIRM, parent=self.sz_bureau)
        self.authority = org(name="上海市公安局监所管理总队", kind=OrgKind.DETENTION_AUTHORITY)
        self.centre = org(name="上海市第一看守所", kind=OrgKind.DETENTION_CENTRE, parent=self.authority)
        self.other_centre = org(name="上海市第二看守所", kind=OrgKind.DETENTION_CENTRE, parent=self.authority)
        self.court = org(name="重庆市第一中级人民法院", kind=OrgKind.COURT, region_code="500000", region_name="重庆市")

        def person(name, organisation, role, **extra):
            user = UserFactory(name=name, password=PASSWORD, **extra)
            MembershipFactory(user=user, organisation=organisation, role=role)
            return user

        lawyer_extra = {"licence_status": LicenceStatus.VERIFIED}
        self.lawyer = person("李律师", self.firm, Role.LAWYER, licence_no=make_licence_no(), **lawyer_extra)
        self.other_lawyer = person("王律师", self.other_firm, Role.LAWYER, licence_no=make_licence_no(), **lawyer_extra)
        self.officer = person("赵警官", self.centre, Role.OFFICER)
        self.other_officer = person("钱警官", self.other_centre, Role.OFFICER)
        self.authority_officer = person("孙警官", self.authority, Role.AUTHORITY_OFFICER)
        self.judge = person("周法官", self.court, Role.JUDGE)
        self.clerk = person("吴书记员", self.court, Role.CLERK)
        self.bureau_clerk = person("郑科员", self.sh_bureau, Role.BUREAU_CLERK)
        self.other_bureau_clerk = person("冯科员", self.sz_bureau, Role.BUREAU_CLERK)
        self.auditor = person("陈审计", self.sh_bureau, Role.AUDITOR)
        self.admin = UserFactory(name="平台管理员", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def world(db):
    return World()


def _verify_otp(client, user):
    """Mark the session as having passed two-factor, as a real TOTP log-in does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def api(client):
    """``api(user)`` → headers for the JSON API as *user* (a fresh token)."""
    from lvshi.accounts.models import ApiToken
    from lvshi.core import crypto

    made: dict = {}

    def headers(user) -> dict:
        if user.pk not in made:
            raw = f"t{user.pk}-{len(made)}"
            ApiToken.objects.create(
                user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1)
            )
            made[user.pk] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        return made[user.pk]

    return headers


@pytest.fixture
def login(client):
    """``login(user)`` signs *client* in as *user*, with two-factor passed."""

    def _login(user, *, otp: bool = True):
        client.force_login(user, backend="lvshi.accounts.backends.IdentityBackend")
        if otp:
            _verify_otp(client, user)
        return client

    return _login
