"""Import a register of 3.300 households from one workbook (the demo's groups registered 3.285): the
time and peak memory of each step, and the SQL queries, which must not grow with the rows.

Steps: the upload's checks and openpyxl's full read (`excel.check_upload`, `excel.open_workbook`),
the preview (`household_import.read_upload`: every row checked, one query for the register), and the
all-or-nothing save (`household_import.save_import`: bulk inserts). Each step is timed as it runs;
its peak memory is tracemalloc's peak of Python allocations in a second, separate run of the same
step (tracemalloc slows Python several times, so it never runs while the clock does), and the
process's resident high-water mark (ru_maxrss) is printed at the end.

Run:  .venv/bin/python bench/bench_household_import.py [--rows 3300]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_bench .venv/bin/python bench/bench_household_import.py
"""

import argparse
import io
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import fresh_database  # noqa: E402


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.size, self.name = len(data), name


def measure(label, function, *, again=None):
    """Time `function` (with its queries); then its peak Python memory in a run of `again` (a
    repeatable twin of the step, inside a rolled-back transaction when it writes)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = function()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        with transaction.atomic():
            (again or function)()
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - a repeated write may conflict; the first run's figures stand
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {seconds:7.2f} s   peak {peak / 1048576:6.1f} MB   {len(queries):4d} queries")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3300)
    args = parser.parse_args()
    with fresh_database():
        from django.contrib.auth import get_user_model

        from awards import household_import
        from awards.demo_households import households_for
        from indicators import excel
        from indicators.models import Unit

        unit = Unit.objects.get(code="TDP-01")
        leader = get_user_model().objects.get(username="totruong1")
        rows = households_for(unit, args.rows, seed=7)
        workbook = household_import.template_workbook(unit, rows)
        data = excel.to_bytes(workbook)
        print(f"{args.rows} rows, file {len(data) / 1024:.0f} KB")
        book = measure(
            "check and open the file",
            lambda: excel.open_workbook(excel.check_upload(Upload(data, "so-ho.xlsx"))),
        )
        preview = measure(
            "preview (every row checked)",
            lambda: household_import.read_upload(workbook=book, file_name="so-ho.xlsx", unit=unit),
        )
        assert preview.ok, preview.errors or [r.errors for r in preview.rows if r.errors][:3]
        pending = preview.pending(user=leader)
        fresh = {**pending, "unit": Unit.objects.get(code="TDP-02").pk}
        leader2 = get_user_model().objects.get(username="totruong2")
        added, updated = measure(
            "save (all or nothing)",
            lambda: household_import.save_import(pending=pending, user=leader),
            again=lambda: household_import.save_import(pending=fresh, user=leader2),
        )
        print(f"added {added}, updated {updated}")
        # The same file again: every row matches a household of the register, nothing to write.
        book = excel.open_workbook(excel.check_upload(Upload(data, "so-ho.xlsx")))
        again = measure(
            "preview of the same file again",
            lambda: household_import.read_upload(workbook=book, file_name="so-ho.xlsx", unit=unit),
        )
        print(f"unchanged rows: {again.count('same')}")
        high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process resident high-water mark: {high:.0f} MB")


if __name__ == "__main__":
    main()
