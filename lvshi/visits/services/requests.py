"""The checks of a booking request, shared by a booking and a place on the
waitlist: the lawyer is bound to a held detainee and not locked out, the
place serves the detainee's centre, the day is in the window and open,
the slots exist, the lawyer and the detainee are free then, the assistant
belongs to the firm. Every refusal is a DomainError; nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from functools import lru_cache

from django.db import connection
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.calendar.workdays import local_date
from lvshi.core import rows
from lvshi.core.errors import DomainError
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role

from .. import selectors
from ..capacity import room_capacity
from ..models import (
    HOLDING,
    ROOM_KINDS,
    Binding,
    BindingStatus,
    Booking,
    BookingLock,
    CentreConfig,
    Detainee,
    DetaineeStatus,
    LockStatus,
    Room,
    RoomKind,
)
from ..selectors import lockout
from ..selectors.window import alternatives, centre_calendar, centre_config, check_open, check_window, hhmm, last_day


def _not_bound() -> DomainError:
    return DomainError(
        "not_bound",
        _("您与该在押人员没有有效的委托关系，不能预约会见。请先在“委托关系”中提交委托材料，核验通过后再预约。"),
    )


def _bindings(lawyer, detainee: Detainee | int):
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    return Binding.objects.filter(lawyer=lawyer, detainee_id=detainee_id, status=BindingStatus.ACTIVE).select_related(
        "detainee", "detainee__centre"
    )


def active_binding(lawyer, detainee: Detainee | int) -> Binding:
    """The lawyer's active binding to *detainee* (or its id), with the
    detainee and the centre; refused unless the detainee is held."""
    binding = _bindings(lawyer, detainee).first()
    if binding is None or binding.detainee.status != DetaineeStatus.HELD:
        raise _not_bound()
    return binding


def _with_lock(qs, lawyer):
    today = local_date(timezone.now())
    locks = BookingLock.objects.filter(lockout.in_force(today), lawyer=lawyer)
    return qs.annotate(locked=Exists(locks))


def _columns(model, alias: str, *, skip: tuple[str, ...] = ()) -> list[tuple]:
    """(field, "alias"."column") for the concrete fields of *model*, those
    named in *skip* left out (deferred on the instance, as ``defer()`` does)."""
    qn = connection.ops.quote_name
    return [(f, f"{alias}.{qn(f.column)}") for f in model._meta.concrete_fields if f.name not in skip]


# What a booking request never reads of the rows of booking_row: the
# review, verification and ending of the binding, the detainee's particulars,
# the organisations' region and creation time. Fewer columns to send and
# convert; were one read after all, it would cost a query of its own.
_BINDING_UNREAD = (
    "submitted_at",
    "reviewed_at",
    "reviewed_by",
    "return_reason",
    "verified_at",
    "verified_by",
    "created_at",
    "ended_at",
    "ended_by",
    "end_reason",
    "end_note",
)


_DETAINEE_UNREAD = ("gender", "birth_date", "status_changed_at", "transferred_to", "created_at")


_ORGANISATION_UNREAD = ("region_code", "region_name", "created_at")


@lru_cache(maxsize=4)
def _booking_row_sql(vendor: str) -> tuple[str, list]:
    """The statement of :func:`booking_row` and its columns per model,
    built once per process from the models' metadata. One statement in plain
    SQL (both databases): the ORM spent more time building and compiling
    this query than the rest of a refused booking together."""
    qn = connection.ops.quote_name
    parts = [
        (Binding, "b", _columns(Binding, "b", skip=_BINDING_UNREAD)),
        (Detainee, "d", _columns(Detainee, "d", skip=_DETAINEE_UNREAD)),
        (Organisation, "o", _columns(Organisation, "o", skip=_ORGANISATION_UNREAD)),
        (CentreConfig, "c", _columns(CentreConfig, "c")),
        (Organisation, "dc", _columns(Organisation, "dc", skip=_ORGANISATION_UNREAD)),
    ]
    tables = (Binding, Detainee, Organisation, CentreConfig, Room, BookingLock, Booking, Membership)
    t = {m: qn(m._meta.db_table) for m in tables}
    # Table and column names come from the models; every value is a parameter.
    rooms = "(SELECT COUNT(*) FROM {room} r WHERE r.centre_id = o.id AND r.active AND r.kind = %s{only})"
    counts = [rooms.format(room=t[Room], only=" AND r.legal_aid_only" if reserved else "") for reserved in (0, 0, 1, 1)]
    lines = [
        "SELECT " + ", ".join(column for _model, _alias, cols in parts for _field, column in cols) + ",",
        f"EXISTS (SELECT 1 FROM {t[BookingLock]} l WHERE l.lawyer_id = %s AND l.status = %s",  # noqa: S608
        "AND l.starts_on <= %s AND l.ends_on > %s),",
        f"EXISTS (SELECT 1 FROM {t[Booking]} k WHERE k.lawyer_id = %s AND k.idempotency_key = %s",  # noqa: S608
        "AND NOT (k.idempotency_key = '')),",
        f"EXISTS (SELECT 1 FROM {t[Membership]} m INNER JOIN {t[Organisation]} mo ON mo.id = m.organisation_id",  # noqa: S608
        "WHERE m.user_id = %s AND m.role = %s AND m.is_active AND mo.is_active),",
        ", ".join(counts),
        f"FROM {t[Binding]} b INNER JOIN {t[Detainee]} d ON d.id = b.detainee_id",
        f"INNER JOIN {t[Organisation]} dc ON dc.id = d.centre_id",
        # The place of the meeting: the one asked for, or the detainee's centre.
        f"LEFT OUTER JOIN {t[Organisation]} o ON o.id = COALESCE(%s, d.centre_id)",
        f"LEFT OUTER JOIN {t[CentreConfig]} c ON c.organisation_id = o.id",
        "WHERE b.lawyer_id = %s AND b.detainee_id = %s AND b.status = %s ORDER BY b.id LIMIT 1",
    ]
    sql = " ".join(lines)
    models = []
    for model, alias, cols in parts:
        fields = []
        for field, _column in cols:
            col = field.get_col(alias)
            fields.append((field, connection.ops.get_db_converters(col) + field.get_db_converters(connection), col))
        models.append((model, fields))
    return sql, models


def _from_row(model, fields, values):
    converted = []
    for (_field, converters, col), value in zip(fields, values, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f, _c, _col in fields], converted)


def booking_row(lawyer, detainee: Detainee | int, key: str, centre_id: int | None = None) -> Binding | None:
    """Everything a booking request reads before its slots, in one query:
    the active binding with the detainee and its centre, the place of the
    meeting (``place``: the organisation *centre_id*, None if there is no
    such organisation; the detainee's centre without *centre_id*), the
    place's configuration and rooms per kind (``centre_config``, None if
    it has none), whether
    the lawyer is locked out (``locked``), practises as a lawyer in an
    active organisation (``practises``) and whether the idempotency *key*
    was used before (``replayed``). None without an active binding."""
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    today = connection.ops.adapt_datefield_value(local_date(timezone.now()))
    sql, models = _booking_row_sql(connection.vendor)
    params = [lawyer.pk, LockStatus.ACTIVE.value, today, today, lawyer.pk, key or "", lawyer.pk, Role.LAWYER.value]
    params += [RoomKind.IN_PERSON.value, RoomKind.VIDEO.value, RoomKind.IN_PERSON.value, RoomKind.VIDEO.value]
    params += [centre_id, lawyer.pk, detainee_id, BindingStatus.ACTIVE.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    objects, i = [], 0
    for model, fields in models:
        values = row[i : i + len(fields)]
        i += len(fields)
        objects.append(None if values[0] is None else _from_row(model, fields, values))
    binding, found, place, config, centre = objects
    locked, replayed, practises, *counts = row[i:]
    found.centre = centre
    binding.detainee = found
    binding.place = place
    binding.locked, binding.replayed, binding.practises = bool(locked), bool(replayed), bool(practises)
    if config is not None:
        config.organisation = place
        for name, count in zip(selectors.ROOM_COUNTS, counts, strict=True):
            setattr(config, name, count)
    binding.centre_config = config
    return binding


def _checked_binding(lawyer, binding: Binding | None) -> Binding:
    """Refuse a locked-out lawyer (the lock is read only then), and a lawyer
    without an active binding to a held detainee."""
    if binding is None or binding.locked:
        lockout.check_not_locked(lawyer)
    if binding is None or binding.detainee.status != DetaineeStatus.HELD:
        raise _not_bound()
    return binding


def check_request(
    *,
    lawyer,
    detainee: Detainee | int,
    day: date,
    starts: Sequence[time],
    room_kind: str,
    binding: Binding | None = None,
    centre: int | None = None,
) -> tuple[Binding, CentreConfig, dict[time, time]]:
    """The checks a booking and a place on the waitlist share: the lawyer
    may book, is bound to the detainee, the day is in the window (with the
    legal-aid priority days for a legal-aid binding) and open, the slots
    exist that day and the centre has rooms of the kind. Returns the binding
    (with the detainee), the centre's configuration and the day's slots
    {start: end}. The window's extra sessions and calendar are read once,
    for the day and for the alternatives of a refusal. *binding* is what
    :func:`booking_row` read already (None: read here, with the lock-out).
    *centre* is the place of the meeting (see :func:`check_place`); the
    configuration returned is the place's."""
    if binding is None:
        binding = _with_lock(_bindings(lawyer, detainee), lawyer).first()
    binding = _checked_binding(lawyer, binding)
    if room_kind not in ROOM_KINDS:
        raise DomainError("unknown_room_kind", _("会见方式只能是当面会见或视频会见。"))
    place = check_place(binding, centre, room_kind)
    config = getattr(binding, "centre_config", None)
    if config is None or not config.organisation.is_active:
        config = centre_config(place.pk)
    check_window(config, day, legal_aid=binding.legal_aid)
    last = last_day(config, local_date(timezone.now()), legal_aid=binding.legal_aid)
    # The window's extra sessions, closures and holiday tables: one statement.
    calendar = selectors.window_facts(config, day, max(day, last), centre_calendar(config))
    check_open(config, day, calendar)
    slots = dict(selectors.day_slots(config, day))
    unknown = [s for s in starts if s not in slots]
    if unknown:
        raise DomainError(
            "unknown_slot",
            _("%(centre)s %(day)s没有 %(slot)s 开始的时段。可选时段：%(all)s。")
            % {
                "centre": config.organisation.name,
                "day": day.isoformat(),
                "slot": "、".join(map(hhmm, unknown)),
                "all": "、".join(f"{hhmm(s)}-{hhmm(e)}" for s, e in slots.items()),
            },
        )
    if room_capacity(config, room_kind) == 0:
        raise DomainError(
            "no_rooms",
            _("%(centre)s没有可用的%(kind)s室，请选择其他会见方式或机构。")
            % {"centre": config.organisation.name, "kind": RoomKind(room_kind).label},
        )
    return binding, config, slots


def check_place(binding: Binding, centre_id: int | None, room_kind: str) -> Organisation:
    """The place of the meeting for *binding*'s detainee: its centre
    (without *centre_id*), or the organisation *centre_id* if it serves
    the detainee's centre (:func:`selectors.serves`). Only video meetings at
    a video point. Checked after the binding: a lawyer who is not bound
    learns nothing about the detainee from this refusal."""
    centre = binding.detainee.centre
    if "place" in binding.__dict__:
        place = binding.place
    elif centre_id is None or centre_id == centre.pk:
        place = centre
    else:
        place = Organisation.objects.filter(pk=centre_id).first()
    if place is None or not selectors.serves(place, centre):
        raise DomainError(
            "centre_not_serving",
            _("该在押人员羁押在%(centre)s，只能在该看守所或为其服务的远程视频会见点会见。请重新选择会见地点。")
            % {"centre": centre.name},
        )
    if place.kind == OrgKind.VIDEO_POINT and room_kind != RoomKind.VIDEO:
        raise DomainError(
            "video_only",
            _("%(place)s是远程视频会见点，只能预约视频会见。请将会见方式改为视频会见。") % {"place": place.name},
        )
    return place


@lru_cache(maxsize=4)
def _overlap_sql(vendor: str) -> str:
    """The lawyers of the bookings that hold a room at an overlapping time
    for a lawyer or a detainee (see :func:`check_not_busy`), plain SQL built
    once per process as :func:`_claim_sql` is."""

    def col(name: str) -> str:
        return rows.column(Booking, name)

    statuses = ", ".join(["%s"] * len(HOLDING))
    return (
        f"SELECT {col('lawyer')} FROM {connection.ops.quote_name(Booking._meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE ({col('lawyer')} = %s OR {col('detainee')} = %s) AND {col('date')} = %s"
        f" AND {col('start')} < %s AND {col('end')} > %s AND {col('status')} IN ({statuses})"
    )


def check_not_busy(*, lawyer, detainee: Detainee, day: date, start: time, end: time) -> None:
    """Refuse when the lawyer, or else the detainee, already holds a booking
    overlapping *start*–*end* on *day*. One query for both."""
    ops = connection.ops
    params = [lawyer.pk, detainee.pk, ops.adapt_datefield_value(day)]
    params += [ops.adapt_timefield_value(end), ops.adapt_timefield_value(start), *(s.value for s in HOLDING)]
    with connection.cursor() as cursor:
        cursor.execute(_overlap_sql(connection.vendor), params)
        holders = {row[0] for row in cursor.fetchall()}
    if lawyer.pk in holders:
        raise DomainError(
            "lawyer_busy",
            _("您在 %(day)s %(start)s-%(end)s 已有其他会见预约，请选择其他时段或先取消原预约。")
            % {"day": day.isoformat(), "start": hhmm(start), "end": hhmm(end)},
        )
    if holders:
        raise DomainError(
            "detainee_busy",
            _("该在押人员在 %(day)s %(start)s-%(end)s 已有会见安排，请选择其他时段。")
            % {"day": day.isoformat(), "start": hhmm(start), "end": hhmm(end)},
        )


def check_assistant(lawyer, assistant_id: int | None):
    """The assistant named for a booking: an active assistant or lawyer of
    one of the lawyer's firms, not the lawyer. None when none is named."""
    if not assistant_id:
        return None
    assistant = selectors.assistants_for(lawyer).filter(pk=assistant_id).first()
    if assistant is None:
        raise DomainError(
            "assistant_not_in_firm",
            _("陪同会见的助理须是您所在律师事务所的律师助理或律师（不能是您本人）。请从列表中选择，或不填写助理。"),
        )
    return assistant


def slot_full_error(
    config: CentreConfig,
    day: date,
    start: time,
    end: time,
    kind: str,
    *,
    legal_aid: bool,
    now=None,
    loads: dict | None = None,
):
    """The refusal for a slot without a room for this booking, with the
    nearest free slots (``details.alternatives``). *loads* are the window's
    slot loads if already read (one query otherwise)."""
    if loads is None:
        last = last_day(config, local_date(now or timezone.now()), legal_aid=legal_aid)
        loads = selectors.loads_between(config.organisation_id, day, max(day, last))
    options = alternatives(config, day, kind, exclude=start, now=now, legal_aid=legal_aid, loads=loads)
    text = "、".join(f"{o['date']} {o['start']}-{o['end']}" for o in options) or _("暂无")
    values = {"day": day.isoformat(), "start": hhmm(start), "end": hhmm(end), "options": text}
    load = loads.get((day, start, kind))
    if not legal_aid and load is not None and load[2] < load[0]:
        message = _(
            "%(day)s %(start)s-%(end)s 剩余的会见室是法律援助案件专用室，您的委托不是法律援助案件，不能预约。"
            "最近的空闲时段：%(options)s。也可以加入候补。"
        )
    else:
        message = _("%(day)s %(start)s-%(end)s 的会见室已约满。最近的空闲时段：%(options)s。也可以加入候补。")
    slot = {"date": day.isoformat(), "start": hhmm(start), "end": hhmm(end), "room_kind": kind}
    return DomainError("slot_full", message % values, details={"alternatives": options, "slot": slot})
