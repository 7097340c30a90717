"""Does the compiled INSERT (``lvshi.core.rows.insert``) pay for itself?

``python -m bench.compiled_insert`` builds the flash crowd's world
(:func:`bench.data.prepare`, as :mod:`bench.profile_booking` does: SQLite in
``BENCH_DIR``/profile, or with ``DATABASE_URL`` the PostgreSQL database
``<name>_profile``) and sends accepted bookings through Django's test client
in blocks of ``--block``, alternating between the booking path as it is and
the same path with the ORM's ``save()`` for the booking and the audit event
(and the chain head moved by a statement of its own). Alternating blocks in
one process share whatever else the machine is doing, so the two medians
compare. It prints, per variant, the median CPU time per booking of this
process and, on PostgreSQL, of its database backend (``/proc``; its clock
ticks make that figure coarse per block, so the median of many blocks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from typing import Any

from .profile_booking import setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compiled_insert")
    parser.add_argument("--blocks", type=int, default=20, help="blocks per variant")
    parser.add_argument("--block", type=int, default=40, help="bookings per block")
    args = parser.parse_args(argv)
    url = setup(os.environ.get("DATABASE_URL"))
    try:
        from django.db import connection
        from django.test import Client

        from lvshi.core import rows

        from .data import prepare

        needed = 2 * args.blocks * args.block
        rooms = -(-needed // 8) + 1
        world = prepare(lawyers=needed, rooms=rooms)
        slots = world["slots"]
        compiled = rows.insert

        def orm_save(obj: Any, *, along: tuple[str, list[Any]] | None = None) -> None:
            if along is not None:
                with connection.cursor() as cursor:
                    cursor.execute(*along)
            obj.save(force_insert=True)

        def backend_cpu() -> float:
            if connection.vendor != "postgresql":
                return 0.0
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        client = Client()
        client.get("/healthz")
        variants = {"compiled insert": compiled, "orm save": orm_save}
        cpu: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in variants}
        sent = 0
        for block in range(2 * args.blocks):
            name = list(variants)[block % 2]
            rows.insert = variants[name]  # type: ignore[assignment]
            started, backend = time.process_time(), backend_cpu()
            for i in range(sent, sent + args.block):
                lawyer = world["lawyers"][i]
                body = {"detainee_id": lawyer["detainee_id"], "date": world["date"], "slot": slots[i % len(slots)]}
                response = client.post(
                    "/api/v1/visits/bookings",
                    data=body,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {lawyer['token']}",
                    HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
                )
                if response.status_code != 201:
                    raise SystemExit(f"booking refused: {response.content!r}")
            cpu[name][0].append((time.process_time() - started) / args.block * 1000)
            cpu[name][1].append((backend_cpu() - backend) / args.block * 1000)
            sent += args.block
        rows.insert = compiled
        for name, (process, database) in cpu.items():
            backend = (
                f", {statistics.median(database):.2f} ms in the database backend"
                if connection.vendor == "postgresql"
                else " (SQLite runs in it)"
            )
            print(
                f"{connection.vendor}, {name}: {statistics.median(process):.2f} ms CPU in this process{backend} "
                f"per accepted booking (medians of {len(process)} blocks of {args.block})",
                flush=True,
            )
    finally:
        if url:
            from django.db import connections

            from .flash_crowd import drop_postgres

            connections.close_all()
            drop_postgres(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
