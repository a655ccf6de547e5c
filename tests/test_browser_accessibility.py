"""Accessibility: axe-core on every main page (no serious or critical violation) and the data-entry
form used with the keyboard alone.

axe-core is vendored as a test asset (tests/vendor/axe-core/) and injected into each page.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import login
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def page(browser):
    """As conftest's page, but the portal's CSP (script-src 'self') must let the injected axe run."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def covenant_url() -> str:
    from campaigns.models import Covenant

    return reverse("covenant-detail", args=[Covenant.objects.order_by("pk").first().pk])


def pledge_url() -> str:
    from campaigns.models import Pledge

    pledge = Pledge.objects.select_related("unit").order_by("pk").first()
    return reverse("pledge-detail", args=[2024, pledge.unit.code])


def proposal_url() -> str:
    from awards.models import Proposal

    return reverse("awards-proposal", args=[Proposal.objects.order_by("pk").first().pk])


# (test id, user or None for anonymous, path or a callable giving it once the data is loaded)
PAGES = [
    ("login", None, "/dang-nhap/"),
    ("home", "totruong1", "/"),
    ("plan", "vanphong", "/ke-hoach/2024/"),
    ("target", "vanphong", "/ke-hoach/2024/chi-tieu/KT-01/"),
    ("target-pace", "vanphong", "/ke-hoach/2024/chi-tieu/KT-07a/tien-do-quy/"),
    ("report-list", "totruong1", "/so-lieu/"),
    ("report-entry", "totruong1", "/so-lieu/2024/q4/TDP-01/"),
    ("report-history", "totruong1", "/so-lieu/2024/q3/TDP-01/lich-su/"),
    ("completeness", "vanphong", "/tien-do-nop/2024/q4/"),
    ("dashboard", "vanphong", "/tien-do/2024/"),
    ("dashboard-target", "vanphong", "/tien-do/2024/chi-tieu/KT-01/"),
    ("dashboard-unit", "vanphong", "/tien-do/2024/don-vi/TDP-01/"),
    ("pledge-list", "vanphong", "/dang-ky-thi-dua/"),
    ("pledge", "vanphong", pledge_url),
    ("covenant-list", "vanphong", "/giao-uoc/"),
    ("covenant", "vanphong", covenant_url),
    ("notifications", "totruong1", "/thong-bao/"),
    ("awards-index", "vanphong", "/khen-thuong/"),
    ("awards-proposal", "vanphong", proposal_url),
    ("awards-registry", "vanphong", "/khen-thuong/so-khen-thuong/"),
    # The same places seen by other roles, and the forms behind them.
    ("home-office", "vanphong", "/"),
    ("pledge-form", "totruong1", "/dang-ky-thi-dua/2024/TDP-01/"),
    ("proposal-form", "totruong1", "/khen-thuong/de-nghi/moi/"),
    ("awards-sessions", "vanphong", "/khen-thuong/phien-hop/"),
    ("password-change", "totruong1", "/tai-khoan/doi-mat-khau/"),
    ("password-reset-list", "vanphong", "/tai-khoan/dat-lai-mat-khau/"),
    ("notifications-office", "vanphong", "/thong-bao/"),
    ("identity-edit", "vanphong", "/thiet-lap/thong-tin-phuong/"),
    ("setup-checklist", "vanphong", "/thiet-lap/2024/"),
    ("setup-assignments", "vanphong", "/thiet-lap/2024/phan-cong/"),
    ("operations", "quantri", "/van-hanh/"),
]


def sign_in(page, live, username: str) -> None:
    """A session for the demo user without the login form's slow PBKDF2 check (the form itself is
    exercised by the login page's own scan and by the keyboard test)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live.url}])


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:8])
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize(("user", "path"), [(u, p) for _, u, p in PAGES], ids=[name for name, _, _ in PAGES])
def test_no_serious_or_critical_violation(page, live, user, path):
    if user:
        sign_in(page, live, user)
    url = live.url + (path() if callable(path) else path)
    response = page.goto(url)
    assert response.status == 200 and page.url == url, f"{url} answered {response.status} at {page.url}"
    if user:
        assert page.locator("[data-testid=current-user]").count() == 1
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not violations, f"{url}:\n{describe(violations)}"


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName, name: el.name || '', value: el.value || '', id: el.id || '',
                text: (el.textContent || '').trim(),
                focusVisible: el.matches(':focus-visible'),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none',
            };
        }"""
    )


def test_entry_form_by_keyboard_alone(page, live):
    """Skip link → first figure, type, Tab to the next figure, Enter saves a draft (never submits)."""
    from indicators.models import Report

    login(page, live, "totruong1")
    page.goto(f"{live.url}/so-lieu/2024/q4/TDP-01/")
    form = page.locator("form:has(button[value=save])")
    # Enter in a field triggers the form's first submit button: it must be the draft save.
    first = form.locator("button[type=submit], input[type=submit], button:not([type])").first
    assert first.get_attribute("value") == "save"

    page.keyboard.press("Tab")  # the first stop on the page is the skip link
    skip = focused(page)
    assert skip["tag"] == "A" and "nội dung chính" in skip["text"].lower(), skip
    assert skip["focusVisible"] and (skip["outline"] or skip["shadow"]), skip
    page.keyboard.press("Enter")

    # From the main content the keyboard reaches the first figure field.
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["name"].startswith("v_"):
            break
    first_field = focused(page)
    assert first_field["name"].startswith("v_"), first_field
    assert first_field["focusVisible"] and (first_field["outline"] or first_field["shadow"]), first_field
    page.keyboard.press("Control+A")
    page.keyboard.type("612")

    # Tab goes on to the next figure (past the figure's own comment field, if any).
    for _ in range(3):
        page.keyboard.press("Tab")
        if focused(page)["name"].startswith("v_"):
            break
    second_field = focused(page)
    assert second_field["name"].startswith("v_") and second_field["name"] != first_field["name"], second_field
    page.keyboard.press("Control+A")
    page.keyboard.type("15")

    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.wait_for_selector("[data-testid=report-status]")
    report = Report.objects.get(unit__code="TDP-01", period__plan__year=2024, period__quarter=4)
    assert report.status == "draft"
    values = {v.element_id: v.value for v in report.values.all()}
    pk1, pk2 = (int(f["name"].removeprefix("v_")) for f in (first_field, second_field))
    assert values[pk1] == 612 and values[pk2] == 15

    # The save button itself is reachable and usable with the keyboard too.
    save = page.locator("button[value=save]")
    save.focus()
    assert focused(page)["value"] == "save"
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=report-status]")
    report.refresh_from_db()
    assert report.status == "draft"


def test_the_confirmation_dialog_on_a_phone(page, live):
    """Issue 16: the confirmation before sending a report is a labelled modal dialog (0 serious
    violations) that is answered with the keyboard: focus starts on "Hủy", Tab reaches "Đồng ý", Escape
    closes it and nothing is sent."""
    from indicators.models import Report

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live, "totruong1")
    page.goto(live.url + reverse("report-entry", args=[2024, 4, "TDP-01"]))
    page.focus("button[value=submit]")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[data-testid=confirm-step][open]")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("aria-labelledby") == "confirm-step-title"
    assert focused(page)["text"] == "Hủy"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Gửi duyệt"
    violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not violations, describe(violations)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert focused(page)["value"] == "submit"
    assert not Report.objects.filter(unit__code="TDP-01", period__quarter=4, status="submitted").exists()
