"""In Chromium: the Content-Security-Policy blocks nothing the portal or the Django admin needs."""

import pytest
from django.core.management import call_command

from indicators.models import ReportingPeriod

from .conftest import login
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


@pytest.fixture
def violations(page):
    """Chromium reports every resource or inline code the policy refused on the console."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("load")


def test_portal_pages_run_under_the_policy(page, live, violations, screenshot):
    login(page, live, "totruong1")
    for path in ["/", "/ke-hoach/2024/", "/tien-do/2024/", "/so-lieu/", "/so-lieu/2024/q4/TDP-01/"]:
        visit(page, live.url + path)
        assert page.evaluate("typeof window.bootstrap") == "object", path  # our one script ran
    # The stylesheet applied: Bootstrap's buttons are not the browser's default grey.
    assert page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor") not in (
        "",
        "rgb(239, 239, 239)",
        "rgba(0, 0, 0, 0)",
    )
    screenshot(page, "csp-entry-page")
    assert not violations, violations
    # The listener does see a refusal: markup with an inline style, added the way an injection would be.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("inline style" in v for v in violations), violations


def test_admin_runs_under_the_policy(page, live, violations, screenshot):
    login(page, live, "quantri")
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    for path in [
        "/quan-tri/",
        "/quan-tri/indicators/unit/",
        "/quan-tri/indicators/unit/1/change/",
        "/quan-tri/axes/accesslog/",
        f"/quan-tri/indicators/reportingperiod/{period.pk}/change/",
    ]:
        visit(page, live.url + path)
    # The admin's own scripts ran: the date fields got their calendar shortcuts.
    assert page.locator(".datetimeshortcuts").count() > 0
    screenshot(page, "csp-admin-change-form")
    assert not violations, violations
