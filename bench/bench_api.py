"""The API's roll-up endpoint against the dashboard page: the same figures, at most the same cost.

Run from the project root:

    python bench/bench_api.py                       # demo size, then 200 units × 60 elements × 4 quarters × 5 years
    python bench/bench_api.py --reps 30 --units 50 --years 2   # a quicker run
    python bench/bench_api.py --no-large            # demo size only

Like bench_dashboard.py it starts from a fresh database (a temporary SQLite file, or with DATABASE_URL
a test database created beside that one and dropped at the end), loads the plan and the demo set,
logs the chairman in for the dashboard and creates an API client granted 2024 for the API. It then
checks that both give the same figures for quarter II (every target's status, and its year-to-date
value as the dashboard words it) and times, interleaved in the same run with Django's test Client:

  - the ward dashboard ``/tien-do/2024/?quarter=2`` and ``/api/v1/plans/2024/rollup/?quarter=2``;
  - one unit: the dashboard filtered on TDP-01 and the roll-up endpoint with ``unit=TDP-01``.

It prints the median of ``--reps`` requests, the SQL queries of each and the ratio API ÷ dashboard.
Goal (issue 10): the ratio is at most 1. DEBUG is off unless ``DJANGO_DEBUG`` says otherwise.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import add_large_ward, add_size_arguments, fresh_database  # noqa: E402

ROW = re.compile(r'<tr class="depth-\d+" data-code="([^"]+)" data-status="([^"]+)">(.*?)</tr>', re.S)
ACTUAL = re.compile(r'data-testid="actual">([^<]*)<')


def pairs(unit_pk: int) -> list[tuple[str, str, str]]:
    """(name, dashboard URL, API URL) of each comparison."""
    return [
        ("ward, quarter II", "/tien-do/2024/?quarter=2", "/api/v1/plans/2024/rollup/?quarter=2"),
        (
            "unit TDP-01, quarter II",
            f"/tien-do/2024/?quarter=2&unit={unit_pk}",
            "/api/v1/plans/2024/rollup/?quarter=2&unit=TDP-01",
        ),
    ]


def same_figures(page: str, body: dict) -> int:
    """Assert the dashboard and the API agree on every target row; returns the number of rows compared."""
    from indicators.models import Target
    from indicators.progress import figure_text

    targets = {t.code: t for t in Target.objects.filter(plan__year=2024)}
    api_rows = {r["code"]: r for r in body["results"]}
    rows = ROW.findall(page)
    assert rows, "no target row on the dashboard"
    assert {code for code, _s, _b in rows} == {c for c, r in api_rows.items() if r["kind"] != "heading"}
    for code, status, markup in rows:
        row = api_rows[code]
        actual = None if row["actual"] is None else Decimal(row["actual"])
        assert row["status"] == status, (code, row["status"], status)
        assert figure_text(targets[code], actual) == ACTUAL.search(markup).group(1), code
    return len(rows)


def measure(
    web, api, urls: list[tuple[str, str, str]], reps: int
) -> list[tuple[str, float, int, float, int]]:
    """[(name, dashboard s, dashboard queries, API s, API queries)], medians over interleaved rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for name, page_url, api_url in urls:
        with CaptureQueriesContext(connection) as ctx:
            page = web.get(page_url)
        page_queries = len(ctx)
        with CaptureQueriesContext(connection) as ctx:
            body = api.get(api_url)
        assert page.status_code == 200 and body.status_code == 200, (page.status_code, body.status_code)
        compared = same_figures(page.content.decode(), body.json())
        print(f"  {name}: same figures for {compared} targets")
        queries[name] = (page_queries, len(ctx))
    times = {name: ([], []) for name, _p, _a in urls}
    for _ in range(reps):
        for name, page_url, api_url in urls:
            started = time.perf_counter()
            web.get(page_url)
            middle = time.perf_counter()
            api.get(api_url)
            times[name][0].append(middle - started)
            times[name][1].append(time.perf_counter() - middle)
    return [
        (
            name,
            statistics.median(times[name][0]),
            queries[name][0],
            statistics.median(times[name][1]),
            queries[name][1],
        )
        for name, _p, _a in urls
    ]


def report(title: str, results) -> float:
    print(f"\n{title}")
    print(f"  {'':<24} {'dashboard ms':>12} {'queries':>8} {'API ms':>8} {'queries':>8} {'API/dash':>9}")
    worst = 0.0
    for name, page_s, page_q, api_s, api_q in results:
        ratio = api_s / page_s
        worst = max(worst, ratio)
        print(
            f"  {name:<24} {page_s * 1000:>12.2f} {page_q:>8} {api_s * 1000:>8.2f} {api_q:>8} {ratio:>9.2f}"
        )
    verdict = "meets" if worst <= 1 else "MISSES"
    print(f"  worst API / dashboard = {worst:.2f} ({verdict} the goal of ≤ 1)")
    return worst


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    add_size_arguments(parser)
    parser.add_argument("--no-large", action="store_true", help="measure the demo size only")
    args = parser.parse_args(argv)

    with fresh_database(fixtures=("plan_2024", "titles", "demo_2024")):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from campaigns.api.clients import create_api_client
        from indicators.models import Unit

        web = Client()
        web.force_login(get_user_model().objects.get(username="chutich"))
        _client, token = create_api_client(name="bench", years=[2024])
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        urls = pairs(Unit.objects.get(code="TDP-01").pk)

        demo = report("demo size", measure(web, api, urls, args.reps))
        summary = f"summary: API/dashboard {demo:.2f}× at demo size"
        if not args.no_large:
            add_large_ward(args)
            large = report("large size", measure(web, api, urls, args.reps))
            summary += f", {large:.2f}× at large size"
        print(f"\n{summary} (goal ≤ 1)")


if __name__ == "__main__":
    main()
