"""The registry of lawyer administration (A1): firms, lawyers, interns and
support staff, with lawyers' education, careers and every change of their
record. One source of truth: sign-up verifies licences against it
(``lvshi.accounts.licences``, ADR 0005)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvshi.accounts.identity import mask_id_number
from lvshi.core import crypto


class FirmForm(models.TextChoices):
    PARTNERSHIP = "partnership", _("合伙律师事务所")
    SOLE = "sole", _("个人律师事务所")
    STATE = "state", _("国资律师事务所")
    PUBLIC = "public", _("公职律师事务所")
    LEGAL_AID = "legal_aid", _("法律援助机构")


class FirmStatus(models.TextChoices):
    PRACTISING = "practising", _("正常执业")
    SUSPENDED = "suspended", _("停业整顿")
    CLOSED = "closed", _("已注销")


class Firm(models.Model):
    """A practising institution: the registry's side of a firm organisation
    (the organisation carries name, address, phone and the tree)."""

    organisation = models.OneToOneField(
        "orgs.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="firm"
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    form = models.CharField(_("组织形式"), max_length=12, choices=FirmForm.choices)
    status = models.CharField(_("状态"), max_length=12, choices=FirmStatus.choices, default=FirmStatus.PRACTISING)
    licence_no = models.CharField(_("执业许可证号"), max_length=30, blank=True)
    head = models.CharField(_("负责人"), max_length=50, blank=True)
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("所在地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("律师事务所")
        verbose_name_plural = _("律师事务所")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def scope_org(self):
        return self.organisation

    @property
    def name(self) -> str:
        return self.organisation.name


class LawyerKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职律师")
    PART_TIME = "part_time", _("兼职律师")
    PUBLIC = "public", _("公职律师")
    COMPANY = "company", _("公司律师")
    LEGAL_AID = "legal_aid", _("法律援助律师")


class LawyerStatus(models.TextChoices):
    PRACTISING = "practising", _("正常执业")
    SUSPENDED = "suspended", _("停止执业")
    CANCELLED = "cancelled", _("已注销")


class PersonGender(models.TextChoices):
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class Person(models.Model):
    """Name and identity number of someone on the registry, the number
    encrypted with a blind index and shown masked."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=PersonGender.choices, blank=True)
    id_number_hash = models.CharField(max_length=64, db_index=True, blank=True)
    id_number_encrypted = models.TextField(blank=True)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)

    class Meta:
        abstract = True

    def set_id_number(self, id_number: str) -> None:
        self.id_number_hash = crypto.blind_index(id_number) if id_number else ""
        self.id_number_encrypted = crypto.encrypt(id_number) if id_number else ""
        self.id_number_masked = mask_id_number(id_number) if id_number else ""

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""


def _photo_path(instance, filename: str) -> str:
    return f"registry/photos/{type(instance).__name__.lower()}/{filename}"


class Lawyer(Person):
    licence_no = models.CharField(_("执业证号"), max_length=17, unique=True)
    kind = models.CharField(_("律师类别"), max_length=12, choices=LawyerKind.choices)
    status = models.CharField(_("执业状态"), max_length=12, choices=LawyerStatus.choices)
    # The firm, or for public-sector and company lawyers the body that keeps their record.
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("执业机构"), on_delete=models.PROTECT, related_name="registry_lawyers"
    )
    first_licensed_on = models.DateField(_("首次执业日期"), null=True, blank=True)
    licensed_on = models.DateField(_("发证日期"), null=True, blank=True)
    employer = models.CharField(_("所在单位"), max_length=100, blank=True)  # public-sector and company lawyers
    photo = models.ImageField(_("照片"), upload_to=_photo_path, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("律师")
        verbose_name_plural = _("律师")
        ordering = ["licence_no"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["organisation", "status"])]
        constraints = [
            # One licence in force per person.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash="") & ~Q(status="cancelled"),
                name="bureau_lawyer_one_licence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.licence_no}）"

    @property
    def scope_org(self):
        return self.organisation


class ChangeCause(models.TextChoices):
    IMPORT = "import", _("数据导入")
    EDIT = "edit", _("本所维护")
    CORRECTION = "correction", _("更正申请")
    APPLICATION = "application", _("业务审批")
    PENALTY = "penalty", _("行政处罚")


class LawyerChange(models.Model):
    """One field of a lawyer's record changed: before, after, why, by whom."""

    lawyer = models.ForeignKey(Lawyer, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=40)
    label = models.CharField(max_length=40)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    cause = models.CharField(max_length=12, choices=ChangeCause.choices)
    reference = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lawyer_id} {self.field}: {self.before} → {self.after}"


class Education(models.Model):
    lawyer = models.ForeignKey(Lawyer, on_delete=models.CASCADE, related_name="education")
    school = models.CharField(_("学校"), max_length=100)
    major = models.CharField(_("专业"), max_length=50, blank=True)
    degree = models.CharField(_("学历学位"), max_length=30, blank=True)
    start = models.DateField(_("开始"), null=True, blank=True)
    end = models.DateField(_("结束"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.school} {self.degree}".strip()


class Career(models.Model):
    lawyer = models.ForeignKey(Lawyer, on_delete=models.CASCADE, related_name="careers")
    employer = models.CharField(_("单位"), max_length=100)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    start = models.DateField(_("开始"), null=True, blank=True)
    end = models.DateField(_("结束"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.employer} {self.position}".strip()


class InternStatus(models.TextChoices):
    INTERNING = "interning", _("实习中")
    COMPLETED = "completed", _("实习期满")
    ENDED = "ended", _("终止实习")


class Intern(Person):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("实习机构"), on_delete=models.PROTECT, related_name="registry_interns"
    )
    certificate_no = models.CharField(_("实习证号"), max_length=30, blank=True)
    supervisor = models.ForeignKey(
        Lawyer, verbose_name=_("指导律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="interns"
    )
    start = models.DateField(_("实习开始日期"))
    end = models.DateField(_("实习结束日期"))
    status = models.CharField(_("状态"), max_length=12, choices=InternStatus.choices, default=InternStatus.INTERNING)
    photo = models.ImageField(_("照片"), upload_to=_photo_path, blank=True)

    class Meta:
        verbose_name = _("实习人员")
        verbose_name_plural = _("实习人员")
        ordering = ["organisation_id", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="bureau_intern_period"),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status="interning") & ~Q(id_number_hash=""),
                name="bureau_intern_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self):
        return self.organisation


class Staff(Person):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("所在机构"), on_delete=models.PROTECT, related_name="registry_staff"
    )
    position = models.CharField(_("岗位"), max_length=50, blank=True)
    start = models.DateField(_("入职日期"), null=True, blank=True)
    active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("辅助人员")
        verbose_name_plural = _("辅助人员")
        ordering = ["organisation_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self):
        return self.organisation
