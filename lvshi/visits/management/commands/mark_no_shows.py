"""Turn approved bookings nobody registered 20 minutes after their start into
no-shows, and let bookings still under review when their meeting starts
lapse. Run every few minutes (cron or systemd timer); safe to run on several
machines at once."""

from django.core.management.base import BaseCommand

from lvshi.visits.services.checkin import expire_unreviewed, mark_no_shows


class Command(BaseCommand):
    help = "将开始后20分钟仍未登记到场的已通过预约记为未到，并记录违约"

    def handle(self, *args, **options):
        lapsed = expire_unreviewed()
        count = mark_no_shows()
        self.stdout.write(f"已记为未到 {count} 条预约；未审核而失效 {lapsed} 条。")
