"""Applications (A3): licence business, firm business and the annual
assessment and inspection, filled online by a firm, received, examined,
returned, forwarded and decided by the bodies its business type's route
names (``lvshi.bureau.routes``), each step on its statutory clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Business(models.TextChoices):
    LICENCE_ISSUE = "licence_issue", _("律师执业许可")
    LICENCE_CHANGE = "licence_change", _("律师执业变更")
    LICENCE_CANCEL = "licence_cancel", _("律师执业注销")
    FIRM_ESTABLISH = "firm_establish", _("律师事务所设立")
    FIRM_CHANGE = "firm_change", _("律师事务所变更")
    FIRM_CLOSE = "firm_close", _("律师事务所注销")
    ASSESSMENT = "assessment", _("律师年度考核")
    INSPECTION = "inspection", _("律师事务所年度检查")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待接收")
    RECEIVED = "received", _("审查中")
    RETURNED = "returned", _("已退回")
    FORWARDED = "forwarded", _("已报送上级")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationReturnCode(models.TextChoices):
    INCOMPLETE = "incomplete", _("材料不齐全")
    FORM = "form", _("表格填写有误")
    ORIGINALS = "originals", _("纸质材料未到或不一致")
    CONDITIONS = "conditions", _("不符合法定条件")
    OTHER = "other", _("其他")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RECEIVED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.FORWARDED,
)
# The states in which the application lies with a body (its clock or its receipt runs).
WITH_BODY = (ApplicationStatus.SUBMITTED, ApplicationStatus.RECEIVED, ApplicationStatus.FORWARDED)


class Application(models.Model):
    number = models.CharField(_("申请编号"), max_length=20, unique=True, null=True, blank=True)
    business = models.CharField(_("业务类型"), max_length=16, choices=Business.choices)
    # The applicant: the firm (or, for a firm not yet established, the bureau that registers it).
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    lawyer = models.ForeignKey(
        "bureau.Lawyer", verbose_name=_("律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"), null=True, blank=True)
    # The form's fields, as the business type's form declares them.
    data = models.JSONField(_("申请内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # Where it lies: the index of the route's step and the body of that step.
    step = models.PositiveSmallIntegerField(default=0)
    body = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("办理机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The step's clock: working days used before a pause, and since when it runs again.
    clock_used = models.PositiveSmallIntegerField(default=0)
    clock_since = models.DateField(null=True, blank=True)
    # The last day of the current step's period (or of its receipt): None while paused.
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    originals_received_at = models.DateTimeField(_("纸质材料收到时间"), null=True, blank=True)
    receipt_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    return_code = models.CharField(_("退回原因"), max_length=12, choices=ApplicationReturnCode.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("业务申请")
        verbose_name_plural = _("业务申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["body", "status"]), models.Index(fields=["organisation", "status"])]
        constraints = [
            # One open application of a kind per lawyer (or per firm for firm business).
            models.UniqueConstraint(
                fields=["business", "lawyer"],
                condition=Q(status__in=["draft", *OPEN_STATUSES]) & Q(lawyer__isnull=False),
                name="bureau_application_one_open_per_lawyer",
            ),
            models.UniqueConstraint(
                fields=["business", "organisation", "year"],
                condition=Q(status__in=["draft", *OPEN_STATUSES])
                & Q(lawyer__isnull=True)
                & ~Q(business="firm_establish"),
                name="bureau_application_one_open_per_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.pk} {self.get_business_display()}"

    @property
    def scope_org(self):
        return self.organisation


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RECEIVE = "receive", _("接收")
    RETURN = "return", _("退回")
    FORWARD = "forward", _("审查同意并报送上级")
    APPROVE = "approve", _("批准")
    REFUSE = "refuse", _("不予批准")
    WITHDRAW = "withdraw", _("撤回")


class ApplicationStep(models.Model):
    """One step of an application: who, when, which body, the opinion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("环节"), max_length=10, choices=StepAction.choices)
    body = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("意见"), max_length=300, blank=True)
    return_code = models.CharField(max_length=12, choices=ApplicationReturnCode.choices, blank=True)
    originals = models.BooleanField(_("纸质材料已收到"), default=False)
    # Working days the step took (receive → forward/approve/return), for the trace page.
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"
