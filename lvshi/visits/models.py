"""Detention-centre meetings: centres' capacity, detainees and cases,
lawyers' bindings and bookings.

Capacity is kept by the database: one :class:`SlotLoad` row per centre, day,
slot start and room kind, whose ``taken`` never exceeds ``capacity`` (a CHECK
constraint), raised only by a conditional ``UPDATE … WHERE taken < capacity``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation, OrgKind

CENTRE_KINDS = (OrgKind.DETENTION_CENTRE, OrgKind.VIDEO_POINT)


class RoomKind(models.TextChoices):
    IN_PERSON = "in_person", _("当面会见")
    VIDEO = "video", _("视频会见")


# RoomKind.values builds a new list on every access; the availability of a
# window asks for it once per slot and day.
ROOM_KINDS = tuple(RoomKind.values)


class SlotPattern(models.TextChoices):
    SESSIONS = "sessions", _("上午、下午场次")
    FIXED = "fixed", _("固定时长时段")


def _parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _default_sessions() -> list:
    return [["08:30", "11:00"], ["13:30", "16:30"]]


class CentreConfig(models.Model):
    """How one detention centre or video point takes bookings."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="visit_config",
        limit_choices_to={"kind__in": CENTRE_KINDS},
    )
    earliest_days = models.PositiveSmallIntegerField(_("最早提前天数"), default=1)
    latest_days = models.PositiveSmallIntegerField(_("最晚提前天数"), default=10)
    saturday_open = models.BooleanField(_("周六开放"), default=False)
    auto_approve = models.BooleanField(_("自动审核通过"), default=False)
    pattern = models.CharField(_("时段方式"), max_length=16, choices=SlotPattern.choices, default=SlotPattern.SESSIONS)
    sessions = models.JSONField(_("场次"), default=_default_sessions, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("时段长度（分钟）"), choices=[(30, "30"), (60, "60"), (90, "90")], default=60
    )
    opens_at = models.TimeField(_("开始时间"), default=time(8, 30))
    closes_at = models.TimeField(_("结束时间"), default=time(16, 30))
    legal_aid_priority_days = models.PositiveSmallIntegerField(
        _("法律援助律师优先预约天数"),
        default=0,
        help_text=_("法律援助案件的律师可比最晚提前天数再多预约的天数（0 表示不设优先）。"),
    )

    class Meta:
        verbose_name = _("会见设置")
        verbose_name_plural = _("会见设置")
        constraints = [
            models.CheckConstraint(condition=Q(earliest_days__lte=F("latest_days")), name="visits_window_order"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="visits_hours_order"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def scope_org(self) -> Organisation:
        return self.organisation

    def clean(self):
        if self.organisation_id and self.organisation.kind not in CENTRE_KINDS:
            raise ValidationError({"organisation": _("只有看守所和远程视频会见点可以设置会见。")})
        if self.earliest_days > self.latest_days:
            raise ValidationError({"latest_days": _("最晚提前天数不能小于最早提前天数。")})
        if self.pattern == SlotPattern.SESSIONS:
            try:
                slots = self._session_slots()
            except (TypeError, ValueError) as exc:
                raise ValidationError({"sessions": _('场次格式应为 [["08:30", "11:00"], …]。')}) from exc
            if not slots or any(start >= end for start, end in slots):
                raise ValidationError({"sessions": _("每个场次的开始时间应早于结束时间。")})
        elif self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("结束时间应晚于开始时间。")})

    def _session_slots(self) -> list[tuple[time, time]]:
        return sorted((_parse_hhmm(start), _parse_hhmm(end)) for start, end in self.sessions)

    def slots(self) -> list[tuple[time, time]]:
        """The day's slots as (start, end), in order."""
        if self.pattern == SlotPattern.SESSIONS:
            return self._session_slots()
        day = datetime(2000, 1, 1)
        step = timedelta(minutes=self.slot_minutes)
        start, close = datetime.combine(day, self.opens_at), datetime.combine(day, self.closes_at)
        result = []
        while start + step <= close:
            result.append((start.time(), (start + step).time()))
            start += step
        return result


class Room(models.Model):
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    active = models.BooleanField(_("启用"), default=True)
    legal_aid_only = models.BooleanField(
        _("法律援助专用"), default=False, help_text=_("只接受法律援助案件的预约（远程视频会见点可设专用会见室）。")
    )

    class Meta:
        verbose_name = _("会见室")
        verbose_name_plural = _("会见室")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="visits_room_name_unique")]
        indexes = [models.Index(fields=["centre", "kind", "active"], name="visits_room_centre_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class ExtraSession(models.Model):
    """An extra meeting session on one day (加开会见场次): its slot is
    bookable that day in addition to the pattern's, and a day that would be
    closed (a weekend) opens for it."""

    centre = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="extra_sessions"
    )
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("加开场次")
        verbose_name_plural = _("加开场次")
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="visits_extra_time_order"),
            models.UniqueConstraint(fields=["centre", "date", "start"], name="visits_extra_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class DetaineeStatus(models.TextChoices):
    HELD = "held", _("在押")
    RELEASED = "released", _("已释放")
    TRANSFERRED = "transferred", _("已转所")


class Detainee(models.Model):
    centre = models.ForeignKey(
        Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="detainees"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    centre_number = models.CharField(_("监号"), max_length=30)
    status = models.CharField(_("状态"), max_length=16, choices=DetaineeStatus.choices, default=DetaineeStatus.HELD)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    transferred_to = models.CharField(_("转往"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("在押人员")
        verbose_name_plural = _("在押人员")
        constraints = [
            models.UniqueConstraint(fields=["centre", "centre_number"], name="visits_detainee_number_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class Case(models.Model):
    centre = models.ForeignKey(Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("案号"), max_length=60)
    title = models.CharField(_("案由"), max_length=100, blank=True)
    defendants = models.ManyToManyField(Detainee, through="CaseDefendant", related_name="cases")

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="visits_case_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class CaseDefendant(models.Model):
    """A detainee is a defendant (co-defendant) of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="case_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "detainee"], name="visits_case_defendant_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.detainee_id}"


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


class BookingStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", _("预约审核中")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已会见")
    NO_SHOW = "no_show", _("未到")


# Bookings that hold a room.
HOLDING = (BookingStatus.UNDER_REVIEW, BookingStatus.APPROVED)
HOLDING_Q = Q(status__in=[s.value for s in HOLDING])


class Booking(models.Model):
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="bookings"
    )
    detainee = models.ForeignKey(
        Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="bookings"
    )
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    room_kind = models.CharField(_("会见方式"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    status = models.CharField(
        _("状态"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.UNDER_REVIEW
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("律师助理"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_bookings",
        help_text=_("同一律师事务所的律师助理，协助会见。"),
    )
    idempotency_key = models.CharField(max_length=80, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("会见预约")
        verbose_name_plural = _("会见预约")
        ordering = ["date", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="visits_booking_time_order"),
            # One lawyer, or one detainee, cannot hold two rooms at the same start.
            models.UniqueConstraint(
                fields=["lawyer", "date", "start"], condition=HOLDING_Q, name="visits_booking_lawyer_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["detainee", "date", "start"], condition=HOLDING_Q, name="visits_booking_detainee_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["lawyer", "idempotency_key", "date", "start"],
                condition=~Q(idempotency_key=""),
                name="visits_booking_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["lawyer", "status", "date"], name="visits_booking_lawyer_status"),
            models.Index(fields=["centre", "date", "status"], name="visits_booking_centre_day"),
            models.Index(fields=["detainee", "date"], name="visits_booking_detainee_day"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee} {self.date} {self.start:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class SlotLoad(models.Model):
    """How many rooms of one kind one slot has, and how many are taken.

    ``reserved`` of the rooms are for legal-aid cases only; ``taken_open``
    counts the rooms taken by other bookings, which may not use them. A
    room held for a waitlist offer counts as taken."""

    centre = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="slot_loads")
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    room_kind = models.CharField(max_length=16, choices=RoomKind.choices)
    capacity = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    taken_open = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "date", "start", "room_kind"], name="visits_slotload_unique"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="visits_slotload_within_capacity"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="visits_slotload_taken_positive"),
            models.CheckConstraint(condition=Q(reserved__lte=F("capacity")), name="visits_slotload_reserved_range"),
            models.CheckConstraint(
                condition=Q(taken_open__lte=F("capacity") - F("reserved")) & Q(taken_open__lte=F("taken")),
                name="visits_slotload_open_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.date} {self.start} {self.room_kind}: {self.taken}/{self.capacity}"


# --- check-in, no-shows, violations and lock-out ------------------------------------


class CheckIn(models.Model):
    """An officer registered the lawyer's arrival (会见登记)."""

    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="check_in")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记民警"), on_delete=models.PROTECT, related_name="+"
    )
    assistant_name = models.CharField(_("律师助理"), max_length=50, blank=True)
    at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("会见登记")
        verbose_name_plural = _("会见登记")

    def __str__(self) -> str:
        return f"{self.booking} {self.at:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.booking.centre


class ViolationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    VOID = "void", _("已撤销")


class Violation(models.Model):
    """One missed meeting (未到). It counts towards a lock-out until it
    expires (``expires_on``, one year after the meeting day), is voided on
    appeal, or has been used by a lock."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_violations"
    )
    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.PROTECT, related_name="violation")
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("违约日期"))
    expires_on = models.DateField(_("失效日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ViolationStatus.choices, default=ViolationStatus.ACTIVE)
    lock = models.ForeignKey(
        "BookingLock",
        verbose_name=_("锁定"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("违约记录")
        verbose_name_plural = _("违约记录")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["lawyer", "status", "expires_on"], name="visits_violation_lawyer")]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.date}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class LockStatus(models.TextChoices):
    ACTIVE = "active", _("锁定中")
    LIFTED = "lifted", _("已解除")


class BookingLock(models.Model):
    """The lawyer may not book online from ``starts_on`` until the day
    before ``ends_on`` (six months), unless an authority officer lifts it."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_locks"
    )
    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("第三次违约的机构"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("解除日期"))
    reason = models.CharField(_("原因"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=LockStatus.choices, default=LockStatus.ACTIVE)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.CharField(_("解除原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预约锁定")
        verbose_name_plural = _("预约锁定")
        constraints = [
            models.UniqueConstraint(fields=["lawyer"], condition=Q(status="active"), name="visits_lock_one_active"),
            models.CheckConstraint(condition=Q(starts_on__lt=F("ends_on")), name="visits_lock_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} → {self.ends_on}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class Appeal(models.Model):
    """The lawyer contests a violation; an authority officer decides."""

    violation = models.OneToOneField(
        Violation, verbose_name=_("违约记录"), on_delete=models.CASCADE, related_name="appeal"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_appeals"
    )
    text = models.TextField(_("申诉理由"), max_length=1000)
    status = models.CharField(_("状态"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    note = models.CharField(_("处理意见"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("违约申诉")
        verbose_name_plural = _("违约申诉")

    def __str__(self) -> str:
        return f"{self.violation} ({self.status})"

    @property
    def scope_org(self) -> Organisation:
        return self.violation.centre


# --- waitlist ------------------------------------------------------------------------


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    OFFERED = "offered", _("已为您保留")
    BOOKED = "booked", _("已预约")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已取消")


WAITLIST_OPEN = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """A lawyer waits for a room in a full slot. A released room is offered
    to the first in line and held for them (it stays counted as taken) until
    ``offer_expires_at``; then it goes to the next."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_waits"
    )
    detainee = models.ForeignKey(Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    room_kind = models.CharField(_("会见方式"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    created_at = models.DateTimeField(_("登记时间"))
    offered_at = models.DateTimeField(_("保留开始"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("保留截止"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, verbose_name=_("预约"), null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("候补")
        verbose_name_plural = _("候补")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lawyer", "detainee", "date", "start", "room_kind"],
                condition=Q(status__in=["waiting", "offered"]),
                name="visits_wait_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="visits_wait_offer_has_expiry"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "date", "start", "room_kind", "status"], name="visits_wait_slot"),
            models.Index(fields=["status", "offer_expires_at"], name="visits_wait_offers"),
            models.Index(fields=["lawyer", "status"], name="visits_wait_lawyer"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.date} {self.start:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


# --- meeting requests, notices and complaints ----------------------------------------


class MeetingRequest(models.Model):
    """A detainee asked to see their lawyer (要求会见); an officer recorded it
    and every lawyer then bound to the detainee was told."""

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="meeting_requests"
    )
    centre = models.ForeignKey(Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记民警"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("会见要求")
        verbose_name_plural = _("会见要求")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["centre", "recorded_at"], name="visits_request_centre")]

    def __str__(self) -> str:
        return f"{self.detainee} {self.recorded_at:%Y-%m-%d}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class MeetingRequestRecipient(models.Model):
    """One bound lawyer told of a meeting request, and when they read it."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="recipients")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_requests")
    seen_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "lawyer"], name="visits_request_recipient_unique")]
        indexes = [models.Index(fields=["lawyer", "seen_at"], name="visits_request_lawyer")]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.lawyer_id}"


class Notice(models.Model):
    """A notice of the detention authority (e.g. a policy change). Lawyers
    holding bookings at the centres concerned get an SMS."""

    issuer = models.ForeignKey(
        Organisation, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="issued_visit_notices"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=5000)
    centres = models.ManyToManyField(Organisation, verbose_name=_("涉及机构"), related_name="visit_notices")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"))
    recipients = models.PositiveIntegerField(_("短信通知人数"), default=0)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self) -> Organisation:
        return self.issuer


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLING = "handling", _("处理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintCategory(models.TextChoices):
    BOOKING = "booking", _("预约")
    MEETING = "meeting", _("会见安排")
    CONDUCT = "conduct", _("工作作风")
    SYSTEM = "system", _("系统使用")
    OTHER = "other", _("其他")


class Complaint(models.Model):
    """A call to the complaints line (律师会见投诉), kept until closed."""

    centre = models.ForeignKey(Organisation, verbose_name=_("被投诉机构"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("来电时间"))
    caller_name = models.CharField(_("来电人"), max_length=50)
    caller_phone = models.CharField(_("联系电话"), max_length=20)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("律师账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_complaints",
    )
    category = models.CharField(_("类别"), max_length=16, choices=ComplaintCategory.choices)
    content = models.TextField(_("投诉内容"), max_length=2000)
    handling = models.TextField(_("处理情况"), max_length=2000, blank=True)
    answer = models.TextField(_("答复内容"), max_length=2000, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投诉记录")
        verbose_name_plural = _("投诉记录")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["centre", "status", "received_at"], name="visits_complaint_centre")]

    def __str__(self) -> str:
        return f"{self.caller_name} {self.received_at:%Y-%m-%d}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre
