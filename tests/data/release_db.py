"""The previous release's database for tests/test_upgrade.py (and tests/test_deploy_nginx.py).

Run from the root of a checkout, with DATABASE_URL naming an SQLite file:

    build     migrate an empty database with that checkout's code, load the plan, the titles and the
              demo, and print the roll-ups that code computes (JSON)
    rollups   print the roll-ups of the database as the checkout's code computes them (JSON)

At each release (README, "Upgrading"), from a worktree of the release just landed, rebuild the files
of tests/data and set RELEASE in tests/test_upgrade.py (C = the release's short commit):

    git worktree add /tmp/prev C && cd /tmp/prev
    DATABASE_URL=sqlite:////tmp/release.sqlite3 /work/main/.venv/bin/python \
        /work/main/tests/data/release_db.py build > /work/main/tests/data/release-C-rollups.json
    gzip -9n < /tmp/release.sqlite3 > /work/main/tests/data/release-C.sqlite3.gz
    createdb release_c && DATABASE_URL=postgres://postgres@127.0.0.1:5432/release_c /work/main/.venv/bin/python \
        /work/main/tests/data/release_db.py build > /work/main/tests/data/release-C-rollups-postgresql.json
    pg_dump --format=custom --no-owner --no-privileges --compress=9 \
        --file=/work/main/tests/data/release-C.pgdump release_c && dropdb release_c
    cd /work/main && git worktree remove /tmp/prev   # and git rm the previous release's files
"""

import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phominh.settings")
os.environ.setdefault("DJANGO_ENV", "development")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def rollups() -> dict:
    """Every quarter's roll-up of the 2024 plan, ward-wide and per unit that reports, approved figures
    only and with those submitted: target code → actual, progress, status, projection (as strings)."""
    from campaigns.models import Plan
    from indicators.models import Unit
    from indicators.rollup import rollup

    def table(results) -> dict:
        return {
            r.target.code: [
                None if r.actual is None else str(r.actual),
                None if r.progress is None else str(r.progress),
                str(r.status),
                None if r.projection is None else str(r.projection),
            ]
            for r in results
        }

    plan = Plan.objects.get(year=2024)
    out = {}
    for quarter in range(1, 5):
        for submitted in (False, True):
            results = rollup(plan=plan, up_to_quarter=quarter, include_submitted=submitted)
            out[f"q{quarter}-{'submitted' if submitted else 'approved'}"] = table(results)
    for unit in Unit.objects.order_by("code"):
        out[f"q4-approved-{unit.code}"] = table(rollup(plan=plan, up_to_quarter=4, unit_ids=[unit.pk]))
    return out


def main(mode: str) -> None:
    if mode == "build":
        call_command("migrate", verbosity=0, interactive=False)
        call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    elif mode != "rollups":
        sys.exit(f"unknown mode {mode!r}: build or rollups")
    print(json.dumps(rollups(), indent=1, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "rollups")
