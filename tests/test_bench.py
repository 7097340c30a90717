"""The benchmark's own parts (``make bench``): its HTTP client, its numbers,
the world it builds and the checks it makes afterwards. No timings here —
the benchmark itself is not part of the suite."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from bench import client, data, flash_crowd
from bench.flash_crowd import Round, bench_database_url, booking_requests, summary
from lvshi.accounts.identity import normalize_id_number
from lvshi.accounts.models import LicenceStatus, User
from lvshi.orgs import scope
from lvshi.orgs.models import Role
from lvshi.visits.models import Binding, BindingStatus, Booking, BookingStatus, SlotLoad

# --- numbers ---------------------------------------------------------------------------------


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert client.percentile(values, 50) == 50
    assert client.percentile(values, 99) == 99
    assert client.percentile(values, 100) == 100
    assert client.percentile([3.0, 1.0, 2.0], 50) == 2
    assert client.percentile([7.0], 99) == 7


def test_overbooked_sums_the_excess_per_slot_only():
    assert data.overbooked({"08:30": 4, "09:30": 3}, rooms=4) == 0
    assert data.overbooked({"08:30": 6, "09:30": 3, "10:30": 5}, rooms=4) == 3


def _round(*, ok: int, refused: int, seconds: float, healthz: int, overbooked: int = 0) -> Round:
    full = client.Reply(400, b'{"code": "slot_full"}', 10.0)
    booking = client.Outcome([client.Reply(201, b"{}", 20.0)] * ok + [full] * refused, seconds)
    health = client.Outcome([client.Reply(200, b"{}", 1.0)] * healthz, 1.0)
    return Round(booking, health, {"overbooked": overbooked, "booked": ok, "loads_agree": overbooked == 0})


def test_a_configuration_sums_its_rounds_and_shows_the_worst_of_them():
    rounds = [
        _round(ok=4, refused=96, seconds=1.0, healthz=400),
        _round(ok=3, refused=97, seconds=0.25, healthz=400, overbooked=1),
    ]
    line = summary(db="sqlite", clients=64, rounds=rounds, capacity=4)
    assert line["booking_rps"] == 160.0  # 200 requests in 1.25 s
    assert line["healthz_rps"] == 400.0
    assert line["ratio"] == 0.4
    assert line["round_ratios"] == [0.25, 1.0]
    assert (line["successes"], line["overbooked"], line["booked_in_db"]) == (3, 1, 3)
    assert line["loads_agree"] is False
    assert line["refused"] == {"slot_full": 193}
    assert (line["rounds"], line["requests"]) == (2, 200)


def test_the_benchmark_never_drops_the_database_it_was_given():
    url = "postgres://postgres@127.0.0.1:5432/lvshi_bench"
    assert bench_database_url(url) == "postgres://postgres@127.0.0.1:5432/lvshi_bench_run"
    assert bench_database_url("postgres://u:p@db:6543/x?sslmode=disable").endswith("/x_run?sslmode=disable")


def test_lawyers_get_distinct_valid_id_numbers_and_licences():
    numbers = [data.id_number(i) for i in range(2000)]
    assert len(set(numbers)) == 2000
    assert all(normalize_id_number(n) == n for n in numbers[::97])
    assert len({data.licence_no(i) for i in range(2000)}) == 2000
    with pytest.raises(ValueError):
        data.id_number(40_000)


# --- the HTTP client ---------------------------------------------------------------------------


def test_a_response_is_parsed_with_a_plain_or_a_chunked_body():
    plain = b'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"code": "slot_full"}'
    assert client.parse_response(plain) == (400, b'{"code": "slot_full"}')
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"
    assert client.parse_response(chunked) == (200, b"Wikipedia")
    with pytest.raises(ValueError):
        client.parse_response(b"garbage")


def test_a_reply_names_the_api_code_or_its_status():
    assert client.Reply(400, b'{"code": "slot_full", "message": "x"}', 1.0).code() == "slot_full"
    assert client.Reply(502, b"<html>Bad gateway</html>", 1.0).code() == "502"


def test_the_request_is_well_formed_http():
    raw = client.build_request("POST", "/p", host="h:1", headers={"X-A": "b"}, body=b"{}")
    head, body = raw.split(b"\r\n\r\n")
    assert head.split(b"\r\n") == [
        b"POST /p HTTP/1.1",
        b"Host: h:1",
        b"Connection: close",
        b"Content-Length: 2",
        b"X-A: b",
    ]
    assert body == b"{}"


def test_the_crowd_sends_every_request_once_and_sorts_the_replies():
    """Against a real local socket server: three accepted, two refused, one
    answered with a 500, each request exactly once."""
    seen: list[bytes] = []

    async def handle(reader, writer):
        raw = await reader.readuntil(b"\r\n\r\n")
        path = raw.split(b" ")[1]
        seen.append(path)
        number = int(path.strip(b"/"))
        status, body = (201, b"{}") if number < 3 else (400, b'{"code": "slot_full"}') if number < 5 else (500, b"")
        writer.write(b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n\r\n%s" % (status, len(body), body))
        await writer.drain()
        writer.close()

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        requests = [client.build_request("GET", f"/{i}", host="x") for i in range(6)]
        async with server:
            return await client.crowd("127.0.0.1", port, requests, clients=4)

    outcome = asyncio.run(run())
    assert sorted(seen) == [f"/{i}".encode() for i in range(6)]
    assert outcome.successes == 3
    assert outcome.refused == {"slot_full": 2}
    assert outcome.errors == 1
    assert outcome.rps > 0


def test_a_closed_port_is_an_error_not_a_crash():
    async def run():
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        return await client.fetch("127.0.0.1", port, client.build_request("GET", "/", host="x"), timeout=2)

    assert asyncio.run(run()).status == 0


# --- the world and the checks, on the suite's database -------------------------------------------


@pytest.fixture
def world_small(db):
    return data.prepare(lawyers=6, rooms=2)


def _book(lawyer: dict, day: str, slot: str):
    return Client().post(
        "/api/v1/visits/bookings",
        json.dumps({"detainee_id": lawyer["detainee_id"], "date": day, "slot": slot}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {lawyer['token']}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def test_prepared_lawyers_are_verified_bound_and_hold_working_tokens(world_small):
    lawyers = User.objects.filter(name__startswith="压测律师")
    assert lawyers.count() == 6
    assert set(lawyers.values_list("licence_status", flat=True)) == {LicenceStatus.VERIFIED}
    assert all(scope.has_role(u, Role.LAWYER) for u in lawyers)
    assert Binding.objects.filter(lawyer__in=lawyers, status=BindingStatus.ACTIVE).count() == 6
    assert len(world_small["slots"]) == 8
    me = Client().get("/api/v1/visits/bindings", HTTP_AUTHORIZATION=f"Bearer {world_small['lawyers'][0]['token']}")
    assert me.status_code == 200
    assert [b["detainee_id"] for b in me.json()] == [world_small["lawyers"][0]["detainee_id"]]


def test_the_day_is_open_and_bookable_and_verify_counts_what_the_database_holds(world_small):
    day, slot = world_small["date"], world_small["slots"][0]
    replies = [_book(lawyer, day, slot) for lawyer in world_small["lawyers"][:3]]
    assert [r.status_code for r in replies] == [201, 201, 400]
    assert replies[2].json()["code"] == "slot_full"
    check = data.verify(centre_id=world_small["centre_id"], day=date.fromisoformat(day))
    assert check["booked"] == 2
    assert check["overbooked"] == 0
    assert check["loads_agree"] is True
    assert check["per_slot"] == {f"{world_small['centre_id']}/{day}/{slot}": 2}


def test_verify_sees_an_overbooking_written_behind_the_guard(world_small):
    """The control: rows written past the services show up as overbooked."""
    day = date.fromisoformat(world_small["date"])
    lawyers = world_small["lawyers"]
    ok = [_book(lawyer, world_small["date"], "08:30") for lawyer in lawyers[:2]]
    assert [r.status_code for r in ok] == [201, 201]
    extra = Booking.objects.filter(centre_id=world_small["centre_id"]).first()
    extra.pk = None
    extra.lawyer = Binding.objects.get(detainee_id=lawyers[2]["detainee_id"]).lawyer
    extra.detainee_id = lawyers[2]["detainee_id"]
    extra.idempotency_key = ""
    extra.save()
    check = data.verify(centre_id=world_small["centre_id"], day=day)
    assert check["overbooked"] == 1
    assert check["loads_agree"] is False


def test_reset_empties_the_centre_for_the_next_configuration(world_small):
    assert _book(world_small["lawyers"][0], world_small["date"], "08:30").status_code == 201
    assert data.reset(centre_id=world_small["centre_id"]) == 1
    assert not Booking.objects.filter(centre_id=world_small["centre_id"]).exists()
    assert not SlotLoad.objects.filter(centre_id=world_small["centre_id"]).exists()


def test_past_bookings_are_added_in_batches_on_this_database(world_small):
    centre = world_small["centre_id"]
    assert data.add_past(centre_id=centre, target=50, centres=3, batch=20) == 50
    assert data.add_past(centre_id=centre, target=70, centres=3, batch=20) == 70
    past = Booking.objects.exclude(centre_id=centre, date=world_small["date"])
    assert past.count() == 70
    # Never holding a room, so they touch no capacity nor uniqueness rule.
    assert set(past.values_list("status", flat=True)) <= {
        BookingStatus.COMPLETED,
        BookingStatus.CANCELLED,
        BookingStatus.NO_SHOW,
        BookingStatus.REJECTED,
    }
    assert past.values("centre_id").distinct().count() == 3
    assert SlotLoad.objects.count() == 70
    first = past.order_by("-date", "start").first()
    assert str(first.start) == "08:30:00"
    assert first.end > first.start
    assert data.availability_p50(centre_id=centre, day=date.fromisoformat(world_small["date"]), calls=6) > 0


def test_booking_requests_deal_the_slots_round(world_small):
    requests = booking_requests(flash_crowd.contended_plan(world_small), port=1)
    assert len(requests) == 6
    bodies = [json.loads(r.split(b"\r\n\r\n", 1)[1]) for r in requests]
    assert [b["slot"] for b in bodies] == world_small["slots"][:6]
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_the_open_world_spreads_lawyers_over_centres_and_days_and_every_booking_can_succeed(settings):
    open_world = data.prepare(lawyers=12, rooms=1, centres=3, days=2, serial=500, name="开放")
    assert len(open_world["centres"]) == 3 and len(open_world["dates"]) == 2
    assert [lawyer["centre"] for lawyer in open_world["lawyers"][:4]] == [0, 1, 2, 0]
    plan = flash_crowd.open_plan(open_world)
    # No centre, day and slot is asked for more often than it has rooms.
    wanted: dict = {}
    for lawyer, day, slot in plan:
        key = (open_world["centres"][lawyer["centre"]], day, slot)
        wanted[key] = wanted.get(key, 0) + 1
    assert max(wanted.values()) <= open_world["rooms"]
    replies = [_book(lawyer, day, slot) for lawyer, day, slot in plan]
    assert {r.status_code for r in replies} == {201}
    check = data.verify(centre_id=open_world["centres"], day=[date.fromisoformat(d) for d in open_world["dates"]])
    assert check["booked"] == 12 and check["overbooked"] == 0 and check["loads_agree"] is True
