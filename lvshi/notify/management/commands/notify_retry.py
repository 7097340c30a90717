"""Queue again the SMS and e-mail that have not gone out, and forget old sent
ones (run every few minutes from cron or a timer)."""

from django.core.management.base import BaseCommand, CommandError

from lvshi.notify.services import delivery_prune, delivery_retry_due


class Command(BaseCommand):
    help = "重新排队发送失败或中断的短信和邮件，并清理早已发送的发送记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune-days", type=int, default=90, help="删除多少天以前已发送成功的发送记录（默认 90，0 表示不删除）"
        )

    def handle(self, *args, prune_days, **options):
        if prune_days < 0:
            raise CommandError("--prune-days 不能为负数。")
        queued = delivery_retry_due()
        self.stdout.write(f"已重新排队 {queued} 条消息。")
        if prune_days:
            pruned = delivery_prune(older_than_days=prune_days)
            self.stdout.write(f"已删除 {pruned} 条 {prune_days} 天前的发送记录。")
