"""Writes for meetings: bindings and bookings.

Every refusal is a :class:`~lvshi.core.errors.DomainError` with a stable
code and a Chinese message that says what to do; nothing is changed then.
Capacity is taken with a conditional update of the slot's load row inside the
booking's transaction, so the database refuses an overbooking even when two
requests pass the checks at the same moment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.diff import snapshot
from lvshi.audit.services import audit_record
from lvshi.calendar.models import DayKind
from lvshi.calendar.workdays import SHANGHAI, WorkCalendar, local_date
from lvshi.core import rows
from lvshi.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from lvshi.notify.services import notify_user
from lvshi.orgs import scope
from lvshi.orgs.models import Membership, Organisation, OrgKind, Role

from . import flows, selectors
from .checkin import check_not_locked
from .models import (
    HOLDING,
    ROOM_KINDS,
    Binding,
    BindingStatus,
    Booking,
    BookingLock,
    BookingStatus,
    CentreConfig,
    Detainee,
    DetaineeStatus,
    LockStatus,
    Room,
    RoomKind,
    SlotLoad,
)

CANCEL_DEADLINE_HOUR = 18
ALTERNATIVES = 3

# --- booking rules ----------------------------------------------------------------


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def centre_config(centre_id: int) -> CentreConfig:
    config = selectors.config_with_rooms(centre_id)
    if config is None or not config.organisation.is_active:
        raise DomainError("centre_not_open", _("该机构尚未开通网上预约会见，请电话联系该机构。"))
    return config


def last_day(config: CentreConfig, today: date, *, legal_aid: bool = False) -> date:
    """The last bookable day: ``latest_days`` ahead, and for legal-aid cases
    ``legal_aid_priority_days`` more."""
    return today + timedelta(days=config.latest_days + (config.legal_aid_priority_days if legal_aid else 0))


def check_window(config: CentreConfig, day: date, *, now: datetime | None = None, legal_aid: bool = False) -> None:
    today = local_date(now or timezone.now())
    first = today + timedelta(days=config.earliest_days)
    last = last_day(config, today, legal_aid=legal_aid)
    if first <= day <= last:
        return
    details = {"earliest": first.isoformat(), "latest": last.isoformat()}
    priority_last = last_day(config, today, legal_aid=True)
    if not legal_aid and last < day <= priority_last:
        raise DomainError(
            "legal_aid_priority",
            _(
                "%(first)s至%(last)s的会见只接受法律援助案件的优先预约（可比普通预约多提前%(days)s天）。"
                "您的委托不是法律援助案件，请选择%(ordinary)s或更早的日期。"
            )
            % {
                "first": (last + timedelta(days=1)).isoformat(),
                "last": priority_last.isoformat(),
                "days": config.legal_aid_priority_days,
                "ordinary": last.isoformat(),
            },
            details=details,
        )
    if legal_aid and config.legal_aid_priority_days:
        message = _(
            "%(centre)s可预约%(first)s至%(last)s的会见（提前%(a)s至%(b)s天，法律援助案件优先%(p)s天），"
            "请在此范围内选择日期。"
        )
    else:
        message = _("%(centre)s可预约%(first)s至%(last)s的会见（提前%(a)s至%(b)s天），请在此范围内选择日期。")
    raise DomainError(
        "outside_window",
        message
        % {
            "centre": config.organisation.name,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "a": config.earliest_days,
            "b": (last - today).days,
            "p": config.legal_aid_priority_days,
        },
        details=details,
    )


def centre_calendar(config: CentreConfig) -> WorkCalendar:
    """The centre's calendar, one per configuration object: a booking
    request loads the holidays and closures of its window once and every
    day it looks at (the day asked for, the alternatives) reads from it."""
    calendar = config.__dict__.get("_calendar")
    if calendar is None:
        calendar = config.__dict__["_calendar"] = WorkCalendar(config.organisation)
    return calendar


def day_open(config: CentreConfig, day: date, calendar: WorkCalendar | None = None) -> tuple[bool, str]:
    """Whether the centre receives lawyers on *day*, and why not. Make-up
    working days are open; Saturdays only where the centre opens them; a
    weekend day with an extra session (加开场次) opens for it. Holidays and
    closures stay closed even with an extra session."""
    info = (calendar or WorkCalendar(config.organisation)).day_info(day)
    if info.working:
        return True, ""
    if info.kind == DayKind.WEEKEND and day.weekday() == 5 and config.saturday_open:
        return True, ""
    if info.kind == DayKind.WEEKEND and selectors.extra_sessions(config, day):
        return True, ""
    if info.kind == DayKind.CLOSURE:
        return False, _("%(day)s %(centre)s停止会见（%(note)s）。") % {
            "day": day.isoformat(),
            "centre": info.closed_by or config.organisation.name,
            "note": info.name or info.note or info.kind_label,
        }
    if info.kind == DayKind.HOLIDAY:
        return False, _("%(day)s是法定节假日（%(name)s），不安排会见。") % {
            "day": day.isoformat(),
            "name": info.name or info.kind_label,
        }
    return False, _("%(day)s是休息日，不安排会见。") % {"day": day.isoformat()}


def check_open(config: CentreConfig, day: date, calendar: WorkCalendar | None = None) -> None:
    is_open, why = day_open(config, day, calendar)
    if not is_open:
        raise DomainError("closed_day", why + _("请选择其他工作日。"))


def free_for(slot: dict, *, legal_aid: bool) -> int:
    """The rooms of an availability row a booking may take."""
    return slot["free_legal_aid"] if legal_aid else slot["free"]


def alternatives(
    config: CentreConfig,
    day: date,
    kind: str,
    *,
    exclude: time | None = None,
    now=None,
    legal_aid: bool = False,
    loads: dict | None = None,
) -> list[dict]:
    """The nearest free slots: later and earlier slots of the same day first,
    then the following open days of the booking window. A few queries
    whatever the window: its extra sessions, calendar and slot loads (or
    *loads* from :func:`selectors.loads_between`) are read once."""
    today = local_date(now or timezone.now())
    last = last_day(config, today, legal_aid=legal_aid)
    if day > last:
        return []
    selectors.extras_between(config, day, last)
    calendar = centre_calendar(config).prepare(day, last)
    if loads is None:
        loads = selectors.loads_between(config.organisation_id, day, last)
    found: list[dict] = []
    d = day
    while d <= last and len(found) < ALTERNATIVES:
        if d == day or day_open(config, d, calendar)[0]:
            free = [
                s
                for s in selectors.availability(config.organisation_id, d, config=config, loads=loads)
                if s["kind"] == kind
                and free_for(s, legal_aid=legal_aid) > 0
                and not (d == day and s["start"] == exclude)
            ]
            if d == day and exclude is not None:
                free.sort(key=lambda s: abs(datetime.combine(d, s["start"]) - datetime.combine(d, exclude)))
            found += [{"date": d.isoformat(), "start": _hhmm(s["start"]), "end": _hhmm(s["end"])} for s in free]
        d += timedelta(days=1)
    return found[:ALTERNATIVES]


def _load(centre_id: int, day: date, start: time, kind: str):
    return SlotLoad.objects.filter(centre_id=centre_id, date=day, start=start, room_kind=kind)


@lru_cache(maxsize=4)
def _claim_sql(vendor: str) -> dict[bool, str]:
    """The conditional updates of :func:`claim_room` for a legal-aid booking
    (True) and any other (False), plain SQL built once per process from the
    model's metadata: on the booking path the ORM's compiling of an update
    cost more than running it. Every value is a parameter."""

    def col(name: str) -> str:
        return rows.column(SlotLoad, name)

    taken, taken_open = col("taken"), col("taken_open")
    table = connection.ops.quote_name(SlotLoad._meta.db_table)
    update = f"UPDATE {table} SET {taken} = {taken} + 1"  # noqa: S608 - names from the model
    where = (
        f"WHERE {col('centre')} = %s AND {col('date')} = %s AND {col('start')} = %s AND {col('room_kind')} = %s"
        f" AND {taken} < {col('capacity')}"
    )
    return {
        True: f"{update} {where}",
        False: (
            f"{update}, {taken_open} = {taken_open} + 1 {where}"
            f" AND {taken_open} < {col('capacity')} - {col('reserved')}"
        ),
    }


def claim_room(centre_id: int, day: date, start: time, kind: str, *, legal_aid: bool) -> bool:
    """Raise the slot's load by one room if the rules allow it; False when not.

    A legal-aid booking may take any free room (``taken < capacity``); any
    other booking only a room that is not reserved for legal aid
    (``taken_open < capacity - reserved`` as well). One conditional update:
    the CHECK constraints keep both limits even if a caller got it wrong."""
    ops = connection.ops
    params = [centre_id, ops.adapt_datefield_value(day), ops.adapt_timefield_value(start), kind]
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection.vendor)[bool(legal_aid)], params)
        return cursor.rowcount == 1


def give_back_room(centre_id: int, day: date, start: time, kind: str, *, legal_aid: bool) -> None:
    """Lower the slot's load by one room taken by a legal-aid booking or not."""
    qs = _load(centre_id, day, start, kind).filter(taken__gt=0)
    if legal_aid:
        qs.update(taken=F("taken") - 1)
    else:
        qs.update(
            taken=F("taken") - 1,
            taken_open=Case(When(taken_open__gt=0, then=F("taken_open") - 1), default=Value(0)),
        )


def ensure_load(config: CentreConfig, day: date, start: time, end: time, kind: str) -> None:
    """Create the slot's load row with the centre's rooms of *kind* (and how
    many of them are for legal aid only) if it does not exist yet."""
    SlotLoad.objects.bulk_create(
        [
            SlotLoad(
                centre_id=config.organisation_id,
                date=day,
                start=start,
                end=end,
                room_kind=kind,
                capacity=selectors.room_capacity(config, kind),
                reserved=selectors.reserved_rooms(config, kind),
            )
        ],
        ignore_conflicts=True,
    )


def _take_room(
    config: CentreConfig, day: date, start: time, end: time, kind: str, legal_aid: bool = False, *, seen: bool = False
) -> bool:
    """Take one room of the slot; False when none is left for this booking.
    The conditional update and the CHECK constraints both keep
    ``taken <= capacity`` and the legal-aid rooms free of other bookings.
    The slot's load row is created first unless the request has *seen* it
    already (load rows are never deleted)."""
    if not seen:
        ensure_load(config, day, start, end, kind)
    return claim_room(config.organisation_id, day, start, kind, legal_aid=legal_aid)


def release_room(booking: Booking, *, now: datetime | None = None):
    """Give back the room *booking* held. Every release goes through here
    (cancellation, rejection, no-show, the detainee leaving), in the
    transaction that changes the booking. When someone waits for the slot,
    the room is held for the first of them instead (see :mod:`.waitlist`);
    returns that waitlist entry, or None."""
    from . import waitlist

    return waitlist.pass_on(
        centre_id=booking.centre_id,
        day=booking.date,
        start=booking.start,
        kind=booking.room_kind,
        legal_aid=booking.legal_aid,
        now=now,
    )


def _request_hash(
    detainee_id: int, day: date, slots: Sequence[time], kind: str, assistant_id=None, centre_id=None
) -> str:
    body = {"detainee": detainee_id, "date": day.isoformat(), "slots": sorted(map(_hhmm, slots)), "kind": kind}
    if assistant_id:
        body["assistant"] = assistant_id
    if centre_id:
        body["centre"] = centre_id
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(lawyer, key: str, request_hash: str) -> list[Booking] | None:
    # The exclude repeats the condition of the partial unique index on the
    # key, so that SQLite uses it too (PostgreSQL proves it by itself).
    earlier = list(
        Booking.objects.filter(lawyer=lawyer, idempotency_key=key)
        .exclude(idempotency_key="")
        .select_related("detainee", "centre", "assistant")
        .order_by("start", "pk")
    )
    if not earlier:
        return None
    if any(b.request_hash != request_hash for b in earlier):
        raise Conflict(
            "idempotency_conflict",
            _("该 Idempotency-Key 已用于另一份预约申请。新的申请请使用新的 Idempotency-Key。"),
            status=409,
        )
    return earlier


def _when(booking: Booking) -> str:
    return f"{booking.date.isoformat()} {_hhmm(booking.start)}-{_hhmm(booking.end)}"


def notify_decision(booking: Booking, kind: str) -> None:
    notify_user(
        booking.lawyer,
        kind=kind,
        context={
            "centre": booking.centre.name,
            "detainee": booking.detainee.name,
            "when": _when(booking),
            "reason": booking.reason or "-",
        },
    )


# --- bookings ----------------------------------------------------------------------


class _SlotTaken(Exception):
    """The guard refused a room of *start*: another request took the last one."""

    def __init__(self, start: time):
        super().__init__(start)
        self.start = start


# A longer key is refused, never cut (two keys alike in their first 80
# characters would otherwise be one).
IDEMPOTENCY_KEY_MAX: int = Booking._meta.get_field("idempotency_key").max_length


def booking_create(
    *,
    lawyer,
    detainee: Detainee | int,
    date: date,
    slot_start: time | Iterable[time],
    room_kind: str = RoomKind.IN_PERSON,
    assistant_id: int | None = None,
    idempotency_key: str | None = None,
    request=None,
    lawyers_only: bool = False,
    centre: Organisation | int | None = None,
) -> list[Booking]:
    """Book one room per chosen slot for *lawyer* to meet *detainee* (the
    detainee or its id) on *date*. With *lawyers_only* (the API), a user
    who is not a practising lawyer of an active organisation is refused
    (403) before anything else.

    *centre* is the place of the meeting (the organisation or its id): by
    default the detainee's centre; or a video point (远程视频会见点) that
    serves that centre (:func:`selectors.serves`), where only video
    meetings are booked and the window, open days, slots, rooms and
    legal-aid rules are the point's own (its ``CentreConfig``).

    *slot_start* is one start time or several (one booking each, all or
    none). *assistant_id* names an assistant (or lawyer) of the lawyer's firm
    who comes along. With an *idempotency_key*, a replay of the same request
    returns the same bookings, and the same key with another request is a 409.

    The checks only read, so they run before the write transaction: a
    refusal (most requests of a crowd) never holds SQLite's write lock, and
    a slot that is already full is refused from one read of the window's
    loads, which also gives the alternatives. Only a request that may
    succeed opens the transaction, where the conditional update of the
    slot's load (:func:`claim_room`) decides; a slot that looked free but
    was taken meanwhile is refused there."""
    starts = [slot_start] if isinstance(slot_start, time) else sorted(set(slot_start))
    if not starts:
        raise DomainError("unknown_slot", _("请至少选择一个时段。"))
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise DomainError(
            "invalid_idempotency_key",
            _("Idempotency-Key 最长 %(n)d 个字符，请换一个较短的键（如 UUID）。") % {"n": IDEMPOTENCY_KEY_MAX},
            status=422,
        )
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    request_hash = _request_hash(detainee_id, date, starts, room_kind, assistant_id, centre_id) if key else ""
    row = _booking_row(lawyer, detainee, key, centre_id)
    if lawyers_only and not (row is not None and row.practises) and not scope.has_role(lawyer, Role.LAWYER):
        raise PermissionDenied(message=_("只有执业律师可以预约会见。"))
    if key and (row is None or row.replayed):
        earlier = _replay(lawyer, key, request_hash)
        if earlier is not None:
            return earlier
    binding, config, slots = check_request(
        lawyer=lawyer, detainee=detainee, day=date, starts=starts, room_kind=room_kind, binding=row, centre=centre_id
    )
    assistant = check_assistant(lawyer, assistant_id)
    legal_aid = binding.legal_aid
    now = timezone.now()
    loads = selectors.window_loads(config, date, max(date, last_day(config, local_date(now), legal_aid=legal_aid)))
    for start in starts:
        if free_rooms(config, loads, date, start, room_kind, legal_aid=legal_aid) <= 0:
            raise slot_full_error(
                config, date, start, slots[start], room_kind, legal_aid=legal_aid, now=now, loads=loads
            )
    try:
        return _booking_create(
            lawyer=lawyer,
            binding=binding,
            config=config,
            day=date,
            slots={start: slots[start] for start in starts},
            room_kind=room_kind,
            assistant=assistant,
            key=key,
            request_hash=request_hash,
            request=request,
            now=now,
            loads=loads,
        )
    except _SlotTaken as lost:
        raise slot_full_error(
            config, date, lost.start, slots[lost.start], room_kind, legal_aid=legal_aid, now=now
        ) from None
    except IntegrityError:
        # A concurrent request with the same key, or for the same lawyer or
        # detainee at the same time, committed first.
        if key:
            earlier = _replay(lawyer, key, request_hash)
            if earlier is not None:
                return earlier
        raise Conflict(
            "booking_conflict", _("该时段刚刚被您或该在押人员的其他预约占用，请刷新后重新选择。"), status=409
        ) from None


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
    locks = BookingLock.objects.filter(lawyer=lawyer, status=LockStatus.ACTIVE, starts_on__lte=today, ends_on__gt=today)
    return qs.annotate(locked=Exists(locks))


def _columns(model, alias: str, *, skip: tuple[str, ...] = ()) -> list[tuple]:
    """(field, "alias"."column") for the concrete fields of *model*, those
    named in *skip* left out (deferred on the instance, as ``defer()`` does)."""
    qn = connection.ops.quote_name
    return [(f, f"{alias}.{qn(f.column)}") for f in model._meta.concrete_fields if f.name not in skip]


# What a booking request never reads of the rows of _booking_row: the
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
    """The statement of :func:`_booking_row` and its columns per model,
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


def _booking_row(lawyer, detainee: Detainee | int, key: str, centre_id: int | None = None) -> Binding | None:
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
        check_not_locked(lawyer)
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
    :func:`_booking_row` read already (None: read here, with the lock-out).
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
                "slot": "、".join(map(_hhmm, unknown)),
                "all": "、".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in slots.items()),
            },
        )
    if selectors.room_capacity(config, room_kind) == 0:
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
            % {"day": day.isoformat(), "start": _hhmm(start), "end": _hhmm(end)},
        )
    if holders:
        raise DomainError(
            "detainee_busy",
            _("该在押人员在 %(day)s %(start)s-%(end)s 已有会见安排，请选择其他时段。")
            % {"day": day.isoformat(), "start": _hhmm(start), "end": _hhmm(end)},
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


def free_rooms(config: CentreConfig, loads: dict, day: date, start: time, kind: str, *, legal_aid: bool) -> int:
    """The rooms of a slot a booking may take, as *loads* (from
    :func:`selectors.loads_between`) saw them; a slot without a load row has
    all the centre's rooms of *kind* free. Only a hint: the conditional
    update of :func:`claim_room` decides."""
    load = loads.get((day, start, kind))
    capacity, reserved, taken, taken_open = load or (
        selectors.room_capacity(config, kind),
        selectors.reserved_rooms(config, kind),
        0,
        0,
    )
    if legal_aid:
        return capacity - taken
    return min(capacity - taken, capacity - reserved - taken_open)


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
    values = {"day": day.isoformat(), "start": _hhmm(start), "end": _hhmm(end), "options": text}
    load = loads.get((day, start, kind))
    if not legal_aid and load is not None and load[2] < load[0]:
        message = _(
            "%(day)s %(start)s-%(end)s 剩余的会见室是法律援助案件专用室，您的委托不是法律援助案件，不能预约。"
            "最近的空闲时段：%(options)s。也可以加入候补。"
        )
    else:
        message = _("%(day)s %(start)s-%(end)s 的会见室已约满。最近的空闲时段：%(options)s。也可以加入候补。")
    slot = {"date": day.isoformat(), "start": _hhmm(start), "end": _hhmm(end), "room_kind": kind}
    return DomainError("slot_full", message % values, details={"alternatives": options, "slot": slot})


# Set from rows the request has just read: their existence is not checked
# again (the foreign keys of the table still are).
_READ_FOREIGN_KEYS = ["lawyer", "detainee", "centre", "assistant"]


def settle(booking: Booking, config: CentreConfig, now: datetime, *, exclude: Sequence[str] = ()) -> None:
    """Status as the centre's auto-approval says; validate and save."""
    if config.auto_approve:
        booking.status = BookingStatus.APPROVED
        booking.decided_at = now
    booking.full_clean(exclude=list(exclude), validate_constraints=False)
    booking.save()


@transaction.atomic
def _booking_create(
    *, lawyer, binding, config, day, slots, room_kind, assistant, key, request_hash, request, now, loads
) -> list[Booking]:
    """The writes of :func:`booking_create`, in one transaction: per slot,
    the lawyer and the detainee are free then, a room is taken (or
    :class:`_SlotTaken`, which undoes the rooms taken before it), the booking
    is saved and audited. The slot's load row is locked before the audit
    chain's head, as in every transaction that touches both."""
    detainee = binding.detainee
    created = []
    for start, end in slots.items():
        check_not_busy(lawyer=lawyer, detainee=detainee, day=day, start=start, end=end)
        seen = (day, start, room_kind) in loads
        if not _take_room(config, day, start, end, room_kind, legal_aid=binding.legal_aid, seen=seen):
            raise _SlotTaken(start)
        booking = Booking(
            lawyer=lawyer,
            detainee=detainee,
            centre=config.organisation,
            date=day,
            start=start,
            end=end,
            room_kind=room_kind,
            legal_aid=binding.legal_aid,
            assistant=assistant,
            submitted_at=now,
            idempotency_key=key,
            request_hash=request_hash,
        )
        settle(booking, config, now, exclude=_READ_FOREIGN_KEYS)
        audit_record(
            action="visits.booking_create",
            actor=lawyer,
            request=request,
            obj=booking,
            organisation=config.organisation,
            after=snapshot(
                booking, ["detainee", "date", "start", "end", "room_kind", "status", "legal_aid", "assistant"]
            ),
        )
        if config.auto_approve:
            notify_decision(booking, "booking_approved")
        created.append(booking)
    return created


def cancel_deadline(booking: Booking) -> datetime:
    """18:00 Asia/Shanghai on the day before the meeting."""
    return datetime.combine(booking.date - timedelta(days=1), time(CANCEL_DEADLINE_HOUR), tzinfo=SHANGHAI)


@transaction.atomic
def booking_cancel(*, booking: Booking, actor, request=None) -> Booking:
    """The lawyer cancels, until 18:00 (Asia/Shanghai) on the day before."""
    if booking.lawyer_id != actor.pk:
        raise NotFound()
    deadline = cancel_deadline(booking)
    if timezone.now() >= deadline:
        raise DomainError(
            "cancel_too_late",
            _(
                "会见前一日18:00后不能在网上取消预约（本次截止时间为 %(deadline)s）。"
                "如确实无法到场，请电话联系%(centre)s。"
            )
            % {"deadline": deadline.strftime("%Y-%m-%d %H:%M"), "centre": booking.centre.name},
        )
    flows.BOOKING.apply(booking, "cancel", actor=actor, request=request, values={"cancelled_at": timezone.now()})
    release_room(booking)
    return booking


def booking_withdraw(*, booking: Booking, actor, reason: str, now: datetime, request=None) -> bool:
    """Cancel a booking still ahead because its binding ended or its detainee
    left, and give back its room. False when it was decided, cancelled or
    checked in meanwhile (nothing changed). Call inside a transaction."""
    try:
        flows.BOOKING.apply(
            booking,
            "withdraw",
            actor=actor,
            request=request,
            values={"reason": reason[:300], "cancelled_at": now},
            fields=["reason"],
        )
    except Conflict:
        return False
    release_room(booking, now=now)
    return True


@transaction.atomic
def booking_approve(*, booking: Booking, actor, request=None) -> Booking:
    flows.BOOKING.apply(
        booking, "approve", actor=actor, request=request, values={"decided_at": timezone.now(), "decided_by": actor}
    )
    notify_decision(booking, "booking_approved")
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, actor, reason: str, request=None) -> Booking:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请填写不通过的原因，律师将在通知中看到。"))
    flows.BOOKING.apply(
        booking,
        "reject",
        actor=actor,
        request=request,
        reason=reason,
        values={"reason": reason, "decided_at": timezone.now(), "decided_by": actor},
        fields=["reason"],
    )
    release_room(booking)
    notify_decision(booking, "booking_rejected")
    return booking


# Bindings have their own module; these names stay here for existing callers.
from .bindings import binding_create, binding_end  # noqa: E402, F401
