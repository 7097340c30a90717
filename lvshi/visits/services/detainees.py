"""Detainees and cases, kept by the officers of a detention centre, and a
detainee's release or transfer.

These records are personal data: they are read and written by officers of
the centre only (``visits.manage_detainees``), and every change is audited.

When a detainee leaves (:func:`detainee_leave`), in one transaction: the
status changes; every open binding ends (an active one is ended, one still on
its way is withdrawn); every booking of the detainee that holds a room and
whose meeting is not over yet is cancelled and gives back its room; waitlist
entries for the detainee are closed; each lawyer concerned is told once, in
the inbox and by SMS, what ended.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.diff import diff, snapshot
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_user
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Organisation, OrgKind, Role

from .. import bindings
from ..models import (
    HOLDING,
    OPEN_BINDING,
    WAITLIST_OPEN,
    Binding,
    BindingEndReason,
    BindingStatus,
    Booking,
    Case,
    CaseDefendant,
    Detainee,
    DetaineeStatus,
    Gender,
    WaitlistEntry,
    WaitlistStatus,
)
from . import waitlist
from .booking import booking_withdraw

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lvshi.accounts.models import User


DETAINEE_FIELDS = ("name", "gender", "birth_date", "centre_number")
LEAVE_STATUSES = (DetaineeStatus.RELEASED, DetaineeStatus.TRANSFERRED)


# --- reads ---------------------------------------------------------------------------


def officer_centres(user: User) -> QuerySet[Organisation]:
    """Detention centres where *user* keeps detainee records."""
    return scope.orgs_for(user, Role.OFFICER).filter(kind=OrgKind.DETENTION_CENTRE).order_by("name", "pk")


def detainees_for(user: User, *, q: str = "", status: str = "") -> QuerySet[Detainee]:
    """Detainees of the officer's centre(s), searched by name or centre number."""
    qs = Detainee.objects.filter(scope.org_q(user, Role.OFFICER, field="centre")).select_related("centre")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(centre_number__icontains=q))
    if status in DetaineeStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("name", "centre_number", "pk")


def cases_for(user: User, *, q: str = "") -> QuerySet[Case]:
    qs = (
        Case.objects.filter(scope.org_q(user, Role.OFFICER, field="centre"))
        .select_related("centre")
        .prefetch_related(Prefetch("defendants", queryset=Detainee.objects.order_by("name", "pk")))
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return qs.order_by("-pk")


def detainee_bindings(detainee: Detainee) -> QuerySet[Binding]:
    return Binding.objects.filter(detainee=detainee).select_related("lawyer", "case").order_by("-created_at", "-pk")


def detainee_bookings(detainee: Detainee, *, limit: int = 20) -> list[Booking]:
    qs = Booking.objects.filter(detainee=detainee, date__gte=local_date(timezone.now()))
    return list(qs.select_related("lawyer").order_by("date", "start", "pk")[:limit])


# --- detainees ----------------------------------------------------------------------


def _clean_detainee(values: dict) -> dict:
    cleaned: dict[str, Any] = {}
    if "name" in values:
        cleaned["name"] = clean_text(values["name"], field=(Detainee, "name"), required=_("请填写在押人员姓名。"))
    if "gender" in values:
        if values["gender"] not in Gender.values:
            raise DomainError("invalid_gender", _("请选择性别：男或女。"))
        cleaned["gender"] = values["gender"]
    if "birth_date" in values:
        born = values["birth_date"]
        if isinstance(born, str):
            try:
                born = date.fromisoformat(born)
            except ValueError:
                born = None
        if not isinstance(born, date):
            raise DomainError("invalid_birth_date", _("请按“年-月-日”填写出生日期，例如 1980-01-31。"))
        if born >= local_date(timezone.now()) or born.year < 1900:
            raise DomainError("invalid_birth_date", _("出生日期应早于今天且不早于1900年，请核对。"))
        cleaned["birth_date"] = born
    if "centre_number" in values:
        cleaned["centre_number"] = clean_text(
            values["centre_number"], field=(Detainee, "centre_number"), required=_("请填写监号。")
        )
    unknown = set(values) - set(DETAINEE_FIELDS)
    if unknown:
        raise DomainError("invalid_input", _("无法识别的字段：%(names)s。") % {"names": "、".join(sorted(unknown))})
    return cleaned


def _number_taken(number: str) -> DomainError:
    return Conflict(
        "centre_number_taken",
        _("本看守所已有监号为“%(number)s”的在押人员，请核对监号。") % {"number": number},
        status=409,
    )


@transaction.atomic
def detainee_create(*, centre: Organisation, actor: Actor, values: dict) -> Detainee:
    permissions.require(actor.user, "visits.manage_detainees", centre)
    if centre.kind != OrgKind.DETENTION_CENTRE:
        raise DomainError("not_a_detention_centre", _("只有看守所可以登记在押人员。"))
    missing = [f for f in DETAINEE_FIELDS if f not in values]
    if missing:
        raise DomainError("incomplete", _("请填写姓名、性别、出生日期和监号。"))
    cleaned = _clean_detainee(values)
    if Detainee.objects.filter(centre=centre, centre_number=cleaned["centre_number"]).exists():
        raise _number_taken(cleaned["centre_number"])
    detainee = Detainee(centre=centre, **cleaned)
    try:
        with transaction.atomic():
            detainee.save()
    except IntegrityError:
        raise _number_taken(cleaned["centre_number"]) from None
    audit_record(
        action="visits.detainee_create",
        actor=actor,
        obj=detainee,
        organisation=centre,
        after=snapshot(detainee, [*DETAINEE_FIELDS, "status"]),
    )
    return detainee


@transaction.atomic
def detainee_update(*, detainee: Detainee, actor: Actor, values: dict) -> Detainee:
    permissions.require(actor.user, "visits.manage_detainees", detainee)
    detainee = Detainee.objects.select_for_update().select_related("centre").get(pk=detainee.pk)
    cleaned = _clean_detainee(values)
    old = copy.copy(detainee)
    for name, value in cleaned.items():
        setattr(detainee, name, value)
    before, after = diff(old, detainee, DETAINEE_FIELDS)
    if not after:
        return detainee
    number = detainee.centre_number
    if (
        "centre_number" in after
        and Detainee.objects.filter(centre_id=detainee.centre_id, centre_number=number).exclude(pk=detainee.pk).exists()
    ):
        raise _number_taken(number)
    try:
        with transaction.atomic():
            detainee.save(update_fields=list(after))
    except IntegrityError:
        raise _number_taken(number) from None
    audit_record(
        action="visits.detainee_update",
        actor=actor,
        obj=detainee,
        organisation=detainee.centre,
        before=before,
        after=after,
    )
    return detainee


# --- cases ------------------------------------------------------------------------------


def _check_same_centre(centre_id: int, detainees: Iterable[Detainee]) -> list[Detainee]:
    detainees = list(detainees)
    if any(d.centre_id != centre_id for d in detainees):
        # Never say whether the other detainee exists elsewhere.
        raise DomainError("detainee_not_found", _("只能关联本看守所的在押人员，请核对后重试。"))
    return detainees


def _check_no_shared_lawyer(case: Case, detainee: Detainee) -> None:
    """Co-defendants of one case never share a lawyer: refuse a defendant
    whose active lawyer already acts for another defendant of the case."""
    lawyers = Binding.objects.filter(detainee=detainee, status=BindingStatus.ACTIVE).values("lawyer_id")
    shared = Binding.objects.filter(
        status=BindingStatus.ACTIVE, lawyer_id__in=lawyers, detainee__case_links__case=case
    ).exclude(detainee=detainee)
    if shared.exists():
        raise DomainError(
            "co_defendant_conflict",
            _("%(name)s的辩护律师已为本案其他被告人辩护，同案被告人不能委托同一名律师。请先处理委托关系。")
            % {"name": detainee.name},
        )


@transaction.atomic
def case_create(
    *, centre: Organisation, actor: Actor, number: str, title: str = "", detainees: Iterable[Detainee] = ()
) -> Case:
    permissions.require(actor.user, "visits.manage_detainees", centre)
    if centre.kind != OrgKind.DETENTION_CENTRE:
        raise DomainError("not_a_detention_centre", _("只有看守所可以登记案件。"))
    number = clean_text(
        number, field=(Case, "number"), code="case_number", required=_("请填写案号，例如（2026）沪0101刑初123号。")
    )
    title = clean_text(title, field=(Case, "title"), code="case_title")
    detainees = _check_same_centre(centre.pk, detainees)
    taken = Conflict("case_number_taken", _("本看守所已登记案号“%(number)s”，请核对。") % {"number": number})
    if Case.objects.filter(centre=centre, number=number).exists():
        raise taken
    try:
        with transaction.atomic():
            case = Case.objects.create(centre=centre, number=number, title=title)
    except IntegrityError:
        raise taken from None
    audit_record(
        action="visits.case_create",
        actor=actor,
        obj=case,
        organisation=centre,
        after={"number": number, "title": title},
    )
    for detainee in detainees:
        _attach(case, detainee, actor=actor)
    return case


def _attach(case: Case, detainee: Detainee, *, actor: Actor) -> CaseDefendant:
    if CaseDefendant.objects.filter(case=case, detainee=detainee).exists():
        raise DomainError("already_defendant", _("%(name)s已是本案被告人。") % {"name": detainee.name})
    _check_no_shared_lawyer(case, detainee)
    link = CaseDefendant.objects.create(case=case, detainee=detainee)
    audit_record(
        action="visits.case_attach", actor=actor, obj=case, organisation=case.centre, after={"detainee": detainee.pk}
    )
    return link


@transaction.atomic
def case_attach(*, case: Case, actor: Actor, detainee: Detainee) -> CaseDefendant:
    """Add a (co-)defendant of the same centre to the case."""
    permissions.require(actor.user, "visits.manage_detainees", case)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    _check_same_centre(case.centre_id, [detainee])
    return _attach(case, detainee, actor=actor)


@transaction.atomic
def case_detach(*, case: Case, actor: Actor, detainee: Detainee) -> None:
    permissions.require(actor.user, "visits.manage_detainees", case)
    deleted, _rows = CaseDefendant.objects.filter(case=case, detainee=detainee).delete()
    if not deleted:
        raise DomainError("not_defendant", _("%(name)s不是本案被告人。") % {"name": detainee.name})
    audit_record(
        action="visits.case_detach", actor=actor, obj=case, organisation=case.centre, before={"detainee": detainee.pk}
    )


# --- release and transfer ---------------------------------------------------------------


def _not_over(now: datetime) -> Q:
    """Bookings whose meeting is not over: later days, and today's slots that
    have not ended (the centre's clock)."""
    local = now.astimezone(SHANGHAI)
    today = local.date()
    return Q(date__gt=today) | Q(date=today, end__gt=local.time())


@transaction.atomic
def detainee_leave(
    *, detainee: Detainee, actor: Actor, status: str, transferred_to: str = "", note: str = ""
) -> Detainee:
    """The detainee was released or transferred: end what hung on them."""
    if status not in LEAVE_STATUSES:
        raise DomainError("invalid_status", _("请选择“已释放”或“已转所”。"))
    if status == DetaineeStatus.RELEASED:
        transferred_to = ""
    transferred_to = clean_text(
        transferred_to,
        field=(Detainee, "transferred_to"),
        label=_("转往机构"),
        required=_("请填写转往的看守所或机构。") if status == DetaineeStatus.TRANSFERRED else "",
    )
    # The note goes to the ended bindings' end_note (and the audit trail).
    note = clean_text(note, field=(Binding, "end_note"), code="note", label=_("说明"))
    now = timezone.now()
    detainee = Detainee.objects.select_for_update().select_related("centre").get(pk=detainee.pk)
    old = copy.copy(detainee)
    updated = Detainee.objects.filter(pk=detainee.pk, status=DetaineeStatus.HELD).update(
        status=status, status_changed_at=now, transferred_to=transferred_to
    )
    if not updated:
        raise Conflict(
            "detainee_not_held",
            _("%(name)s的状态已是“%(status)s”，不能再次办理释放或转所。")
            % {"name": detainee.name, "status": DetaineeStatus(detainee.status).label},
            status=409,
        )
    detainee.refresh_from_db()
    before, after = diff(old, detainee, ["status", "status_changed_at", "transferred_to"])
    audit_record(
        action="visits.detainee_leave",
        actor=actor,
        obj=detainee,
        organisation=detainee.centre,
        before=before,
        after={**(after or {}), "note": note},
    )
    reason = BindingEndReason.RELEASED if status == DetaineeStatus.RELEASED else BindingEndReason.TRANSFERRED
    change = str(DetaineeStatus(status).label)
    if transferred_to:
        change = _("已转所（转往%(where)s）") % {"where": transferred_to}

    ended: dict[int, list[str]] = defaultdict(list)
    lawyers: dict[int, object] = {}
    for binding in Binding.objects.filter(detainee=detainee, status__in=list(OPEN_BINDING)).select_related("lawyer"):
        active = binding.status == BindingStatus.ACTIVE
        try:
            bindings.FLOW.apply(
                binding,
                "lapse" if active else "lapse_open",
                actor=actor,
                organisation=detainee.centre,
                values={"ended_at": now, "ended_by": actor.user, "end_reason": reason, "end_note": note},
                fields=["end_reason"],
            )
        except Conflict:
            continue  # changed meanwhile by someone else: nothing to end
        target = BindingStatus.ENDED if active else BindingStatus.WITHDRAWN
        lawyers[binding.lawyer_id] = binding.lawyer
        ended[binding.lawyer_id].append(_("委托关系已解除") if target == BindingStatus.ENDED else _("委托申请已撤回"))

    # Waitlist entries first, so a room given back below is never offered to
    # this detainee's entries.
    waiting = list(
        WaitlistEntry.objects.filter(detainee=detainee, status__in=list(WAITLIST_OPEN)).select_related("lawyer")
    )
    waitlist.close_for_detainee(detainee=detainee, now=now)
    closed = set(
        WaitlistEntry.objects.filter(pk__in=[w.pk for w in waiting], status=WaitlistStatus.CANCELLED).values_list(
            "pk", flat=True
        )
    )
    for entry in waiting:
        if entry.pk in closed:
            lawyers[entry.lawyer_id] = entry.lawyer
            ended[entry.lawyer_id].append(
                _("%(when)s的候补已取消") % {"when": f"{entry.date.isoformat()} {entry.start:%H:%M}"}
            )

    booking_reason = _("在押人员%(change)s，预约已取消。") % {"change": change}
    holding = (
        Booking.objects.filter(detainee=detainee, status__in=list(HOLDING))
        .filter(_not_over(now))
        .select_related("lawyer")
        .order_by("date", "start", "pk")
    )
    for booking in holding:
        withdrawn = booking_withdraw(booking=booking, actor=actor, reason=booking_reason, now=now)
        if not withdrawn:
            continue  # decided, cancelled or checked in meanwhile
        lawyers[booking.lawyer_id] = booking.lawyer
        ended[booking.lawyer_id].append(
            _("%(when)s的会见预约已取消")
            % {"when": f"{booking.date.isoformat()} {booking.start:%H:%M}-{booking.end:%H:%M}"}
        )

    for lawyer_id, items in ended.items():
        notify_user(
            lawyers[lawyer_id],
            kind="visit_detainee_left",
            context={
                "centre": detainee.centre.name,
                "detainee": detainee.name,
                "change": change,
                "ended": "；".join(items) + "。",
            },
        )
    return detainee
