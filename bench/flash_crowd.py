"""``make bench``: flash crowds of lawyers booking against the production
server, and the availability look-up with 10^5 and 10^6 past bookings.
docs/performance.md has the method and the results.

Two crowds (``SCENARIOS``): *contended*, every lawyer books the same day of
one centre, so most are refused (``slot_full``) and capacity is the test;
*open*, the lawyers are spread over several centres and days with more
rooms than lawyers, so every request can succeed and accepted bookings are
what is measured.

For each database (SQLite always; PostgreSQL when ``DATABASE_URL`` is set,
in a database of its own that is dropped and created again) it migrates,
creates the lawyers, starts gunicorn, and for each client count measures
``/healthz`` and then lets every lawyer book once, all at the same moment.
One JSON line per configuration goes to stdout; progress goes to stderr.

Environment: LAWYERS (500), CLIENTS (64,256), ROUNDS (5 crowds per client
count), ROOMS (4), HEALTHZ_SECONDS (10 per client count, shared by its rounds,
half before and half after each crowd), WORKERS (gunicorn sync workers,
2 × cores + 1), PAST (100000,1000000; empty to skip the availability part),
BENCH_DIR (var/bench), DATABASE_URL, BENCH_PORT (8765), SCENARIOS
(contended,open), OPEN_CENTRES (4), OPEN_DAYS (3), OPEN_ROOMS (rooms per
centre; by default enough that every slot has a room more than its lawyers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from . import client

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def env_ints(name: str, default: str) -> list[int]:
    raw = os.environ.get(name, default).strip()
    return [int(x) for x in raw.split(",") if x.strip()]


def bench_database_url(url: str) -> str:
    """The benchmark's own PostgreSQL database next to *url*'s: the same
    server and user, the database name with ``_run`` appended, so the
    database it drops is never the one named in DATABASE_URL."""
    parts = urlparse(url)
    name = parts.path.lstrip("/") or "lvshi"
    return urlunparse(parts._replace(path=f"/{name}_run"))


def recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def server_env(var_dir: Path, database_url: str | None) -> dict:
    """Production settings: DEBUG off, real secrets, JSON logs at WARNING,
    no TLS redirect (the client speaks plain HTTP to 127.0.0.1, as a reverse
    proxy would)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="lvshi.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(32),
        BLIND_INDEX_KEY=secrets.token_urlsafe(32),
        AUDIT_CHAIN_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        LVSHI_VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_data(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "bench.data", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    result.check_returncode()
    return result.stdout


class Server:
    """gunicorn serving ``lvshi.wsgi`` with sync workers, in its own process group."""

    def __init__(self, env: dict, *, port: int, workers: int, log_dir: Path):
        self.env, self.port, self.workers, self.log_dir = env, port, workers, log_dir
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "lvshi.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--access-logfile",
            str(self.log_dir / "access.log"),
            "--error-logfile",
            str(self.log_dir / "error.log"),
        ]
        # The application's own log (JSON lines, warnings and up) goes to a file too.
        with open(self.log_dir / "server.log", "ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed argv
                cmd, env=self.env, cwd=ROOT, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log_dir / 'error.log'}")
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url("/healthz"), timeout=2) as r:  # noqa: S310 - http://127.0.0.1
                if r.status == 200:
                    return self
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def contended_plan(world: dict) -> list[tuple[dict, str, str]]:
    """One booking per lawyer on the world's first day, the slots dealt
    round, so every slot is wanted by LAWYERS / slots lawyers and rooms of
    them can have it."""
    slots = world["slots"]
    return [(lawyer, world["date"], slots[i % len(slots)]) for i, lawyer in enumerate(world["lawyers"])]


def open_plan(world: dict) -> list[tuple[dict, str, str]]:
    """One booking per lawyer at their detainee's centre, the centre's
    lawyers dealt round its days and then its slots, so no slot of a day is
    wanted by more lawyers than ``ceil(lawyers per centre / (days × slots))``."""
    days, slots = world["dates"], world["slots"]
    seen: dict[int, int] = {}
    plan = []
    for lawyer in world["lawyers"]:
        j = seen[lawyer["centre"]] = seen.get(lawyer["centre"], -1) + 1
        plan.append((lawyer, days[j % len(days)], slots[(j // len(days)) % len(slots)]))
    return plan


def booking_requests(plan: list[tuple[dict, str, str]], *, port: int) -> list[bytes]:
    requests = []
    for lawyer, day, slot in plan:
        body = json.dumps({"detainee_id": lawyer["detainee_id"], "date": day, "slot": slot}).encode()
        headers = {
            "Authorization": f"Bearer {lawyer['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        requests.append(
            client.build_request("POST", "/api/v1/visits/bookings", host=f"{HOST}:{port}", headers=headers, body=body)
        )
    return requests


@dataclass
class Round:
    """One crowd: the bookings, the /healthz measured around it, and what
    the database held afterwards."""

    booking: client.Outcome
    healthz: client.Outcome
    check: dict


def _total(outcomes: list[client.Outcome]) -> client.Outcome:
    return client.Outcome([r for o in outcomes for r in o.replies], sum(o.seconds for o in outcomes))


def summary(*, db: str, clients: int, rounds: list[Round], capacity: int, scenario: str = "contended") -> dict:
    """One line per configuration. Rates are over all its rounds (requests
    / time); ``successes`` and ``booked_in_db`` are the lowest of a round,
    ``overbooked`` and ``errors`` the highest, so one bad round shows."""
    booking = _total([r.booking for r in rounds])
    healthz = _total([r.healthz for r in rounds])
    accepted = sum(r.booking.successes for r in rounds) / booking.seconds if booking.seconds else 0.0
    return {
        "db": db,
        "scenario": scenario,
        "clients": clients,
        "booking_rps": round(booking.rps, 1),
        "accepted_rps": round(accepted, 1),
        "accepted_ratio": round(accepted / healthz.rps, 3) if healthz.rps else None,
        "healthz_rps": round(healthz.rps, 1),
        "ratio": round(booking.rps / healthz.rps, 3) if healthz.rps else None,
        "successes": min(r.booking.successes for r in rounds),
        "capacity": capacity,
        "overbooked": max(r.check["overbooked"] for r in rounds),
        "p50_ms": round(booking.ms(50), 1),
        "p99_ms": round(booking.ms(99), 1),
        "rounds": len(rounds),
        "round_ratios": [round(r.booking.rps / r.healthz.rps, 3) if r.healthz.rps else None for r in rounds],
        "requests": len(booking.replies),
        "refused": dict(booking.refused),
        "errors": max(r.booking.errors for r in rounds),
        "booked_in_db": min(r.check["booked"] for r in rounds),
        "loads_agree": all(r.check["loads_agree"] for r in rounds),
    }


def _open_rooms(lawyers: int, centres: int, days: int, slots: int) -> int:
    """Rooms per centre so that every slot has a room more than the lawyers
    who want it."""
    per_centre = -(-lawyers // centres)
    return -(-per_centre // (days * slots)) + 1


def run_database(db: str, database_url: str | None, *, base: Path) -> list[dict]:
    lawyers = env_ints("LAWYERS", "500")[0]
    rooms = env_ints("ROOMS", "4")[0]
    port = env_ints("BENCH_PORT", "8765")[0]
    workers = env_ints("WORKERS", str(2 * (os.cpu_count() or 1) + 1))[0]
    seconds = float(os.environ.get("HEALTHZ_SECONDS", "10"))
    rounds = max(env_ints("ROUNDS", "5")[0], 1)
    scenarios = [s.strip() for s in os.environ.get("SCENARIOS", "contended,open").split(",") if s.strip()]
    unknown = set(scenarios) - {"contended", "open"}
    if unknown:
        raise SystemExit(f"unknown SCENARIOS: {sorted(unknown)}")
    var_dir = base / db
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    if database_url:
        recreate_postgres(database_url)
    env = server_env(var_dir, database_url)
    log(f"[{db}] preparing {lawyers} lawyers, {rooms} rooms")
    world_file = var_dir / "world.json"
    run_data(env, "prepare", "--migrate", "--lawyers", str(lawyers), "--rooms", str(rooms), "--out", str(world_file))
    world = json.loads(world_file.read_text())
    worlds = {"contended": (world, contended_plan(world), rooms * len(world["slots"]))}
    if "open" in scenarios:
        centres, days = env_ints("OPEN_CENTRES", "4")[0], env_ints("OPEN_DAYS", "3")[0]
        open_rooms = env_ints("OPEN_ROOMS", str(_open_rooms(lawyers, centres, days, len(world["slots"]))))[0]
        log(
            f"[{db}] preparing the open world: {lawyers} more lawyers, "
            f"{centres} centres × {open_rooms} rooms, {days} days"
        )
        open_file = var_dir / "world-open.json"
        run_data(
            env, "prepare", "--lawyers", str(lawyers), "--rooms", str(open_rooms), "--centres", str(centres),
            "--days", str(days), "--serial", "10000", "--name", "开放压测", "--out", str(open_file),
        )  # fmt: skip
        spread = json.loads(open_file.read_text())
        worlds["open"] = (spread, open_plan(spread), lawyers)
    results = []
    log(f"[{db}] gunicorn with {workers} sync workers; contended day {world['date']}")
    with Server(env, port=port, workers=workers, log_dir=var_dir):
        health = client.build_request("GET", "/healthz", host=f"{HOST}:{port}")
        asyncio.run(client.hammer(HOST, port, health, clients=16, seconds=1.0))  # warm every worker
        for scenario in scenarios:
            target, plan, capacity = worlds[scenario]
            centres = ",".join(str(c) for c in target["centres"])
            days = ",".join(target["dates"])
            # The crowd meets a server that has been serving bookings, as in
            # production: every worker has run the booking path (its modules,
            # its prepared statements, its database backend's caches) before.
            # One unmeasured pass of the same requests, deleted by the reset below.
            warm = asyncio.run(client.crowd(HOST, port, booking_requests(plan, port=port), clients=16))
            log(
                f"[{db}] {scenario}: warm-up pass (not measured), "
                f"{len(warm.replies)} bookings, {warm.successes} accepted"
            )
            for clients in env_ints("CLIENTS", "64,256"):
                done = []
                share = seconds / rounds / 2
                for _ in range(rounds):
                    run_data(env, "reset", "--centre", centres)
                    # /healthz before and after the crowd, so a change in the other
                    # load on the machine during the run weighs on both sides.
                    before = asyncio.run(client.hammer(HOST, port, health, clients=clients, seconds=share))
                    requests = booking_requests(plan, port=port)
                    booking = asyncio.run(client.crowd(HOST, port, requests, clients=clients))
                    after = asyncio.run(client.hammer(HOST, port, health, clients=clients, seconds=share))
                    healthz = _total([before, after])
                    check = json.loads(run_data(env, "verify", "--centre", centres, "--date", days))
                    done.append(Round(booking, healthz, check))
                line = summary(db=db, clients=clients, rounds=done, capacity=capacity, scenario=scenario)
                results.append(line)
                print(json.dumps(line, ensure_ascii=False), flush=True)
            run_data(env, "reset", "--centre", centres)
    past = os.environ.get("PAST", "100000,1000000").strip()
    centre = str(world["centre_id"])
    if past:
        run_data(env, "reset", "--centre", centre)
        out = run_data(env, "availability", "--centre", centre, "--date", world["date"], "--counts", past)
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        for row in rows:
            line = {"db": db, **row}
            results.append(line)
            print(json.dumps(line), flush=True)
        if len(rows) >= 2:
            ratio = rows[-1]["availability_p50_ms"] / rows[0]["availability_p50_ms"]
            line = {
                "db": db,
                "availability_ratio": round(ratio, 3),
                "past_bookings": [rows[0]["past_bookings"], rows[-1]["past_bookings"]],
            }
            results.append(line)
            print(json.dumps(line), flush=True)
    if "open" in scenarios and os.environ.get("PROFILE", "1") != "0":
        results.append(profile_accepted(db, database_url))
    return results


def profile_accepted(db: str, database_url: str | None) -> dict:
    """Where an accepted booking's time goes, in one process
    (:mod:`bench.profile_booking`): statements, time inside the database
    calls and the rest (Python)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url.replace("_run", "")
    done = subprocess.run(
        [sys.executable, "-m", "bench.profile_booking", "--json"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        log(done.stderr[-3000:])
        raise SystemExit(f"[{db}] bench.profile_booking failed")
    line = {"db": db, **json.loads(done.stdout.strip().splitlines()[-1])}
    print(json.dumps(line), flush=True)
    return line


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def each_database(folder: str, inner: list[str], describe: str) -> int:
    """Run ``python -m <inner>`` once per database, each fresh (SQLite under
    BENCH_DIR/<folder>; PostgreSQL ``<name>_run`` when DATABASE_URL is set,
    dropped afterwards), printing the JSON line each prints last."""
    base = Path(os.environ.get("BENCH_DIR", str(ROOT / "var" / "bench"))).resolve() / folder
    base.mkdir(parents=True, exist_ok=True)
    databases: list[tuple[str, str | None]] = [] if os.environ.get("SQLITE") == "0" else [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append(("postgresql", bench_database_url(os.environ["DATABASE_URL"])))
    for db, url in databases:
        log(f"{describe} on {db}")
        (base / "lvshi.sqlite3").unlink(missing_ok=True)
        if url:
            recreate_postgres(url)
        try:
            out = subprocess.run(  # noqa: S603 - fixed argv
                [sys.executable, "-m", *inner], env=server_env(base, url), cwd=ROOT, stdout=subprocess.PIPE, text=True
            )
            out.check_returncode()
            print(out.stdout.strip().splitlines()[-1], flush=True)
        finally:
            if url and not os.environ.get("BENCH_KEEP"):
                drop_postgres(url)
    return 0


def main() -> int:
    base = Path(os.environ.get("BENCH_DIR", str(ROOT / "var" / "bench"))).resolve()
    base.mkdir(parents=True, exist_ok=True)
    databases: list[tuple[str, str | None]] = [] if os.environ.get("SQLITE") == "0" else [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append(("postgresql", bench_database_url(os.environ["DATABASE_URL"])))
    log(f"machine: {os.cpu_count()} cores; results are JSON lines on stdout")
    for db, url in databases:
        try:
            run_database(db, url, base=base)
        finally:
            if url and not os.environ.get("BENCH_KEEP"):
                drop_postgres(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
