"""``manage.py audit_verify``: check every chain of the audit trail.

Exit status 0 when every chain holds; 1 with the first broken event of each
broken shard (id, shard, sequence number and what differs) otherwise.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lvshi.audit import guards
from lvshi.audit.chain import verify_chains


class Command(BaseCommand):
    help = "核验审计日志的哈希链：内容是否被改动、事件是否被删除。"

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=5000, help="每次从数据库读取的事件数")
        parser.add_argument("--max-problems", type=int, default=100, help="最多列出的问题数")

    def handle(self, *args, chunk_size: int, max_problems: int, **options):
        if chunk_size < 1 or max_problems < 1:
            raise CommandError("--chunk-size 和 --max-problems 必须是正整数。")
        report = verify_chains(chunk_size=chunk_size, max_problems=max_problems)
        if guards.installed(connection) is False:
            self.stderr.write(
                self.style.WARNING("警告：数据库中没有启用审计表的防篡改触发器，请运行 manage.py migrate 重新安装。")
            )
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"审计链完整：已核验 {report.events} 条事件，{report.shards} 个分片。")
            )
            return
        for problem in report.problems:
            self.stderr.write(problem.describe())
        more = "（仅列出前面的问题）" if report.truncated else ""
        raise CommandError(
            f"审计链被破坏：发现 {len(report.problems)} 处问题{more}；"
            f"共核验 {report.events} 条事件，{report.shards} 个分片。首个问题：{report.problems[0].describe()}"
        )
