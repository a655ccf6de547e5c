from django.core.management.base import BaseCommand

from indicators.notifications import period_reminders


class Command(BaseCommand):
    help = (
        "Daily (cron): notify people of a reporting period opening today and of a deadline in three days, "
        "in the portal and by mail, each with the link to his unit's form; never for a closed quarter."
    )

    def handle(self, *args, **options):
        sent = period_reminders()
        self.stdout.write(f"Đã tạo {sent} thông báo.")
