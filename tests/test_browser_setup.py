"""A new ward from an empty database to its first approved quarter, in the browser, without a shell
(issue 17): only the plan (`plan_2024`) and the titles are loaded, and one superuser made as
`createsuperuser` makes him. He takes the office's role on the home page, then the checklist leads him:
a unit, a group leader's account (its first password shown once), what the unit reports, the quarters'
deadlines. The group leader signs in with the first password, must choose his own, enters and submits
the quarter; the office approves it."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from indicators.models import ActionLog, DataElement, Report, Unit

from .conftest import click_and_confirm, login, screenshot_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Quan-tri-phuong-2027!"
LEADER_PASSWORD = "To-dan-pho-mot@2027"
ELEMENTS = {"SO_HO": "612", "HO_NGHEO": "15", "HO_CAN_NGHEO": "17"}


@pytest.fixture
def live(live_server):
    """An empty database (the session's demo data flushed), then the plan and the titles only."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", "plan_2024", "titles", verbosity=0)
    get_user_model().objects.create_superuser("quantri", "quantri@example.org", ADMIN_PASSWORD)
    return live_server


def line(page, key: str) -> str:
    return page.get_attribute(f"[data-line={key}]", "data-done")


def test_from_an_empty_database_to_the_first_approved_quarter(page, live):
    assert not Unit.objects.exists()
    login(page, live, "quantri", ADMIN_PASSWORD)
    assert "chưa được phân vai trò" in page.inner_text("[data-testid=no-role]")
    page.click("[data-testid=claim-office] button")
    page.wait_for_selector("[data-testid=setup-checklist]")
    assert "Thiết lập năm 2024" in page.inner_text("h1")
    assert line(page, "units") == "no" and line(page, "periods") == "no"
    assert "0/49" in page.inner_text("[data-line=assignments]")
    screenshot_sizes(page, "setup-checklist-empty")

    # A unit.
    page.click("[data-line=units] a")
    page.fill("#id_code", "tdp-01")
    page.fill("#id_name", "Tổ dân phố 1")
    page.select_option("#id_kind", "residential_group")
    page.click("[data-testid=unit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=unit-tree] [data-unit=TDP-01]")
    unit = Unit.objects.get(code="TDP-01")

    # A group leader's account: the first password is shown once, on the result page.
    page.goto(f"{live.url}/thiet-lap/2024/")
    page.click("[data-line=accounts] a")
    page.click("[data-testid=account-create]")
    page.fill("#id_full_name", "Nguyễn Văn An")
    page.fill("#id_username", "totruong1")
    page.select_option("#id_role", "group_leader")
    page.check(f"input[name=units][value='{unit.pk}']")
    page.click("[data-testid=account-form] button[type=submit]")
    first_password = page.inner_text("[data-testid=first-password]").strip()
    assert len(first_password) == 12
    leader = get_user_model().objects.get(username="totruong1")
    assert leader.profile.must_change_password and leader.check_password(first_password)
    assert not ActionLog.objects.filter(data__icontains=first_password).exists()

    # What the group reports: on a phone, one unit at a time.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.url}/thiet-lap/2024/")
    page.click("[data-line=assignments] a")
    assert not page.is_visible("[data-testid=assignments-matrix]")
    page.select_option("#pick-unit", "TDP-01")
    page.click("[data-testid=unit-picker] button")
    elements = {e.code: e for e in DataElement.objects.filter(plan__year=2024, code__in=ELEMENTS)}
    for code in ELEMENTS:
        page.check(f"input[name=a][value='{elements[code].pk}-{unit.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot_sizes(page, "setup-assignments-unit")
    page.click("[data-testid=assignments-unit] button[type=submit]")
    page.wait_for_selector("text=Đã lưu phân công: thêm 3, bỏ 0.")
    assert set(unit.assignments.values_list("element__code", flat=True)) == set(ELEMENTS)

    # The quarters: quarter IV open today, due in ten days (the plan's year lies in the past).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live.url}/thiet-lap/2024/")
    page.click("[data-line=periods] a")
    today = timezone.localdate()
    page.fill("#id_q4_opens_on", (today - timedelta(days=5)).strftime("%d/%m/%Y"))
    page.fill("#id_q4_deadline", "31/13/2026")  # refused next to the field
    page.click("[data-testid=periods-form] button[type=submit]")
    assert "ngày/tháng/năm" in page.inner_text("[data-quarter='4']")
    page.fill("#id_q4_deadline", (today + timedelta(days=10)).strftime("%d/%m/%Y"))
    page.click("[data-testid=periods-form] button[type=submit]")
    page.wait_for_selector("[data-testid=setup-checklist]")
    assert line(page, "units") == line(page, "accounts") == line(page, "periods") == "yes"
    screenshot_sizes(page, "setup-checklist-started")

    # The group leader: first password, his own, his quarter entered and submitted.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live, "totruong1", first_password)
    page.wait_for_selector("[data-testid=password-change]")
    page.fill("#id_old_password", first_password)
    page.fill("#id_new_password1", LEADER_PASSWORD)
    page.fill("#id_new_password2", LEADER_PASSWORD)
    page.click("[data-testid=password-change] button[type=submit]")
    page.wait_for_selector("text=Đã đổi mật khẩu.")
    page.goto(f"{live.url}/so-lieu/2024/q4/TDP-01/")
    for code, figure in ELEMENTS.items():
        page.fill(f"div[data-element='{code}'] input[name^='v_']", figure)
    click_and_confirm(page, "button[value=submit]")
    assert "Đã gửi" in page.inner_text("[data-testid=report-status]")

    # The office approves it.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live, "quantri", ADMIN_PASSWORD)
    page.goto(f"{live.url}/so-lieu/2024/q4/TDP-01/")
    click_and_confirm(page, "[data-testid=review-box] button:has-text('Duyệt')")
    assert "Đã duyệt" in page.inner_text("[data-testid=report-status]")
    report = Report.objects.get(unit=unit, period__quarter=4)
    assert report.status == "approved" and report.values.get(element__code="SO_HO").value == 612
