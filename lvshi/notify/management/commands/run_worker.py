"""Run the background worker for the database task backend on every queue
the platform uses (default and notify)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def configured_queues(alias: str = "default") -> list[str]:
    return list(settings.TASKS.get(alias, {}).get("QUEUES", ["default"]))


class Command(BaseCommand):
    help = "运行后台任务进程（数据库任务队列：default 和 notify）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完现有任务后退出。")
        parser.add_argument("--max-tasks", type=int, default=None, help="最多执行的任务数，达到后退出。")
        parser.add_argument("--interval", type=float, default=1.0, help="无任务时的轮询间隔（秒）。")
        parser.add_argument("--reload", action="store_true", help="代码变化时自动重启（仅用于开发）。")

    def handle(self, *args, batch, max_tasks, interval, reload, **options):
        backend = settings.TASKS.get("default", {}).get("BACKEND", "")
        if backend != "django_tasks_db.DatabaseBackend":
            raise CommandError(
                f"run_worker 只用于数据库任务队列（TASKS_BACKEND=database），当前后端为 {backend or '未配置'}。"
            )
        kwargs = {
            "queue_name": ",".join(configured_queues()),
            "interval": interval,
            "batch": batch,
            "reload": reload,
            "startup_delay": not batch,
            "verbosity": options["verbosity"],
        }
        if max_tasks:
            kwargs["max_tasks"] = max_tasks
        call_command("db_worker", **kwargs)
