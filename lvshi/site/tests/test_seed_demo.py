import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvshi.accounts.models import LicenceStatus, User
from lvshi.audit.models import AuditEvent
from lvshi.bureau.models import Lawyer
from lvshi.orgs import scope
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role
from lvshi.site.demo import ACCOUNTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development(settings):
    """seed_demo is for development and demo servers (DEBUG on); pytest
    turns DEBUG off."""
    settings.DEBUG = True


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Lawyer.objects.count(),
        TOTPDevice.objects.count(),
    )


def _seed_json() -> list[dict]:
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_creates_the_demo_world():
    call_command("seed_demo", stdout=StringIO())
    authority = Organisation.objects.get(name="上海市公安局监所管理总队", parent=None)
    assert authority.kind == OrgKind.DETENTION_AUTHORITY
    assert set(authority.children.values_list("name", flat=True)) == {"上海市第一看守所", "上海市第二看守所"}
    assert Organisation.objects.get(name="重庆市第一中级人民法院").kind == OrgKind.COURT
    bureau = Organisation.objects.get(name="广州市司法局")
    assert bureau.parent.name == "广东省司法厅"
    assert Organisation.objects.get(name="广州市律师协会").is_within(bureau)
    firm = Organisation.objects.get(name="广东某某律师事务所")
    assert firm.parent == bureau and firm.kind == OrgKind.LAW_FIRM
    lawyers = User.objects.filter(memberships__role=Role.LAWYER)
    assert lawyers.count() == 3
    for lawyer in lawyers:
        assert lawyer.licence_status == LicenceStatus.VERIFIED
        assert Lawyer.objects.get(licence_no=lawyer.licence_no).status == "practising"
    for role in (Role.OFFICER, Role.AUTHORITY_OFFICER, Role.JUDGE, Role.CLERK, Role.BUREAU_CLERK, Role.BAR_STAFF,
                 Role.AUDITOR, Role.ORG_ADMIN):  # fmt: skip
        assert Membership.objects.filter(role=role).exists(), role
    assert User.objects.filter(is_superuser=True).count() == 1


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = _counts()
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == before
    assert AuditEvent.objects.count() == events
    assert "nothing changed" in out.getvalue()


def test_json_lists_every_account_and_the_credentials_work():
    rows = _seed_json()
    assert len(rows) == User.objects.count() == len(ACCOUNTS)
    for row in rows:
        assert {"username", "password", "role", "organisation"} <= row.keys()
        user = User.objects.get_by_natural_key(row["username"])
        assert user.check_password(row["password"]), row["username"]
        if "licence_no" in row:
            assert User.objects.get_by_natural_key(row["licence_no"]) == user
        if row["role"] == "platform_admin":
            assert scope.is_platform_admin(user)
        else:
            assert row["role"] in scope.roles_of(user)
            assert row["organisation"] in {g.org_name for g in scope.grants(user)}
        if scope.requires_two_factor(user):
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            assert device.verify_token(TOTP(base64.b32decode(row["totp_secret"])).token()), row["username"]
        else:
            assert "totp_secret" not in row


def test_json_is_the_same_on_every_run():
    assert _seed_json() == _seed_json()


def test_seed_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    assert User.objects.count() == len(ACCOUNTS)
