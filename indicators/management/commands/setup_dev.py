from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaigns.models import Plan


class Command(BaseCommand):
    help = (
        "Development only: load the 2024 plan and the demo set (units, demo accounts, values) into an "
        "empty database. Does nothing when a plan is already there, so local changes are kept."
    )

    def handle(self, *args, **options):
        if Plan.objects.exists():
            self.stdout.write("Đã có dữ liệu kế hoạch, không nạp lại.")
            return
        call_command("loaddata", "plan_2024", "demo_2024", verbosity=1)
        self.stdout.write(self.style.SUCCESS("Đã nạp Kế hoạch 05/KH-UBND năm 2024 và bộ dữ liệu minh họa."))
