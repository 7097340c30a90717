"""Writes for a centre's booking settings: its configuration (window, days,
slot pattern), its rooms and its extra sessions.

Rooms decide the capacity of every slot. Days whose load rows already exist
keep them in step: after a room change the future rows of that centre and
room kind get the new number of active rooms (``capacity``) and of active
legal-aid-only rooms (``reserved``). A change that would leave a future slot
with more bookings than rooms is refused, naming the first such slots; the
CHECK constraints on :class:`~lvshi.visits.models.SlotLoad` refuse it as well.
"""

from __future__ import annotations

import copy
import itertools
from datetime import date, time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.diff import diff, snapshot
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation

from .. import capacity
from ..capacity import over_limit
from ..models import (
    CENTRE_KINDS,
    HOLDING,
    Booking,
    CentreConfig,
    ExtraSession,
    Room,
    RoomKind,
    SlotLoad,
    SlotPattern,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.db.models import QuerySet

MAX_LATEST_DAYS = 60
MAX_PRIORITY_DAYS = 30
MAX_SESSIONS = 6
SHOWN_CONFLICTS = 5

CONFIG_FIELDS = (
    "earliest_days",
    "latest_days",
    "saturday_open",
    "auto_approve",
    "pattern",
    "sessions",
    "slot_minutes",
    "opens_at",
    "closes_at",
    "legal_aid_priority_days",
)


def _today() -> date:
    return local_date(timezone.now())


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _first_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        for messages in exc.message_dict.values():
            if messages:
                return str(messages[0])
    return str(exc.messages[0]) if exc.messages else _("设置有误，请检查后重试。")


# --- configuration -------------------------------------------------------------------


def _check_config(config: CentreConfig) -> None:
    """The model's own checks, and the limits a centre may choose within."""
    if config.latest_days > MAX_LATEST_DAYS:
        raise DomainError("invalid_settings", _("最晚提前天数不能超过%(n)d天，请改小后保存。") % {"n": MAX_LATEST_DAYS})
    if config.legal_aid_priority_days > MAX_PRIORITY_DAYS:
        raise DomainError(
            "invalid_settings",
            _("法律援助律师优先预约天数不能超过%(n)d天，请改小后保存。") % {"n": MAX_PRIORITY_DAYS},
        )
    if config.slot_minutes not in (30, 60, 90):
        raise DomainError("invalid_settings", _("时段长度只能是30、60或90分钟。"))
    if config.pattern == SlotPattern.SESSIONS:
        if not isinstance(config.sessions, list) or not config.sessions:
            raise DomainError("invalid_settings", _("请至少设置一个场次，例如上午 08:30-11:00。"))
        if len(config.sessions) > MAX_SESSIONS:
            raise DomainError("invalid_settings", _("每天最多设置%(n)d个场次。") % {"n": MAX_SESSIONS})
    try:
        config.full_clean(exclude=["organisation"], validate_constraints=False)
    except ValidationError as exc:
        raise DomainError("invalid_settings", _first_message(exc)) from exc
    if config.pattern == SlotPattern.SESSIONS:
        slots = config.slots()
        for (_s1, end1), (start2, _e2) in itertools.pairwise(slots):
            if start2 < end1:
                raise DomainError("invalid_settings", _("场次的时间不能重叠，请调整后保存。"))
    elif not config.slots():
        raise DomainError(
            "invalid_settings",
            _("开放时间不足一个%(n)d分钟的时段，请延长开放时间或缩短时段长度。") % {"n": config.slot_minutes},
        )


def _orphaned_bookings(config: CentreConfig) -> list[Booking]:
    """Future bookings holding a room whose slot the new pattern no longer has
    (extra sessions of their day still count)."""
    starts = {start for start, _end in config.slots()}
    extra = set(
        ExtraSession.objects.filter(centre_id=config.organisation_id, date__gt=_today()).values_list("date", "start")
    )
    qs = Booking.objects.filter(centre_id=config.organisation_id, date__gt=_today(), status__in=HOLDING).order_by(
        "date", "start"
    )
    return [b for b in qs.exclude(start__in=starts) if (b.date, b.start) not in extra]


@transaction.atomic
def config_save(*, centre: Organisation, actor: Actor, values: dict) -> CentreConfig:
    """Create (开通网上预约) or change the centre's booking settings.

    *values* holds any of :data:`CONFIG_FIELDS`; the others keep their value.
    A new slot pattern may not drop a slot that future bookings hold."""
    permissions.require(actor.user, "visits.manage_centre", centre)
    if centre.kind not in CENTRE_KINDS:
        raise DomainError("not_a_centre", _("只有看守所和远程视频会见点可以设置会见。"))
    unknown = set(values) - set(CONFIG_FIELDS)
    if unknown:
        raise DomainError(
            "invalid_settings", _("无法识别的设置项：%(names)s。") % {"names": "、".join(sorted(unknown))}
        )
    found = CentreConfig.objects.select_for_update().filter(organisation=centre).first()
    created = found is None
    config = found if found is not None else CentreConfig(organisation=centre)
    old = None if created else copy.copy(config)
    for name, value in values.items():
        setattr(config, name, value)
    _check_config(config)
    if not created:
        orphaned = _orphaned_bookings(config)
        if orphaned:
            shown = "、".join(f"{b.date.isoformat()} {hhmm(b.start)}" for b in orphaned[:SHOWN_CONFLICTS])
            raise Conflict(
                "slots_in_use",
                _("新的时段设置取消了已有预约的时段（%(slots)s 等%(n)d个预约），请先处理这些时段的预约。")
                % {"slots": shown, "n": len(orphaned)},
                details={"bookings": [b.pk for b in orphaned[:SHOWN_CONFLICTS]]},
            )
    config.save()
    before, after = (None, snapshot(config, CONFIG_FIELDS)) if created else diff(old, config, CONFIG_FIELDS)
    if created or after:
        audit_record(
            action="visits.centre_config_create" if created else "visits.centre_config_update",
            actor=actor,
            obj=config,
            organisation=centre,
            before=before,
            after=after,
        )
    return config


# --- rooms and the capacity of existing days -------------------------------------------


def _room_counts(centre_id: int, kind: str) -> tuple[int, int]:
    return capacity.rooms_of(centre_id, kind).count(), capacity.rooms_of(centre_id, kind, reserved=True).count()


def _resize(centre_id: int, kind: str) -> int:
    """Bring future load rows of *kind* to the centre's rooms; refuse when a
    slot would hold more bookings than rooms. Returns the rows changed."""
    capacity, reserved = _room_counts(centre_id, kind)
    future = SlotLoad.objects.filter(centre_id=centre_id, room_kind=kind, date__gt=_today())
    too_full = list(
        future.filter(over_limit(capacity=capacity, reserved=reserved)).order_by("date", "start")[: SHOWN_CONFLICTS + 1]
    )
    if too_full:
        raise _rooms_in_use(too_full)
    try:
        with transaction.atomic():
            return future.exclude(capacity=capacity, reserved=reserved).update(capacity=capacity, reserved=reserved)
    except IntegrityError:
        # A booking took a room of these slots meanwhile; the CHECK refused.
        too_full = list(future.filter(over_limit(capacity=capacity, reserved=reserved)).order_by("date", "start"))
        raise _rooms_in_use(too_full) from None


def _rooms_in_use(rows: list[SlotLoad]) -> Conflict:
    shown = "、".join(f"{r.date.isoformat()} {hhmm(r.start)}（{r.taken}个预约）" for r in rows[:SHOWN_CONFLICTS])
    more = _("等") if len(rows) > SHOWN_CONFLICTS else ""
    return Conflict(
        "rooms_in_use",
        _("这样修改后，%(slots)s%(more)s时段的预约将多于可用会见室。请先处理这些时段的预约，再停用或改为专用。")
        % {"slots": shown, "more": more},
        details={"slots": [{"date": r.date.isoformat(), "start": hhmm(r.start)} for r in rows[:SHOWN_CONFLICTS]]},
    )


def _clean_name(name: str) -> str:
    return clean_text(
        name,
        field=(Room, "name"),
        code="room_name",
        label=_("会见室名称"),
        required=_("请填写会见室名称，例如“会见室3”。"),
    )


def _check_name_free(centre_id: int, name: str, *, exclude: int | None = None) -> None:
    same = Room.objects.filter(centre_id=centre_id, name=name)
    if (same.exclude(pk=exclude) if exclude is not None else same).exists():
        raise DomainError("room_name_taken", _("本机构已有名为“%(name)s”的会见室，请换一个名称。") % {"name": name})


ROOM_FIELDS = ("name", "kind", "active", "legal_aid_only")


@transaction.atomic
def room_create(
    *, centre: Organisation, actor: Actor, name: str, kind: str = RoomKind.IN_PERSON, legal_aid_only: bool = False
) -> Room:
    permissions.require(actor.user, "visits.manage_centre", centre)
    if kind not in RoomKind.values:
        raise DomainError("unknown_room_kind", _("会见室类型只能是当面会见或视频会见。"))
    if not CentreConfig.objects.filter(organisation=centre).exists():
        raise DomainError("centre_not_open", _("请先开通网上预约，再添加会见室。"))
    # One room change of a centre at a time, so capacities are counted right.
    CentreConfig.objects.select_for_update().filter(organisation=centre).first()
    name = _clean_name(name)
    _check_name_free(centre.pk, name)
    room = Room.objects.create(centre=centre, name=name, kind=kind, legal_aid_only=bool(legal_aid_only))
    _resize(centre.pk, kind)
    audit_record(
        action="visits.room_create", actor=actor, obj=room, organisation=centre, after=snapshot(room, ROOM_FIELDS)
    )
    return room


@transaction.atomic
def room_update(
    *, room: Room, actor: Actor, name: str | None = None, active: bool | None = None, legal_aid_only: bool | None = None
) -> Room:
    """Rename, activate, deactivate, or switch legal-aid-only. Future days
    follow; a change leaving a slot with more bookings than rooms is refused."""
    permissions.require(actor.user, "visits.manage_centre", room)
    CentreConfig.objects.select_for_update().filter(organisation_id=room.centre_id).first()
    room = Room.objects.select_for_update().get(pk=room.pk)
    old = copy.copy(room)
    if name is not None:
        room.name = _clean_name(name)
        _check_name_free(room.centre_id, room.name, exclude=room.pk)
    if active is not None:
        room.active = bool(active)
    if legal_aid_only is not None:
        room.legal_aid_only = bool(legal_aid_only)
    before, after = diff(old, room, ROOM_FIELDS)
    if not after:
        return room
    room.save()
    if old.active != room.active or old.legal_aid_only != room.legal_aid_only:
        _resize(room.centre_id, room.kind)
    audit_record(
        action="visits.room_update", actor=actor, obj=room, organisation=room.centre, before=before, after=after
    )
    return room


# --- extra sessions ----------------------------------------------------------------------


@transaction.atomic
def extra_session_create(
    *, centre: Organisation, actor: Actor, date: date, start: time, end: time, note: str = ""
) -> ExtraSession:
    """Open an extra session on a future day (加开会见场次)."""
    permissions.require(actor.user, "visits.manage_centre", centre)
    if not CentreConfig.objects.filter(organisation=centre).exists():
        raise DomainError("centre_not_open", _("请先开通网上预约，再加开场次。"))
    if date <= _today():
        raise DomainError(
            "extra_date_past",
            _("加开场次的日期应在今天（%(today)s）之后，请选择以后的日期。") % {"today": _today().isoformat()},
        )
    if start >= end:
        raise DomainError("extra_time_order", _("结束时间应晚于开始时间。"))
    note = clean_text(note, field=(ExtraSession, "note"), code="extra_note")
    if ExtraSession.objects.filter(centre=centre, date=date, start=start).exists():
        raise DomainError(
            "extra_exists",
            _("%(day)s %(start)s 已有加开场次，请换一个开始时间。") % {"day": date.isoformat(), "start": hhmm(start)},
        )
    session = ExtraSession(centre=centre, date=date, start=start, end=end, note=note, created_by=actor.user)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        raise Conflict("extra_exists", _("该场次刚刚已被加开，请刷新页面。"), status=409) from exc
    audit_record(
        action="visits.extra_session_create",
        actor=actor,
        obj=session,
        organisation=centre,
        after=snapshot(session, ["date", "start", "end", "note"]),
    )
    return session


@transaction.atomic
def extra_session_delete(*, session: ExtraSession, actor: Actor) -> None:
    """Withdraw an extra session that has not taken place and holds no booking."""
    permissions.require(actor.user, "visits.manage_centre", session)
    if session.date <= _today():
        raise DomainError("extra_date_past", _("当天及以前的加开场次不能删除。"))
    held = Booking.objects.filter(
        centre_id=session.centre_id, date=session.date, start=session.start, status__in=HOLDING
    ).count()
    if held:
        raise Conflict(
            "extra_in_use",
            _("该加开场次已有%(n)d个预约，请先处理这些时段的预约，再删除场次。") % {"n": held},
        )
    before = snapshot(session, ["date", "start", "end", "note"])
    centre = session.centre
    audit_record(action="visits.extra_session_delete", actor=actor, obj=session, organisation=centre, before=before)
    session.delete()


# --- reads -----------------------------------------------------------------------------


def rooms_of(centre: Organisation | int) -> QuerySet[Room]:
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    return Room.objects.filter(centre_id=centre_id).order_by("kind", "name", "pk")


def upcoming_extra_sessions(centre: Organisation | int) -> QuerySet[ExtraSession]:
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    return ExtraSession.objects.filter(centre_id=centre_id, date__gte=_today()).order_by("date", "start")


def parse_sessions(text: str) -> list[list[str]]:
    """``"08:30-11:00, 13:30-16:30"`` (one per line or comma) → the JSON form."""
    result = []
    for part in (text or "").replace("，", ",").replace("\n", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-").replace("~", "-")
        if not part:
            continue
        try:
            start, end = (p.strip() for p in part.split("-"))
            parsed = [time.fromisoformat(start), time.fromisoformat(end)]
        except ValueError:
            raise DomainError(
                "invalid_settings", _("场次“%(part)s”格式不对，应写作 08:30-11:00。") % {"part": part}
            ) from None
        result.append([hhmm(parsed[0]), hhmm(parsed[1])])
    return result


def sessions_text(sessions: Iterable[Any]) -> str:
    return "\n".join(f"{s}-{e}" for s, e in sessions or [])
