"""Test-wide set-up: which database and browser the run has, and personas."""

import os

import pytest
from django.conf import settings


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"database: {engine}"]


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not _on_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL")


def pytest_collection_modifyitems(config, items):
    if not _on_postgres():
        reason = "NEEDS POSTGRESQL: set DATABASE_URL=postgres://… to run this test (REQUIRE_POSTGRES=1 makes it fail)"
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SMS_BACKEND = "lvshi.notify.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
def login(client):
    """``login(user)`` signs *client* in as *user*, with two-factor passed."""

    def _login(user, *, otp: bool = True):
        client.force_login(user, backend="lvshi.accounts.backends.IdentityBackend")
        if otp:
            _verify_otp(client, user)
        return client

    return _login
