"""The checks of a booking request, shared by a booking and a place on the
waitlist: the lawyer is bound to a held detainee and not locked out, the
place serves the detainee's centre, the day is in the window and open,
the slots exist, the lawyer and the detainee are free then, the assistant
belongs to the firm. Every refusal is a DomainError; nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, time
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Exists
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.calendar.workdays import local_date
from lvshi.core import rows
from lvshi.core.errors import DomainError
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role

from .. import selectors
from ..capacity import Loads, room_capacity, rooms_of
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
    RoomKind,
)
from ..selectors import lockout
from ..selectors.window import alternatives, centre_calendar, centre_config, check_open, check_window, hhmm, last_day

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

    from django.db.models import Model, QuerySet

    from lvshi.accounts.models import User


def _not_bound() -> DomainError:
    return DomainError(
        "not_bound",
        _("您与该在押人员没有有效的委托关系，不能预约会见。请先在“委托关系”中提交委托材料，核验通过后再预约。"),
    )


def _bindings(lawyer: User, detainee: Detainee | int) -> QuerySet[Binding]:
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    return Binding.objects.filter(lawyer=lawyer, detainee_id=detainee_id, status=BindingStatus.ACTIVE).select_related(
        "detainee", "detainee__centre"
    )


def active_binding(lawyer: User, detainee: Detainee | int) -> Binding:
    """The lawyer's active binding to *detainee* (or its id), with the
    detainee and the centre; refused unless the detainee is held."""
    binding = _bindings(lawyer, detainee).first()
    if binding is None or binding.detainee.status != DetaineeStatus.HELD:
        raise _not_bound()
    return binding


def _with_lock(qs: QuerySet[Binding], lawyer: User) -> QuerySet[Any]:
    today = local_date(timezone.now())
    locks = BookingLock.objects.filter(lockout.in_force(today), lawyer=lawyer)
    return qs.annotate(locked=Exists(locks))


def _columns(model: type[Model], alias: str, *, skip: tuple[str, ...] = ()) -> list[tuple]:
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


# Markers for the values of a call in the statements compiled from the ORM
# (rows.Statement): no real row has them.
_LAWYER, _TODAY, _KEY = -1_000_001, date(1001, 1, 1), "\x01marker"


@dataclass(frozen=True)
class _RowSQL:
    sql: str
    models: list
    lock: rows.Statement
    replay: rows.Statement
    practises: rows.Statement
    rooms: list[rows.Statement]

    def params(self, *, lawyer_id: int, today: date, key: str, centre_id: int | None, detainee_id: int) -> list:
        params = self.lock.params(lawyer=lawyer_id, today=today)
        params += self.replay.params(lawyer=lawyer_id, key=key)
        params += self.practises.params(lawyer=lawyer_id)
        for rooms in self.rooms:
            params += rooms.params()
        return [*params, centre_id, lawyer_id, detainee_id, BindingStatus.ACTIVE.value]


@lru_cache(maxsize=4)
def _booking_row_sql(vendor: str) -> _RowSQL:
    """The statement of :func:`booking_row` and its columns per model,
    built once per process: one statement in plain SQL (both databases),
    since the ORM spent more time building and compiling this query than
    the rest of a refused booking together. Its conditions are the ORM's
    own, compiled once: the lock in force (:func:`lockout.in_force`), the
    rooms of a slot (:func:`capacity.rooms_of`), a replayed key, a
    practising lawyer; the joins name their columns through the models."""
    parts = [
        (Binding, "b", _columns(Binding, "b", skip=_BINDING_UNREAD)),
        (Detainee, "d", _columns(Detainee, "d", skip=_DETAINEE_UNREAD)),
        (Organisation, "o", _columns(Organisation, "o", skip=_ORGANISATION_UNREAD)),
        (CentreConfig, "c", _columns(CentreConfig, "c")),
        (Organisation, "dc", _columns(Organisation, "dc", skip=_ORGANISATION_UNREAD)),
    ]
    lock = rows.Statement(
        BookingLock.objects.filter(lockout.in_force(_TODAY), lawyer_id=_LAWYER).values("pk"),
        lawyer=_LAWYER,
        today=_TODAY,
    )
    replay = rows.Statement(
        Booking.objects.filter(lawyer_id=_LAWYER, idempotency_key=_KEY).exclude(idempotency_key="").values("pk"),
        lawyer=_LAWYER,
        key=_KEY,
    )
    practises = rows.Statement(
        Membership.objects.filter(
            user_id=_LAWYER, role=Role.LAWYER, is_active=True, organisation__is_active=True
        ).values("pk"),
        lawyer=_LAWYER,
    )
    place = RawSQL(rows.col(Organisation, "id", "o"), [])  # noqa: S611 - a column named by the model
    rooms = [
        rows.Statement(rooms_of(place, kind, reserved=reserved).values("pk"))
        for kind, reserved in selectors.ROOM_COUNTS.values()
    ]
    B, D = partial(rows.col, Binding, alias="b"), partial(rows.col, Detainee, alias="d")
    P, DC = partial(rows.col, Organisation, alias="o"), partial(rows.col, Organisation, alias="dc")
    C = partial(rows.col, CentreConfig, alias="c")
    # Table and column names come from the models; every value is a parameter.
    lines = [
        "SELECT " + ", ".join(column for _model, _alias, cols in parts for _field, column in cols) + ",",
        f"EXISTS ({lock.sql}), EXISTS ({replay.sql}), EXISTS ({practises.sql}),",
        ", ".join(f"(SELECT COUNT(*) FROM ({r.sql}) rc)" for r in rooms),  # noqa: S608 - compiled by the ORM
        f"FROM {rows.table(Binding)} b INNER JOIN {rows.table(Detainee)} d ON {D('id')} = {B('detainee')}",
        f"INNER JOIN {rows.table(Organisation)} dc ON {DC('id')} = {D('centre')}",
        # The place of the meeting: the one asked for, or the detainee's centre.
        f"LEFT OUTER JOIN {rows.table(Organisation)} o ON {P('id')} = COALESCE(%s, {D('centre')})",
        f"LEFT OUTER JOIN {rows.table(CentreConfig)} c ON {C('organisation')} = {P('id')}",
        f"WHERE {B('lawyer')} = %s AND {B('detainee')} = %s AND {B('status')} = %s ORDER BY {B('id')} LIMIT 1",
    ]
    models = []
    for model, alias, cols in parts:
        fields = []
        for field, _column in cols:
            col = field.get_col(alias)
            fields.append((field, connection.ops.get_db_converters(col) + field.get_db_converters(connection), col))
        models.append((model, fields))
    return _RowSQL(" ".join(lines), models, lock, replay, practises, rooms)


def _from_row(model: type[Model], fields: Any, values: Any) -> Any:
    converted = []
    for (_field, converters, col), value in zip(fields, values, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f, _c, _col in fields], converted)


@dataclass
class BookingRequest:
    """What one booking request has read, travelling from check to write.

    :func:`booking_row` fills the first part from its one statement: the
    active *binding* (with its detainee and the detainee's centre), the
    *place* of the meeting (None: no such organisation) and its *config*
    with room counts (None: it takes no bookings), whether the lawyer is
    *locked* out, *practises* as a lawyer of an active organisation, and
    whether the idempotency key was *replayed*. :func:`check_request` adds
    the configuration booked against, the day's *slots* {start: end}, the
    last day of the window and the window's slot *loads*."""

    binding: Binding | None
    place: Organisation | None = None
    place_read: bool = False
    config: CentreConfig | None = None
    locked: bool = False
    practises: bool = False
    replayed: bool = False
    slots: dict[time, time] = dataclass_field(default_factory=dict)
    last_day: date | None = None
    loads: Loads = dataclass_field(default_factory=dict)

    @property
    def checked_binding(self) -> Binding:
        if self.binding is None:
            raise _not_bound()
        return self.binding

    @property
    def checked_config(self) -> CentreConfig:
        if self.config is None:
            raise ValueError("check_request has not run")
        return self.config


def booking_row(
    lawyer: User, detainee: Detainee | int, key: str, centre_id: int | None = None
) -> BookingRequest | None:
    """Everything a booking request reads before its slots, in one query
    (see :class:`BookingRequest`). None without an active binding."""
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    statement = _booking_row_sql(connection.vendor)
    models = statement.models
    params = statement.params(
        lawyer_id=lawyer.pk,
        today=local_date(timezone.now()),
        key=key or "",
        centre_id=centre_id,
        detainee_id=detainee_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    objects, i = [], 0
    for model, fields in models:
        values = row[i : i + len(fields)]
        i += len(fields)
        objects.append(None if values[0] is None else _from_row(model, fields, values))
    binding, found, place, config, centre = objects
    assert binding is not None and found is not None  # an inner join of the row
    locked, replayed, practises, *counts = row[i:]
    found.centre = centre
    binding.detainee = found
    if config is not None:
        config.organisation = place
        (config.in_person_rooms, config.video_rooms, config.in_person_reserved, config.video_reserved) = counts
        # (in the order of selectors.ROOM_COUNTS)
    return BookingRequest(
        binding=binding,
        place=place,
        place_read=True,
        config=config,
        locked=bool(locked),
        replayed=bool(replayed),
        practises=bool(practises),
    )


def _checked_binding(lawyer: User, binding: Binding | None, *, locked: bool) -> Binding:
    """Refuse a locked-out lawyer (the lock is read only then), and a lawyer
    without an active binding to a held detainee."""
    if binding is None or locked:
        lockout.check_not_locked(lawyer)
    if binding is None or binding.detainee.status != DetaineeStatus.HELD:
        raise _not_bound()
    return binding


def check_request(
    *,
    lawyer: User,
    detainee: Detainee | int,
    day: date,
    starts: Sequence[time],
    room_kind: str,
    request: BookingRequest | None = None,
    centre: int | None = None,
) -> BookingRequest:
    """The checks a booking and a place on the waitlist share: the lawyer
    may book, is bound to the detainee, the day is in the window (with the
    legal-aid priority days for a legal-aid binding) and open, the slots
    exist that day and the centre has rooms of the kind. Returns the
    request with the checked binding (and its detainee), the configuration
    of the place, the day's slots and the window's loads. The window's extra
    sessions, calendar and loads are read once, for the day and for the
    alternatives of a refusal. *request* is what :func:`booking_row` read
    already (None: read here, with the lock-out). *centre* is the place of
    the meeting (see :func:`check_place`)."""
    if request is None:
        binding = _with_lock(_bindings(lawyer, detainee), lawyer).first()
        request = BookingRequest(binding=binding, locked=bool(binding is not None and binding.locked))
    binding = _checked_binding(lawyer, request.binding, locked=request.locked)
    if room_kind not in ROOM_KINDS:
        raise DomainError("unknown_room_kind", _("会见方式只能是当面会见或视频会见。"))
    place = check_place(binding, centre, room_kind, request=request)
    config = request.config
    if config is None or not config.organisation.is_active:
        config = centre_config(place.pk)
    check_window(config, day, legal_aid=binding.legal_aid)
    last = last_day(config, local_date(timezone.now()), legal_aid=binding.legal_aid)
    # The window's extra sessions, closures, holiday tables and loads: one statement.
    calendar, loads = selectors.window_facts(config, day, max(day, last), centre_calendar(config))
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
    request.binding, request.config, request.slots = binding, config, slots
    request.last_day, request.loads = max(day, last), loads
    return request


def check_place(
    binding: Binding, centre_id: int | None, room_kind: str, *, request: BookingRequest | None = None
) -> Organisation:
    """The place of the meeting for *binding*'s detainee: its centre
    (without *centre_id*), or the organisation *centre_id* if it serves
    the detainee's centre (:func:`selectors.serves`). Only video meetings at
    a video point. Checked after the binding: a lawyer who is not bound
    learns nothing about the detainee from this refusal."""
    centre = binding.detainee.centre
    place: Organisation | None
    if request is not None and request.place_read:
        place = request.place
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


def check_not_busy(*, lawyer: User, detainee: Detainee, day: date, start: time, end: time) -> None:
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


def check_assistant(lawyer: User, assistant_id: int | None) -> User | None:
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
    now: datetime | None = None,
    loads: Loads | None = None,
) -> DomainError:
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
