from django.core.management.base import BaseCommand

from indicators.notifications import period_reminders


class Command(BaseCommand):
    help = "Daily (cron): notify people of a reporting period opening today and of a deadline in three days."

    def handle(self, *args, **options):
        sent = period_reminders()
        self.stdout.write(f"Đã tạo {sent} thông báo.")
