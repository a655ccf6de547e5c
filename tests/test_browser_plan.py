"""Every demo role logs in through a real Chromium and reads the plan with its figures."""

import pytest
from django.core.management import call_command

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ACCOUNTS = ["chutich", "vanphong", "canbo", "totruong1", "hoidong", "quantri"]


@pytest.fixture
def demo_live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    return live_server


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_role_reads_the_plan(page, demo_live, screenshot, username):
    login(page, demo_live, username)
    page.click("text=Kế hoạch thi đua")
    page.wait_for_selector("[data-testid=plan-document]")
    assert page.locator("h1").first.inner_text() == "KẾ HOẠCH"
    row = page.locator("tr[data-code='KT-07a'] td.num")
    assert row.inner_text().split()[-1] == "4.176"
    assert page.locator("tr[data-code='XH-03'] td.num").inner_text().split()[-1] == "2,57"
    assert page.locator("tr[data-code='KT-04'] td.num").inner_text().split()[-1] == "6.599.100.000"
    assert page.locator("tr[data-code='KT-01'] td.num").inner_text().split()[-1] == "705,6"
    assert "Phổ Minh, ngày 04 tháng 01 năm 2024" in page.inner_text("header")
    screenshot(page, f"plan-{username}")


def test_plan_on_a_phone_and_a_target_page(page, demo_live, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_live, "totruong1")
    page.goto(f"{demo_live.url}/ke-hoach/2024/")
    # The page does not scroll sideways on a phone; wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("tr[data-code='XH-10'] a")
    page.wait_for_selector("[data-testid=target-value]")
    assert page.inner_text("[data-testid=target-value]").startswith("≥ 90")
    assert "Số người tham gia bảo hiểm y tế" in page.content()
    screenshot(page, "target-XH-10-phone")


def test_wrong_password_in_the_browser(page, demo_live):
    page.goto(f"{demo_live.url}/dang-nhap/")
    page.fill("#id_username", "chutich")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "Tên đăng nhập và mật khẩu chính xác" in page.inner_text("main")
