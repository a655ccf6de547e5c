"""Shared test fixtures: the real plan, the demo set, one user per role, and the browser."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Profile, Unit

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests are
# ordinary blocking calls, which Django would otherwise refuse inside a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEMO_PASSWORD = "PhoMinh@2024"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing(tmp_path_factory):
    """New passwords in tests are hashed cheaply; the demo's PBKDF2 hashes still verify."""
    from django.test import override_settings

    hashers = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    # Roll-ups are computed afresh in tests (tests/test_rollup_cache.py tests the cache itself).
    # Background documents (jobs/) are built at once, in the test's thread, into a scratch folder;
    # tests/test_jobs.py runs the database queue and its worker once.
    tasks = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    jobs_root = tmp_path_factory.mktemp("jobs")
    with override_settings(
        PASSWORD_HASHERS=hashers, ROLLUP_CACHE_SECONDS=0, TASKS=tasks, JOBS_ROOT=jobs_root
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real 2024 plan and the demo set once; each test then runs in a rolled-back transaction.

    pytest-django runs these tests before the transactional (browser) ones, which flush the database
    and load what they need themselves.
    """
    with django_db_blocker.unblock():
        call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)


DEMO_FIXTURES = ("plan_2024", "titles", "demo_2024", "demo_awards_2024")


def ensure_demo_loaded() -> None:
    """For module-scoped fixtures (no `db` fixture, so they may run after a transactional test flushed
    the session's data): load the plan and the demo again when they are gone. Call inside a
    transaction that is rolled back."""
    from campaigns.models import Plan

    if not Plan.objects.filter(year=2024).exists():
        call_command("loaddata", *DEMO_FIXTURES, verbosity=0)


@pytest.fixture
def plan(db):
    """The real 2024 plan (fixtures/plan_2024.json)."""
    from campaigns.models import Plan

    return Plan.objects.get(year=2024)


@pytest.fixture
def demo(plan):
    """The demo set on top of the plan: units, accounts, periods, baselines, values."""
    return plan


def strip_demo() -> None:
    """Remove the demo's units and everything hanging on them, inside the running test's transaction.

    For tests that build every figure themselves (the roll-up arithmetic): the rollback restores all.
    Every model with a foreign key to Unit is emptied first (reports, pledges, covenants, proposals...),
    retrying while protected references remain.
    """
    from django.apps import apps
    from django.db.models import ProtectedError

    from indicators.models import ActionLog, Baseline, Unit

    ActionLog.objects.all().delete()
    Baseline.objects.all().delete()
    pending = [
        model
        for model in apps.get_models()
        if model is not Unit
        and any(f.many_to_one and f.related_model is Unit for f in model._meta.get_fields())
    ]
    for _ in range(len(pending) + 1):
        blocked = []
        for model in pending:
            try:
                model.objects.all().delete()
            except ProtectedError:
                blocked.append(model)
        pending = blocked
        if not pending:
            break
    while Unit.objects.exists():  # leaves first: a unit's parent is protected
        Unit.objects.filter(children__isnull=True).delete()


@pytest.fixture
def bare_plan(plan):
    """The real 2024 plan with none of the demo's units, reports or baselines."""
    strip_demo()
    return plan


@pytest.fixture
def make_user(db):
    """make_user(role, units=[...]) → a user with that role; role=None gives an account without one."""

    def factory(role: str | None, units: list[Unit] | None = None, username: str | None = None, **extra):
        User = get_user_model()
        username = username or f"{role or 'norole'}_{User.objects.count() + 1}"
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, **extra)
        if role:
            profile = Profile.objects.create(user=user, role=role)
            if units:
                profile.units.set(units)
        return user

    return factory


def chromium_path() -> str | None:
    return os.environ.get("PHOMINH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped only where no Chromium is installed.

    CI sets PHOMINH_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of skipping.
    """
    path = chromium_path()
    if not path:
        if os.environ.get("PHOMINH_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (PHOMINH_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    with playwright_chromium(path) as instance:
        yield instance


@contextmanager
def playwright_chromium(path: str):
    """Chromium under Playwright's sync API, which runs an asyncio event loop in this thread until it stops.

    While that loop runs, Django keeps this thread's database connections apart from the ones it had
    before (asgiref's Local is per async context when a loop is running): every test after the first
    browser test uses a second connection, which nothing else closes. Left open, it makes the drop of
    the PostgreSQL test database fail at the end ("is being accessed by other users"), so it is closed
    here, before the loop stops.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            instance = p.chromium.launch(
                executable_path=path,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            try:
                yield instance
            finally:
                instance.close()
        finally:
            connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def save(pg, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return save


PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def screenshot_sizes(pg, name: str) -> list[Path]:
    """A journey's screenshot at a phone's width (390 px) and a desk's (1366 px), as CI artifacts:
    `<name>-390.png` and `<name>-1366.png` in tests/artifacts/. The page's viewport is put back after.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    before = pg.viewport_size
    paths = []
    for size in (PHONE, DESK):
        pg.set_viewport_size(size)
        path = ARTIFACTS / f"{name}-{size['width']}.png"
        pg.screenshot(path=str(path), full_page=True)
        paths.append(path)
    if before:
        pg.set_viewport_size(before)
    return paths


def confirm_step(pg, accept: bool = True) -> None:
    """Answer the confirmation that static/js/confirm-step.js opens before an irreversible step
    (forms or buttons marked data-confirm): "Đồng ý" when accept, else "Hủy". Call it right after
    the click that opens it.
    """
    dialog = pg.locator("dialog[data-testid=confirm-step][open]")
    dialog.wait_for(state="visible")
    dialog.locator("[data-confirm-accept]" if accept else "[data-confirm-cancel]").click()
    dialog.wait_for(state="hidden")


def click_and_confirm(pg, selector, **click_options) -> None:
    """Click a submit button marked data-confirm (selector or locator) and answer "Đồng ý"."""
    target = pg.locator(selector) if isinstance(selector, str) else selector
    target.click(**click_options)
    confirm_step(pg)


def login(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=current-user]", state="attached")
