"""The law as data, by date (awards/law.py): every document cites what is in force on its own date and
names who decides then; the office edits and confirms the rows on its own page. Also the meeting's
hours in the minutes as the office entered them, and the signature block never alone on a page."""

import io
from datetime import date, time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import services, voting
from awards.documents import decision_context, posting_notice_context
from awards.law import LegalText, TitleAuthority, authority_for, law_in_force
from awards.models import AwardRecord, Decision, Title
from awards.services import AwardError
from campaigns.copying import copy_plan
from indicators.models import ActionLog
from phominh.pdf import render_pdf

from .test_awards_factories import ballot, checked_proposal, council_of, office_user, session_for, title

pytestmark = pytest.mark.django_db


def chairman():
    return get_user_model().objects.get(username="chutich")


def pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def text_of(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pages(response.content))


def draft_on(plan, day: date) -> Decision:
    """An empty draft decision dated `day`, to render on its own."""
    return Decision.objects.create(
        plan=plan, kind=Decision.Kind.WARD, signed_on=day, recorded_by=office_user()
    )


def closed_session(plan, proposals, *, held_on):
    council, members = council_of(3)
    session = session_for(plan, council, proposals, present=members)
    session.held_on = held_on
    session.save(update_fields=["held_on"])
    voting.open_voting(session=session, user=office_user())
    for member in members:
        voting.cast_ballot(
            session=session, user=member, choices=ballot(session, dict.fromkeys(proposals, "agree"))
        )
    return voting.close_session(session=session, user=office_user())


# --- the data and its selectors ------------------------------------------------------------------------


def test_the_two_shipped_sets_by_date():
    numbers = lambda on: [t.number for t in law_in_force(on=on, role=LegalText.Role.EMULATION)]  # noqa: E731
    assert numbers(date(2024, 12, 20)) == ["06/2022/QH15", "98/2023/NĐ-CP", "86/2023/NĐ-CP"]
    assert numbers(date(2025, 6, 30)) == ["06/2022/QH15", "98/2023/NĐ-CP", "86/2023/NĐ-CP"]
    assert numbers(date(2025, 7, 1)) == ["06/2022/QH15", "152/2025/NĐ-CP", "15/2025/TT-BNV", "86/2023/NĐ-CP"]
    ttldtt = title("TTLDTT")
    before, after = authority_for(ttldtt, on=date(2025, 6, 30)), authority_for(ttldtt, on=date(2025, 7, 1))
    assert (before.ward_decides, before.decider) == (False, "Chủ tịch UBND thị xã Đức Phổ")
    assert (after.ward_decides, after.decider, after.confirmed) == (
        True,
        "Chủ tịch UBND phường Phổ Minh",
        False,
    )
    assert authority_for(title("GDVH"), on=date(2024, 11, 30)).requires_council_vote is False
    # The secondary-source facts wait for the office.
    assert set(LegalText.objects.filter(confirmed=False).values_list("number", flat=True)) >= {
        "152/2025/NĐ-CP",
        "15/2025/TT-BNV",
    }
    assert authority_for(title("LDTT"), on=date(2023, 6, 1)) is None


# --- the documents cite the law of their own date ------------------------------------------------------


def test_a_decision_dated_15_01_2025_cites_decree_98_2023(client, plan):
    ldtt = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Phan Văn Năm Cũ")
    ttldtt = checked_proposal(plan, unit_code="TC-KT", title_code="TTLDTT")
    session = closed_session(plan, [ldtt, ttldtt], held_on=date(2024, 12, 20))
    services.record_decision(
        session=session, user=chairman(), number="5/QĐ-UBND", signed_on=date(2025, 1, 15)
    )
    client.force_login(office_user())
    text = text_of(client.get(reverse("awards-decision-pdf", args=[session.pk])))
    assert "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ" in text
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022" in text
    assert "Luật Tổ chức chính quyền địa phương số 77/2015/QH13" in text
    assert "152/2025" not in text and "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH" in text
    assert "Phan Văn Năm Cũ" in text and "Tập thể lao động tiên tiến" not in text  # the district's, in 2025
    letter = text_of(client.get(reverse("awards-letter-pdf", args=[session.pk])))
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân thị xã Đức Phổ" in letter and "98/2023/NĐ-CP" in letter


def test_a_copied_plans_decision_dated_15_01_2026_cites_decree_152_2025_and_no_district(client, plan):
    plan_2025 = copy_plan(source=plan, year=2025, user=office_user())
    ldtt = checked_proposal(plan_2025, unit_code="TC-KT", title_code="LDTT", name="Phan Văn Năm Mới")
    ttldtt = checked_proposal(plan_2025, unit_code="TC-KT", title_code="TTLDTT")
    session = closed_session(plan_2025, [ldtt, ttldtt], held_on=date(2025, 12, 20))
    # No district level any more: the council's Tập thể lao động tiên tiến is the ward chairman's to decide.
    assert services.passed_proposals(session, ward=False) == []
    with pytest.raises(AwardError, match="Không có đề nghị nào cần trình"):
        services.record_letter(
            session=session, user=chairman(), number="2/TTr-UBND", signed_on=date(2026, 1, 15)
        )
    decision = services.record_decision(
        session=session, user=chairman(), number="7/QĐ-UBND", signed_on=date(2026, 1, 15)
    )
    assert AwardRecord.objects.get(proposal=ttldtt).decided_by == "Chủ tịch UBND phường Phổ Minh"
    assert decision.issuer == "Chủ tịch UBND phường Phổ Minh"
    client.force_login(office_user())
    text = text_of(client.get(reverse("awards-decision-pdf", args=[session.pk])))
    assert "Nghị định số 152/2025/NĐ-CP" in text and "Thông tư số 15/2025/TT-BNV" in text
    assert "Luật Tổ chức chính quyền địa phương số 72/2025/QH15" in text
    assert "98/2023" not in text and "77/2015" not in text
    assert "huyện" not in text.lower() and "thị xã" not in text.lower()
    assert "Tập thể lao động tiên tiến" in text and "Phan Văn Năm Mới" in text
    assert "ngày 15 tháng 01 năm 2026" in text
    # The 2024 plan's documents, untouched by the copy, still cite 2024's law.
    old = draft_on(plan, date(2024, 12, 27))
    old_text = " ".join(
        pages(render_pdf(template="pdf/awards_decision.html", context=decision_context(decision=old)))
    )
    assert "98/2023/NĐ-CP" in old_text and "152/2025" not in old_text


def test_the_deciding_rule_is_the_laws_data_not_the_titles_fallback(plan):
    """Title.decided_by still says "district" for Tập thể lao động tiên tiến; the office's row decides."""
    row = TitleAuthority.objects.get(title__code="TTLDTT", valid_from=date(2024, 1, 1))
    from awards import law

    law.save_authority(
        authority=row,
        user=office_user(),
        data={"ward_decides": True, "decider": "Chủ tịch UBND phường Phổ Minh"},
        version=row.version,
    )
    assert Title.objects.get(code="TTLDTT").decided_by == "district"
    ttldtt = checked_proposal(plan, unit_code="TC-KT", title_code="TTLDTT")
    session = closed_session(plan, [ttldtt], held_on=date(2024, 12, 20))
    services.record_decision(
        session=session, user=chairman(), number="9/QĐ-UBND", signed_on=date(2024, 12, 27)
    )
    assert AwardRecord.objects.filter(proposal=ttldtt).exists()


def test_minutes_and_posting_notice_cite_the_law_of_their_date(client, plan):
    p = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Ngô Thị Biên Bản")
    session = closed_session(plan, [p], held_on=date(2024, 12, 20))
    client.force_login(office_user())
    minutes = text_of(client.get(reverse("awards-minutes-pdf", args=[session.pk])))
    assert "Nghị định số 98/2023/NĐ-CP" in minutes
    hh = checked_proposal(plan, unit_code="TDP-01", title_code="GDVH", name="Hộ Niêm Yết")
    posting = services.start_posting(
        plan=plan, title=title("GDVH"), unit=hh.unit, user=office_user(), posted_on=date(2025, 11, 26)
    )
    notice = text_of(client.get(reverse("awards-posting-pdf", args=[posting.pk])))
    assert "Nghị định số 152/2025/NĐ-CP" in notice and "98/2023" not in notice


# --- the meeting's hours, as the office entered them ---------------------------------------------------


def test_the_minutes_print_the_hours_the_office_entered_not_the_click_time(client, plan):
    p = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Giờ Họp")
    session = closed_session(plan, [p], held_on=date(2024, 12, 20))
    client.force_login(office_user())
    blank = text_of(client.get(reverse("awards-minutes-pdf", args=[session.pk])))
    assert "Vào lúc …… giờ …… phút, ngày 20/12/2024" in blank
    assert "Cuộc họp kết thúc vào lúc …… giờ …… phút, ngày 20/12/2024" in blank
    with pytest.raises(AwardError, match="sau giờ bắt đầu"):
        voting.set_meeting_hours(session=session, user=office_user(), starts_at=time(16), ends_at=time(14))
    response = client.post(
        reverse("awards-session-hours", args=[session.pk]), {"starts_at": "14:00", "ends_at": "16:30"}
    )
    assert response.status_code == 302
    text = text_of(client.get(reverse("awards-minutes-pdf", args=[session.pk])))
    assert "Vào lúc 14 giờ 00 phút, ngày 20/12/2024" in text
    assert "Cuộc họp kết thúc vào lúc 16 giờ 30 phút, ngày 20/12/2024" in text
    log = ActionLog.objects.get(action="awards.session.hours_set", object_id=session.pk)
    assert log.data == {
        "old": {"starts_at": "", "ends_at": ""},
        "new": {"starts_at": "14:00", "ends_at": "16:30"},
    }
    client.force_login(get_user_model().objects.get(username="hoidong"))
    assert (
        client.post(reverse("awards-session-hours", args=[session.pk]), {"starts_at": "08:00"}).status_code
        == 403
    )


def test_a_new_session_takes_its_hours_from_the_form(client, plan):
    client.force_login(office_user())
    client.post(
        reverse("awards-session-create"),
        {"name": "Phiên có giờ", "held_on": "2024-12-21", "starts_at": "08:00", "ends_at": "10:15"},
    )
    session = plan.council_sessions.get(name="Phiên có giờ")
    assert (session.starts_at, session.ends_at) == (time(8), time(10, 15))


# --- the signature never stands alone on a page --------------------------------------------------------


def _signature_pages(content: bytes, signer: str) -> list[str]:
    return [page for page in pages(content) if signer in page]


SIGNER = "Lê Duy Bảo"


def around_the_signatures_page_break(render, lo: int, hi: int) -> list[bytes]:
    """The documents of length n0 - 2 … n0 + 2, where n0 is the first length (found by halving) whose
    signature is no longer on the first page: where it would be pushed alone onto the next page."""
    while lo < hi:
        mid = (lo + hi) // 2
        if SIGNER not in pages(render(mid))[0]:
            hi = mid
        else:
            lo = mid + 1
    documents = [render(n) for n in range(max(1, lo - 2), lo + 3)]
    assert any(SIGNER not in pages(content)[0] for content in documents)  # the break was reached
    return documents


def test_the_signature_block_never_stands_alone_on_a_page(plan):
    """Around the length where the posted list runs over a page, the page with the signer's name also
    carries the closing sentence, so the signature never opens a page on its own."""
    hh_unit = checked_proposal(plan, unit_code="TDP-01", title_code="GDVH", name="Hộ 00").unit
    for i in range(1, 45):
        checked_proposal(plan, unit_code="TDP-01", title_code="GDVH", name=f"Hộ {i:02d}")
    posting = services.start_posting(
        plan=plan, title=title("GDVH"), unit=hh_unit, user=office_user(), posted_on=date(2024, 11, 1)
    )
    context = posting_notice_context(posting)
    rows = context["rows"]

    def render(n):
        return render_pdf(template="pdf/awards_posting_notice.html", context=context | {"rows": rows[:n]})

    for content in around_the_signatures_page_break(render, 1, len(rows)):
        [page] = _signature_pages(content, SIGNER)
        assert "thông báo để nhân dân được biết" in page


def test_the_decisions_signature_keeps_article_3_with_it(plan):
    """A decision whose Article 1 lists many titles: Article 3 and the signature stay on one page."""
    context = decision_context(decision=draft_on(plan, date(2024, 12, 27)))
    row = SimpleNamespace(nominee="Người thử", nominee_position="", unit=SimpleNamespace(name="Đơn vị thử"))

    def render(n):
        groups = [(SimpleNamespace(name=f"Danh hiệu thử số {i}"), [row]) for i in range(1, n)]
        return render_pdf(
            template="pdf/awards_decision.html", context=context | {"groups": groups, "proposals": []}
        )

    for content in around_the_signatures_page_break(render, 1, 40):
        [page] = _signature_pages(content, SIGNER)
        assert "Điều 3." in page and "chịu trách nhiệm thi hành" in page


# --- the office's page -------------------------------------------------------------------------------


def test_the_office_edits_adds_and_confirms_on_its_own_page(client, plan):
    client.force_login(office_user())
    page = client.get(reverse("awards-law")).content.decode()
    assert (
        'data-testid="unconfirmed"' in page and "152/2025/NĐ-CP" in page and "Cần Văn phòng xác nhận" in page
    )
    text = LegalText.objects.get(number="152/2025/NĐ-CP")
    form = client.get(reverse("awards-law-text", args=[text.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("awards-law-text", args=[text.pk]),
        {
            "version": text.version,
            "kind": "decree",
            "role": "emulation",
            "number": "152/2025/NĐ-CP",
            "name": "",
            "signed_on": "2025-06-15",
            "issuer": "Chính phủ",
            "title": text.title,
            "in_force_from": "2025-07-01",
            "in_force_until": "",
            "order": 2,
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    text.refresh_from_db()
    assert text.signed_on == date(2025, 6, 15) and text.confirmed and text.confirmed_by == office_user()
    log = ActionLog.objects.filter(action="awards.law.text_saved", object_id=text.pk).latest("at")
    assert log.data["changes"]["signed_on"] == {"old": "2025-06-14", "new": "2025-06-15"}
    # A stale form (the version it was loaded with) is refused, not saved over the newer row.
    stale = client.post(
        reverse("awards-law-text", args=[text.pk]),
        {
            "version": 0,
            "kind": "decree",
            "role": "emulation",
            "number": "152/2025/NĐ-CP",
            "signed_on": "2025-06-16",
            "issuer": "Chính phủ",
            "in_force_from": "2025-07-01",
            "order": 2,
        },
    )
    assert stale.status_code == 200 and "tải lại" in stale.content.decode()
    # Confirming a deciding rule with one click.
    row = TitleAuthority.objects.get(title__code="CSTDCS", valid_from=date(2025, 7, 1))
    assert client.post(reverse("awards-law-confirm", args=["tham-quyen", row.pk])).status_code == 302
    row.refresh_from_db()
    assert (
        row.confirmed
        and row.confirmed_at
        and ActionLog.objects.filter(action="awards.law.confirmed").exists()
    )
    # A new rule that overlaps an existing period of the same title is refused.
    response = client.post(
        reverse("awards-law-authority-create"),
        {
            "title": title("LDTT").pk,
            "valid_from": "2025-01-01",
            "decider": "Chủ tịch UBND phường Phổ Minh",
            "ward_decides": "on",
            "requires_council_vote": "on",
        },
    )
    assert response.status_code == 200 and "trùng" in response.content.decode()
    assert TitleAuthority.objects.filter(title__code="LDTT").count() == 2


def test_who_may_read_and_edit_the_law(client, plan):
    text = LegalText.objects.first()
    for username, read, edit in [
        ("vanphong", 200, 200),
        ("chutich", 200, 403),
        ("hoidong", 200, 403),
        ("canbo", 403, 403),
        ("totruong1", 403, 403),
    ]:
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get(reverse("awards-law")).status_code == read, username
        assert client.get(reverse("awards-law-text", args=[text.pk])).status_code == edit, username
        if edit == 403:
            confirm = client.post(reverse("awards-law-confirm", args=["van-ban", text.pk]))
            assert confirm.status_code == 403, username
    with pytest.raises(AwardError, match="Văn phòng"):
        from awards import law

        law.confirm(obj=text, user=chairman())


# --- decisions without a council session ---------------------------------------------------------------


def test_gia_dinh_van_hoa_is_decided_without_a_council_vote_and_others_are_not(plan):
    hh = checked_proposal(plan, unit_code="TDP-01", title_code="GDVH", name="Hộ Không Qua Hội Đồng")
    decision = services.draft_decision(
        plan=plan, user=office_user(), proposals=[hh], signed_on=date(2024, 12, 10)
    )
    assert decision.session is None and list(decision.proposals.all()) == [hh]
    ldtt = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Phải Qua Hội Đồng")
    with pytest.raises(AwardError, match="Hội đồng biểu quyết"):
        services.draft_decision(plan=plan, user=office_user(), proposals=[ldtt], signed_on=date(2024, 12, 10))
    ttldtt = checked_proposal(plan, unit_code="TC-KT", title_code="TTLDTT")
    with pytest.raises(AwardError, match="không thuộc thẩm quyền"):
        services.draft_decision(
            plan=plan,
            user=office_user(),
            proposals=[ttldtt],
            subject="Đột xuất",
            signed_on=date(2024, 12, 10),
        )


def test_every_rule_and_text_of_the_2025_set_waits_for_the_office(client, plan):
    """The set from 01/07/2025 comes from secondary sources (DOMAIN.md §4b): every text and every rule of
    who decides is shipped "cần Văn phòng xác nhận", and the law page marks each such row."""
    import importlib

    from django.apps import apps

    from awards import law
    from awards.law import unconfirmed_count

    start = date(2025, 7, 1)
    assert not LegalText.objects.filter(in_force_from__gte=start, confirmed=True).exists()
    assert not TitleAuthority.objects.filter(valid_from__gte=start, confirmed=True).exists()
    assert TitleAuthority.objects.filter(valid_from__gte=start).count() == 7
    client.force_login(office_user())
    page = client.get(reverse("awards-law")).content.decode()
    assert page.count("Cần Văn phòng xác nhận") == unconfirmed_count()
    assert f"{unconfirmed_count()} dòng cần Văn phòng xác nhận" in page
    # A database that shipped them confirmed: migration 0014 unmarks them, not what the office confirmed.
    mine = TitleAuthority.objects.get(title=title("LDTT"), valid_from=start)
    law.confirm(obj=mine, user=office_user())
    TitleAuthority.objects.filter(title=title("GDVH"), valid_from=start).update(confirmed=True)
    migration = importlib.import_module("awards.migrations.0014_law_2025_rules_await_confirmation")
    migration.await_confirmation(apps, None)
    assert TitleAuthority.objects.get(pk=mine.pk).confirmed
    assert not TitleAuthority.objects.get(title=title("GDVH"), valid_from=start).confirmed
