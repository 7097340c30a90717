"""``manage.py audit_prune [--days N]``: delete audit events older than the
retention period (``AUDIT_RETENTION_DAYS``, never less than 184 days)."""

from django.core.management.base import BaseCommand, CommandError

from lvshi.audit.services import audit_prune
from lvshi.core.errors import DomainError


class Command(BaseCommand):
    help = "按保留期清理过期的审计事件（至少保留 184 天），清理位置记录在链头，清理本身也记入审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数，默认取 AUDIT_RETENTION_DAYS")

    def handle(self, *args, days: int | None, **options):
        try:
            outcome = audit_prune(days=days)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        cutoff = outcome.cutoff.isoformat(timespec="seconds")
        self.stdout.write(
            self.style.SUCCESS(
                f"已清理 {outcome.deleted} 条早于 {cutoff} 的审计事件（保留 {outcome.days} 天），"
                f"涉及 {len(outcome.per_shard)} 个分片。"
            )
        )
        if outcome.skipped_shards:
            shards = "、".join(str(s) for s in outcome.skipped_shards)
            self.stderr.write(
                self.style.WARNING(f"分片 {shards} 的链有缺口，未清理；请运行 manage.py audit_verify 查看。")
            )
