"""Delivery through the real database task queue and worker process."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from lvshi.notify import sms
from lvshi.notify.models import Delivery, DeliveryStatus
from lvshi.notify.services import delivery_retry_due, notify_user
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "notify"]}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_notification_queued_in_the_database(database_queue):
    user = UserFactory(mobile="13900000001")
    with transaction.atomic():
        notify_user(user, kind="welcome", context={"name": "张律师"})
    task = DBTaskResult.objects.get()
    assert task.queue_name == "notify"
    assert sms.outbox == []  # queued, not yet sent
    assert Delivery.objects.get().status == DeliveryStatus.PENDING

    call_command("run_worker", batch=True, verbosity=0)

    assert [m.to for m in sms.outbox] == ["13900000001"]
    assert "张律师" in sms.outbox[0].body
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_when_the_transaction_rolls_back(database_queue):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_user(user, kind="welcome", context={"name": "张律师"})
        raise RuntimeError("the caller's change failed")
    assert DBTaskResult.objects.count() == 0
    assert Delivery.objects.count() == 0


class FlakyGateway(sms.BaseSmsBackend):
    calls = 0

    def send_messages(self, messages):
        FlakyGateway.calls += 1
        if FlakyGateway.calls == 1:
            raise sms.SmsDeliveryError("网关暂时不可用")
        return sms.LocmemSmsBackend().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_failed_delivery_is_retried_by_the_worker(database_queue, settings):
    settings.SMS_BACKEND = f"{__name__}.FlakyGateway"
    FlakyGateway.calls = 0
    user = UserFactory(mobile="13900000002")
    with transaction.atomic():
        notify_user(user, kind="welcome", context={"name": "张律师"})
    call_command("run_worker", batch=True, verbosity=0)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "网关暂时不可用" in delivery.last_error
    assert DBTaskResult.objects.get().status == "FAILED"

    with transaction.atomic():
        assert delivery_retry_due() == 1
    call_command("run_worker", batch=True, verbosity=0)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert [m.to for m in sms.outbox] == ["13900000002"]


def test_run_worker_refuses_other_backends():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="TASKS_BACKEND=database"):
        call_command("run_worker", batch=True)


# --- runall -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    var = tmp_path_factory.mktemp("runall-var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    env.update(LVSHI_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="lvshi.settings", TASKS_BACKEND="database")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180
    )
    return env


def _start_runall(env, port, *extra):
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runall", "--host", "127.0.0.1", "--port", str(port), "--noreload", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pids = {}
    while len(pids) < 2:
        line = proc.stdout.readline()
        assert line, "runall ended before starting both processes"
        if " pid " in line:
            name, _pid, rest = line.split(" ", 2)
            pids[name] = int(rest.split(":")[0])
    return proc, pids


def _wait_http(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return r.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the web server did not answer")


def _wait_gone(pids, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def test_runall_starts_web_and_worker_and_stops_both_on_sigterm(site_env):
    port = _free_port()
    proc, pids = _start_runall(site_env, port)
    try:
        assert set(pids) == {"web", "worker"}
        assert _wait_http(port) == 200
        assert _alive(pids["worker"])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert _wait_gone(pids.values()) == []
    finally:
        proc.kill()


def test_runall_runs_gunicorn_when_debug_is_off(site_env):
    env = {
        **site_env,
        "DEBUG": "false",
        "SECRET_KEY": "runall-test-secret-key-0123456789abcdef",
        "FIELD_ENCRYPTION_KEY": "runall-test-field-key",
        "BLIND_INDEX_KEY": "runall-test-blind-key",
        "AUDIT_CHAIN_KEY": "runall-test-audit-key",
        "SECURE_SSL_REDIRECT": "false",
    }
    port = _free_port()
    proc, pids = _start_runall(env, port, "--workers", "2")
    try:
        assert _wait_http(port) == 200
        assert "gunicorn" in Path(f"/proc/{pids['web']}/cmdline").read_text()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert _wait_gone(pids.values()) == []
    finally:
        proc.kill()


def test_runall_stops_the_web_server_when_the_worker_dies(site_env):
    port = _free_port()
    proc, pids = _start_runall(site_env, port)
    try:
        _wait_http(port)
        os.kill(pids["worker"], signal.SIGKILL)
        assert proc.wait(timeout=20) != 0
        assert _wait_gone(pids.values()) == []
    finally:
        proc.kill()


# --- several workers at once ------------------------------------------------------


class SlowGateway(sms.BaseSmsBackend):
    """Holds the message long enough for a second worker to try the same one."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return sms.LocmemSmsBackend().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message_twice(database_queue, settings):
    import threading

    from django.db import connection

    from lvshi.notify.services import delivery_send, send_sms

    settings.SMS_BACKEND = f"{__name__}.SlowGateway"
    with transaction.atomic():
        delivery = send_sms(mobile="13900000003", template="sms_code", context={"code": "246810"})
    barrier = threading.Barrier(4)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(sms.outbox) == 1
    assert len(results) == 4  # every worker returned; only one of them sent
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
