from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation

from .detainees import Case, Detainee


class BindingStatus(models.TextChoices):
    PENDING = "pending", _("待初审")
    RETURNED = "returned", _("已退回")
    VERIFYING = "verifying", _("待现场核验")
    ACTIVE = "active", _("有效")
    ENDED = "ended", _("已解除")
    WITHDRAWN = "withdrawn", _("已撤回")


# Bindings that hold or are on the way to a seat; one per (detainee, lawyer).
OPEN_BINDING = (BindingStatus.PENDING, BindingStatus.RETURNED, BindingStatus.VERIFYING, BindingStatus.ACTIVE)


class BindingEndReason(models.TextChoices):
    REVOKED = "revoked", _("委托人解除委托")
    RELEASED = "released", _("在押人员已释放")
    TRANSFERRED = "transferred", _("在押人员已转所")
    LAWYER = "lawyer", _("律师终止委托")


MAX_LAWYERS_PER_DETAINEE = 2


class Binding(models.Model):
    """A lawyer acts for a detainee (委托关系).

    The way to an active binding: the lawyer submits the pre-check with
    documents (``pending``); an officer of the centre returns it with a
    reason (``returned``, the lawyer may resubmit) or passes it
    (``verifying``); an officer verifies the originals in person once, and
    the binding becomes ``active``. It ends on a recorded revocation, the
    detainee's release or transfer, or the lawyer's own ending.

    The database enforces the limits under concurrency: an active binding
    holds one of two seats of its detainee (``seat`` 1 or 2, unique among
    active bindings), one (case, lawyer) pair is active at most once, so
    co-defendants of one case never share a lawyer, and a lawyer has one
    open binding per detainee.
    """

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="bindings"
    )
    detainee = models.ForeignKey(
        Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="bindings"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="bindings"
    )
    seat = models.PositiveSmallIntegerField(_("席位"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=BindingStatus.choices, default=BindingStatus.ACTIVE)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("现场核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(_("解除原因"), max_length=16, choices=BindingEndReason.choices, blank=True)
    end_note = models.CharField(_("解除说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("委托关系")
        verbose_name_plural = _("委托关系")
        constraints = [
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1, seat__lte=MAX_LAWYERS_PER_DETAINEE),
                name="visits_binding_seat_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(seat__isnull=False), name="visits_binding_active_has_seat"
            ),
            models.UniqueConstraint(
                fields=["detainee", "seat"], condition=Q(status="active"), name="visits_binding_seat_unique"
            ),
            models.UniqueConstraint(
                fields=["detainee", "lawyer"],
                condition=Q(status__in=[s.value for s in OPEN_BINDING]),
                name="visits_binding_lawyer_unique",
            ),
            models.UniqueConstraint(
                fields=["case", "lawyer"], condition=Q(status="active"), name="visits_binding_case_lawyer_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["lawyer", "status"], name="visits_binding_lawyer_status"),
            models.Index(fields=["detainee", "status"], name="visits_binding_detainee_status"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} → {self.detainee}"

    @property
    def scope_org(self) -> Organisation:
        return self.detainee.centre


class DocumentKind(models.TextChoices):
    POWER_OF_ATTORNEY = "power_of_attorney", _("委托书")
    LICENCE = "licence", _("律师执业证")
    FIRM_LETTER = "firm_letter", _("律师事务所函")
    LEGAL_AID_LETTER = "legal_aid_letter", _("法律援助指派函")
    REVOCATION = "revocation", _("解除委托书")


class BindingDocument(models.Model):
    """A file uploaded for a binding: the pre-check's documents, or the
    client's written revocation that ended it. Checked by content when
    uploaded; served only to those who may see the binding."""

    binding = models.ForeignKey(Binding, verbose_name=_("委托关系"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="visits/bindings/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("文件类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("委托材料")
        verbose_name_plural = _("委托材料")
        ordering = ["binding", "kind", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["binding", "kind"], name="visits_bindingdoc_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def scope_org(self) -> Organisation:
        return self.binding.detainee.centre
