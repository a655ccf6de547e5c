"""A group leader registers his group's pledge on a phone; the office acknowledges it."""

import pytest
from django.core.management import call_command

from campaigns.models import Pledge

from .conftest import click_and_confirm, login
from .pledging import open_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_window(Plan.objects.get(year=2024))
    return live_server


def test_leader_registers_on_a_phone_and_the_office_acknowledges(page, live, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live, "totruong7")
    page.goto(f"{live.url}/dang-ky-thi-dua/")
    page.click("[data-testid=my-pledges] a:has-text('Tổ dân phố 7')")
    page.wait_for_selector("[data-testid=pledge-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("select[name=collective_title]", label="Tổ dân phố văn hóa")
    page.fill("input[name=household_count]", "1.250")  # read as the quarterly form reads it
    row = page.locator("div.commitment-row[data-code='XH-09b']")
    row.locator("input[type=checkbox]").check()
    assert row.locator("input[name^='v_']").input_value() == ""  # never the ward's target
    row.locator("input[name^='v_']").fill("95")
    poor = page.locator("div.commitment-row[data-code='XH-03']")
    poor.locator("input[type=checkbox]").check()
    poor.locator("input[name^='v_']").fill("2,4")
    poor.locator("input[name^='b_']").fill("2,9")
    page.fill("textarea[name=other]", "Không có hộ tái nghèo")
    screenshot(page, "pledge-phone-form")
    click_and_confirm(page, "button[value=submit]")
    page.wait_for_selector("text=Đã gửi bản đăng ký thi đua")
    assert "Đã gửi" in page.inner_text("[data-testid=pledge-status]")
    screenshot(page, "pledge-phone-submitted")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live, "vanphong")
    page.goto(f"{live.url}/dang-ky-thi-dua/")
    page.click("[data-testid=pledge-overview] tr[data-unit='TDP-07'] a")
    click_and_confirm(page, "[data-testid=office-box] button:has-text('Tiếp nhận')")
    page.wait_for_selector("text=Đã tiếp nhận bản đăng ký")
    assert "Văn phòng đã tiếp nhận" in page.inner_text("[data-testid=pledge-status]")
    screenshot(page, "pledge-acknowledged")
    pledge = Pledge.objects.get(unit__code="TDP-07")
    assert pledge.status == "acknowledged" and pledge.household_count == 1250
    assert pledge.commitments.get(target__code="XH-03").baseline == 2.9 or str(
        pledge.commitments.get(target__code="XH-03").baseline
    ).startswith("2.9")
