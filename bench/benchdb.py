"""What the page benchmarks share: a fresh database with the plan and the demo, and the large ward.

`fresh_database()` starts from nothing and leaves nothing behind: a temporary SQLite file, or, when
DATABASE_URL is set, a test database created beside that one by Django's test machinery and dropped
at the end (the data of the database DATABASE_URL names is never touched). DEBUG is off unless
DJANGO_DEBUG says otherwise, so pages render as in production.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

DEMO_FIXTURES = ("plan_2024", "titles", "demo_2024", "demo_awards_2024")


def add_size_arguments(parser) -> None:
    """The large ward's size (issue 4: 200 units × 60 elements × 4 quarters × 5 years)."""
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--elements", type=int, default=60)
    parser.add_argument("--quarters", type=int, default=4)
    parser.add_argument("--years", type=int, default=5)


@contextmanager
def fresh_database(fixtures=DEMO_FIXTURES):
    """Django set up on a new, migrated database with `fixtures` loaded; yields the connection."""
    tmp = None
    use_test_db = bool(os.environ.get("DATABASE_URL"))
    if not use_test_db:
        tmp = tempfile.TemporaryDirectory(prefix="phominh-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "phominh.settings"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client accept "testserver"
    old_name = None
    if use_test_db:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        call_command("loaddata", *fixtures, verbosity=0)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; DEBUG={settings.DEBUG}")
        yield connection
    finally:
        if use_test_db:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None:
            connection.close()
            tmp.cleanup()


def add_large_ward(args) -> None:
    """`make_large_ward` at the size `args` gives, then fresh planner statistics.

    ANALYZE runs after the bulk load on both databases, as autovacuum (PostgreSQL) would soon do.
    """
    from django.db import connection
    from make_large_ward import make_large_ward

    print(
        f"\ngenerating the large ward: {args.units} units × {args.elements} elements × "
        f"{args.quarters} quarters × {args.years} years …"
    )
    make_large_ward(
        units=args.units,
        elements=args.elements,
        quarters=args.quarters,
        years=args.years,
        out=lambda line: print(line, flush=True),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
