"""After the vote: the chairman's decision, the letter to the higher level, the registry, the quota
that blocks a decision, and the three documents as PDFs."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import services, voting
from awards.eligibility import MET, assess
from awards.models import AwardRecord, Decision, Proposal, Title
from awards.services import AwardError

from .test_awards_factories import (
    ballot,
    checked_proposal,
    council_of,
    office_user,
    posted,
    session_for,
    title,
)

pytestmark = pytest.mark.django_db
DAY = date(2024, 12, 27)


def chairman():
    return get_user_model().objects.get(username="chutich")


def closed_with(plan, proposals, *, disagree=()):
    """Three members, all present; all agree except on `disagree`; then closed."""
    council, members = council_of(3)
    session = session_for(plan, council, proposals, present=members)
    voting.open_voting(session=session, user=office_user())
    for member in members:
        choices = {p: ("disagree" if p in disagree else "agree") for p in proposals}
        voting.cast_ballot(session=session, user=member, choices=ballot(session, choices))
    return voting.close_session(session=session, user=office_user())


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())  # lines wrap where the layout wraps them


def test_decision_puts_the_passed_ward_titles_into_the_registry(plan):
    good = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Bùi Thị Tốt")
    bad = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Bùi Văn Chưa")
    higher = checked_proposal(plan, unit_code="TDP-05", title_code="TDPVH")
    session = closed_with(plan, [good, bad, higher], disagree=[bad])
    with pytest.raises(AwardError, match="Chủ tịch"):
        services.record_decision(session=session, user=office_user(), number="12/QĐ-UBND", signed_on=DAY)
    decision = services.record_decision(session=session, user=chairman(), number="12/QĐ-UBND", signed_on=DAY)
    record = AwardRecord.objects.get(proposal=good)
    assert (
        record.year,
        record.title.code,
        record.nominee_name,
        record.decision_number,
        record.decided_on,
    ) == (
        2024,
        "LDTT",
        "Bùi Thị Tốt",
        "12/QĐ-UBND",
        DAY,
    )
    assert record.decision == decision and record.decided_by == "Chủ tịch UBND phường Phổ Minh"
    assert not AwardRecord.objects.filter(proposal__in=[bad, higher]).exists()
    good.refresh_from_db()
    assert good.status == Proposal.Status.AWARDED
    with pytest.raises(AwardError, match="đã được ghi nhận"):
        services.record_decision(session=session, user=chairman(), number="13/QĐ-UBND", signed_on=DAY)
    # Later criteria read the registry: the same person's Chiến sĩ thi đua cơ sở now has its prerequisite.
    cstd = Proposal.objects.create(
        plan=plan,
        unit=good.unit,
        title=title("CSTDCS"),
        nominee_name="Bùi Thị Tốt",
        achievements="x",
        created_by=office_user(),
    )
    found = next(c for c in assess(cstd).criteria if c.code == "prerequisite")
    assert found.state == MET and "12/QĐ-UBND" in found.reason


def test_no_decision_before_the_session_is_closed(plan):
    council, members = council_of(3)
    p = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Chưa Họp")
    session = session_for(plan, council, [p], present=members)
    with pytest.raises(AwardError, match="chưa kết thúc"):
        services.record_decision(session=session, user=chairman(), number="1/QĐ-UBND", signed_on=DAY)


def test_quota_exceeded_blocks_the_letter_until_the_unit_has_enough_ldtt(client, plan):
    """15 % of 2 Lao động tiên tiến is 0: the Chiến sĩ thi đua cơ sở cannot be sent up."""
    ldtt = [
        checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name=f"Nhân Viên {i}") for i in range(2)
    ]
    cstd = checked_proposal(plan, unit_code="TC-KT", title_code="CSTDCS", name="Nhân Viên 0")
    session = closed_with(plan, ldtt + [cstd])
    client.force_login(chairman())
    page = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert 'data-testid="blockers"' in page and "vượt tỷ lệ" in page
    with pytest.raises(AwardError, match="vượt tỷ lệ"):
        services.record_letter(session=session, user=chairman(), number="7/TTr-UBND", signed_on=DAY)
    cstd.refresh_from_db()
    assert cstd.status == Proposal.Status.PASSED and not Decision.objects.filter(kind="letter").exists()
    # The ward's own titles are not held up by it.
    services.record_decision(session=session, user=chairman(), number="8/QĐ-UBND", signed_on=DAY)
    # With 7 Lao động tiên tiến in the unit (15 % of 7 = 1,05), one is allowed.
    for i in range(2, 7):
        AwardRecord.objects.create(
            year=2024,
            title=title("LDTT"),
            unit=cstd.unit,
            nominee_name=f"Nhân Viên {i}",
            decision_number="3/QĐ-UBND",
            decided_on=DAY,
            decided_by="Chủ tịch UBND phường Phổ Minh",
        )
    letter = services.record_letter(session=session, user=chairman(), number="7/TTr-UBND", signed_on=DAY)
    cstd.refresh_from_db()
    assert cstd.status == Proposal.Status.PROPOSED_UP and cstd.letter == letter


def test_quota_on_a_ward_title_blocks_the_decision_through_the_page(client, plan):
    Title.objects.filter(code="GK-CT").update(quota_percent=50, quota_base=title("LDTT"))
    gk = [checked_proposal(plan, unit_code="TP-HT", title_code="GK-CT", name=f"Cán Bộ {i}") for i in range(2)]
    ldtt = checked_proposal(plan, unit_code="TP-HT", title_code="LDTT", name="Cán Bộ 0")
    session = closed_with(plan, gk + [ldtt])  # 2 Giấy khen, but 50 % of 1 LĐTT = 0
    client.force_login(chairman())
    response = client.post(
        reverse("awards-session-decide", args=[session.pk]),
        {"number": "9/QĐ-UBND", "signed_on": "2024-12-27"},
        follow=True,
    )
    assert "vượt tỷ lệ" in response.content.decode()
    assert not AwardRecord.objects.filter(unit__code="TP-HT").exists()
    assert Proposal.objects.filter(pk__in=[p.pk for p in gk], status=Proposal.Status.PASSED).count() == 2


def test_prerequisite_not_obtained_blocks_the_letter(plan):
    ldtt = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Không Đạt")
    cstd = checked_proposal(plan, unit_code="TC-KT", title_code="CSTDCS", name="Không Đạt")
    Title.objects.filter(code="CSTDCS").update(quota_percent=None, quota_base=None)
    session = closed_with(plan, [ldtt, cstd], disagree=[ldtt])
    with pytest.raises(AwardError, match="Lao động tiên tiến"):
        services.record_letter(session=session, user=chairman(), number="7/TTr-UBND", signed_on=DAY)


def test_letter_then_the_higher_decision_enters_the_registry(plan):
    groups = [checked_proposal(plan, unit_code=code, title_code="TDPVH") for code in ("TDP-05", "TDP-07")]
    session = closed_with(plan, groups)
    posted(plan, groups)  # Tổ dân phố văn hóa: reviewed by the council, then posted 10 days
    with pytest.raises(AwardError, match="Không có đề nghị nào thuộc thẩm quyền của phường"):
        services.record_decision(session=session, user=chairman(), number="1/QĐ-UBND", signed_on=DAY)
    services.record_letter(session=session, user=chairman(), number="21/TTr-UBND", signed_on=DAY)
    services.record_higher_decision(
        session=session,
        user=office_user(),
        number="345/QĐ-UBND",
        signed_on=date(2025, 1, 15),
        issuer="Chủ tịch UBND thị xã Đức Phổ",
        awarded_ids={groups[0].pk},
    )
    record = AwardRecord.objects.get(proposal=groups[0])
    assert record.decision_number == "345/QĐ-UBND" and record.decided_by == "Chủ tịch UBND thị xã Đức Phổ"
    groups[1].refresh_from_db()
    assert groups[1].status == Proposal.Status.NOT_AWARDED and not hasattr(groups[1], "award_record")


def test_the_three_documents(client, plan):
    ward = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Đinh Thị Giấy Khen")
    higher = checked_proposal(plan, unit_code="TDP-07", title_code="TDPVH")
    session = closed_with(plan, [ward, higher])
    client.force_login(office_user())
    minutes = pdf_text(client.get(reverse("awards-minutes-pdf", args=[session.pk])))
    for text in [
        "UBND PHƯỜNG PHỔ MINH",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "Tổng số thành viên Hội đồng: 3",
        "Đinh Thị Giấy Khen",
        "Tổ dân phố 7",
        "Thông qua",
        "THƯ KÝ",
        "CHỦ TỌA",
        "ngày 20 tháng 12 năm 2024",
    ]:
        assert text in minutes, text
    draft = pdf_text(client.get(reverse("awards-decision-pdf", args=[session.pk])))
    assert "QUYẾT ĐỊNH" in draft and "/QĐ-UBND" in draft and "Đinh Thị Giấy Khen" in draft
    assert "Tổ dân phố 7" not in draft  # a higher title is not the ward's to decide
    services.record_decision(session=session, user=chairman(), number="12/QĐ-UBND", signed_on=DAY)
    signed = client.get(reverse("awards-decision-pdf", args=[session.pk]))
    assert "quyet-dinh-khen-thuong-12-QD-UBND-2024.pdf" in signed["Content-Disposition"]
    text = pdf_text(signed)
    for expected in [
        "Số: 12/QĐ-UBND",
        "ngày 27 tháng 12 năm 2024",
        "DANH SÁCH",
        "Giấy khen của Chủ tịch UBND phường",
        "Lê Duy Bảo",
    ]:
        assert expected in text, expected
    letter = pdf_text(client.get(reverse("awards-letter-pdf", args=[session.pk])))
    assert "TỜ TRÌNH" in letter and "Chủ tịch Ủy ban nhân dân thị xã Đức Phổ" in letter
    assert "Tổ dân phố 7" in letter and "3/3" in letter and "Đinh Thị Giấy Khen" not in letter


def test_documents_exist_only_once_the_tally_is_frozen(client, plan):
    council, members = council_of(3)
    p = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Chờ Họp")
    session = session_for(plan, council, [p], present=members)
    client.force_login(office_user())
    for name in ("awards-minutes-pdf", "awards-decision-pdf", "awards-letter-pdf"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 404


def test_session_and_registry_pages_with_few_queries(client, plan, django_assert_max_num_queries):
    proposals = [
        checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name=f"Người {i}") for i in range(6)
    ]
    session = closed_with(plan, proposals)
    services.record_decision(session=session, user=chairman(), number="12/QĐ-UBND", signed_on=DAY)
    client.force_login(office_user())
    for url in [
        reverse("awards-session", args=[session.pk]),
        reverse("awards-registry"),
        reverse("awards-sessions"),
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
