"""One schedule across courts and detention centres (C1, X4).

A lawyer's schedule is every event the registered sources give (meetings,
hearings, the lawyer's own entries) in a time range, each with its
conflicts: another busy event that overlaps it, or that leaves less time
between them than the journey from one place to the other takes
(:func:`travel_minutes`). :func:`conflicts_at` answers the court's
question "what keeps this lawyer from a hearing then?", and
:func:`nearest_free` proposes the nearest times free for everyone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.core.text import clean_text
from lvshi.orgs.permissions import require

from . import feeds
from .models import ScheduleEntry, TravelTime
from .workdays import SHANGHAI, WorkCalendar, local_date

# The longest range one request may ask for.
MAX_RANGE = timedelta(days=92)
# How far from the asked time free times are looked for.
NEAREST_DAYS = 21
# Court hours, in which free times are proposed.
COURT_HOURS = ((time(9, 0), time(12, 0)), (time(14, 0), time(17, 30)))


# --- travel ----------------------------------------------------------------------------------


class Travel:
    """Travel times, read once per use (one query)."""

    def __init__(self) -> None:
        self._pairs = {(t.region_a, t.region_b): t.minutes for t in TravelTime.objects.all()}

    def minutes(self, a: str, b: str) -> int:
        if not a or not b or a == b:
            return 0
        pair = (a, b) if a < b else (b, a)
        if pair in self._pairs:
            return self._pairs[pair]
        if a[:4] == b[:4]:
            return int(settings.TRAVEL_MINUTES_SAME_CITY)
        return int(settings.TRAVEL_MINUTES_OTHER)


def travel_minutes(a: str, b: str) -> int:
    return Travel().minutes(a, b)


# --- the schedule ------------------------------------------------------------------------------


@dataclass
class Item:
    event: feeds.FeedEvent
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    other: feeds.FeedEvent
    kind: str  # "overlap" | "travel"
    travel: int = 0  # minutes needed

    @property
    def text(self) -> str:
        if self.kind == "overlap":
            return _("与“%(s)s”时间重叠") % {"s": self.other.summary}
        return _("与“%(s)s”之间路程约需%(m)d分钟，时间不足") % {"s": self.other.summary, "m": self.travel}


def _clash(a: feeds.FeedEvent, b: feeds.FeedEvent, travel: Travel) -> Conflict | None:
    if not (a.busy and b.busy) or feeds.CANCELLED in (a.status, b.status):
        return None
    if a.start < b.end and b.start < a.end:
        return Conflict(b, "overlap")
    need = travel.minutes(a.place, b.place)
    gap = (b.start - a.end) if a.end <= b.start else (a.start - b.end)
    if need and gap < timedelta(minutes=need):
        return Conflict(b, "travel", need)
    return None


def _window(start: datetime) -> feeds.Window:
    now = timezone.now()
    return feeds.Window(now=now, since=local_date(start) - timedelta(days=1), cancelled_since=now)


def events_between(user, start: datetime, end: datetime) -> list[feeds.FeedEvent]:
    """Every standing event of *user* touching [start, end), one query per source."""
    w = _window(start)
    found = [
        e
        for _name, source in sorted(feeds.sources().items())
        for e in source(user, w)
        if e.status != feeds.CANCELLED and e.start < end and e.end > start
    ]
    return sorted(found, key=lambda e: (e.start, e.uid))


def check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        raise DomainError("range_invalid", _("结束时间应晚于开始时间。"))
    if end - start > MAX_RANGE:
        raise DomainError("range_too_long", _("一次最多查询92天的日程，请缩小时间范围。"))


def schedule_items(user, start: datetime, end: datetime) -> list[Item]:
    """The schedule from *start* to *end*, each item with its conflicts
    (travel looked at up to a day around the range)."""
    check_range(start, end)
    margin = timedelta(hours=12)
    events = events_between(user, start - margin, end + margin)
    travel = Travel()
    items = [Item(e) for e in events if e.start < end and e.end > start]
    for item in items:
        for other in events:
            if other.uid != item.event.uid and (found := _clash(item.event, other, travel)):
                item.conflicts.append(found)
    return items


def conflicts_among(events: Sequence[feeds.FeedEvent]) -> dict[str, list[Conflict]]:
    """Each event's conflicts with the others of *events* (by uid)."""
    travel = Travel()
    ordered = sorted(events, key=lambda e: e.start)
    found: dict[str, list[Conflict]] = {}
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start - a.end > timedelta(hours=12):
                break
            if (c := _clash(a, b, travel)) is not None:
                found.setdefault(a.uid, []).append(c)
                found.setdefault(b.uid, []).append(_clash(b, a, travel) or c)
    return found


def entry_id_of(uid: str) -> int | None:
    """The entry's id when *uid* is one of the lawyer's own entries."""
    if uid.startswith("entry-") and uid.endswith("@calendar.lvshi"):
        number = uid[len("entry-") : -len("@calendar.lvshi")]
        return int(number) if number.isdigit() else None
    return None


def conflicts_at(
    user, start: datetime, end: datetime, *, place: str = "", ignore: Iterable[str] = (), travel: Travel | None = None
) -> list[Conflict]:
    """What keeps *user* from being at *place* from *start* to *end*: busy
    events overlapping it or too close to it to travel. *ignore* names
    event uids to leave out (the hearing being moved)."""
    travel = travel or Travel()
    candidate = feeds.FeedEvent(uid="candidate", summary="", start=start, end=end, place=place)
    skip = set(ignore)
    margin = timedelta(minutes=max(int(settings.TRAVEL_MINUTES_OTHER), 60))
    return [
        c
        for e in events_between(user, start - margin, end + margin)
        if e.uid not in skip and (c := _clash(candidate, e, travel)) is not None
    ]


def court_slots(day: date, duration: timedelta) -> Iterable[datetime]:
    """The half-hour starts on *day* where *duration* fits in court hours."""
    for opens, closes in COURT_HOURS:
        at = datetime.combine(day, opens, tzinfo=SHANGHAI)
        last = datetime.combine(day, closes, tzinfo=SHANGHAI) - duration
        while at <= last:
            yield at
            at += timedelta(minutes=30)


def nearest_free(
    users: Sequence,
    *,
    around: datetime,
    duration: timedelta,
    place: str = "",
    also_free: Callable[[datetime, datetime], bool] = lambda s, e: True,
    ignore: Iterable[str] = (),
    count: int = 3,
    days: int = NEAREST_DAYS,
    organisation=None,
) -> list[datetime]:
    """Up to *count* starts, on working days in court hours, nearest to
    *around* (later first on a tie) and not before tomorrow, when every
    one of *users* is free (travel included) and *also_free* agrees (a room,
    a judge)."""
    travel = Travel()
    first = max(local_date(around) - timedelta(days=days), local_date(timezone.now()) + timedelta(days=1))
    last = local_date(around) + timedelta(days=days)
    margin = timedelta(minutes=max(int(settings.TRAVEL_MINUTES_OTHER), 60))
    lo = datetime.combine(first, time.min, tzinfo=SHANGHAI)
    hi = datetime.combine(last + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    skip = set(ignore)
    busy = {u.pk: [e for e in events_between(u, lo - margin, hi + margin) if e.uid not in skip] for u in users}
    candidates = []
    days_off = WorkCalendar(organisation).prepare(first, last)  # one read for the whole range
    day = first
    while day <= last:
        if days_off.is_working_day(day):
            candidates += list(court_slots(day, duration))
        day += timedelta(days=1)
    candidates.sort(key=lambda s: (abs(s - around), s < around))
    found: list[datetime] = []
    for s in candidates:
        e = s + duration
        probe = feeds.FeedEvent(uid="candidate", summary="", start=s, end=e, place=place)
        if all(_clash(probe, ev, travel) is None for evs in busy.values() for ev in evs) and also_free(s, e):
            found.append(s)
            if len(found) == count:
                break
    return sorted(found)


# --- the lawyer's own entries ------------------------------------------------------------------


def _entry_values(start, end, text, can_attend, region_code) -> dict:
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise DomainError("time_required", _("请填写开始和结束时间。"))
    if timezone.is_naive(start) or timezone.is_naive(end):
        start, end = start.replace(tzinfo=SHANGHAI), end.replace(tzinfo=SHANGHAI)
    if end <= start:
        raise DomainError("range_invalid", _("结束时间应晚于开始时间。"))
    if end - start > timedelta(days=31):
        raise DomainError("range_too_long", _("一条日程最长31天，较长的安排请分段登记。"))
    region = (region_code or "").strip()
    if region and not (len(region) == 6 and region.isdigit()):
        raise DomainError("region_invalid", _("地区代码应为6位数字，如 500103。"))
    text = clean_text(text, field=(ScheduleEntry, "text"), required=_("请填写事项，如“外地出差”。"))
    return {"start": start, "end": end, "text": text, "can_attend": bool(can_attend), "region_code": region}


def entry_create(
    *, actor: Actor, start, end, text: str, can_attend: bool = False, region_code: str = ""
) -> ScheduleEntry:
    require(actor.user, "calendar.view_schedule")
    values = _entry_values(start, end, text, can_attend, region_code)
    with transaction.atomic():
        entry = ScheduleEntry.objects.create(lawyer=actor.user, **values)
        audit_record(action="calendar.entry_create", actor=actor, obj=entry)
    return entry


def _own(entry: ScheduleEntry, actor: Actor) -> None:
    """Only the lawyer whose entry it is changes it."""
    if actor.user is None or entry.lawyer_id != actor.user.pk:
        raise PermissionDenied(message=_("只能修改自己登记的日程。"))


def entry_update(
    *, entry: ScheduleEntry, actor: Actor, start, end, text: str, can_attend: bool, region_code: str = ""
) -> ScheduleEntry:
    _own(entry, actor)
    values = _entry_values(start, end, text, can_attend, region_code)
    with transaction.atomic():
        for k, v in values.items():
            setattr(entry, k, v)
        entry.save()
        audit_record(action="calendar.entry_update", actor=actor, obj=entry)
    return entry


def entry_delete(*, entry: ScheduleEntry, actor: Actor) -> None:
    _own(entry, actor)
    with transaction.atomic():
        audit_record(action="calendar.entry_delete", actor=actor, obj=entry)
        entry.delete()


def entry_uid(entry: ScheduleEntry) -> str:
    return f"entry-{entry.pk}@calendar.lvshi"


def entry_events(user, window: feeds.Window):
    qs = ScheduleEntry.objects.filter(lawyer=user).filter(
        Q(end__gte=datetime.combine(window.since, time.min, tzinfo=SHANGHAI))
    )
    for e in qs.order_by("start", "pk"):
        yield feeds.FeedEvent(
            uid=entry_uid(e),
            summary=e.text,
            start=e.start,
            end=e.end,
            description=_("可以出庭") if e.can_attend else _("不能出庭"),
            modified=e.created_at,
            place=e.region_code,
            busy=not e.can_attend,
            public_summary=_("律师不能出庭：%(t)s") % {"t": e.text} if not e.can_attend else e.text,
        )


feeds.register_source("entries", entry_events)
