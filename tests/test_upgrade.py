"""Upgrades keep data: a database made by the previous release, with its data, migrated by this
release, gives the same roll-ups as that release computed (issue 17, item 4).

tests/data/release-<commit>.sqlite3.gz was built by the previous release's code (migrate, then the plan,
the titles and the demo with its approved, submitted and draft reports); release-<commit>-rollups.json
holds the roll-ups that code computed from it: every quarter ward-wide, approved only and with the
submitted reports, and each unit's fourth quarter. tests/data/release_db.py builds both; README
("Upgrading") says how to refresh them at each release. Each check runs in a subprocess against its own
copy of the database, never the test database.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
RELEASE = "f40376a"


def clean_env(database_url: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PHOMINH_"))}
    return base | {"DJANGO_ENV": "development", "DATABASE_URL": database_url}


def run(args: list[str], database_url: str, *, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result


def expected_rollups(vendor: str = "sqlite") -> dict:
    """The previous release's roll-ups on this database engine: the figures are the same numbers on
    both, but PostgreSQL's sums carry more decimal places in their text ("163.400000000000")."""
    suffix = "-postgresql" if vendor == "postgresql" else ""
    return json.loads((DATA / f"release-{RELEASE}-rollups{suffix}.json").read_text())


def assert_same_rollups(actual: dict, expected: dict) -> None:
    assert actual.keys() == expected.keys()
    differences = [
        f"{table} {code}: {expected[table].get(code)} → {actual[table].get(code)}"
        for table in expected
        for code in sorted(expected[table].keys() | actual[table].keys())
        if expected[table].get(code) != actual[table].get(code)
    ]
    assert not differences, f"{len(differences)} roll-up figures changed:\n" + "\n".join(differences[:30])


def migrate_and_compare(database_url: str, vendor: str = "sqlite") -> None:
    migrated = run(["manage.py", "migrate", "--noinput"], database_url)
    assert "Applying" in migrated.stdout or "No migrations to apply" in migrated.stdout
    # Nothing left unapplied, no model change without its migration.
    run(["manage.py", "migrate", "--check"], database_url)
    run(["manage.py", "makemigrations", "--check", "--dry-run"], database_url)
    rollups = run([str(DATA / "release_db.py"), "rollups"], database_url)
    assert_same_rollups(json.loads(rollups.stdout), expected_rollups(vendor))


def test_the_previous_release_database_upgrades_with_the_same_rollups(tmp_path):
    database = tmp_path / "release.sqlite3"
    with gzip.open(DATA / f"release-{RELEASE}.sqlite3.gz") as packed, database.open("wb") as out:
        shutil.copyfileobj(packed, out)
    migrate_and_compare(f"sqlite:///{database}")


def test_the_expected_rollups_hold_real_figures():
    """The comparison means something: approved and submitted figures differ, units have their own;
    the two engines' files hold the same numbers."""
    expected = expected_rollups()
    on_postgresql = expected_rollups("postgresql")
    assert expected.keys() == on_postgresql.keys()
    for table, rows in expected.items():
        for code, row in rows.items():
            numbers = [None if v is None or i == 2 else Decimal(v) for i, v in enumerate(row)]
            other = [
                None if v is None or i == 2 else Decimal(v) for i, v in enumerate(on_postgresql[table][code])
            ]
            assert numbers == other and row[2] == on_postgresql[table][code][2], (table, code)
    assert len(expected["q4-approved"]) > 40
    assert any(row[0] is not None for row in expected["q2-approved"].values())
    assert expected["q4-approved"] != expected["q4-submitted"]
    assert sum(1 for key in expected if key.startswith("q4-approved-TDP-")) >= 8


@pytest.fixture
def scratch_postgres():
    """A scratch database beside the test database on DATABASE_URL's server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL upgrade runs when DATABASE_URL names a PostgreSQL server")
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_upgrade_{os.getpid()}"
    server = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }

    def admin(sql: str) -> None:
        connection = psycopg2.connect(dbname="postgres", **server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name, name
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_previous_release_postgresql_dump_upgrades_with_the_same_rollups(scratch_postgres):
    """The previous release's data as its pg_dump (release-<commit>.pgdump, made by that release on
    PostgreSQL), restored as the README restores a backup, then migrated by this release."""
    if not shutil.which("pg_restore"):
        pytest.fail("pg_restore is needed to restore the previous release's dump (postgresql-client)")
    url, _name = scratch_postgres
    restored = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={url}",
            str(DATA / f"release-{RELEASE}.pgdump"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    migrate_and_compare(url, "postgresql")
