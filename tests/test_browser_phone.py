"""Phone-first pages and no irreversible step by accident (issue 16, parts 3 and 4), in Chromium.

A group leader on a 390 px phone saves his quarter, reads its history as cards, and sends it: the
confirmation names the quarter and his group; Escape and "Hủy" send nothing, "Đồng ý" sends it. The
reviewer, with JavaScript off, approves with one plain click (the confirmation never blocks a form).
The plan's targets and the proposals list fit the phone; key buttons and links are 44 px tall.
"""

import pytest
from django.core.management import call_command

from indicators.models import Report

from .conftest import PHONE, confirm_step, login, screenshot_sizes
from .reporting import open_quarter
from .test_browser_reporting import FIGURES, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def height(locator) -> float:
    return locator.bounding_box()["height"]


def status() -> str:
    return Report.objects.get(unit__code="TDP-01", period__quarter=4).status


def test_phone_confirmation_cancel_and_accept_history_plan_and_tap_targets(browser, page, live):
    page.set_viewport_size(PHONE)
    login(page, live, "totruong1")
    url = f"{live.url}/so-lieu/2024/q4/TDP-01/"
    page.goto(url)
    assert height(page.locator(".navbar-toggler")) >= TAP
    for code, text in FIGURES.items():
        field(page, code).fill(text)
    page.click("button[value=save]")
    page.wait_for_selector("text=Lịch sử thay đổi")
    for name in ("save", "submit"):
        assert height(page.locator(f"button[value={name}]")) >= TAP
    # A note field takes the phone's whole width, beside nothing.
    note = page.locator("div[data-element='DAN_SO'] input[name^='c_']").bounding_box()
    assert note["width"] >= PHONE["width"] - 60

    # The history reads as cards on the phone: no sideways scrolling, each figure named.
    page.click("text=Lịch sử thay đổi")
    page.wait_for_selector("[data-testid=changes]")
    fits(page)
    cell = page.locator("[data-testid=changes] tbody tr").first.locator("td.num").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Giá trị cũ"'
    screenshot_sizes(page, "phone-history")

    # Sending asks first; Escape and "Hủy" send nothing, focus goes back to the button.
    page.goto(url)
    page.click("button[value=submit]")
    dialog = page.locator("dialog[data-testid=confirm-step][open]")
    dialog.wait_for(state="visible")
    assert dialog.locator("h2").inner_text() == "Gửi báo cáo đi duyệt?"
    assert dialog.locator("p").inner_text() == (
        "Nộp báo cáo Quý IV/2024 của Tổ dân phố 1 để duyệt. "
        "Sau khi nộp, bạn không sửa được nữa trừ khi bị trả lại."
    )
    assert page.evaluate("document.activeElement.hasAttribute('data-confirm-cancel')")
    for button in ("[data-confirm-cancel]", "[data-confirm-accept]"):
        assert height(dialog.locator(button)) >= TAP
    fits(page)
    screenshot_sizes(page, "phone-confirm-submit")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.value") == "submit"
    assert status() == "draft"
    page.click("button[value=submit]")
    confirm_step(page, accept=False)
    page.wait_for_timeout(300)
    assert status() == "draft" and page.url == url
    page.click("button[value=submit]")
    confirm_step(page, accept=True)
    page.wait_for_selector("text=Đã lưu và gửi báo cáo")
    assert status() == "submitted"

    # The plan's targets on the phone: cards, not a table cut at the right; its links are tappable.
    page.goto(f"{live.url}/ke-hoach/2024/")
    fits(page)
    row = page.locator("tr[data-code='KT-07a']")
    assert row.locator("td.num").inner_text().split()[-1] == "4.176"
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert height(row.locator("td.target-code a")) >= TAP
    screenshot_sizes(page, "phone-plan-targets")

    # The reviewer without JavaScript: the approval is a plain form and goes through at once.
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    try:
        reviewer = context.new_page()
        login(reviewer, live, "canbo_vhxh")
        reviewer.goto(url)
        reviewer.click("[data-testid=review-box] button:has-text('Duyệt')")
        reviewer.wait_for_selector("text=Đã duyệt")
        assert status() == "approved"
    finally:
        context.close()

    # The office's list of proposals fits the phone as cards.
    page.context.clear_cookies()
    login(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/")
    page.wait_for_selector("[data-testid=proposals]")
    fits(page)
    screenshot_sizes(page, "phone-proposals")
