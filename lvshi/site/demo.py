"""Demo organisations and accounts for `manage.py seed_demo`.

Everything here is fixed and documented (docs/demo-accounts.md): ID numbers,
licence numbers, the password and each staff account's TOTP secret, so that
a person can sign in with the table in one hand and an authenticator app in
the other. Seeding is idempotent: rows are looked up by their natural keys
and only what is missing is created; nothing that exists is changed.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvshi.accounts.identity import check_char
from lvshi.accounts.models import LicenceStatus, TwoFactorMethod, User
from lvshi.audit.services import audit_record
from lvshi.orgs.models import STAFF_ROLES, Membership, Organisation, OrgKind, Role

DEMO_PASSWORD = "Demo@2026lvshi"
TOTP_DEVICE_NAME = "演示身份验证器"


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    kind: str
    region_code: str
    region_name: str
    parent: str | None = None
    address: str = ""


@dataclass(frozen=True)
class DemoAccount:
    key: str
    name: str
    id_first17: str
    mobile: str
    org: str | None  # key of a DemoOrg; None for the platform administrator
    role: str  # a Role value, or "platform_admin"
    licence_no: str = ""

    @property
    def id_number(self) -> str:
        return self.id_first17 + check_char(self.id_first17)

    @property
    def needs_totp(self) -> bool:
        return self.role == "platform_admin" or self.role in STAFF_ROLES

    @property
    def totp_key(self) -> bytes:
        """20 fixed bytes: the same secret on every machine."""
        return f"lvshi-demo-{self.key}".encode().ljust(20, b"0")[:20]

    @property
    def totp_secret(self) -> str:
        """Base32, as authenticator apps expect it."""
        return base64.b32encode(self.totp_key).decode()


ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("sh_authority", "上海市公安局监所管理总队", OrgKind.DETENTION_AUTHORITY, "310000", "上海市"),
    DemoOrg(
        "sh_centre1",
        "上海市第一看守所",
        OrgKind.DETENTION_CENTRE,
        "310000",
        "上海市",
        "sh_authority",
        "上海市某区某路1号",
    ),
    DemoOrg(
        "sh_centre2",
        "上海市第二看守所",
        OrgKind.DETENTION_CENTRE,
        "310000",
        "上海市",
        "sh_authority",
        "上海市某区某路2号",
    ),
    DemoOrg(
        "sh_video1",
        "上海市第一看守所远程视频会见点",
        OrgKind.VIDEO_POINT,
        "310000",
        "上海市",
        "sh_centre1",
        "上海市某区某路1号附1号",
    ),
    DemoOrg("cq_higher", "重庆市高级人民法院", OrgKind.COURT, "500000", "重庆市", address="重庆市渝北区龙塔街道"),
    DemoOrg("cq_court", "重庆市第一中级人民法院", OrgKind.COURT, "500100", "重庆市", "cq_higher", "重庆市沙坪坝区"),
    DemoOrg("cq_basic", "重庆市渝中区人民法院", OrgKind.COURT, "500103", "重庆市渝中区", "cq_court", "重庆市渝中区"),
    DemoOrg("gd_justice", "广东省司法厅", OrgKind.JUSTICE_BUREAU, "440000", "广东省"),
    DemoOrg("gd_bar", "广东省律师协会", OrgKind.BAR_ASSOCIATION, "440000", "广东省", "gd_justice"),
    DemoOrg("gz_bureau", "广州市司法局", OrgKind.JUSTICE_BUREAU, "440100", "广州市", "gd_justice"),
    DemoOrg("gz_bar", "广州市律师协会", OrgKind.BAR_ASSOCIATION, "440100", "广州市", "gz_bureau"),
    DemoOrg("sz_bureau", "深圳市司法局", OrgKind.JUSTICE_BUREAU, "440300", "深圳市", "gd_justice"),
    DemoOrg("sz_bar", "深圳市律师协会", OrgKind.BAR_ASSOCIATION, "440300", "深圳市", "sz_bureau"),
    DemoOrg("sz_firm", "深圳某某律师事务所", OrgKind.LAW_FIRM, "440300", "深圳市", "sz_bureau", "深圳市福田区某路3号"),
    DemoOrg("gd_firm", "广东某某律师事务所", OrgKind.LAW_FIRM, "440100", "广州市", "gz_bureau", "广州市天河区某路8号"),
    DemoOrg("gz_firm", "广州某某律师事务所", OrgKind.LAW_FIRM, "440100", "广州市", "gz_bureau", "广州市越秀区某路6号"),
)

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("lawyer1", "张明", "44010619850312001", "13800000001", "gd_firm", Role.LAWYER, "14401201810000001"),
    DemoAccount("lawyer2", "李华", "44010419880721002", "13800000002", "gd_firm", Role.LAWYER, "14401201910000002"),
    DemoAccount("lawyer3", "陈静", "44010319900105003", "13800000003", "gz_firm", Role.LAWYER, "14401202010000003"),
    DemoAccount("officer1", "王建国", "31010119800808011", "13800000011", "sh_centre1", Role.OFFICER),
    DemoAccount("officer2", "刘伟", "31010419820214012", "13800000012", "sh_centre2", Role.OFFICER),
    DemoAccount("authority", "赵强", "31010519780930013", "13800000013", "sh_authority", Role.AUTHORITY_OFFICER),
    DemoAccount("orgadmin", "孙丽", "31010619830618014", "13800000014", "sh_authority", Role.ORG_ADMIN),
    DemoAccount("judge", "周正", "50010319750401021", "13800000021", "cq_court", Role.JUDGE),
    DemoAccount("clerk", "吴敏", "50010419920911022", "13800000022", "cq_court", Role.CLERK),
    DemoAccount("judge2", "钱坤", "50010319800605023", "13800000023", "cq_basic", Role.JUDGE),
    DemoAccount("bureau", "郑洁", "44010519870220031", "13800000031", "gz_bureau", Role.BUREAU_CLERK),
    DemoAccount("bar", "何芳", "44010619910515032", "13800000032", "gz_bar", Role.BAR_STAFF),
    DemoAccount("province", "黄伟", "44010219820310034", "13800000034", "gd_justice", Role.BUREAU_CLERK),
    DemoAccount("gd_bar_staff", "梁红", "44010419860722035", "13800000035", "gd_bar", Role.BAR_STAFF),
    DemoAccount("sz_clerk", "邓超", "44030419880918036", "13800000036", "sz_bureau", Role.BUREAU_CLERK),
    DemoAccount("firmadmin", "林晓", "44010619890412037", "13800000037", "gd_firm", Role.FIRM_ADMIN),
    DemoAccount("auditor", "冯涛", "44010119790727033", "13800000033", "gd_justice", Role.AUDITOR),
    DemoAccount("admin", "平台管理员", "11010119800101041", "13800000041", None, "platform_admin"),
)


# Other apps add their own demo data (the meetings' centres, detainees and
# bookings) through register_seeder(): a seeder is called inside seed_demo's
# transaction with the demo organisations and accounts by key and returns how
# many rows it created (0 when its data is already there).
Seeder = Callable[[dict[str, Organisation], dict[str, User]], int]
SEEDERS: list[Seeder] = []


def register_seeder(seeder: Seeder) -> Seeder:
    if seeder not in SEEDERS:
        SEEDERS.append(seeder)
    return seeder


def _ensure_org(spec: DemoOrg, parents: dict[str, Organisation]) -> tuple[Organisation, bool]:
    parent = parents.get(spec.parent) if spec.parent else None
    org = Organisation.objects.filter(parent=parent, name=spec.name).first()
    if org is not None:
        return org, False
    org = Organisation(
        parent=parent,
        name=spec.name,
        kind=spec.kind,
        region_code=spec.region_code,
        region_name=spec.region_name,
        address=spec.address,
    )
    org.full_clean(exclude=["path"])
    org.save()
    return org, True


def _ensure_user(spec: DemoAccount) -> tuple[User, bool]:
    user = User.objects.by_id_number(spec.id_number).first()
    if user is not None:
        return user, False
    fields: dict[str, Any] = {"name": spec.name, "mobile": spec.mobile}
    if spec.licence_no:
        fields.update(
            licence_no=spec.licence_no, licence_status=LicenceStatus.VERIFIED, licence_verified_at=timezone.now()
        )
    if spec.needs_totp:
        fields["two_factor_method"] = TwoFactorMethod.TOTP
    if spec.role == "platform_admin":
        return User.objects.create_superuser(spec.id_number, DEMO_PASSWORD, **fields), True
    return User.objects.create_user(spec.id_number, DEMO_PASSWORD, **fields), True


def _ensure_totp(user: User, spec: DemoAccount) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).exists():
        return False
    TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=spec.totp_key.hex(), confirmed=True)
    return True


@transaction.atomic
def seed_demo() -> int:
    """Create whatever demo data is missing; return how many rows were made."""
    created = 0
    orgs: dict[str, Organisation] = {}
    users: dict[str, User] = {}
    for org_spec in ORGS:
        orgs[org_spec.key], made = _ensure_org(org_spec, orgs)
        created += made
    for account in ACCOUNTS:
        user, made = _ensure_user(account)
        users[account.key] = user
        created += made
        if account.org is not None:
            _, made = Membership.objects.get_or_create(
                user=user, organisation=orgs[account.org], defaults={"role": account.role}
            )
            created += made
        if account.needs_totp:
            created += _ensure_totp(user, account)
    for seeder in SEEDERS:
        created += seeder(orgs, users)
    if created:
        audit_record(action="site.seed_demo", actor_label="seed_demo", message=f"created {created} demo rows")
    return created


def account_table() -> list[dict]:
    """Every demo account as ``{username, password, name, role, organisation}``
    (+ ``licence_no`` for lawyers, ``totp_secret`` for staff)."""
    names = {o.key: o.name for o in ORGS}
    role_labels = {**dict(Role.choices), "platform_admin": "平台管理员"}
    rows = []
    for account in ACCOUNTS:
        row = {
            "username": account.id_number,
            "password": DEMO_PASSWORD,
            "name": account.name,
            "role": account.role,
            "role_label": str(role_labels[account.role]),
            "organisation": names.get(account.org, "") if account.org else "",
        }
        if account.licence_no:
            row["licence_no"] = account.licence_no
        if account.needs_totp:
            row["totp_secret"] = account.totp_secret
        rows.append(row)
    return rows
