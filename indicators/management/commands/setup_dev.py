from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from awards.demo_households import load_demo_register
from awards.models import AwardRecord
from awards.registry import number_unnumbered
from campaigns.models import Plan, PledgeWindow
from indicators import services
from indicators.models import ReportingPeriod, Target

# Demo: the office has set the two-harvest profile for grain (nothing is cut in quarter I, the winter-
# spring crop in quarter II, the summer-autumn crop in quarter III), as DOMAIN §2 foresees.
DEMO_HARVEST_PACE = (Decimal(0), Decimal(50), Decimal(100))
DEMO_HARVEST_TARGETS = ("KT-07", "KT-07a", "KT-07a.1", "KT-07b", "KT-07b.1")


class Command(BaseCommand):
    help = (
        "Development only: load the 2024 plan and the demo set (units, demo accounts, values) into an "
        "empty database. Does nothing when a plan is already there, so local changes are kept. Refuses "
        "with DJANGO_ENV=production: the demo accounts' password is published in the README."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "setup_dev chỉ dùng khi phát triển: với DJANGO_ENV=production không nạp bộ dữ liệu minh họa "
                "(các tài khoản minh họa có mật khẩu công khai trong README). Môi trường thật chỉ nạp kế "
                "hoạch: manage.py loaddata plan_2024 titles."
            )
        if Plan.objects.exists():
            self.stdout.write("Đã có dữ liệu kế hoạch, không nạp lại.")
            return
        call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=1)
        # The demo year lies in the past: extend quarter IV so that the demo accounts can enter figures.
        period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
        period.reopened_until = timezone.localdate() + timedelta(days=30)
        period.save(update_fields=["reopened_until"])
        window = PledgeWindow.objects.get(plan__year=2024)
        window.closes_on = period.reopened_until
        window.save(update_fields=["closes_on"])
        office = get_user_model().objects.get(username="vanphong")
        for target in Target.objects.filter(plan__year=2024, code__in=DEMO_HARVEST_TARGETS):
            services.set_pace(
                target=target,
                user=office,
                percents=DEMO_HARVEST_PACE,
                reason="Minh họa: lúa, ngô thu hoạch hai vụ (Đông Xuân trong quý II, Hè Thu trong quý III).",
            )
        households = load_demo_register()
        # The demo's registry rows come from a fixture: give them their register numbers (số vào sổ).
        for year in AwardRecord.objects.values_list("year", flat=True).distinct():
            number_unnumbered(year)
        self.stdout.write(self.style.SUCCESS("Đã nạp Kế hoạch 05/KH-UBND năm 2024 và bộ dữ liệu minh họa."))
        self.stdout.write(
            f"Sổ hộ gia đình của các tổ dân phố (minh họa): {households:,} hộ.".replace(",", ".")
        )
        self.stdout.write(
            f"Đợt đăng ký thi đua 2024 được gia hạn (minh họa) đến {window.closes_on:%d/%m/%Y}."
        )
        self.stdout.write(
            f"Quý IV/2024 được gia hạn nhập liệu (minh họa) đến {period.reopened_until:%d/%m/%Y}."
        )
        self.stdout.write(
            "Tiến độ theo quý của sản lượng lương thực: 0 - 50 - 100 - 100 % (hai vụ, minh họa)."
        )
