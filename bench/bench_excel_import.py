"""Import 1,000 and 10,000 figures from one entry workbook: time and SQL queries of each step.

Issue 8: the number of queries must not grow with the number of rows. Checking a file reads
everything it needs in a constant number of queries; saving calls `services.save_values` once per
unit (its own bulk writes, a constant number of queries per unit), so the queries grow with the
units in the file and never with the figures per unit. Two series show both:

- fixed units, growing figures per unit (10 units × 100 and × 1,000 figures): the same query count;
- fixed figures per unit, growing units (50 and 500 units × 20 figures): the reads stay constant, the
  writes are a + b × units (the formula is printed).

On SQLite, Django splits each bulk insert at 999 query parameters, so saving n changed figures of a
unit adds ⌈n / 99⌉ inserts of audit rows (10 columns) and ⌈n / 249⌉ inserts of values (4 columns):
a batching of the database driver, not a query per row. PostgreSQL inserts each batch at once.

Run:  .venv/bin/python bench/bench_excel_import.py            (a temporary SQLite database)
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_bench .venv/bin/python bench/bench_excel_import.py
"""

import io
import os
import sys
import tempfile
import time
import zipfile
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
from indicators import excel  # noqa: E402
from indicators.models import (  # noqa: E402
    Assignment,
    DataElement,
    Profile,
    Report,
    ReportedValue,
    ReportingPeriod,
    Unit,
    ValueChange,
)


def setup():
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2024", verbosity=0)
    plan = Plan.objects.get(year=2024)
    today = timezone.localdate()
    common = {"plan": plan, "starts_on": today - timedelta(days=180), "ends_on": today}
    previous = ReportingPeriod.objects.create(
        quarter=3, opens_on=today - timedelta(days=100), deadline=today - timedelta(days=80), **common
    )
    period = ReportingPeriod.objects.create(
        quarter=4, opens_on=today - timedelta(days=1), deadline=today + timedelta(days=10), **common
    )
    period = ReportingPeriod.objects.select_related("plan").get(pk=period.pk)
    return plan, previous, period


def ward(plan, previous, *, name: str, units: int, elements: int):
    """`units` units each assigned `elements` synthetic figures, with last quarter's values approved."""
    created = Unit.objects.bulk_create(
        Unit(code=f"{name}-{i:03d}", name=f"Đơn vị {name} {i}", kind="residential_group", order=100 + i)
        for i in range(units)
    )
    figures = DataElement.objects.bulk_create(
        DataElement(
            plan=plan,
            code=f"{name}_{j}",
            name=f"Số liệu {j}",
            unit_of_measure="hộ",
            aggregation="stock" if j % 2 else "flow",
            value_type="count",
            order=1000 + j,
        )
        for j in range(elements)
    )
    created = list(Unit.objects.filter(code__startswith=f"{name}-").order_by("order"))
    figures = list(DataElement.objects.filter(code__startswith=f"{name}_"))
    Assignment.objects.bulk_create(Assignment(unit=u, element=e) for u in created for e in figures)
    Report.objects.bulk_create(Report(unit=u, period=previous, status="approved") for u in created)
    reports = Report.objects.filter(period=previous, unit__in=created)
    ReportedValue.objects.bulk_create(
        ReportedValue(report=r, element=e, value=Decimal(100)) for r in reports for e in figures
    )
    user = get_user_model().objects.create_user(username=f"bench-{name}")
    Profile.objects.create(user=user, role="official").units.set(created)
    return created, get_user_model().objects.get(pk=user.pk)


def filled_workbook(period, units) -> bytes:
    """The entry template of `units`, every value cell filled (a plausible 95 to 109)."""
    wb = excel.entry_workbook(period=period, units=units)
    for ws in wb.worksheets[: len(units)]:
        for row in range(excel.FIRST_ROW, ws.max_row + 1):
            ws.cell(row=row, column=excel.COL_VALUE, value=95 + row % 15)
    return excel.to_bytes(wb)


def measure(fn, **kwargs):
    """(queries, seconds, result) of one call."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn(**kwargs)
        elapsed = time.perf_counter() - start
    return len(queries), elapsed, result


def run(plan, previous, period, *, name, units, elements):
    created, user = ward(plan, previous, name=name, units=units, elements=elements)
    data = filled_workbook(period, created)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    start = time.perf_counter()
    excel.check_zip(data)
    workbook = excel.open_workbook(data)
    parse = time.perf_counter() - start
    q_check, check, preview = measure(
        excel.read_upload, workbook=workbook, file_name=f"{name}.xlsx", period=period, user=user
    )
    assert preview.ok, [str(p) for p in preview.errors[:5]]
    values = preview.change_count
    assert values == units * elements, values
    q_save, save, (_units, changed) = measure(
        excel.save_import, pending=preview.pending(user=user), user=user
    )
    assert changed == values == ValueChange.objects.filter(reason=f"Tệp {name}.xlsx").count()
    total = parse + check + save
    print(
        f"{units:>5} × {elements:>5} = {values:>6} | {len(data) / 1024:>7.0f} KB ({unpacked / 1024 / 1024:>5.1f} MB"
        f" unzipped) | parse {parse:>6.2f} s | check {check:>5.2f} s {q_check:>3} q | save {save:>5.2f} s"
        f" {q_save:>5} q | {values / total:>8.0f} values/s"
    )
    return q_check, q_save


def main():
    plan, previous, period = setup()
    print(f"database: {connection.vendor}; upload limit {excel.upload_limit_text()} MB")
    if connection.vendor == "sqlite":
        print("(SQLite: bulk inserts are split at 999 parameters, see the docstring)")
    print(
        "units × figures = values | file | parse (zip checks + openpyxl) | check (read_upload) | save | speed"
    )
    print("-- growing figures per unit, fixed units")
    a = run(plan, previous, period, name="A1", units=10, elements=100)
    b = run(plan, previous, period, name="A2", units=10, elements=1000)
    print(f"   queries at 1,000 and 10,000 values: check {a[0]} → {b[0]}, save {a[1]} → {b[1]}")
    print("-- growing units, fixed figures per unit")
    c = run(plan, previous, period, name="B1", units=50, elements=20)
    d = run(plan, previous, period, name="B2", units=500, elements=20)
    per_unit = (d[1] - c[1]) / (500 - 50)
    print(
        f"   queries at 1,000 and 10,000 values: check {c[0]} → {d[0]}, save {c[1]} → {d[1]}"
        f" = {c[1] - per_unit * 50:.0f} + {per_unit:.0f} × units"
    )


if __name__ == "__main__":
    main()
