"""Hearings (C8) and the lawyers' requests about them (C6).

Scheduling claims the room and the judge for each quarter hour of the
hearing (the database refuses a second claim), shows each agent's
conflicts before saving, and warns when the parties get less than the
statutory three days' notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.accounts.identity import normalize_mobile
from lvshi.audit.services import audit_record
from lvshi.calendar import schedule
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_user, notify_users
from lvshi.orgs.models import Role
from lvshi.orgs.permissions import require

from ..deadlines import hearing_notice_short
from ..flows import REQUEST
from ..models import Case, CourtRoom, Hearing, HearingClaim, HearingRequest, HearingStatus, RequestKind
from .review import court_members

QUARTER = timedelta(minutes=15)
MAX_LENGTH = timedelta(hours=8)


def hearing_uid(hearing: Hearing) -> str:
    return f"hearing-{hearing.pk}@courts.lvshi"


def _quarters(start: datetime, end: datetime) -> list[datetime]:
    out, at = [], start
    while at < end:
        out.append(at)
        at += QUARTER
    return out


def _claims(hearing: Hearing) -> list[HearingClaim]:
    return [
        HearingClaim(hearing=hearing, resource=resource, quarter=q)
        for resource in (f"room:{hearing.room_id}", f"judge:{hearing.judge_id}")
        for q in _quarters(hearing.start, hearing.end)
    ]


def _claims_of(
    room_id: int, judge_id: int, start: datetime, end: datetime, ignore: int | None
) -> QuerySet[HearingClaim]:
    qs = HearingClaim.objects.filter(
        resource__in=[f"room:{room_id}", f"judge:{judge_id}"], quarter__gte=start, quarter__lt=end
    )
    return qs.exclude(hearing_id=ignore) if ignore else qs


def resources_free(room_id: int, judge_id: int, start: datetime, end: datetime, *, ignore: int | None = None) -> bool:
    return not _claims_of(room_id, judge_id, start, end, ignore).exists()


def taken_quarters(
    room_id: int, judge_id: int, start: datetime, end: datetime, *, ignore: int | None = None
) -> set[datetime]:
    """Every quarter hour from *start* to *end* the room or the judge is taken:
    one query for all the times :func:`schedule.nearest_free` tries."""
    return set(_claims_of(room_id, judge_id, start, end, ignore).values_list("quarter", flat=True))


def agents_of(case: Case) -> list:
    """The platform accounts of the case's agents and linked lawyers."""
    ids = set(case.agents.exclude(lawyer=None).values_list("lawyer_id", flat=True))
    ids |= set(case.links.values_list("lawyer_id", flat=True))
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@dataclass(frozen=True)
class Plan:
    """A clerk's proposed hearing, checked but not saved."""

    start: datetime
    end: datetime
    room: CourtRoom
    judge: Any
    conflicts: dict  # lawyer -> [schedule.Conflict]
    short_notice: bool
    room_busy: bool
    suggestions: list[datetime]


def _times(start: datetime, minutes: int) -> tuple[datetime, datetime]:
    if not isinstance(start, datetime):
        raise DomainError("start_required", _("请填写开庭时间。"))
    if timezone.is_naive(start):
        start = start.replace(tzinfo=SHANGHAI)
    if start.minute % 15 or start.second or start.microsecond:
        raise DomainError("start_quarter", _("开庭时间请以15分钟为单位，如 9:00、9:15、9:30。"))
    if not isinstance(minutes, int) or minutes <= 0 or minutes % 15 or timedelta(minutes=minutes) > MAX_LENGTH:
        raise DomainError("length_invalid", _("预计时长应为15分钟的整数倍，最长8小时。"))
    if start <= timezone.now():
        raise DomainError("start_past", _("开庭时间应晚于现在。"))
    return start, start + timedelta(minutes=minutes)


def hearing_plan(
    *,
    actor: Actor,
    case: Case,
    start: datetime,
    minutes: int,
    room_id: Any,
    judge_id: Any,
    ignore: Hearing | None = None,
) -> Plan:
    """Check a proposed hearing before saving: each agent's conflicts at
    that time (hearings at any court, meetings, entries they cannot attend),
    whether room or judge is taken, whether the notice would be short, and
    the nearest times free for all."""
    require(actor.user, "courts.schedule_hearing", case)
    start, end = _times(start, minutes)
    room = case.court.rooms.filter(pk=room_id, active=True).first() if isinstance(room_id, int) else None
    if room is None:
        raise DomainError("room_invalid", _("请选择本院的法庭。"))
    judge = court_members(case.court, Role.JUDGE).filter(pk=judge_id).first() if isinstance(judge_id, int) else None
    if judge is None:
        raise DomainError("judge_invalid", _("请从本院法官中选择审判人员。"))
    place = case.court.organisation.region_code
    skip = [hearing_uid(ignore)] if ignore else []
    travel = schedule.Travel()
    lawyers = agents_of(case)
    conflicts = {
        u: found
        for u in lawyers
        if (found := schedule.conflicts_at(u, start, end, place=place, ignore=skip, travel=travel))
    }
    busy = not resources_free(room.pk, judge.pk, start, end, ignore=ignore.pk if ignore else None)
    suggestions: list[datetime] = []
    if conflicts or busy:
        reach = timedelta(days=schedule.NEAREST_DAYS + 1)
        taken = taken_quarters(room.pk, judge.pk, start - reach, end + reach, ignore=ignore.pk if ignore else None)
        suggestions = schedule.nearest_free(
            lawyers,
            around=start,
            duration=end - start,
            place=place,
            ignore=skip,
            also_free=lambda s, e: taken.isdisjoint(_quarters(s, e)),
            organisation=case.court.organisation,
        )
    return Plan(start, end, room, judge, conflicts, hearing_notice_short(start), busy, suggestions)


def _tell(hearing: Hearing, kind: str, **extra: str) -> None:
    case = hearing.case
    when = timezone.localtime(hearing.start, SHANGHAI).strftime("%Y-%m-%d %H:%M")
    notify_users(
        agents_of(case),
        kind=kind,
        context={
            "number": case.number,
            "court": case.court.organisation.name,
            "room": hearing.room.name,
            "when": when,
            **extra,
        },
        url=reverse("courts:hearings"),
    )


def _claim(hearing: Hearing) -> None:
    try:
        with transaction.atomic():
            HearingClaim.objects.bulk_create(_claims(hearing))
    except IntegrityError as exc:
        raise Conflict("resource_taken", _("该时间法庭或审判人员已有其他庭审，请另选时间。"), status=409) from exc


def hearing_schedule(
    *, actor: Actor, case: Case, start: datetime, minutes: int, room_id: Any, judge_id: Any
) -> Hearing:
    require(actor.user, "courts.schedule_hearing", case)
    plan = hearing_plan(actor=actor, case=case, start=start, minutes=minutes, room_id=room_id, judge_id=judge_id)
    now = timezone.now()
    with transaction.atomic():
        hearing = Hearing.objects.create(
            case=case,
            room=plan.room,
            judge=plan.judge,
            start=plan.start,
            end=plan.end,
            scheduled_by=actor.user,
            scheduled_at=now,
            short_notice=plan.short_notice,
        )
        _claim(hearing)
        audit_record(
            action="courts.hearing_schedule",
            actor=actor,
            obj=hearing,
            organisation=case.court.organisation,
            after={
                "start": plan.start.isoformat(),
                "room": plan.room.pk,
                "judge": plan.judge.pk,
                "short_notice": plan.short_notice,
                "conflicts": len(plan.conflicts),
            },
        )
        transaction.on_commit(lambda: _tell(hearing, "hearing_scheduled"))
    return hearing


def hearing_reschedule(*, actor: Actor, hearing: Hearing, start: datetime, minutes: int) -> Hearing:
    """Move *hearing* (a granted postponement): same room and judge."""
    require(actor.user, "courts.schedule_hearing", hearing)
    plan = hearing_plan(
        actor=actor,
        case=hearing.case,
        start=start,
        minutes=minutes,
        room_id=hearing.room_id,
        judge_id=hearing.judge_id,
        ignore=hearing,
    )
    with transaction.atomic():
        before = hearing.start
        Hearing.objects.filter(pk=hearing.pk).update(start=plan.start, end=plan.end, short_notice=plan.short_notice)
        hearing.refresh_from_db()
        HearingClaim.objects.filter(hearing=hearing).delete()
        _claim(hearing)
        audit_record(
            action="courts.hearing_reschedule",
            actor=actor,
            obj=hearing,
            organisation=hearing.case.court.organisation,
            before={"start": before.isoformat()},
            after={"start": plan.start.isoformat()},
        )
        transaction.on_commit(lambda: _tell(hearing, "hearing_rescheduled"))
    return hearing


def request_create(
    *, actor: Actor, hearing: Hearing, kind: str, reason: str, phone: str, proposed: list[datetime]
) -> HearingRequest:
    """A lawyer of the case asks to be excused or for a postponement;
    proposed dates are checked against the lawyer's schedule."""

    require(actor.user, "courts.file")
    if hearing.status != HearingStatus.SCHEDULED or hearing.start <= timezone.now():
        raise DomainError("hearing_closed", _("该庭审已开始或已撤销，不能再申请。"), status=409)
    if kind not in RequestKind.values:
        raise DomainError("kind_invalid", _("请选择申请不出庭或申请延期开庭。"))
    reason = clean_text(reason, field=(HearingRequest, "reason"), required=_("请写明申请理由。"))
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise DomainError("phone_invalid", " ".join(exc.messages)) from exc
    proposed = list(proposed or [])
    if len(proposed) > 3:
        raise DomainError("too_many_dates", _("最多建议3个开庭时间。"))
    length = hearing.end - hearing.start
    checked = []
    for at in proposed:
        if timezone.is_naive(at):
            at = at.replace(tzinfo=SHANGHAI)
        if at <= timezone.now():
            raise DomainError("proposed_past", _("建议的开庭时间应晚于现在。"))
        found = schedule.conflicts_at(
            actor.user,
            at,
            at + length,
            place=hearing.case.court.organisation.region_code,
            ignore=[hearing_uid(hearing)],
        )
        if found:
            raise DomainError(
                "proposed_conflict",
                _("您建议的%(at)s与您的日程冲突：%(c)s。请另选时间。")
                % {"at": timezone.localtime(at, SHANGHAI).strftime("%m-%d %H:%M"), "c": found[0].text},
            )
        checked.append(at.isoformat())
    try:
        with transaction.atomic():
            req = HearingRequest.objects.create(
                hearing=hearing, lawyer=actor.user, kind=kind, reason=reason, phone=phone, proposed=checked
            )
            audit_record(
                action="courts.hearing_request_create",
                actor=actor,
                obj=req,
                organisation=hearing.case.court.organisation,
                after={"kind": kind, "proposed": checked},
            )
    except IntegrityError as exc:
        raise Conflict("request_pending", _("您对该庭审已有待处理的申请，请等待法官处理。"), status=409) from exc
    return req


def request_grant(
    *,
    actor: Actor,
    request: HearingRequest,
    start: datetime | None = None,
    minutes: int | None = None,
    answer: str = "",
) -> HearingRequest:
    """Grant: a postponement moves the hearing (everyone told)."""
    answer = clean_text(answer, field=(HearingRequest, "answer"))
    with transaction.atomic():
        if request.kind == RequestKind.POSTPONE:
            if start is None:
                raise DomainError("start_required", _("准许延期时请填写新的开庭时间。"))
            hearing = request.hearing
            hearing_reschedule(
                actor=actor,
                hearing=hearing,
                start=start,
                minutes=minutes or int((hearing.end - hearing.start).total_seconds() // 60),
            )
        REQUEST.apply(
            request,
            "grant",
            actor=actor,
            message=answer,
            notify=_decided(request, _("准许")),
            values={"decided_at": timezone.now(), "decided_by": actor.user, "answer": answer},
        )
    return request


def _decided(request: HearingRequest, outcome: str) -> Callable[[], None]:
    def tell() -> None:
        notify_user(
            request.lawyer,
            kind="hearing_request_decided",
            context={
                "number": request.hearing.case.number,
                "kind": request.get_kind_display(),
                "outcome": outcome,
                "answer": request.answer or _("无"),
            },
            url=reverse("courts:hearings"),
        )

    return tell


def request_refuse(*, actor: Actor, request: HearingRequest, answer: str) -> HearingRequest:
    answer = clean_text(answer, field=(HearingRequest, "answer"), required=_("请写明不予准许的理由。"))
    REQUEST.apply(
        request,
        "refuse",
        actor=actor,
        reason=answer,
        notify=_decided(request, _("不予准许")),
        values={"decided_at": timezone.now(), "decided_by": actor.user, "answer": answer},
    )
    return request
