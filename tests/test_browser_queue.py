"""The reviewer on a 390 px phone (issue 16): the queue says how long each report has waited and puts
the one with ⚠ figures first; she opens it, is told what she can do there, approves, and goes straight
on to the next report. Then the office reminds the units still behind from the completeness page,
which fits the phone and asks before it sends. Screenshots at 390 and 1366 px."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from .conftest import PHONE, confirm_step, login, screenshot_sizes
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def send_quarter(leader_name: str, code: str, *, days_ago: int, jump: bool = False):
    """The group's leader sends quarter IV with quarter III's figures (cattle tripled with `jump`)."""
    from django.contrib.auth import get_user_model

    from indicators import services
    from indicators.models import Report, ReportedValue, ReportingPeriod, Unit

    leader = get_user_model().objects.get(username=leader_name)
    unit = Unit.objects.get(code=code)
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    entries = {}
    for row in ReportedValue.objects.filter(report__unit=unit, report__period__quarter=3).select_related(
        "element"
    ):
        value = row.value * 3 if jump and row.element.code == "DAN_BO" else row.value
        entries[row.element] = services.Entry(
            value, "Nhập thêm đàn bò của hợp tác xã" if value != row.value else ""
        )
    report, _changed = services.save_values(unit=unit, period=period, user=leader, entries=entries, version=0)
    services.submit_report(report=report, user=leader)
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))


def answer_confirmation_if_asked(page) -> None:
    """Approving may ask first (static/js/confirm-step.js, data-confirm on the button): say yes."""
    dialog = page.locator("dialog[data-testid=confirm-step][open]")
    try:
        dialog.wait_for(state="visible", timeout=2000)
    except Exception:  # no confirmation on this button
        return
    confirm_step(page)


def test_reviewer_queue_approve_then_next_on_a_phone(page, live):
    from indicators.models import Notification, Report

    send_quarter("totruong1", "TDP-01", days_ago=420)
    send_quarter("totruong2", "TDP-02", days_ago=3, jump=True)
    page.set_viewport_size(PHONE)
    login(page, live, "canbo_vhxh")
    page.goto(f"{live.url}/so-lieu/")
    page.select_option("#q-quarter", "4")
    page.click("[data-testid=queue-filters] button[type=submit]")
    queue = page.locator("[data-testid=review-queue] li")
    assert queue.count() == 2
    first, second = queue.nth(0).inner_text(), queue.nth(1).inner_text()
    assert "Tổ dân phố 2" in first and "⚠" in first and "chờ 3 ngày" in first
    assert "Tổ dân phố 1" in second and "chờ 13 tháng" in second
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The unread count sits beside the menu button, visible without opening the menu.
    assert page.locator("[data-testid=unread-count]").is_visible()
    screenshot_sizes(page, "queue-reviewer")

    queue.nth(0).locator("a").click()
    assert page.url.endswith("/so-lieu/2024/q4/TDP-02/?quy=4")
    note = page.inner_text("[data-testid=read-only]")
    assert "Bạn xem xét báo cáo này" in note and "không được nhập" not in note
    page.click("[data-testid=review-box] button:has-text('Duyệt')")
    answer_confirmation_if_asked(page)
    page.wait_for_selector("[data-testid=next-report]")
    assert "Đã duyệt báo cáo Tổ dân phố 2" in page.inner_text("main")
    assert "Tổ dân phố 1" in page.inner_text("[data-testid=next-report]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot_sizes(page, "queue-approved-next")

    page.click("[data-testid=next-report-link]")
    assert page.url.endswith("/so-lieu/2024/q4/TDP-01/?quy=4")
    assert page.locator("[data-testid=review-box]").is_visible()
    assert Report.objects.get(unit__code="TDP-02", period__quarter=4).status == "approved"
    assert Notification.objects.filter(
        user__username="totruong2", kind="report_approved", url="/so-lieu/2024/q4/TDP-02/"
    ).exists()

    # The office follows up on the same phone: the completeness page fits, and reminding asks first.
    page.context.clear_cookies()
    login(page, live, "vanphong")
    page.goto(f"{live.url}/tien-do-nop/2024/q4/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=remind]")
    answer_confirmation_if_asked(page)
    page.wait_for_selector("[data-testid=last-reminded]")
    assert "Đã nhắc" in page.inner_text("main")
    assert Notification.objects.filter(user__username="totruong3", kind="reminder").exists()
    screenshot_sizes(page, "completeness-reminded")
