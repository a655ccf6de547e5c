"""The progress dashboard in a real Chromium: the chairman's view, a drill-down, filters, a phone."""

import pytest
from django.core.management import call_command

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    return live_server


def test_chairman_reads_the_dashboard_and_drills_down(page, demo_live, screenshot):
    login(page, demo_live, "chutich")
    page.click("nav >> text=Tiến độ")
    page.wait_for_selector("[data-testid=section-behind]")
    assert "quý II/2024" in page.inner_text("[data-testid=data-basis]")
    kt01 = page.locator("[data-testid=section-behind] tr[data-code='KT-01']")
    assert kt01.locator(".badge").inner_text() == "Chậm tiến độ"
    assert kt01.locator("[data-testid=actual]").inner_text() == "341,7 tỷ đồng"
    assert kt01.locator("svg.chart-progress").count() == 1
    achieved = page.locator("[data-testid=section-rest] tr[data-code='KT-09']")
    assert achieved.locator(".badge").inner_text() == "Đạt"
    screenshot(page, "dashboard-chutich")

    page.click("tr[data-code='XH-03'] a")
    page.wait_for_selector("[data-testid=units]")
    assert page.inner_text("h1").startswith("XH-03")
    assert page.inner_text("[data-testid=ward-figure] [data-testid=actual]") == "2,8 %"
    tdp1 = page.locator("tr[data-unit='TDP-01'] td")
    assert [tdp1.nth(i).inner_text() for i in range(3)] == ["15", "582", "2,58 %"]
    assert page.locator("tr[data-unit='ward'] [data-testid=ward-actual]").inner_text() == "2,8 %"
    assert page.locator("svg.chart-quarters rect.bar-quarter").count() == 2
    screenshot(page, "dashboard-drilldown-XH-03")

    page.click("tr[data-unit='TDP-01'] a")
    page.wait_for_selector("[data-testid=unit-targets]")
    row = page.locator("tr[data-code='XH-03']")
    assert row.locator("[data-testid=unit-actual]").inner_text().startswith("2,58 %")
    assert row.locator("[data-testid=ward-actual]").inner_text() == "2,8 %"
    screenshot(page, "dashboard-unit-TDP-01")


def test_filters_and_the_submitted_switch_in_the_browser(page, demo_live):
    login(page, demo_live, "vanphong")
    page.goto(f"{demo_live.url}/tien-do/2024/")
    page.select_option("#id_group", "social")
    page.check("#id_submitted")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_selector(".alert[data-testid=data-basis]")
    assert "submitted=1" in page.url and "group=social" in page.url
    assert "gồm cả số liệu đã gửi" in page.inner_text("[data-testid=data-basis]")
    codes = page.locator("tr[data-status]").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes and all(code.startswith("XH-") for code in codes)


def test_dashboard_on_a_phone(page, demo_live, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_live, "totruong1")
    page.goto(f"{demo_live.url}/tien-do/2024/")
    page.wait_for_selector("[data-testid=section-behind]")
    # The page does not scroll sideways on a phone; the tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("tr[data-code='XH-03'] [data-testid=actual]").inner_text() == "2,8 %"
    screenshot(page, "dashboard-phone")
    page.goto(f"{demo_live.url}/tien-do/2024/chi-tieu/XH-03/")
    page.wait_for_selector("[data-testid=units]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("tr[data-unit]").evaluate_all("rows => rows.map(r => r.dataset.unit)") == [
        "TDP-01",
        "ward",
    ]
    screenshot(page, "dashboard-drilldown-phone")


def test_the_office_gives_rice_its_harvest_pace_and_the_dashboard_follows(page, demo_live, screenshot):
    """Nothing is cut by March: behind at an even pace, on track once the office sets 0/50/100 %."""
    login(page, demo_live, "vanphong")
    page.goto(f"{demo_live.url}/tien-do/2024/?quarter=1")
    assert page.locator("tr[data-code='KT-07a'] .badge").first.inner_text() == "Chậm tiến độ"

    page.goto(f"{demo_live.url}/ke-hoach/2024/chi-tieu/KT-07a/")
    page.click("[data-testid=edit-pace]")
    assert [page.input_value(f"#id_q{q}") for q in (1, 2, 3)] == ["25", "50", "75"]  # the pace in force
    page.fill("#id_q1", "0")
    page.fill("#id_q2", "50")
    page.fill("#id_q3", "100,5")  # a typo the form must refuse, keeping what was typed
    page.fill("#id_reason", "Lúa hai vụ: Đông Xuân thu hoạch trong quý II, Hè Thu trong quý III.")
    page.click("[data-testid=pace-form] button[type=submit]")
    assert "Không quá 100 %" in page.inner_text("[data-testid=pace-form]")
    assert page.input_value("#id_q2") == "50"
    page.fill("#id_q3", "100")
    page.click("[data-testid=pace-form] button[type=submit]")
    page.wait_for_selector("[data-testid=pace-changes]")
    assert "0 – 50 – 100 %" in page.inner_text("[data-testid=pace-changes]")
    screenshot(page, "target-pace")

    page.goto(f"{demo_live.url}/tien-do/2024/?quarter=1")
    assert page.locator("tr[data-code='KT-07a'] .badge").first.inner_text() == "Đúng tiến độ"


def test_chairman_on_a_phone_sees_a_group_against_its_own_figures(page, demo_live):
    """Issue 16, part 6, at 390 px: the reports waiting for approval, the unit filter judging TDP-06 on
    its own share (100 head of cattle, not the ward's 800), the same judgement on the unit's page, and
    the PDF button saying that the file is being made until it is saved."""
    from .conftest import PHONE, screenshot_sizes

    page.set_viewport_size(PHONE)
    login(page, demo_live, "chutich")
    page.goto(f"{demo_live.url}/tien-do/2024/")
    waiting = page.locator("[data-testid=waiting] li[data-quarter='3']")
    assert "báo cáo đang chờ duyệt" in waiting.inner_text()
    assert waiting.locator("a").get_attribute("href") == "/tien-do-nop/2024/q3/"

    page.select_option("#id_unit", label="Tổ dân phố 6")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_selector("[data-testid=unit-scope]")
    cattle = page.locator("tr[data-code='KT-08']").first
    assert cattle.locator("[data-testid=actual]").inner_text() == "92 con"
    assert cattle.locator("[data-testid=target]").inner_text() == "≥ 100 con"
    assert cattle.locator("[data-testid=progress]").inner_text() == "92 %"
    assert "1/8 chỉ tiêu của phường" in cattle.locator("[data-testid=goal-note]").inner_text()
    assert "800" not in cattle.inner_text()
    # A phone keeps what matters: each row is a card, nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert cattle.locator("[data-testid=target]").is_visible()
    status = cattle.get_attribute("data-status")
    screenshot_sizes(page, "dashboard-unit-filter-chutich")

    button = page.locator("[data-testid=progress-pdf]")
    with page.expect_download(timeout=60000) as download:
        button.click()
        busy = page.locator("[data-testid=busy-status]")
        busy.wait_for(state="visible")
        assert "Đang tạo báo cáo PDF" in busy.inner_text()
        assert button.get_attribute("aria-busy") == "true"
    assert download.value.suggested_filename.startswith("bao-cao-tien-do-TDP-06-2024-Q2")
    page.wait_for_function(
        "document.querySelector('[data-testid=progress-pdf]').getAttribute('aria-busy') === 'false'"
    )
    assert "Đã tạo xong" in page.inner_text("[data-testid=busy-status]")

    page.click("[data-testid=unit-scope] a")
    page.wait_for_selector("[data-testid=unit-targets]")
    row = page.locator("tr[data-code='KT-08']")
    assert row.locator("[data-testid=unit-goal]").inner_text() == "≥ 100 con"
    expected = {"behind": "Chậm tiến độ", "on_track": "Đúng tiến độ", "achieved": "Đạt"}[status]
    assert row.locator("[data-testid=unit-status]").inner_text() == expected
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot_sizes(page, "dashboard-unit-page-chutich")
