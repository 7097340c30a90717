"""The benchmark's database work: the flash crowd's world (one centre, its
rooms, lawyers with verified accounts, active bindings and API tokens),
resetting and checking the bookings of a run, past bookings in bulk, and the
availability look-up's timing.

Run inside Django (``python -m bench.data <command>``, settings from the
environment like the server's); the functions take no request and write
through the ORM or one ``INSERT … SELECT`` per batch, so 10^6 rows take a
minute or two rather than hours.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time as clock
from datetime import date, time, timedelta

# Lawyers' ID numbers: a fixed region and birth date, a serial in the
# sequence digits and the year's last digits, and the check character.
ID_REGION = "310101"
PAST_CENTRES = 100
PAST_BATCH = 100_000
PAST_DAYS_MEASURED = 100
PAST_STATUSES = ("completed", "completed", "completed", "completed", "cancelled", "no_show", "rejected")


def id_number(serial: int) -> str:
    """A valid 18-digit ID number, different for every *serial* below 10^6."""
    from lvshi.accounts.identity import check_char

    year, rest = divmod(serial, 1000)
    first17 = f"{ID_REGION}{1960 + year % 40}0101{rest:03d}"
    if year >= 40:
        raise ValueError("serial too large")
    return first17 + check_char(first17)


def licence_no(serial: int) -> str:
    return f"1310199{serial:010d}"


def bench_day(config, *, earliest: date | None = None) -> date:
    """The first day the centre receives lawyers inside its booking window."""
    from django.utils import timezone

    from lvshi.calendar.workdays import WorkCalendar, local_date
    from lvshi.visits.selectors import day_open

    today = local_date(timezone.now())
    day = earliest or today + timedelta(days=config.earliest_days)
    calendar = WorkCalendar(config.organisation)
    while day <= today + timedelta(days=config.latest_days):
        if day_open(config, day, calendar)[0]:
            return day
        day += timedelta(days=1)
    raise RuntimeError("the centre has no open day in its booking window")


def open_days(config, count: int) -> list[date]:
    """The first *count* days the centre receives lawyers in its window."""
    days = [bench_day(config)]
    while len(days) < count:
        days.append(bench_day(config, earliest=days[-1] + timedelta(days=1)))
    return days


def prepare(*, lawyers: int, rooms: int, centres: int = 1, days: int = 1, serial: int = 0, name: str = "压测") -> dict:
    """*centres* centres under one authority, each with *rooms* in-person
    rooms and 60-minute slots, and *lawyers* lawyers, each verified, in a
    firm, actively bound to a detainee of their own (lawyer *i*'s detainee
    in centre *i* mod *centres*) and holding an API token. *serial* offsets
    the lawyers' ID and licence numbers, *name* the organisations' names, so
    two worlds can share a database. Returns what the clients need: the
    centres, the first *days* open days, the slots and per lawyer the token,
    the detainee and the centre's index."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from lvshi.accounts.identity import mask_id_number
    from lvshi.accounts.models import ApiToken, LicenceStatus, User
    from lvshi.core import crypto
    from lvshi.orgs.models import Membership, Organisation, OrgKind, Role
    from lvshi.visits.models import Binding, BindingStatus, CentreConfig, Detainee, Room, RoomKind, SlotPattern

    now = timezone.now()
    region = {"region_code": "310000", "region_name": "上海市"}
    with transaction.atomic():
        authority = Organisation(name=f"{name}监所管理总队", kind=OrgKind.DETENTION_AUTHORITY, **region)
        authority.save()
        made = []
        for c in range(centres):
            centre = Organisation(
                name=f"{name}看守所" + (f"{c + 1}" if centres > 1 else ""),
                kind=OrgKind.DETENTION_CENTRE,
                parent=authority,
                **region,
            )
            centre.save()
            config = CentreConfig(
                organisation=centre,
                pattern=SlotPattern.FIXED,
                slot_minutes=60,
                opens_at=time(8, 30),
                closes_at=time(16, 30),
                earliest_days=1,
                latest_days=10,
            )
            config.full_clean()
            config.save()
            Room.objects.bulk_create(
                [Room(centre=centre, name=f"会见室{i + 1}", kind=RoomKind.IN_PERSON) for i in range(rooms)]
            )
            made.append((centre, config))
        firm = Organisation(name=f"{name}律师事务所", kind=OrgKind.LAW_FIRM, **region)
        firm.save()
        # One password hash for all: hashing 500 passwords would take minutes
        # and the flash crowd signs in with tokens.
        password = make_password("Bench@2026pass")
        users = []
        for i in range(lawyers):
            number = id_number(serial + i)
            users.append(
                User(
                    id_number_hash=crypto.blind_index(number),
                    id_number_encrypted=crypto.encrypt(number),
                    id_number_masked=mask_id_number(number),
                    name=f"{name}律师{i + 1}",
                    mobile=f"138{serial + i:08d}",
                    licence_no=licence_no(serial + i),
                    licence_status=LicenceStatus.VERIFIED,
                    licence_verified_at=now,
                    password=password,
                )
            )
        users = User.objects.bulk_create(users, batch_size=500)
        Membership.objects.bulk_create(
            [Membership(user=u, organisation=firm, role=Role.LAWYER) for u in users], batch_size=500
        )
        detainees = Detainee.objects.bulk_create(
            [
                Detainee(
                    centre=made[i % centres][0],
                    name=f"{name}在押人员{i + 1}",
                    gender="male",
                    birth_date=date(1980, 1, 1),
                    centre_number=f"Y{i:06d}",
                )
                for i in range(lawyers)
            ],
            batch_size=500,
        )
        Binding.objects.bulk_create(
            [
                Binding(lawyer=u, detainee=d, seat=1, status=BindingStatus.ACTIVE, verified_at=now)
                for u, d in zip(users, detainees, strict=True)
            ],
            batch_size=500,
        )
        raw = [secrets.token_urlsafe(32) for _ in users]
        ApiToken.objects.bulk_create(
            [
                ApiToken(user=u, key_hash=crypto.token_hash(t), expires_at=now + timedelta(days=1))
                for u, t in zip(users, raw, strict=True)
            ],
            batch_size=500,
        )
    config = CentreConfig.objects.select_related("organisation").get(pk=made[0][1].pk)
    dates = open_days(config, days)
    return {
        "centre_id": made[0][0].pk,
        "centres": [centre.pk for centre, _config in made],
        "date": dates[0].isoformat(),
        "dates": [d.isoformat() for d in dates],
        "rooms": rooms,
        "slots": [s.strftime("%H:%M") for s, _ in config.slots()],
        "lawyers": [
            {"token": t, "detainee_id": d.pk, "centre": i % centres}
            for i, (t, d) in enumerate(zip(raw, detainees, strict=True))
        ],
    }


def reset(*, centre_id: int | list[int]) -> int:
    """Delete the centres' bookings and slot loads (between configurations)."""
    from django.db import transaction

    from lvshi.visits.models import Booking, SlotLoad

    ids = centre_id if isinstance(centre_id, list) else [centre_id]
    with transaction.atomic():
        deleted, _ = Booking.objects.filter(centre_id__in=ids).delete()
        SlotLoad.objects.filter(centre_id__in=ids).delete()
    return deleted


def overbooked(held_per_slot: dict, rooms: int) -> int:
    """Bookings beyond the rooms, summed over the slots."""
    return sum(max(count - rooms, 0) for count in held_per_slot.values())


def verify(*, centre_id: int | list[int], day: date | list[date]) -> dict:
    """What the database holds after a run: bookings holding a room per slot
    of each centre and day (never more than the centre's rooms), and
    whether the slot loads agree."""
    from django.db.models import Count

    from lvshi.visits.models import HOLDING_Q, Booking, Room, SlotLoad

    ids = centre_id if isinstance(centre_id, list) else [centre_id]
    days = day if isinstance(day, list) else [day]
    rooms = {
        row["centre_id"]: row["n"]
        for row in Room.objects.filter(centre_id__in=ids, active=True, kind="in_person")
        .values("centre_id")
        .annotate(n=Count("pk"))
    }
    held: dict[tuple, int] = {
        (row["centre_id"], row["date"].isoformat(), row["start"].strftime("%H:%M")): row["n"]
        for row in Booking.objects.filter(HOLDING_Q, centre_id__in=ids, date__in=days, room_kind="in_person")
        .values("centre_id", "date", "start")
        .annotate(n=Count("pk"))
    }
    loads = {
        (row.centre_id, row.date.isoformat(), row.start.strftime("%H:%M")): row.taken
        for row in SlotLoad.objects.filter(centre_id__in=ids, date__in=days, room_kind="in_person")
    }
    over = sum(overbooked({k: n for k, n in held.items() if k[0] == c}, rooms.get(c, 0)) for c in ids)
    return {
        "booked": sum(held.values()),
        "overbooked": over,
        "loads_agree": all(loads.get(k, 0) == v for k, v in held.items()) and sum(loads.values()) == sum(held.values()),
        "per_slot": {"/".join(map(str, k)): n for k, n in held.items()},
    }


# --- past bookings and the availability look-up ---------------------------------------------


def _past_centres(centre_id: int, count: int) -> list[int]:
    """The bench centre and *count* − 1 others (created once), so past
    bookings and slot loads are spread over many centres as in production."""
    from lvshi.orgs.models import Organisation, OrgKind

    centre = Organisation.objects.get(pk=centre_id)
    ids = [centre_id]
    existing = list(
        Organisation.objects.filter(parent_id=centre.parent_id, name__startswith="压测历史看守所")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for i in range(len(existing), count - 1):
        org = Organisation(
            name=f"压测历史看守所{i + 1}",
            kind=OrgKind.DETENTION_CENTRE,
            parent_id=centre.parent_id,
            region_code="310000",
            region_name="上海市",
        )
        org.save()
        existing.append(org.pk)
    return ids + existing[: count - 1]


def past_rows_sql(
    vendor: str, *, first: int, last: int, base: date, centres: list[int], people: list[tuple], slots: list
) -> tuple[str, str]:
    """Two ``INSERT … SELECT`` statements that add past bookings number
    *first* … *last* − 1 and their slot loads.

    Row *n* is at centre ``n % C``, slot ``(n // C) % S``, ``(n // C) // S``
    days before *base*, for lawyer and detainee ``n % P``; so every row has
    its own (centre, day, slot) and the slot-load rows are unique too."""
    c, s, p = len(centres), len(slots), len(people)
    if vendor == "postgresql":
        # Integers and dates only, formatted here: no outside text reaches the SQL.
        seq = f"SELECT g AS n FROM generate_series({first}, {last - 1}) AS g"  # noqa: S608
        t = "CAST({} AS time)".format
        day = f"(DATE '{base.isoformat()}' - CAST((q.n / {c}) / {s} AS integer))"
        stamp = f"CAST({day} + TIME '09:00' AS timestamptz)"
        true, false = "TRUE", "FALSE"
    elif vendor == "sqlite":
        seq = f"SELECT {first} AS n UNION ALL SELECT n + 1 FROM seq WHERE n < {last - 1}"  # noqa: S608
        t = str
        day = f"date('{base.isoformat()}', '-' || ((q.n / {c}) / {s}) || ' days')"
        stamp = f"({day} || ' 01:00:00')"
        true, false = "1", "0"
    else:
        raise ValueError(f"unsupported database {vendor}")
    centres_v = ", ".join(f"({i}, {pk})" for i, pk in enumerate(centres))
    people_v = ", ".join(f"({i}, {lawyer}, {detainee})" for i, (lawyer, detainee) in enumerate(people))
    slots_v = ", ".join(f"({i}, {t(repr(a))}, {t(repr(b))})" for i, (a, b) in enumerate(slots))
    statuses = " ".join(f"WHEN {i} THEN '{st}'" for i, st in enumerate(PAST_STATUSES))
    head = (
        f"WITH RECURSIVE seq(n) AS ({seq}), "
        f"centres(i, id) AS (VALUES {centres_v}), "
        f"people(i, lawyer_id, detainee_id) AS (VALUES {people_v}), "
        f"slots(i, s, e) AS (VALUES {slots_v}) "
    )
    join = (
        f"FROM seq q JOIN centres c ON c.i = q.n % {c} "
        f"JOIN slots sl ON sl.i = (q.n / {c}) % {s} "
        f"JOIN people pe ON pe.i = q.n % {p}"
    )
    bookings = (
        head + 'INSERT INTO visits_booking (lawyer_id, detainee_id, centre_id, date, start, "end", room_kind, status, '
        "reason, submitted_at, decided_at, legal_aid, idempotency_key, request_hash) "
        f"SELECT pe.lawyer_id, pe.detainee_id, c.id, {day}, sl.s, sl.e, 'in_person', "
        f"CASE q.n % {len(PAST_STATUSES)} {statuses} END, '', {stamp}, {stamp}, "
        f"CASE WHEN q.n % 5 = 0 THEN {true} ELSE {false} END, '', '' " + join
    )
    loads = (
        head + 'INSERT INTO visits_slotload (centre_id, date, start, "end", room_kind, capacity, taken, reserved, '
        f"taken_open) SELECT c.id, {day}, sl.s, sl.e, 'in_person', 4, 0, 0, 0 " + join
    )
    return bookings, loads


def add_past(*, centre_id: int, target: int, centres: int = PAST_CENTRES, batch: int = PAST_BATCH, log=None) -> int:
    """Add past bookings (and their slot loads) until there are *target*
    past rows of this benchmark. Returns how many there are now."""
    from django.db import connection, transaction

    from lvshi.calendar.workdays import today
    from lvshi.visits.models import Binding, CentreConfig

    config = CentreConfig.objects.select_related("organisation").get(organisation_id=centre_id)
    slots = [(a.strftime("%H:%M:%S"), b.strftime("%H:%M:%S")) for a, b in config.slots()]
    people = list(
        Binding.objects.filter(detainee__centre_id=centre_id).order_by("pk").values_list("lawyer_id", "detainee_id")
    )
    ids = _past_centres(centre_id, centres)
    base = today() - timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_booking WHERE date < %s", [base + timedelta(days=1)])
        have = cursor.fetchone()[0]
    while have < target:
        upto = min(have + batch, target)
        bookings, loads = past_rows_sql(
            connection.vendor, first=have, last=upto, base=base, centres=ids, people=people, slots=slots
        )
        started = clock.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(bookings)
            cursor.execute(loads)
        if log:
            log(f"past bookings {have}–{upto}: {clock.perf_counter() - started:.1f} s")
        have = upto
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE visits_booking")
            cursor.execute("ANALYZE visits_slotload")
    return have


def availability_p50(*, centre_id: int, day: date, calls: int = 400, rounds: int = 5) -> float:
    """The median time in ms of ``selectors.availability`` for the centre,
    alternating between the bench day and past days full of slot loads.

    The calls are made in *rounds*; the lowest round median is returned, so
    a burst of other work on the shared cores does not pass for a slower
    look-up."""
    from lvshi.calendar.workdays import today
    from lvshi.visits import selectors

    # Past days that hold slot loads with 10^5 rows already (125 days of the
    # bench centre), so both sizes answer the same days.
    past = [today() - timedelta(days=d) for d in range(1, PAST_DAYS_MEASURED + 1)]
    days = [day if i % 2 == 0 else past[(i // 2) % len(past)] for i in range(calls)]
    for d in days[:20]:  # warm the connection and the caches
        selectors.availability(centre_id, d)
    medians = []
    for _ in range(rounds):
        timings = []
        for d in days:
            started = clock.perf_counter()
            result = selectors.availability(centre_id, d)
            timings.append((clock.perf_counter() - started) * 1000)
            if not result:
                raise RuntimeError("availability returned no slots")
        medians.append(statistics.median(timings))
    return min(medians)


def slot_load_plan(*, centre_id: int, day: date) -> str:
    """How the database finds a day's slot loads (an index, not a scan)."""
    from django.db import connection

    from lvshi.visits.models import SlotLoad

    qs = SlotLoad.objects.filter(centre_id=centre_id, date=day).only("start", "room_kind", "capacity", "taken")
    plan = qs.explain()
    return " ".join(line.strip() for line in plan.splitlines() if line.strip())[:300] or connection.vendor


# --- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvshi.settings")
    django.setup()
    from django.core.management import call_command

    parser = argparse.ArgumentParser(prog="python -m bench.data")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--lawyers", type=int, required=True)
    p.add_argument("--rooms", type=int, required=True)
    p.add_argument("--centres", type=int, default=1)
    p.add_argument("--days", type=int, default=1)
    p.add_argument("--serial", type=int, default=0)
    p.add_argument("--name", default="压测")
    p.add_argument("--migrate", action="store_true")
    p.add_argument("--out", required=True)
    p = sub.add_parser("reset")
    p.add_argument("--centre", required=True, help="a centre id, or several separated by commas")
    p = sub.add_parser("verify")
    p.add_argument("--centre", required=True, help="a centre id, or several separated by commas")
    p.add_argument("--date", required=True, help="a day, or several separated by commas")
    p = sub.add_parser("availability")
    p.add_argument("--centre", type=int, required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--counts", default="100000,1000000")
    p.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def ids(text: str) -> list[int]:
        return [int(part) for part in text.split(",")]

    if args.command == "prepare":
        if args.migrate:
            started = clock.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            # The server runs with DEBUG off, so its static files are collected as in production.
            call_command("collectstatic", verbosity=0, interactive=False)
            log(f"migrated and static files collected in {clock.perf_counter() - started:.1f} s")
        started = clock.perf_counter()
        world = prepare(
            lawyers=args.lawyers,
            rooms=args.rooms,
            centres=args.centres,
            days=args.days,
            serial=args.serial,
            name=args.name,
        )
        log(f"{args.lawyers} lawyers, bindings and tokens in {clock.perf_counter() - started:.1f} s")
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(world, fh)
    elif args.command == "reset":
        print(json.dumps({"deleted": reset(centre_id=ids(args.centre))}))
    elif args.command == "verify":
        days = [date.fromisoformat(d) for d in args.date.split(",")]
        print(json.dumps(verify(centre_id=ids(args.centre), day=days)))
    elif args.command == "availability":
        day = date.fromisoformat(args.date)
        for count in (int(c) for c in args.counts.split(",")):
            started = clock.perf_counter()
            add_past(centre_id=args.centre, target=count, log=log)
            log(f"{count} past bookings ready in {clock.perf_counter() - started:.1f} s")
            p50 = availability_p50(centre_id=args.centre, day=day, calls=args.calls)
            plan = slot_load_plan(centre_id=args.centre, day=day)
            row = {"past_bookings": count, "availability_p50_ms": round(p50, 3), "slot_load_plan": plan}
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
