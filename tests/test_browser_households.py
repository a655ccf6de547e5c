"""A group leader on a phone (390 px): imports his group's 400 households from Excel, records the
group's review meeting and its results in a few taps (all đạt except two), closes the minutes; the
office posts the list and the group's public page lists the qualifying households."""

import pytest
from django.core.management import call_command

from awards import household_import
from awards.demo_households import households_for
from awards.models import Household, HouseholdAssessment, HouseholdReview
from indicators import excel
from indicators.models import Unit

from .conftest import click_and_confirm, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    return live_server


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def register_file(n: int) -> bytes:
    unit = Unit.objects.get(code="TDP-01")
    return excel.to_bytes(household_import.template_workbook(unit, households_for(unit, n, seed=11)))


def test_group_leader_imports_and_records_the_review_on_a_phone(page, live, screenshot):
    page.set_viewport_size(PHONE)
    login(page, live, "totruong1")

    # 1. His register (he goes straight to his own group), then the import of 400 households.
    page.goto(f"{live.url}/khen-thuong/ho-gia-dinh/")
    page.wait_for_selector("[data-testid=household-count]")
    fits(page)
    page.click("[data-testid=import-link]")
    page.set_input_files(
        "[data-testid=household-upload] input[type=file]",
        files=[
            {"name": "so-ho-to-1.xlsx", "mimeType": excel.XLSX_CONTENT_TYPE, "buffer": register_file(400)}
        ],
    )
    page.click("[data-testid=household-upload] button[type=submit]")
    assert page.inner_text("[data-testid=count-new]") == "400"
    fits(page)
    screenshot(page, "households-import-preview-phone")
    page.click("[data-testid=import-confirm] button[type=submit]")
    assert "400 hộ đang cư trú" in page.inner_text("[data-testid=household-count]")
    assert Household.objects.filter(unit__code="TDP-01").count() == 400
    fits(page)
    screenshot(page, "households-register-phone")

    # 2. The meeting's record: date and time as held, who chaired, the Front's head, attendance.
    page.click("[data-testid=new-review]")
    page.fill("#id_held_on", "20/11/2024")
    page.fill("#id_starts_at", "19:30")
    page.fill("#id_ends_at", "21:15")
    page.fill("#id_chaired_by", "Nguyễn Văn Tổ")
    page.fill("#id_front_head_name", "Lê Thị Mặt Trận")
    page.fill("#id_secretary_name", "Trần Thị Thư")
    page.fill("#id_attendance", "312")
    fits(page)
    page.click("[data-testid=review-form] button[type=submit]")

    # 3. The results: untick two households on the first page, give the reasons, "the rest qualify".
    page.wait_for_selector("[data-testid=results-form]")
    fits(page)
    items = page.locator("[data-testid=results-form] li[data-household]")
    failing = [items.nth(2).get_attribute("data-household"), items.nth(7).get_attribute("data-household")]
    for pk in failing:
        page.uncheck(f"#dat-{pk}")
        page.fill(f"input[name=ly_do_{pk}]", "Chưa thực hiện tốt vệ sinh môi trường")
    screenshot(page, "households-results-phone")
    page.click("[data-testid=save-rest]")
    assert "400/400 hộ đã có kết quả: 398 đạt, 2 không đạt." in page.inner_text(
        "[data-testid=results-summary]"
    )
    review = HouseholdReview.objects.get(unit__code="TDP-01")
    assert HouseholdAssessment.objects.filter(review=review, qualified=False).count() == 2

    # 4. Back to the minutes, closed in one tap; the PDF is there.
    page.click("text=Về biên bản họp")
    click_and_confirm(page, "[data-testid=review-finish] button[type=submit]")
    assert page.inner_text("[data-testid=review-status]") == "Đã chốt biên bản"
    fits(page)
    screenshot(page, "households-review-finished-phone")
    with page.expect_download() as info:
        page.click("[data-testid=minutes-pdf]")
    assert info.value.suggested_filename == "bien-ban-binh-xet-GDVH-TDP-01-2024.pdf"

    # 5. The office posts the group's list; the group's public page lists the 398 households.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/binh-xet/{review.pk}/")
    page.fill("#id_posted_on", "22/11/2024")
    page.click("[data-testid=review-post] button[type=submit]")
    page.wait_for_selector("text=Đã ghi nhận đợt công khai")
    posting = review.postings.get()
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, live, "totruong1")
    page.goto(f"{live.url}/khen-thuong/cong-khai/{posting.pk}/danh-sach/")
    assert page.locator("[data-testid=posted-names] tbody tr").count() == 398
    screenshot(page, "households-posting-public-phone")
    # Another group's leader is not shown this group's register.
    page.context.clear_cookies()
    login(page, live, "totruong2")
    response = page.goto(f"{live.url}/khen-thuong/ho-gia-dinh/TDP-01/")
    assert response.status == 404
