"""How much slower the progress dashboard is than a minimal logged-in page, at demo size and at scale.

Run from the project root:

    python bench/bench_dashboard.py                 # demo, then 200 units × 60 elements × 4 quarters × 5 years
    python bench/bench_dashboard.py --reps 30 --units 50 --years 2   # a quicker run

It starts from a fresh database: a temporary SQLite file, or, when DATABASE_URL is set, a test
database created next to that one by Django's test machinery (and dropped at the end). It loads the
2024 plan and the demo set, logs in as the chairman (`chutich`, who sees every unit), and with
Django's test Client times, in the same run and interleaved so that a machine slowing down mid-run
favours neither:

  - the home page (``/``): session, user, role, one query and the base template, the minimal page;
  - the ward dashboard (``/tien-do/2024/``), the page the goal is about;
  - the drill-down of a ratio target (XH-03, every residential group's row) and a unit's page,
    for information.

Each is requested ``--reps`` times after a warm-up; the median wall time is printed with the ratio to
the home page and the number of SQL queries. "dashboard, no cache" is the same page with the roll-up
cache off (`ROLLUP_CACHE_SECONDS = 0`): what the first visitor after a change of the figures waits
for. Then `make_large_ward` writes the synthetic ward and the
same is measured again. Goal (issue 4): dashboard ≤ 3× the home page at demo size, ≤ 5× at scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import add_large_ward, add_size_arguments, fresh_database  # noqa: E402

# The dashboard again with the roll-up cache off (ROLLUP_CACHE_SECONDS = 0): what the first visitor
# after a change of the data waits for.
COLD = "dashboard, no cache"
PAGES = [
    ("home (minimal page)", "/"),
    ("dashboard", "/tien-do/2024/"),
    (COLD, "/tien-do/2024/"),
    ("drill-down XH-03", "/tien-do/2024/chi-tieu/XH-03/"),
    ("unit page TDP-01", "/tien-do/2024/don-vi/TDP-01/"),
]


def measure(client, reps: int) -> dict[str, tuple[float, int]]:
    """{page: (median seconds, queries)} over `reps` interleaved rounds after one warm-up each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    def get(name, url):
        if name == COLD:
            with override_settings(ROLLUP_CACHE_SECONDS=0):
                return client.get(url)
        return client.get(url)

    queries = {}
    for name, url in PAGES:
        get(name, url)  # warm-up: the cached pages are measured as they are served most of the time
        with CaptureQueriesContext(connection) as ctx:
            response = get(name, url)
        assert response.status_code == 200, (url, response.status_code)
        queries[name] = len(ctx)
    times: dict[str, list[float]] = {name: [] for name, _url in PAGES}
    for _ in range(reps):
        for name, url in PAGES:
            started = time.perf_counter()
            get(name, url)
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), queries[name]) for name, _url in PAGES}


def report(title: str, results: dict[str, tuple[float, int]], goal: float) -> float:
    base = results[PAGES[0][0]][0]
    print(f"\n{title}")
    print(f"  {'page':<22} {'median ms':>10} {'× home':>8} {'queries':>8}")
    for name, (seconds, queries) in results.items():
        print(f"  {name:<22} {seconds * 1000:>10.2f} {seconds / base:>8.2f} {queries:>8}")
    ratio = results["dashboard"][0] / base
    verdict = "meets" if ratio <= goal else "MISSES"
    print(f"  dashboard / home = {ratio:.2f} ({verdict} the goal of ≤ {goal:g}×)")
    return ratio


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    add_size_arguments(parser)
    args = parser.parse_args(argv)

    with fresh_database():
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(username="chutich"))
        demo = report("demo size", measure(client, args.reps), goal=3)
        add_large_ward(args)
        large = report("large size", measure(client, args.reps), goal=5)
        print(
            f"\nsummary: dashboard/home {demo:.2f}× at demo size (goal ≤ 3), {large:.2f}× at large size (goal ≤ 5)"
        )


if __name__ == "__main__":
    main()
