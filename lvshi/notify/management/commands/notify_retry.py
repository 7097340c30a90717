"""Queue again the SMS and e-mail that have not gone out (run every few minutes)."""

from django.core.management.base import BaseCommand

from lvshi.notify.services import delivery_retry_due


class Command(BaseCommand):
    help = "重新排队发送失败或中断的短信和邮件。"

    def handle(self, *args, **options):
        n = delivery_retry_due()
        self.stdout.write(f"已重新排队 {n} 条消息。")
