"""A group leader enters and submits a quarter on a phone; an official returns it, then approves it."""

import pytest
from django.core.management import call_command

from indicators.models import Report

from .conftest import click_and_confirm, login
from .reporting import GROUP_FIGURES as FIGURES
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def field(page, code: str):
    return page.locator(f"div[data-element='{code}'] input[name^='v_']")


def test_leader_submits_official_returns_then_approves(page, live, screenshot):
    url = f"{live.url}/so-lieu/2024/q4/TDP-01/"
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live, "totruong1")
    page.goto(f"{live.url}/so-lieu/")
    page.click("[data-testid=act-quarter] a")  # quarter IV of his group, the one to act on, first
    assert page.url == url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for code, text in FIGURES.items():
        field(page, code).fill(text)
    field(page, "HO_NGHEO").fill("2.5")  # an ambiguous figure is refused, not guessed
    page.click("button[value=save]")
    assert "số thập phân viết bằng dấu phẩy" in page.inner_text("div[data-element='HO_NGHEO']")
    assert "Đã hiểu là: 2.420 người" in page.inner_text("div[data-element='DAN_SO']")
    field(page, "HO_NGHEO").fill("15")
    screenshot(page, "entry-phone-before-submit")
    click_and_confirm(page, "button[value=submit]")
    assert "Đã lưu và gửi báo cáo" in page.inner_text("main")
    assert "Đã gửi" in page.inner_text("[data-testid=report-status]")
    screenshot(page, "entry-phone-submitted")

    page.click("text=Đăng xuất") if page.is_visible("text=Đăng xuất") else page.goto(f"{live.url}/dang-nhap/")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live, "canbo_vhxh")
    page.goto(f"{live.url}/so-lieu/")
    page.click("[data-testid=review-queue] a:has-text('Tổ dân phố 1 — Quý IV')")
    page.fill("textarea[name=reason]", "Số hộ nước sạch chưa khớp sổ theo dõi")
    click_and_confirm(page, "text=Trả lại để sửa")
    page.wait_for_selector("text=Đã trả lại báo cáo")
    screenshot(page, "entry-returned")
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).status == "returned"

    page.context.clear_cookies()
    login(page, live, "totruong1")
    page.goto(url)
    assert "Số hộ nước sạch chưa khớp sổ theo dõi" in page.inner_text("[data-testid=return-reason]")
    field(page, "HO_NUOC_SACH").fill("575")
    click_and_confirm(page, "button[value=submit]")
    assert "Đã gửi" in page.inner_text("[data-testid=report-status]")

    page.context.clear_cookies()
    login(page, live, "canbo_vhxh")
    page.goto(url)
    click_and_confirm(page, "[data-testid=review-box] button:has-text('Duyệt')")
    assert "Đã duyệt" in page.inner_text("[data-testid=report-status]")
    screenshot(page, "entry-approved")
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == "approved"
    assert report.values.get(element__code="HO_NUOC_SACH").value == 575
    assert report.values.get(element__code="DAN_SO").value == 2420


def test_the_office_locks_the_quarter_while_the_leader_types(page, live, screenshot):
    """He presses "Lưu nháp" after the lock: the page says why in Vietnamese, his figures stay in their
    boxes (nothing lost, nothing saved), and once the office unlocks, the same page saves them."""
    from django.contrib.auth import get_user_model

    from indicators import services
    from indicators.models import ReportingPeriod

    url = f"{live.url}/so-lieu/2024/q4/TDP-01/"
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live, "totruong1")
    page.goto(url)
    for code, text in FIGURES.items():
        field(page, code).fill(text)
    office = get_user_model().objects.get(username="vanphong")
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    services.set_period_lock(period=period, user=office, locked=True)

    page.click("button[value=save]")
    main = page.inner_text("main")
    assert "Số liệu CHƯA được lưu" in main and "Kỳ báo cáo đã khóa" in main
    assert "Forbidden" not in page.content()
    assert {code: field(page, code).input_value() for code in FIGURES} == FIGURES
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "entry-phone-refused-locked")
    assert not Report.objects.filter(unit__code="TDP-01", period__quarter=4, values__isnull=False).exists()

    services.set_period_lock(period=period, user=office, locked=False, reason="Tổ 1 đang nhập dở")
    page.click("button[value=save]")
    assert "Đã lưu nháp" in page.inner_text("main")
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.values.get(element__code="DAN_SO").value == 2420

    # The portal's own 404 page fits the phone too.
    page.goto(f"{live.url}/so-lieu/2024/q4/TDP-02/")
    assert "Không tìm thấy trang" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "error-404-phone")
