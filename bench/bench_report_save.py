"""Queries and time to save one unit's full quarter, at growing numbers of data elements.

The number of SQL queries per save must not grow with the number of elements (bulk writes).
Run:  .venv/bin/python bench/bench_report_save.py            (a temporary SQLite database)
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_bench .venv/bin/python bench/bench_report_save.py
"""

import os
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phominh.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Plan  # noqa: E402
from indicators import services  # noqa: E402
from indicators.models import Assignment, DataElement, Profile, ReportingPeriod, Unit  # noqa: E402


def setup():
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2024", verbosity=0)
    plan = Plan.objects.get(year=2024)
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        plan=plan,
        quarter=4,
        starts_on=today - timedelta(days=90),
        ends_on=today,
        opens_on=today - timedelta(days=1),
        deadline=today + timedelta(days=10),
    )
    return plan, period


def unit_with_elements(plan, size: int):
    unit = Unit.objects.create(code=f"BENCH-{size}", name=f"Đơn vị {size} số liệu", kind="office")
    elements = DataElement.objects.bulk_create(
        DataElement(
            plan=plan,
            code=f"B{size}_{i}",
            name=f"Số liệu {i}",
            unit_of_measure="con",
            aggregation="flow",
            value_type="count",
            order=1000 + i,
        )
        for i in range(size)
    )
    Assignment.objects.bulk_create(Assignment(unit=unit, element=e) for e in elements)
    user = get_user_model().objects.create_user(username=f"bench{size}")
    Profile.objects.create(user=user, role="official").units.add(unit)
    return unit, list(DataElement.objects.filter(assignments__unit=unit)), user


def measure(fn, **kwargs):
    """(queries, milliseconds, result) of one call."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn(**kwargs)
        elapsed = time.perf_counter() - start
    return len(queries), elapsed * 1000, result


def main():
    plan, period = setup()
    print(f"database: {connection.vendor}")
    print(f"{'elements':>8} | {'first save':>18} | {'update all':>18} | {'submit':>18}")
    for size in (10, 50, 200, 1000):
        unit, elements, user = unit_with_elements(plan, size)
        common = {"unit": unit, "period": period, "user": user}
        first = {e: services.Entry(Decimal(i + 1)) for i, e in enumerate(elements)}
        q1, t1, (report, _) = measure(services.save_values, entries=first, version=0, **common)
        second = {e: services.Entry(Decimal(i + 2)) for i, e in enumerate(elements)}
        q2, t2, (report, _) = measure(services.save_values, entries=second, version=report.version, **common)
        q3, t3, _ = measure(services.submit_report, report=report, user=user)
        print(f"{size:>8} | {q1:>4} q {t1:>9.1f} ms | {q2:>4} q {t2:>9.1f} ms | {q3:>4} q {t3:>9.1f} ms")


if __name__ == "__main__":
    main()
