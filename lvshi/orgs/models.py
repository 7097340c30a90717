"""Organisations form a tree (province → city → district); people belong to
them through memberships that carry a role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    LAW_FIRM = "law_firm", _("律师事务所")
    PUBLIC_FIRM = "public_firm", _("公职律师事务所")
    LEGAL_AID = "legal_aid", _("法律援助机构")
    DETENTION_AUTHORITY = "detention_authority", _("监所管理总队")
    DETENTION_CENTRE = "detention_centre", _("看守所")
    VIDEO_POINT = "video_point", _("远程视频会见点")
    COURT = "court", _("法院")
    JUSTICE_BUREAU = "justice_bureau", _("司法厅（局）")
    BAR_ASSOCIATION = "bar_association", _("律师协会")


class Role(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    ASSISTANT = "assistant", _("律师助理")
    FIRM_ADMIN = "firm_admin", _("律所管理员")
    OFFICER = "officer", _("看守所民警")
    AUTHORITY_OFFICER = "authority_officer", _("监所管理民警")
    JUDGE = "judge", _("法官")
    CLERK = "clerk", _("书记员")
    BUREAU_CLERK = "bureau_clerk", _("司法行政工作人员")
    BAR_STAFF = "bar_staff", _("律师协会工作人员")
    ORG_ADMIN = "org_admin", _("机构管理员")
    AUDITOR = "auditor", _("审计员")


FIRM_KINDS = (OrgKind.LAW_FIRM, OrgKind.PUBLIC_FIRM, OrgKind.LEGAL_AID)
DETENTION_KINDS = (OrgKind.DETENTION_AUTHORITY, OrgKind.DETENTION_CENTRE, OrgKind.VIDEO_POINT)
ADMIN_KINDS = (OrgKind.JUSTICE_BUREAU, OrgKind.BAR_ASSOCIATION)

# Which roles make sense in which kind of organisation.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    **{k: frozenset({Role.LAWYER, Role.ASSISTANT, Role.FIRM_ADMIN}) for k in FIRM_KINDS},
    OrgKind.DETENTION_AUTHORITY: frozenset({Role.AUTHORITY_OFFICER, Role.ORG_ADMIN, Role.AUDITOR}),
    OrgKind.DETENTION_CENTRE: frozenset({Role.OFFICER, Role.ORG_ADMIN, Role.AUDITOR}),
    OrgKind.VIDEO_POINT: frozenset({Role.OFFICER, Role.ORG_ADMIN}),
    OrgKind.COURT: frozenset({Role.JUDGE, Role.CLERK, Role.ORG_ADMIN, Role.AUDITOR}),
    OrgKind.JUSTICE_BUREAU: frozenset({Role.BUREAU_CLERK, Role.ORG_ADMIN, Role.AUDITOR}),
    OrgKind.BAR_ASSOCIATION: frozenset({Role.BAR_STAFF, Role.ORG_ADMIN, Role.AUDITOR}),
}

# Roles whose holders must use two-factor authentication.
STAFF_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.AUTHORITY_OFFICER,
        Role.JUDGE,
        Role.CLERK,
        Role.BUREAU_CLERK,
        Role.BAR_STAFF,
        Role.ORG_ADMIN,
        Role.AUDITOR,
    }
)

# Which kinds of organisation may sit directly below which. A top-level body
# (no parent) may be of any kind; only platform administrators create those.
CHILD_KINDS: dict[str, frozenset[str]] = {
    OrgKind.JUSTICE_BUREAU: frozenset(
        {OrgKind.JUSTICE_BUREAU, OrgKind.BAR_ASSOCIATION, OrgKind.LAW_FIRM, OrgKind.PUBLIC_FIRM, OrgKind.LEGAL_AID}
    ),
    OrgKind.BAR_ASSOCIATION: frozenset({OrgKind.BAR_ASSOCIATION}),
    OrgKind.DETENTION_AUTHORITY: frozenset(
        {OrgKind.DETENTION_AUTHORITY, OrgKind.DETENTION_CENTRE, OrgKind.VIDEO_POINT}
    ),
    OrgKind.DETENTION_CENTRE: frozenset({OrgKind.VIDEO_POINT}),
    OrgKind.COURT: frozenset({OrgKind.COURT}),
}


def child_kinds(parent_kind: str | None) -> list[str]:
    """Kinds allowed directly below *parent_kind* (all kinds at the top), in
    the order of :class:`OrgKind`."""
    if parent_kind is None:
        return list(OrgKind.values)
    allowed = CHILD_KINDS.get(parent_kind, frozenset())
    return [k for k in OrgKind.values if k in allowed]


def assignable_roles(kind: str) -> list[str]:
    """Roles an administrator may give in an organisation of *kind*.

    Lawyers are not appointed: they register themselves and their licence
    is verified against the registry (V1).
    """
    allowed = ROLES_BY_KIND.get(kind, frozenset())
    return [r for r in Role.values if r in allowed and r != Role.LAWYER]


class Region(models.Model):
    """An administrative division (行政区划): province, city or county, by its
    six-digit code (lvshi.orgs.regions keeps the list current)."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("级别"))  # 1 province, 2 city, 3 county
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # No longer in the official list (kept: records made with it keep their code).
    active = models.BooleanField(_("现行"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


region_code_validator = RegexValidator(r"^[1-9]\d{5}$", _("行政区划代码应为6位数字，例如 310000。"))


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[region_code_validator])
    region_name = models.CharField(_("所在地区"), max_length=50)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    # Materialised path "/1/5/12/": a subtree is one indexed prefix look-up.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
            models.UniqueConstraint(fields=["name"], condition=Q(parent=None), name="org_unique_top_level_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived data of the tree, kept with the row (not a rule).
        if not self.pk:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k not in {"force_insert", "force_update"}}
            kwargs["update_fields"] = ["path"]
        parent = self.parent
        self.path = (parent.path if parent is not None else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)

    def clean(self):
        parent = self.parent if self.parent_id else None
        if parent is not None and self.pk and f"/{self.pk}/" in parent.path:
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def is_firm(self) -> bool:
        return self.kind in FIRM_KINDS

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def is_within(self, other: "Organisation") -> bool:
        """True when *self* is *other* or lies below it."""
        return self.path.startswith(other.path)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_user_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def scope_org(self) -> "Organisation":
        return self.organisation

    def clean(self):
        allowed = ROLES_BY_KIND.get(self.organisation.kind, frozenset())
        if self.role not in allowed:
            raise ValidationError({"role": _("该类型的机构不能设置此角色。")})
