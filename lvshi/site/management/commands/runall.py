"""Start the web server and the background worker together.

    python manage.py runall --host 0.0.0.0 --port 8000

The web server is ``runserver`` when DEBUG is on and gunicorn otherwise; the
worker is ``run_worker`` (database task queue). Both run as child processes
in their own process groups. SIGINT/SIGTERM/SIGHUP are passed on to both;
when either child ends, the other is stopped and runall exits with the
first child's exit status.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 10.0


class Command(BaseCommand):
    help = "同时启动网站服务和后台任务进程，任一进程退出时停止另一个。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn 进程数（DEBUG 关闭时）")
        parser.add_argument("--no-worker", action="store_true", help="只启动网站服务，不启动后台任务进程")
        parser.add_argument("--noreload", action="store_true", help="开发模式下不自动重新加载代码")

    # --- the commands to run -------------------------------------------------

    def web_command(self, *, host: str, port: int, workers: int | None, noreload: bool) -> list[str]:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if settings.DEBUG:
            cmd = [sys.executable, "-m", "django", "runserver", bind]
            if noreload:
                cmd.append("--noreload")
            return cmd
        workers = workers or min(2 * (os.cpu_count() or 1) + 1, 8)
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "lvshi.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]

    def worker_command(self, *, noreload: bool) -> list[str] | None:
        backend = settings.TASKS.get("default", {}).get("BACKEND", "")
        if backend != "django_tasks_db.DatabaseBackend":
            return None
        cmd = [sys.executable, "-m", "django", "run_worker"]
        if settings.DEBUG and not noreload:
            cmd.append("--reload")
        return cmd

    # --- supervision -----------------------------------------------------------

    def handle(self, *args, host, port, workers, no_worker, noreload, **options):
        if not 0 < port < 65536:
            raise CommandError("端口应在 1 到 65535 之间。")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "lvshi.settings")}
        commands = {"web": self.web_command(host=host, port=port, workers=workers, noreload=noreload)}
        worker = None if no_worker else self.worker_command(noreload=noreload)
        if worker:
            commands["worker"] = worker
        elif not no_worker:
            self.stderr.write("当前任务后端不是数据库队列，未启动后台任务进程。")

        children: dict[str, subprocess.Popen] = {}
        received: list[int] = []

        def forward(signum, frame):
            received.append(signum)

        previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        try:
            for name, cmd in commands.items():
                # A new session per child, so a signal reaches the child's own
                # children too (runserver's reloader, gunicorn's workers).
                children[name] = subprocess.Popen(cmd, env=env, start_new_session=True)  # noqa: S603 - fixed argv
                self.stdout.write(f"{name} pid {children[name].pid}: {' '.join(cmd)}")
            self.stdout.flush()
            first_exit = self._wait_for_first(children, received)
        finally:
            self._stop_all(children, received[0] if received else signal.SIGTERM)
            for s, handler in previous.items():
                signal.signal(s, handler)
        if first_exit:
            sys.exit(first_exit)

    def _wait_for_first(self, children: dict[str, subprocess.Popen], received: list[int]) -> int:
        while True:
            if received:
                self.stdout.write(f"收到信号 {signal.Signals(received[0]).name}，正在停止所有进程。")
                return 0
            for name, proc in children.items():
                code = proc.poll()
                if code is not None:
                    self.stderr.write(f"{name} 进程已退出（状态 {code}），正在停止其余进程。")
                    return code or 1
            time.sleep(0.2)

    def _stop_all(self, children: dict[str, subprocess.Popen], signum: int) -> None:
        for proc in children.values():
            if proc.poll() is None:
                _signal_group(proc, signum)
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        self.stdout.write("所有进程已停止。")


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signum)
