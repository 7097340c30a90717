"""Cases, their parties and agents, and how lawyers come to see them (C7).

A case is the court's record: created when a clerk accepts a filing (or
entered by the court for older cases), numbered by the court's sequence.
Parties and agents are written once, in the filing, and move to the case
with it: the same rows carry the filing and, after acceptance, the case.

A lawyer sees a case when linked to it (:class:`CaseLink`): automatically
when the lawyer is one of its agents, matched by licence number and the
blind index of the ID number (never by name), or by the query code and
password printed on the acceptance notice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvshi.accounts.identity import mask_id_number
from lvshi.core import crypto

from .courts import CaseType, Court


class CaseStatus(models.TextChoices):
    OPEN = "open", _("审理中")
    CLOSED = "closed", _("已结案")


class Case(models.Model):
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("年度"))
    case_type = models.CharField(_("案件类型"), max_length=8, choices=CaseType.choices)
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("案号"), max_length=40, unique=True)
    cause = models.CharField(_("案由"), max_length=100)
    claim_amount = models.DecimalField(_("诉讼标的额（元）"), max_digits=15, decimal_places=2, null=True, blank=True)
    simplified = models.BooleanField(_("适用简易程序"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办法官"), on_delete=models.PROTECT, related_name="judged_cases"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("书记员"),
        on_delete=models.PROTECT,
        related_name="clerked_cases",
        null=True,
        blank=True,
    )
    accepted_at = models.DateTimeField(_("立案时间"))
    # The acceptance notice's query code (printed) and password (hashed).
    query_code = models.CharField(_("查询码"), max_length=12, unique=True)
    query_password_hash = models.CharField(max_length=128, editable=False)
    # Kept encrypted too, so the notice can be printed again for its lawyer.
    query_password_encrypted = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "case_type", "seq"], name="courts_case_number_unique")
        ]
        indexes = [models.Index(fields=["court", "status"], name="courts_case_court_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_org(self):
        return self.court.organisation


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", _("原告")
    DEFENDANT = "defendant", _("被告")
    THIRD_PARTY = "third_party", _("第三人")
    APPELLANT = "appellant", _("上诉人")
    APPELLEE = "appellee", _("被上诉人")
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class IdentityFields(models.Model):
    """An ID number kept encrypted, found by its blind index, shown masked."""

    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        self.id_number_hash = crypto.blind_index(value) if value else ""
        self.id_number_encrypted = crypto.encrypt(value) if value else ""
        self.id_number_masked = mask_id_number(value) if value else ""

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""


class Party(IdentityFields):
    filing = models.ForeignKey("courts.Filing", on_delete=models.CASCADE, related_name="parties", null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    role = models.CharField(_("诉讼地位"), max_length=16, choices=PartyRole.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    # An organisation: its unified social credit code and its representative (whose ID is id_number_*).
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住所地"), max_length=200, blank=True)
    service_address = models.CharField(_("送达地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filing__isnull=False) | Q(case__isnull=False), name="courts_party_of_filing_or_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Agent(IdentityFields):
    """A lawyer acting for a party: named and identified as on the power of
    attorney; ``lawyer`` is the platform account those match, if any."""

    filing = models.ForeignKey("courts.Filing", on_delete=models.CASCADE, related_name="agents", null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agents", null=True, blank=True)
    party = models.ForeignKey(Party, verbose_name=_("被代理人"), on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(_("姓名"), max_length=50)
    licence_no = models.CharField(_("执业证号"), max_length=17)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="agencies"
    )

    class Meta:
        verbose_name = _("诉讼代理人")
        verbose_name_plural = _("诉讼代理人")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filing__isnull=False) | Q(case__isnull=False), name="courts_agent_of_filing_or_case"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LinkVia(models.TextChoices):
    AGENT = "agent", _("作为代理人自动关联")
    CODE = "code", _("凭查询码绑定")


class CaseLink(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_links")
    via = models.CharField(_("关联方式"), max_length=8, choices=LinkVia.choices)
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件关联")
        verbose_name_plural = _("案件关联")
        constraints = [models.UniqueConstraint(fields=["case", "lawyer"], name="courts_link_unique")]

    def __str__(self) -> str:
        return f"{self.lawyer_id} → {self.case_id}"


class BindAttempt(models.Model):
    """One lawyer's failed bindings in a row: five lock binding for 30
    minutes. One row per lawyer, updated under its row lock."""

    lawyer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.lawyer_id}: {self.failures}"
