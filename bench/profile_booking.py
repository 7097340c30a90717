"""Where a booking request spends its time, in one process.

``python -m bench.profile_booking`` builds the flash crowd's world
(:func:`bench.data.prepare`) in a fresh database with production settings
(SQLite in ``BENCH_DIR``/profile, or with ``DATABASE_URL`` the PostgreSQL
database ``<name>_profile``, created again and dropped afterwards), then sends
through Django's test client, with the whole middleware stack and the API:

- the successful bookings that fill every slot (capacity = rooms × slots),
- ``--refused`` refused bookings (``slot_full``) after that,
- as many ``GET /healthz``,

and prints for each kind the mean time per request, the queries per request
(``CaptureQueriesContext``, counted in a separate pass so the timing is not
skewed) and, with ``--profile``, a pyinstrument profile (``pip install
pyinstrument``; it is not a dependency of the project).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None) -> None:
    from .flash_crowd import bench_database_url, recreate_postgres, server_env

    var_dir = Path(os.environ.get("BENCH_DIR", ROOT / "var" / "bench")) / "profile"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    url = None
    if database_url:
        url = bench_database_url(database_url).replace("_run", "_profile")
        recreate_postgres(url)
    env = server_env(var_dir, url)
    env["ALLOWED_HOSTS"] = "testserver"
    env["LOG_LEVEL"] = "ERROR"  # refusals log a warning each
    os.environ.update(env)
    if not url:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def measure(client, requests, *, profile: bool, label: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def send(req):
        method, path, body, headers = req
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, data=body, content_type="application/json", **headers)

    half = len(requests) // 2
    # First half: queries counted; second half: timed (and profiled).
    statuses = {}
    queries = []
    for req in requests[:half]:
        with CaptureQueriesContext(connection) as ctx:
            response = send(req)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        queries.append(len(ctx.captured_queries))
    timed = requests[half:]
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    started = time.perf_counter()
    for req in timed:
        response = send(req)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
    per = elapsed / max(len(timed), 1) * 1000
    print(
        f"{label}: {per:.2f} ms per request over {len(timed)}, queries per request "
        f"{min(queries, default=0)}–{max(queries, default=0)}, statuses {statuses}",
        flush=True,
    )
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_booking")
    parser.add_argument("--lawyers", type=int, default=300)
    parser.add_argument("--rooms", type=int, default=4)
    parser.add_argument("--refused", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    url = setup(os.environ.get("DATABASE_URL"))
    try:
        from django.test import Client

        from .data import prepare

        world = prepare(lawyers=args.lawyers, rooms=args.rooms)
        slots = world["slots"]
        capacity = args.rooms * len(slots)
        needed = capacity + 2 * args.refused
        if needed > len(world["lawyers"]):
            raise SystemExit(f"--lawyers must be at least {needed}")

        def booking(i: int):
            lawyer = world["lawyers"][i]
            body = {"detainee_id": lawyer["detainee_id"], "date": world["date"], "slot": slots[i % len(slots)]}
            headers = {"HTTP_AUTHORIZATION": f"Bearer {lawyer['token']}", "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
            return ("POST", "/api/v1/visits/bookings", body, headers)

        client = Client()
        from django.db import connection

        print(f"database: {connection.vendor}; capacity {capacity}; day {world['date']}", flush=True)
        # Warm up: imports, URL resolver, the first connection.
        client.get("/healthz")
        # The first `capacity` lawyers fill the slots (the first half counts
        # queries, the second half is timed).
        measure(client, [booking(i) for i in range(capacity)], profile=args.profile, label="booking accepted")
        refused = [booking(i) for i in range(capacity, capacity + 2 * args.refused)]
        measure(client, refused, profile=args.profile, label="booking refused (slot_full)")
        health = [("GET", "/healthz", None, {})] * (2 * args.refused)
        measure(client, health, profile=args.profile, label="healthz")
    finally:
        if url and not args.keep:
            from django.db import connections

            from .flash_crowd import drop_postgres

            connections.close_all()
            drop_postgres(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
