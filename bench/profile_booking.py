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
import json
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


class _DatabaseTime:
    """Statements and the time spent inside the database calls (sending,
    the database's work, receiving), through Django's execute wrapper."""

    def __init__(self) -> None:
        self.statements = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1


def measure(client, requests, *, profile: bool, label: str, quiet: bool = False) -> dict:
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
    database = _DatabaseTime()
    started = time.perf_counter()
    with connection.execute_wrapper(database):
        for req in timed:
            response = send(req)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
    n = max(len(timed), 1)
    result = {
        "ms": round(elapsed / n * 1000, 3),
        "statements": round(database.statements / n, 2),
        "database_ms": round(database.seconds / n * 1000, 3),
        "python_ms": round((elapsed - database.seconds) / n * 1000, 3),
        "queries_min": min(queries, default=0),
        "queries_max": max(queries, default=0),
        "statuses": statuses,
    }
    if not quiet:
        print(
            f"{label}: {result['ms']:.2f} ms per request over {len(timed)} ({result['database_ms']:.2f} ms in "
            f"{result['statements']} database calls, {result['python_ms']:.2f} ms Python), queries per request "
            f"{result['queries_min']}–{result['queries_max']}, statuses {statuses}",
            flush=True,
        )
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_booking")
    parser.add_argument("--lawyers", type=int, default=300)
    parser.add_argument("--rooms", type=int, default=4)
    parser.add_argument("--refused", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the three figures")
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
        accepted = measure(
            client, [booking(i) for i in range(capacity)], profile=args.profile, label="booking accepted"
        )
        refused = [booking(i) for i in range(capacity, capacity + 2 * args.refused)]
        refusal = measure(client, refused, profile=args.profile, label="booking refused (slot_full)")
        health = [("GET", "/healthz", None, {})] * (2 * args.refused)
        healthz = measure(client, health, profile=args.profile, label="healthz")
        if args.json:
            print(json.dumps({"profile": "in process", "accepted": accepted, "refused": refusal, "healthz": healthz}))
    finally:
        if url and not args.keep:
            from django.db import connections

            from .flash_crowd import drop_postgres

            connections.close_all()
            drop_postgres(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
