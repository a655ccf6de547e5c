"""A group leader on a phone (390 px): imports his group's 400 households from Excel, records the
group's review meeting and its results in a few taps (all đạt except two), closes the minutes; the
office posts the list and the group's public page lists the qualifying households. Then the chairman's
decision on three groups' posted lists (prepared through the services; only the decision's steps are
driven in the browser)."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from awards import household_import, households
from awards.demo_households import households_for
from awards.models import AwardRecord, Decision, Household, HouseholdAssessment, HouseholdReview
from campaigns.models import Plan
from indicators import excel
from indicators.models import Unit

from .conftest import DESK, click_and_confirm, login, screenshot_sizes

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
    # The confirmed post loads a new page: wait for it rather than read the old one.
    page.wait_for_selector("[data-testid=review-status]:text-is('Đã chốt biên bản')")
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


def reviewed_and_posted(code: str, n: int, failing: int) -> HouseholdReview:
    """A group's review as the ORM leaves it after its meeting: n households, the first `failing` not
    qualified, the minutes closed and the list posted by the office from 22/11/2024 (over on 02/12)."""
    users = get_user_model().objects
    unit = Unit.objects.get(code=code)
    rows = Household.objects.bulk_create(
        Household(unit=unit, head_name=f"Chủ Hộ {code} {i:02d}", address=f"Số {i}") for i in range(n)
    )
    leader = users.get(username=f"totruong{int(code[-2:])}")
    review = households.create_review(
        plan=Plan.objects.get(year=2024),
        unit=unit,
        user=leader,
        data={"held_on": date(2024, 11, 18), "chaired_by": "Tổ trưởng"},
    )
    pks = [h.pk for h in rows]
    households.save_results(
        review=review,
        user=leader,
        shown=pks,
        qualified=set(pks[failing:]),
        reasons={pk: "Chưa đạt tiêu chuẩn" for pk in pks[:failing]},
        version=0,
    )
    households.finish_review(review=review, user=leader, version=1)
    households.post_review(review=review, user=users.get(username="vanphong"), posted_on=date(2024, 11, 22))
    return review


def test_the_chairmans_decision_covers_three_groups_households(page, live):
    """The office drafts one decision for three groups' posted lists, the chairman signs it: one registry
    row per household, and the annex lists the households group by group."""
    groups = {"TDP-01": (6, 1), "TDP-02": (5, 0), "TDP-03": (4, 2)}
    reviews = [reviewed_and_posted(code, n, failing) for code, (n, failing) in groups.items()]
    qualified = sum(n - failing for n, failing in groups.values())

    # 1. The office picks the three groups' lists, with the number and the date, and drafts.
    page.set_viewport_size(DESK)
    login(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/gia-dinh-van-hoa/quyet-dinh/")
    form = page.locator("[data-testid=household-decision-form]")
    for review in reviews:
        form.locator(f"input[name=reviews][value='{review.pk}']").check()
    page.fill("#id_number", "125/QĐ-UBND")
    page.fill("#id_signed_on", "05/12/2024")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=decision-groups]")
    assert page.inner_text("[data-testid=decision-status]") == "Dự thảo"
    assert page.inner_text("[data-testid=decision-total]") == f"{qualified} hộ"
    listed = page.inner_text("[data-testid=decision-groups]")
    assert all(name in listed for name in ("Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"))
    decision = Decision.objects.get(household_reviews__in=reviews[:1])
    assert set(decision.household_reviews.values_list("pk", flat=True)) == {r.pk for r in reviews}
    screenshot_sizes(page, "household-decision-draft")

    # 2. The chairman signs it (a confirmation first); every qualifying household enters the registry.
    page.context.clear_cookies()
    login(page, live, "chutich")
    page.goto(f"{live.url}/khen-thuong/gia-dinh-van-hoa/quyet-dinh/{decision.pk}/")
    click_and_confirm(page, "[data-testid=decision-sign] button[type=submit]")
    page.wait_for_selector("text=Đã ký quyết định")
    assert page.inner_text("[data-testid=decision-status]") == "Đã ký"
    rows = AwardRecord.objects.filter(decision=decision)
    assert rows.count() == qualified and rows.filter(household__isnull=True).count() == 0
    assert {code: rows.filter(unit__code=code).count() for code in groups} == {
        code: n - failing for code, (n, failing) in groups.items()
    }
    assert not page.locator("[data-testid=decision-withdraw]").count()  # signed: nothing to withdraw
    screenshot_sizes(page, "household-decision-signed")

    # 3. The decision's PDF: the annex lists the three groups, each with its qualifying households.
    with page.expect_download() as info:
        page.click("[data-testid=decision-pdf]")
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(open(info.value.path(), "rb").read())).pages
    )
    text = " ".join(text.split())
    assert "125/QĐ-UBND" in text
    positions = [text.find(f"Tổ dân phố {i}") for i in (1, 2, 3)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "Chủ Hộ TDP-03 03" in text and "Chủ Hộ TDP-03 00" not in text  # not qualified: not annexed
