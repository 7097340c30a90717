"""Expire waitlist offers past their 15 minutes (the room goes to the next in
line, or back to free) and close waiting entries whose slot has started. Run
every few minutes with ``mark_no_shows`` (cron or systemd timer); safe to run
on several machines at once."""

from django.core.management.base import BaseCommand

from lvshi.visits.services.waitlist import expire_offers


class Command(BaseCommand):
    help = "候补保留超过15分钟未确认的顺延给下一位，并关闭已开始时段的候补"

    def handle(self, *args, **options):
        count = expire_offers()
        self.stdout.write(f"已处理 {count} 条候补。")
