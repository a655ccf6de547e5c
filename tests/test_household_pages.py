"""The household pages through the client: the register list and its add form, the Excel import
(preview, row errors, confirm), the results list (bulk "tất cả đạt trừ …", a stale page keeps the
ticks), the minutes PDF, the group's list on the public posting; another group's leader gets 404."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import households as hh
from awards.models import Household, HouseholdAssessment, HouseholdReview
from indicators.models import Unit

pytestmark = pytest.mark.django_db


def login(client, name):
    client.force_login(get_user_model().objects.get(username=name))


def group(code="TDP-01"):
    return Unit.objects.get(code=code)


def register(n, code="TDP-01"):
    unit = group(code)
    return Household.objects.bulk_create(
        Household(unit=unit, head_name=f"Nguyễn Văn {i:03d}", address=f"Số {i}") for i in range(1, n + 1)
    )


def review_of(plan, code="TDP-01", **extra):
    data = {"held_on": date(2024, 11, 20), "chaired_by": "Trần Văn Bình", "place": "Nhà văn hóa"} | extra
    return hh.create_review(
        plan=plan,
        unit=group(code),
        user=get_user_model().objects.get(username=f"totruong{int(code[-2:])}"),
        data=data,
    )


def xlsx(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Họ và tên chủ hộ", "Địa chỉ", "Số nhân khẩu"])
    for r in rows:
        ws.append(list(r))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "so-ho.xlsx"
    return data


def test_leader_goes_straight_to_his_register_and_adds(client, demo, django_assert_max_num_queries):
    register(150)
    login(client, "totruong1")
    response = client.get(reverse("awards-household-groups"))
    assert response.status_code == 302 and response["Location"].endswith("/ho-gia-dinh/TDP-01/")
    with django_assert_max_num_queries(20):
        page = client.get(reverse("awards-households", args=["TDP-01"]))
    assert page.status_code == 200 and "150 hộ đang cư trú" in page.content.decode()
    assert page.content.decode().count('data-household="') == 100  # one page
    response = client.post(
        reverse("awards-households", args=["TDP-01"]), {"head_name": "Võ Thị Mai", "members": "4"}
    )
    assert response.status_code == 302
    assert Household.objects.filter(unit__code="TDP-01", head_name="Võ Thị Mai", members=4).exists()


def test_members_are_read_with_ascii_digits_only(client, demo):
    login(client, "totruong1")
    response = client.post(
        reverse("awards-households", args=["TDP-01"]), {"head_name": "Võ Thị Mai", "members": "٣"}
    )
    assert response.status_code == 400
    assert not Household.objects.filter(head_name="Võ Thị Mai").exists()


def test_another_groups_leader_gets_404_everywhere(client, demo):
    household = register(1)[0]
    review = review_of(demo)
    login(client, "totruong2")
    for url in [
        reverse("awards-households", args=["TDP-01"]),
        reverse("awards-household-edit", args=["TDP-01", household.pk]),
        reverse("awards-household-import", args=["TDP-01"]),
        reverse("awards-household-review", args=[review.pk]),
        reverse("awards-household-results", args=[review.pk]),
        reverse("awards-household-minutes-pdf", args=[review.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    # his own group's URL with the other group's household id
    assert client.get(reverse("awards-household-edit", args=["TDP-02", household.pk])).status_code == 404
    response = client.post(
        reverse("awards-household-results", args=[review.pk]), {"version": "0", "hien": [household.pk]}
    )
    assert response.status_code == 404
    assert not HouseholdAssessment.objects.exists()


def test_the_official_serving_the_group_reads_but_does_not_write(client, demo):
    household = register(1)[0]
    login(client, "canbo_vhxh")
    assert client.get(reverse("awards-households", args=["TDP-01"])).status_code == 200
    assert client.post(reverse("awards-households", args=["TDP-01"]), {"head_name": "X"}).status_code == 403
    assert client.get(reverse("awards-household-edit", args=["TDP-01", household.pk])).status_code == 403
    assert client.get(reverse("awards-household-import", args=["TDP-01"])).status_code == 403


def test_import_preview_shows_row_errors_and_saves_nothing(client, demo):
    login(client, "totruong1")
    url = reverse("awards-household-import", args=["TDP-01"])
    response = client.post(
        url, {"file": xlsx([("Trần Văn An", "Số 1", 4), ("", "Số 2", 3), ("Lê Văn Ba", "Số 3", 200)])}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "2 dòng có lỗi" in body and "Thiếu họ và tên chủ hộ." in body and "1 đến 99" in body
    assert 'data-row="3"' in body and "import-confirm" not in body
    assert not Household.objects.exists()


def test_import_confirm_saves_every_row_once(client, demo):
    login(client, "totruong1")
    url = reverse("awards-household-import", args=["TDP-01"])
    response = client.post(url, {"file": xlsx([(f"Hộ {i}", f"Số {i}", 3) for i in range(400)])})
    assert response.status_code == 200
    token = response.context["confirm_form"].initial["token"]
    confirm = reverse("awards-household-import-confirm", args=["TDP-01"])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert Household.objects.filter(unit__code="TDP-01").count() == 400
    client.post(confirm, {"token": token})  # a second click saves nothing more
    assert Household.objects.filter(unit__code="TDP-01").count() == 400


def test_template_download_is_an_xlsx_with_the_register(client, demo):
    register(3)
    login(client, "totruong1")
    response = client.get(reverse("awards-household-template", args=["TDP-01"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.cell(row=5, column=2).value == "Nguyễn Văn 001"


def test_results_all_qualify_except_and_the_stale_page_keeps_ticks(
    client, demo, django_assert_max_num_queries
):
    households = register(250)
    review = review_of(demo)
    login(client, "totruong1")
    url = reverse("awards-household-results", args=[review.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    shown = [h.pk for h in households[:100]]
    failing = shown[5]
    post = {
        "version": "0",
        "hien": [str(pk) for pk in shown],
        "dat": [str(pk) for pk in shown if pk != failing],
        f"ly_do_{failing}": "Chưa giữ gìn vệ sinh",
        "action": "rest",
    }
    assert page.status_code == 200
    assert client.post(url, post).status_code == 302
    summary = hh.review_summary(review)
    assert (summary.assessed, summary.qualified, summary.not_qualified) == (250, 249, 1)
    # Someone saved meanwhile: this page (version 0) is stale; nothing is saved, the ticks are kept.
    stale = post | {"dat": [str(pk) for pk in shown if pk not in (failing, shown[7])], "action": "page"}
    response = client.post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "vừa được người khác lưu" in body
    assert f'id="dat-{shown[7]}"' in body and f'value="{shown[7]}" id="dat-{shown[7]}" checked' not in body
    assert f'value="{shown[8]}" id="dat-{shown[8]}" checked' in body
    assert HouseholdAssessment.objects.get(review=review, household_id=shown[7]).qualified


def test_late_meeting_is_warned_on_its_page(client, demo):
    review = review_of(demo, held_on=date(2024, 11, 28))
    login(client, "totruong1")
    response = client.get(reverse("awards-household-review", args=[review.pk]))
    assert "trước ngày 25/11/2024" in response.content.decode()


def test_minutes_pdf_in_the_legal_layout(client, demo):
    households = register(3)
    review = review_of(demo, starts_at="19:30", ends_at="21:00", front_head_name="Lê Thị Hoa")
    pks = [h.pk for h in households]
    leader = get_user_model().objects.get(username="totruong1")
    hh.save_results(
        review=review, user=leader, shown=pks, qualified=set(pks[:2]), reasons={pks[2]: "Vi phạm"}, version=0
    )
    login(client, "totruong1")
    response = client.get(reverse("awards-household-minutes-pdf", args=[review.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        "BIÊN BẢN",
        "Họp bình xét danh hiệu",
        "Vào hồi 19 giờ 30 phút, ngày 20 tháng 11 năm 2024",
        "Lê Thị Hoa",
        "kết thúc vào hồi 21 giờ 00 phút cùng ngày",
        "CHỦ TRÌ",
        "Nguyễn Văn 003",
        "Vi phạm",
    ]:
        assert expected in " ".join(text.split()), expected


def test_the_public_posting_lists_the_qualifying_households(client, demo):
    households = register(3)
    review = review_of(demo)
    leader = get_user_model().objects.get(username="totruong1")
    pks = [h.pk for h in households]
    hh.save_results(
        review=review,
        user=leader,
        shown=pks,
        qualified={pks[0], pks[2]},
        reasons={pks[1]: "Chưa đạt"},
        version=0,
    )
    hh.finish_review(review=review, user=leader, version=1)
    login(client, "vanphong")
    response = client.post(
        reverse("awards-household-review-post", args=[review.pk]), {"posted_on": "2024-11-21", "days": "10"}
    )
    assert response.status_code == 302
    posting = HouseholdReview.objects.get(pk=review.pk).postings.get()
    login(client, "totruong1")
    public = client.get(reverse("awards-posting-public", args=[posting.pk])).content.decode()
    assert "Nguyễn Văn 001" in public and "Nguyễn Văn 003" in public and "Nguyễn Văn 002" not in public
    pdf = client.get(reverse("awards-posting-pdf", args=[posting.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nguyễn Văn 001" in text and "Nguyễn Văn 002" not in text
    login(client, "vanphong")
    detail = client.get(reverse("awards-posting", args=[posting.pk])).content.decode()
    assert "Đạt tại họp bình xét" in detail
    listing = client.get(reverse("awards-postings"), {"year": 2024})
    assert [p.names for p in listing.context["postings"] if p.pk == posting.pk] == [2]


def test_a_comment_about_one_household_of_the_posted_list(client, demo):
    households = register(3)
    other = register(1, code="TDP-02")[0]
    review = review_of(demo)
    leader = get_user_model().objects.get(username="totruong1")
    pks = [h.pk for h in households]
    hh.save_results(
        review=review, user=leader, shown=pks, qualified={pks[0], pks[1]}, reasons={pks[2]: "x"}, version=0
    )
    hh.finish_review(review=review, user=leader, version=1)
    posting = hh.post_review(
        review=review, user=get_user_model().objects.get(username="vanphong"), posted_on=date(2024, 11, 21)
    )
    login(client, "vanphong")
    page = client.get(reverse("awards-posting", args=[posting.pk]))
    choices = [c[0].value for c in page.context["comment_form"].fields["household"].choices if c[0]]
    assert choices == pks[:2] and "proposal" not in page.context["comment_form"].fields
    url = reverse("awards-posting-comment", args=[posting.pk])
    post = {"received_on": "2024-11-25", "from_name": "", "text": "Hộ này chưa giữ vệ sinh."}
    client.post(url, post | {"household": str(pks[1])})
    comment = posting.comments.get()
    assert comment.household_id == pks[1] and comment.proposal_id is None
    assert "Về: Nguyễn Văn 002" in client.get(reverse("awards-posting", args=[posting.pk])).content.decode()
    for wrong in (pks[2], other.pk):  # not qualifying, or another group's: refused
        client.post(url, post | {"household": str(wrong)})
    assert posting.comments.count() == 1
