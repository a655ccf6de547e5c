"""The council's documents on Tổ dân phố văn hóa (Nghị định 86/2023/NĐ-CP, DOMAIN.md §4b): the minutes of
its review of the residential groups (Mẫu số 06) and the proposal listing the groups it passed (Mẫu số 04),
addressed to whoever decides on the document's date in the law's data."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import services, voting
from awards.models import CouncilSession

from .test_awards_factories import ballot, checked_proposal, council_of, office_user, posted, session_for

pytestmark = pytest.mark.django_db


def chairman():
    return get_user_model().objects.get(username="chutich")


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages]


@pytest.fixture
def reviewed(plan):
    """A closed session that reviewed three groups (TDP-05 and TDP-03 passed, TDP-06 did not) and one
    Lao động tiên tiến; the list of the two groups posted from 01/12/2024 (over by 12/12)."""
    council, members = council_of(3)
    groups = [checked_proposal(plan, unit_code=c, title_code="TDPVH") for c in ("TDP-05", "TDP-03", "TDP-06")]
    person = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Bùi Thị Tốt")
    session = session_for(plan, council, [*groups, person], present=members)
    CouncilSession.objects.filter(pk=session.pk).update(
        minutes_number="15/BB-HĐTĐKT", secretary_name="Lê Thư Ký"
    )
    voting.open_voting(session=session, user=office_user())
    for m in members:
        choices = {p: "agree" for p in [*groups[:2], person]} | {groups[2]: "disagree"}
        voting.cast_ballot(session=session, user=m, choices=ballot(session, choices))
    voting.close_session(session=session, user=office_user())
    posted(plan, groups[:2])
    return session


def test_minutes_of_the_review_of_the_groups(client, reviewed):
    client.force_login(office_user())
    pages = pdf_pages(client.get(reverse("awards-group-minutes-pdf", args=[reviewed.pk])))
    text = " ".join(pages)
    assert "Mẫu số 06 ban hành kèm theo Nghị định số 86/2023/NĐ-CP" in text
    assert "BIÊN BẢN HỌP" in text and "Bình xét danh hiệu “Tổ dân phố văn hóa” năm 2024" in text
    assert "Số: 15/BB-HĐTĐKT" in text and "Phổ Minh, ngày 20 tháng 12 năm 2024" in text
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15" in text and "98/2023/NĐ-CP" in text
    assert "Tổ dân phố 5" in text and "Tổ dân phố 3" in text and "Tổ dân phố 6" in text
    assert "Bùi Thị Tốt" not in text  # only the groups are in these minutes
    assert text.count("Đủ điều kiện đề nghị") == 2 and "Không đủ điều kiện" in text
    # The 2024 law: the district chairman decides, after the 10 days of posting.
    assert "trình Chủ tịch Ủy ban nhân dân thị xã Đức Phổ xem xét, quyết định" in text
    assert "THƯ KÝ" in pages[-1] and "Lê Thư Ký" in pages[-1] and "CHỦ TỊCH HỘI ĐỒNG" in pages[-1]


def test_proposal_of_the_groups_to_the_higher_level_then_with_the_letters_number(client, reviewed):
    client.force_login(office_user())
    url = reverse("awards-group-proposal-pdf", args=[reviewed.pk])
    text = " ".join(pdf_pages(client.get(url)))
    assert "Mẫu số 04 ban hành kèm theo Nghị định số 86/2023/NĐ-CP" in text
    assert "TỜ TRÌNH" in text and "Về việc đề nghị công nhận danh hiệu “Tổ dân phố văn hóa” năm 2024" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân thị xã Đức Phổ" in text
    assert "Tổ dân phố 5" in text and "Tổ dân phố 3" in text and "Tổ dân phố 6" not in text
    assert "cho 2 tổ dân phố" in text and "3/3 (100" in text
    assert "niêm yết từ ngày 01/12/2024 đến hết ngày 11/12/2024" in text
    assert "Biên bản số 15/BB-HĐTĐKT" in text and "Mẫu số 05" in text and "Mẫu số 06" in text
    assert "ngày tháng năm 2024" in text  # a draft: the date is left to fill in
    # The chairman signs the session's letter: Mẫu số 04 takes its number, date and signer.
    letter = services.record_letter(
        session=reviewed, user=chairman(), number="7/TTr-UBND", signed_on=date(2024, 12, 27)
    )
    assert letter.is_signed
    text = " ".join(pdf_pages(client.get(url)))
    assert "Số: 7/TTr-UBND" in text and "Phổ Minh, ngày 27 tháng 12 năm 2024" in text
    assert "UBND PHƯỜNG PHỔ MINH" in text.upper() and reviewed.plan.signer_name in text


def test_from_july_2025_the_ward_chairman_decides_and_no_district_is_named(client, reviewed):
    CouncilSession.objects.filter(pk=reviewed.pk).update(held_on=date(2025, 12, 20))
    client.force_login(office_user())
    text = " ".join(pdf_pages(client.get(reverse("awards-group-proposal-pdf", args=[reviewed.pk]))))
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Phổ Minh" in text
    assert "152/2025/NĐ-CP" in text and "98/2023/NĐ-CP" not in text
    assert "huyện" not in text and "Đức Phổ" not in text
    assert "/TTr-HĐTĐKT" in text and "CHỦ TỊCH HỘI ĐỒNG" in text
    minutes = " ".join(pdf_pages(client.get(reverse("awards-group-minutes-pdf", args=[reviewed.pk]))))
    assert "trình Chủ tịch Ủy ban nhân dân phường Phổ Minh xem xét" in minutes and "Đức Phổ" not in minutes


def test_the_session_and_proposal_pages_link_them(client, reviewed):
    client.force_login(office_user())
    page = client.get(reverse("awards-session", args=[reviewed.pk])).content.decode()
    assert reverse("awards-group-minutes-pdf", args=[reviewed.pk]) in page
    assert reverse("awards-group-proposal-pdf", args=[reviewed.pk]) in page
    group = reviewed.agenda.get(proposal__unit__code="TDP-06").proposal
    page = client.get(reverse("awards-proposal", args=[group.pk])).content.decode()
    assert 'data-testid="group-documents"' in page
    assert reverse("awards-group-minutes-pdf", args=[reviewed.pk]) in page
    assert reverse("awards-group-proposal-pdf", args=[reviewed.pk]) not in page  # not passed


def test_a_session_without_groups_has_neither(client, plan):
    council, members = council_of(3)
    person = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Chỉ Cá Nhân")
    session = session_for(plan, council, [person], present=members)
    voting.open_voting(session=session, user=office_user())
    for m in members:
        voting.cast_ballot(session=session, user=m, choices=ballot(session, {person: "agree"}))
    voting.close_session(session=session, user=office_user())
    client.force_login(office_user())
    assert client.get(reverse("awards-group-minutes-pdf", args=[session.pk])).status_code == 404
    assert client.get(reverse("awards-group-proposal-pdf", args=[session.pk])).status_code == 404
    page = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert 'data-testid="group-minutes-pdf"' not in page
