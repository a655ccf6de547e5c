"""Reporting day under load: many group leaders enter and submit at once while others read the dashboard.

Run from the project root (PostgreSQL must be running locally; not run by CI):

    python bench/load_test.py                          # 40 groups report, 20 readers, 5 gunicorn workers
    python bench/load_test.py --ramp 30                # the same users arriving over 30 seconds
    python bench/load_test.py --groups 80 --readers 40 --workers 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phominh_load python bench/load_test.py --keep

What it does, on loopback only (127.0.0.1):

1. (Re)creates the database named by DATABASE_URL (default ``phominh_load``; refused unless the name
   contains "load" or "bench", so that a real database is never dropped), migrates, loads the plan, the
   titles and the demo, opens quarter IV for entry (as tests/reporting.py ``open_quarter`` does), and
   adds residential groups LOAD-09… with their leaders (the demo's eight groups plus these make
   ``--groups``) and ``--readers`` leadership accounts that read.
2. Starts ``gunicorn phominh.wsgi`` with ``--workers`` sync workers on 127.0.0.1:``--port`` and warms
   each worker up (a running server has imported its views and compiled its templates).
3. Starts every simulated user at the same moment (or spread over ``--ramp`` seconds), one thread each,
   with ``http.client``: each group
   leader logs in through the form, opens his reports, opens quarter IV, saves a draft, reloads the
   form and submits; each reader logs in and reads the ward dashboard ``/tien-do/2024/`` and the plan
   ``/ke-hoach/2024/`` in turn until every leader is done. No request starts after ``--limit`` seconds
   (60 by default) and a request waits 60 s at most, as nginx's default ``proxy_read_timeout`` would,
   so the run stops by itself within about two minutes.
4. Prints requests per second, errors (anything but the expected status, and connection failures) and
   the p50 / p95 latency overall and per kind of request, stops gunicorn, then reads the database:
   every group that was told "sent for approval" must have its quarter IV submitted with exactly the
   figures it sent (nothing lost) and one audit row per figure. Drops the database unless ``--keep``.

Exit status 0 when there was no error and nothing was lost.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phominh_load"
PASSWORD = "PhoMinh@2024"  # the demo's; new accounts copy its hash
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60  # seconds; nginx gives up on the portal after 60 s by default

# A plausible quarter for a residential group (as tests/reporting.py group_payload), varied per group.
BASE_FIGURES = {
    "SO_HO": 600,
    "HO_NGHEO": 15,
    "HO_CAN_NGHEO": 17,
    "HO_VAN_HOA": 560,
    "HO_NUOC_SACH": 570,
    "DAN_SO": 2400,
    "NGUOI_BHYT": 2150,
    "DAN_TRAU": 7,
    "DAN_BO": 95,
    "DAN_LON": 12,
    "DAN_GA": 620,
    "DAN_VIT": 1900,
}
VERSION = re.compile(r'name="version" value="(\d+)"')


def figures_for(group: int) -> dict[str, int]:
    """Group n's figures: the base plus a small offset, keeping every share and ratio plausible."""
    return {code: value + (group % 7) for code, value in BASE_FIGURES.items()}


def vn(number: int) -> str:
    """4176 → '4.176', as a Vietnamese user types it."""
    return f"{number:,}".replace(",", ".")


# --- database --------------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    from psycopg2 import sql

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if "load" not in name and "bench" not in name:
        sys.exit(f"refusing to drop database {name!r}: its name must contain 'load' or 'bench'")
    admin = maintenance_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def drop_database(url: str) -> None:
    from psycopg2 import sql

    admin = maintenance_connection(url)
    with admin.cursor() as cursor:
        name = urllib.parse.urlparse(url).path.lstrip("/")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    admin.close()


def maintenance_connection(url: str):
    import psycopg2

    parts = urllib.parse.urlparse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        host=parts.hostname or None,
        port=parts.port or None,
        user=urllib.parse.unquote(parts.username) if parts.username else None,
        password=urllib.parse.unquote(parts.password) if parts.password else None,
    )
    connection.autocommit = True
    return connection


def prepare(groups: int, readers: int) -> tuple[list[dict], list[str], dict[str, int]]:
    """Migrate, load, open quarter IV, add groups and readers; returns (leaders, readers, element ids)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.utils import timezone

    from indicators.models import Assignment, DataElement, Profile, ReportingPeriod, Unit

    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2024", "titles", "demo_2024", verbosity=0)
    User = get_user_model()
    with transaction.atomic():
        today = timezone.localdate()
        period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
        period.opens_on, period.deadline = today - timedelta(days=5), today + timedelta(days=10)
        period.is_locked, period.reopened_until = False, None
        period.save()

        template = Unit.objects.get(code="TDP-01")
        elements = list(template.assignments.values_list("element_id", flat=True))
        password = User.objects.get(username="totruong1").password
        leaders = []
        for n in range(1, groups + 1):
            if n <= 8:
                code, username = f"TDP-{n:02d}", f"totruong{n}"
            else:
                code, username = f"LOAD-{n:02d}", f"load_totruong{n}"
                unit = Unit.objects.create(
                    code=code,
                    name=f"Tổ dân phố {n} (tải thử)",
                    kind=template.kind,
                    parent=template.parent,
                    order=100 + n,
                )
                Assignment.objects.bulk_create(Assignment(unit=unit, element_id=e) for e in elements)
                user = User.objects.create(
                    username=username, password=password, last_name="Tổ trưởng", first_name=str(n)
                )
                Profile.objects.create(user=user, role=Profile.Role.GROUP_LEADER).units.add(unit)
            leaders.append({"group": n, "code": code, "username": username})
        reader_names = []
        for n in range(1, readers + 1):
            user = User.objects.create(username=f"load_docgia{n}", password=password, first_name=f"Đọc {n}")
            Profile.objects.create(user=user, role=Profile.Role.LEADERSHIP)
            reader_names.append(user.username)
    ids = dict(DataElement.objects.filter(plan__year=2024, code__in=BASE_FIGURES).values_list("code", "pk"))
    connections.close_all()
    return leaders, reader_names, ids


def verify(leaders: list[dict]) -> tuple[int, int, list[str]]:
    """(values expected, values found as sent, problems) for every group's quarter IV."""
    from django.db import connections

    from indicators.models import Report, ValueChange

    connections.close_all()
    expected = found = 0
    problems = []
    reports = {
        r.unit.code: r
        for r in Report.objects.filter(period__plan__year=2024, period__quarter=4).select_related("unit")
    }
    for leader in leaders:
        figures = figures_for(leader["group"])
        expected += len(figures)
        report = reports.get(leader["code"])
        if report is None:
            problems.append(f"{leader['code']}: no report")
            continue
        if report.status != Report.Status.SUBMITTED:
            problems.append(f"{leader['code']}: status {report.status}")
        stored = dict(report.values.values_list("element__code", "value"))
        for code, value in figures.items():
            if stored.get(code) == Decimal(value):
                found += 1
            else:
                problems.append(f"{leader['code']} {code}: sent {value}, stored {stored.get(code)}")
        audited = ValueChange.objects.filter(report=report).count()
        if audited != len(figures):
            problems.append(f"{leader['code']}: {audited} audit rows for {len(figures)} figures")
    return expected, found, problems


# --- simulated users ---------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: no response (connection error, timeout)
    seconds: float
    ok: bool


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    submitted: list[dict] = field(default_factory=list)  # leaders told "sent for approval"


class Browser:
    """One user's cookies and CSRF token over http.client (a new connection when the server closed it)."""

    def __init__(self, port: int, results: Results, deadline: float):
        self.port, self.results, self.deadline = port, results, deadline
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def request(self, kind: str, method: str, path: str, data: dict | None = None, expect: int = 200) -> str:
        if time.monotonic() > self.deadline:
            raise TimeoutError("time limit reached")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = data | {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.results.samples.append(Sample(kind, 0, time.perf_counter() - start, False))
            self.results.failures.append(f"{kind} {path}: {error!r}")
            raise
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
        ok = response.status == expect
        self.results.samples.append(Sample(kind, response.status, elapsed, ok))
        if not ok:
            self.results.failures.append(f"{kind} {method} {path}: {response.status} (expected {expect})")
        return text

    def login(self, username: str) -> None:
        self.request("login page", "GET", "/dang-nhap/")
        self.request("login", "POST", "/dang-nhap/", {"username": username, "password": PASSWORD}, expect=302)


def leader_journey(
    leader: dict, ids: dict[str, int], port: int, results: Results, start, delay, deadline
) -> None:
    browser = Browser(port, results, deadline)
    start.wait()
    time.sleep(delay)
    try:
        browser.login(leader["username"])
        browser.request("report list", "GET", "/so-lieu/")
        url = f"/so-lieu/2024/q4/{leader['code']}/"
        page = browser.request("entry form", "GET", url)
        data = {}
        for code, value in figures_for(leader["group"]).items():
            data[f"v_{ids[code]}"] = vn(value)
            data[f"c_{ids[code]}"] = "Số liệu quý IV"
        browser.request(
            "save draft", "POST", url, data | {"version": VERSION.search(page)[1], "action": "save"}, 302
        )
        page = browser.request("entry form", "GET", url)
        browser.request(
            "submit", "POST", url, data | {"version": VERSION.search(page)[1], "action": "submit"}, 302
        )
        page = browser.request("entry form", "GET", url)
        if "Đã lưu và gửi báo cáo" in page:
            results.submitted.append(leader)
        else:
            results.failures.append(f"{leader['code']}: no confirmation after submitting")
    except (OSError, http.client.HTTPException, TypeError):
        pass  # already counted; TypeError: no version on a page that was an error


def reader_journey(username: str, port: int, results: Results, start, delay, writers_done, deadline) -> None:
    browser = Browser(port, results, deadline)
    start.wait()
    time.sleep(delay)
    try:
        browser.login(username)
        pages = [("dashboard", "/tien-do/2024/"), ("plan", "/ke-hoach/2024/")]
        n = 0
        while not writers_done.is_set() and time.monotonic() < deadline:
            kind, path = pages[n % 2]
            browser.request(kind, "GET", path)
            n += 1
    except (OSError, http.client.HTTPException):
        pass


# --- gunicorn and the run ------------------------------------------------------------------------------------


def warm_up(port: int, workers: int) -> None:
    """Reporting day finds the server running: every worker has imported its views and compiled templates."""
    browser = Browser(port, Results(), time.monotonic() + 120)
    browser.login("chutich")
    for _ in range(3 * workers):
        for path in [
            "/dang-nhap/",
            "/",
            "/so-lieu/",
            "/so-lieu/2024/q4/TDP-01/",
            "/tien-do/2024/",
            "/ke-hoach/2024/",
        ]:
            browser.request("warm-up", "GET", path)


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "phominh.wsgi",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/dang-nhap/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    sys.exit("gunicorn did not start")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(results: Results, seconds: float) -> None:
    samples = results.samples
    errors = [s for s in samples if not s.ok]
    print(
        f"\n{len(samples)} requests in {seconds:.1f} s: {len(samples) / seconds:.1f} requests/s, {len(errors)} errors"
    )
    print(f"{'request':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}")
    kinds = ["all", *dict.fromkeys(s.kind for s in samples)]
    for kind in kinds:
        chosen = [s for s in samples if kind == "all" or s.kind == kind]
        times = [s.seconds * 1000 for s in chosen]
        print(
            f"{kind:<14}{len(chosen):>6}{statistics.median(times):>10.0f}{percentile(times, 0.95):>10.0f}"
            f"{max(times):>10.0f}{sum(not s.ok for s in chosen):>8}"
        )
    for failure in results.failures[:20]:
        print("  error:", failure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=40, help="groups reporting at once (≥ 8: the demo's)")
    parser.add_argument("--readers", type=int, default=20, help="users reading the dashboard and the plan")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (2 × cores + 1)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--ramp", type=float, default=0, help="users arrive spread over this many seconds")
    parser.add_argument("--limit", type=float, default=60, help="seconds new requests may start")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not 8 <= args.groups <= 99 or not 0 <= args.readers <= 200:
        parser.error("--groups must be 8..99 and --readers 0..200")

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    env = dict(os.environ) | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "phominh.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "PYTHONWARNINGS": "ignore:No directory at",  # no collectstatic: the pages are what is measured
    }
    os.environ.update(env)
    started = time.monotonic()
    recreate_database(url)
    try:
        leaders, readers, ids = prepare(args.groups, args.readers)
        print(
            f"prepared in {time.monotonic() - started:.1f} s: {len(leaders)} groups, {len(readers)} readers"
        )
        server = start_gunicorn(args.port, args.workers, env)
        warm_up(args.port, args.workers)
        results = Results()
        start, writers_done = threading.Barrier(len(leaders) + len(readers) + 1), threading.Event()
        deadline = time.monotonic() + args.limit
        # Leaders and readers alike arrive spread evenly over --ramp seconds (all at once by default).
        writers = [
            threading.Thread(
                target=leader_journey,
                args=(leader, ids, args.port, results, start, args.ramp * i / len(leaders), deadline),
            )
            for i, leader in enumerate(leaders)
        ]
        watchers = [
            threading.Thread(
                target=reader_journey,
                args=(name, args.port, results, start, args.ramp * i / len(readers), writers_done, deadline),
            )
            for i, name in enumerate(readers)
        ]
        try:
            for thread in writers + watchers:
                thread.start()
            start.wait()
            began = time.monotonic()
            for thread in writers:
                thread.join(max(0.0, deadline - time.monotonic() + REQUEST_TIMEOUT + 1))
            writers_done.set()
            for thread in watchers:
                thread.join(REQUEST_TIMEOUT + 1)
            elapsed = time.monotonic() - began
        finally:
            stop_gunicorn(server)
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{args.port}, PostgreSQL {urllib.parse.urlparse(url).path[1:]}"
        )
        report(results, elapsed)
        expected, found, problems = verify(results.submitted)
        print(
            f"\n{len(results.submitted)} of {len(leaders)} groups were told their quarter was sent for approval"
        )
        print(f"nothing lost: {found} of {expected} figures they sent are in the database as sent")
        for problem in problems[:20]:
            print("  lost:", problem)
        errors = sum(not s.ok for s in results.samples) + len(leaders) - len(results.submitted)
        return 0 if errors == 0 and found == expected and not problems else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
