"""Backup and restore (README "Backup and restore"): the figures and the audit trails come back identical.

Two paths: `dumpdata`/`loaddata` (portable, any database) restored into the emptied test database, and
on PostgreSQL `pg_dump`/`pg_restore` into a second, fresh database read by a separate process. Both
compare a snapshot taken before the backup: the roll-up of every quarter (official and with submitted
figures), every ValueChange and ActionLog row, the login audit, and the row count of every table.

These tests commit (transaction=True), so pytest-django runs them after the rolled-back tests, and they
load the plan and the demo themselves, as the browser tests do.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions): the rest is data.
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]

pytestmark = pytest.mark.django_db(transaction=True)


def text(value) -> str | None:
    return None if value is None else str(value)


def snapshot() -> dict:
    """Everything a restore must give back, as plain JSON-ready data (also run in a separate process)."""
    from axes.models import AccessFailureLog, AccessLog

    from campaigns.models import Plan
    from indicators.models import ActionLog, ValueChange
    from indicators.rollup import rollup

    plan = Plan.objects.get(year=2024)
    rollups = {}
    for include_submitted in (False, True):
        for quarter in (1, 2, 3, 4):
            rollups[f"q{quarter}{'+submitted' if include_submitted else ''}"] = [
                [
                    r.target.code,
                    text(r.actual),
                    {str(q): text(v) for q, v in sorted(r.by_quarter.items())},
                    text(r.progress),
                    r.status,
                    text(r.projection),
                    text(r.numerator),
                    text(r.denominator),
                    text(r.baseline),
                    list(r.quarters_with_data),
                ]
                for r in rollup(plan=plan, up_to_quarter=quarter, include_submitted=include_submitted)
            ]
    changes = [
        [
            c.pk,
            c.report.unit.code,
            c.report.period.quarter,
            c.element.code,
            text(c.old_value),
            text(c.new_value),
            c.old_comment,
            c.new_comment,
            c.user.username,
            c.changed_at.isoformat(),
            c.source,
            c.reason,
        ]
        for c in ValueChange.objects.select_related(
            "report__unit", "report__period", "element", "user"
        ).order_by("pk")
    ]
    actions = [
        [
            a.pk,
            a.action,
            f"{a.content_type.app_label}.{a.content_type.model}",
            a.object_id,
            a.user.username if a.user else None,
            a.at.isoformat(),
            a.data,
        ]
        for a in ActionLog.objects.select_related("content_type", "user").order_by("pk")
    ]
    logins = [
        [x.username, x.ip_address, x.attempt_time.isoformat(), text(x.logout_time)]
        for x in AccessLog.objects.order_by("pk")
    ] + [
        [x.username, x.ip_address, x.attempt_time.isoformat()]
        for x in AccessFailureLog.objects.order_by("pk")
    ]
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "sessions"}
        and model._meta.label != "auth.Permission"
    }
    return {"rollups": rollups, "changes": changes, "actions": actions, "logins": logins, "counts": counts}


def activity() -> None:
    """A quarter's work on top of the demo: entries, a submission, a return, an approval, a login."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from campaigns.models import Plan
    from indicators import services
    from indicators.models import Report

    from .conftest import DEMO_PASSWORD
    from .reporting import group_payload, open_quarter

    User = get_user_model()
    open_quarter(Plan.objects.get(year=2024))
    leader = User.objects.get(username="totruong1")
    client = Client()
    client.post("/dang-nhap/", {"username": "totruong1", "password": "sai"})
    assert client.post("/dang-nhap/", {"username": "totruong1", "password": DEMO_PASSWORD}).status_code == 302
    data = group_payload(0, DAN_SO="2.450") | {"action": "submit"}
    assert client.post("/so-lieu/2024/q4/TDP-01/", data).status_code == 302
    office, chairman = User.objects.get(username="vanphong"), User.objects.get(username="chutich")
    submitted = list(
        Report.objects.filter(
            status=Report.Status.SUBMITTED, period__quarter=3, unit__code__startswith="TDP-"
        )
    )
    services.approve_report(report=submitted[0], user=chairman)
    services.return_report(report=submitted[1], user=chairman, reason="Số hộ nghèo chưa khớp danh sách")
    services.reopen_report(
        unit=submitted[1].unit,
        period=submitted[1].period,
        user=office,
        reason="Bổ sung",
        until=timezone.localdate() + timedelta(days=3),
    )
    assert leader.pk and Report.objects.get(unit__code="TDP-01", period__quarter=4).status == "submitted"


def load_demo() -> None:
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", "plan_2024", "titles", "demo_2024", verbosity=0)
    activity()


def as_json(data):
    return json.loads(json.dumps(data))


def to_milliseconds(data):
    """Django's JSON serializer writes times to the millisecond (ECMA-262), so dumpdata keeps that much.

    Every time is brought to exactly three decimals: a time whose microseconds are under 1,000 comes
    back from the dump with none at all, and isoformat() then writes no fraction.
    """

    def millis(match) -> str:
        return f"{match.group(1)}.{(match.group(2) or '').ljust(6, '0')[:3]}"

    return json.loads(re.sub(r"(T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?", millis, json.dumps(data)))


def test_dumpdata_and_loaddata_give_back_the_same_figures_and_audit(tmp_path):
    load_demo()
    before = as_json(snapshot())
    assert before["changes"] and before["actions"] and before["logins"]
    dump = tmp_path / "phominh.json"
    call_command("dumpdata", natural_foreign=True, exclude=DUMP_EXCLUDE, output=str(dump), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    from campaigns.models import Plan

    assert not Plan.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    assert to_milliseconds(snapshot()) == to_milliseconds(before)
    # Work goes on after the restore: the id sequences were moved past the restored rows.
    from indicators.audit import log_action

    entry = log_action(Plan.objects.get(year=2024), "indicators.period.reminded", None, {"emails": 0})
    assert entry.pk > max(row[0] for row in before["actions"])


def postgres_tools() -> str | None:
    """Why the pg_dump path cannot run here, or None when it can."""
    if connection.vendor != "postgresql":
        return "the test database is not PostgreSQL (set DATABASE_URL)"
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    return f"{', '.join(missing)} not installed (apt-get install postgresql-client)" if missing else None


def pg_env(settings: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")]:
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def test_pg_dump_and_pg_restore_into_a_fresh_database(tmp_path):
    reason = postgres_tools()
    if reason:
        pytest.skip(reason)
    import psycopg2
    from psycopg2 import sql

    load_demo()
    before = as_json(snapshot())
    db = connection.settings_dict
    env = pg_env(db)
    dump = tmp_path / "phominh.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]],
        env=env,
        check=True,
        timeout=120,
    )

    fresh = f"{db['NAME']}_restore"
    admin = psycopg2.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={fresh}",
                str(dump),
            ],
            env=env,
            check=True,
            timeout=120,
        )
        user = f"{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}@" if db.get("USER") else ""
        url = f"postgres://{user}{db.get('HOST') or ''}{':' + str(db['PORT']) if db.get('PORT') else ''}/{fresh}"
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import json, django; django.setup(); "
                "from tests.test_backup import snapshot; print(json.dumps(snapshot()))",
            ],
            cwd=ROOT,
            env=env
            | {
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "phominh.settings",
                "DATABASE_CONN_MAX_AGE": "0",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1]) == before
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(fresh)))
        admin.close()
