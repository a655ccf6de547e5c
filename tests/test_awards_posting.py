"""The public posting of the proposed lists (công khai): starting a posting, the comments received and
how each was settled, the rule that holds the decision until the posting is over and every comment is
answered, the pages (the office's, the group's public page) and the printed notice."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards import services, voting
from awards.models import AwardRecord, Decision, Posting, PostingComment, Proposal, Title
from awards.services import AwardError
from indicators.models import ActionLog

from .test_awards_factories import (
    ballot,
    checked_proposal,
    council_of,
    office_user,
    session_for,
    title,
    unit,
    user_with,
)

pytestmark = pytest.mark.django_db
POSTED = date(2024, 12, 1)  # ten days: up to the end of 11/12/2024; a decision from 12/12/2024


def chairman():
    return get_user_model().objects.get(username="chutich")


def leader(code: str):
    return get_user_model().objects.get(username=f"totruong{int(code[-2:])}")


def household(plan, name: str, *, group: str = "TDP-01", status=Proposal.Status.CHECKED) -> Proposal:
    """A Gia đình văn hóa proposal of a residential group, in the given state."""
    if status == Proposal.Status.CHECKED:
        return checked_proposal(plan, unit_code=group, title_code="GDVH", name=name)
    return Proposal.objects.create(
        plan=plan,
        unit=unit(group),
        title=title("GDVH"),
        nominee_name=name,
        nominee_position=f"{unit(group).name}",
        achievements="Gia đình gương mẫu.",
        status=status,
        return_reason="Bổ sung biên bản họp tổ" if status == Proposal.Status.RETURNED else "",
        created_by=leader(group),
    )


def post(plan, *, group: str | None = "TDP-01", on: date = POSTED, proposals=None, days: int = 10, user=None):
    return services.start_posting(
        plan=plan,
        title=title("GDVH"),
        unit=unit(group) if group else None,
        user=user or office_user(),
        posted_on=on,
        days=days,
        proposals=proposals,
    )


def closed_with(plan, proposals):
    """Three members, all present, all agree; then closed (the council passed every proposal)."""
    council, members = council_of(3)
    session = session_for(plan, council, proposals, present=members)
    voting.open_voting(session=session, user=office_user())
    for member in members:
        voting.cast_ballot(
            session=session, user=member, choices=ballot(session, dict.fromkeys(proposals, "agree"))
        )
    return voting.close_session(session=session, user=office_user())


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


# --- the titles ----------------------------------------------------------------------------------------


def test_the_two_titles_of_decree_86_are_posted_and_the_others_are_not():
    assert set(Title.objects.filter(requires_posting=True).values_list("code", flat=True)) == {
        "GDVH",
        "TDPVH",
    }


# --- starting a posting ------------------------------------------------------------------------------


def test_a_groups_posting_lists_its_proposals_sent_in_and_not_decided(plan):
    sent = household(plan, "Lê Văn Một")
    submitted = household(plan, "Lê Văn Hai", status=Proposal.Status.SUBMITTED)
    household(plan, "Lê Văn Nháp", status=Proposal.Status.DRAFT)
    household(plan, "Lê Văn Trả", status=Proposal.Status.RETURNED)
    household(plan, "Ngô Văn Tổ Hai", group="TDP-02")  # another group's list
    posting = post(plan)
    assert set(posting.proposals.all()) == {sent, submitted}
    assert (posting.ends_on, posting.decidable_on) == (date(2024, 12, 11), date(2024, 12, 12))
    assert posting.is_over(date(2024, 12, 12)) and not posting.is_over(date(2024, 12, 11))
    assert (posting.days_left(date(2024, 12, 1)), posting.days_left(date(2024, 12, 11))) == (10, 0)
    entry = ActionLog.objects.get(action="awards.posting.started", object_id=posting.pk)
    assert entry.user == office_user()
    assert entry.data == {
        "title": "GDVH",
        "unit": "TDP-01",
        "posted_on": "2024-12-01",
        "days": 10,
        "proposals": sorted([sent.pk, submitted.pk]),
    }


def test_a_ward_wide_posting_lists_every_groups_proposals(plan):
    groups = [checked_proposal(plan, unit_code=c, title_code="TDPVH") for c in ("TDP-05", "TDP-07")]
    posting = services.start_posting(
        plan=plan, title=title("TDPVH"), unit=None, user=office_user(), posted_on=POSTED
    )
    assert posting.unit is None and set(posting.proposals.all()) >= set(groups)


def test_posting_refusals(plan, make_user):
    draft = household(plan, "Lê Văn Nháp", status=Proposal.Status.DRAFT)
    other = household(plan, "Ngô Văn Tổ Hai", group="TDP-02")
    household(plan, "Lê Văn Một")
    for user in (leader("TDP-01"), chairman(), make_user("admin"), make_user("council")):
        with pytest.raises(AwardError, match="Chỉ Văn phòng - Thống kê lập đợt công khai"):
            post(plan, user=user)
    with pytest.raises(AwardError, match="Không có đề nghị Gia đình văn hóa nào"):
        post(plan, group="TDP-03")
    with pytest.raises(AwardError, match="Lê Văn Nháp"):
        post(plan, proposals=[draft])
    with pytest.raises(AwardError, match="Ngô Văn Tổ Hai"):
        post(plan, proposals=[other])  # another group's proposal on TDP-01's list
    with pytest.raises(AwardError, match="Thời gian công khai từ 1 đến 60 ngày"):
        post(plan, days=0)
    with pytest.raises(AwardError, match="Thời gian công khai từ 1 đến 60 ngày"):
        post(plan, days=61)
    with pytest.raises(AwardError, match="không được sau hôm nay"):
        post(plan, on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(AwardError, match="tổ dân phố"):
        post(plan, group="VH-XH")
    assert not Posting.objects.exists()


def test_the_database_refuses_a_period_out_of_range_and_a_half_recorded_answer(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(
            plan=plan, title=title("GDVH"), posted_on=POSTED, days=61, created_by=office_user()
        )
    posting = post(plan, proposals=[household(plan, "Lê Văn Một")])
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingComment.objects.create(
            posting=posting,
            received_on=POSTED,
            from_name="A",
            text="x",
            response="y",
            recorded_by=office_user(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingComment.objects.create(
            posting=posting, received_on=POSTED, from_name="A", text="", recorded_by=office_user()
        )


# --- comments and their answers ----------------------------------------------------------------------


def test_comments_are_taken_within_the_period_and_answered(plan):
    one = household(plan, "Lê Văn Một")
    posting = post(plan)
    first = services.record_posting_comment(
        posting=posting, user=office_user(), received_on=POSTED, text="Hộ chưa đóng quỹ.", proposal=one
    )
    last = services.record_posting_comment(
        posting=posting, user=office_user(), received_on=date(2024, 12, 11), text="Đồng ý cả danh sách."
    )
    assert first.from_name == last.from_name == "Ẩn danh" and last.proposal is None
    for day in (date(2024, 11, 30), date(2024, 12, 12)):
        with pytest.raises(AwardError, match="nằm ngoài thời gian công khai"):
            services.record_posting_comment(posting=posting, user=office_user(), received_on=day, text="x")
    with pytest.raises(AwardError, match="không được sau hôm nay"):
        services.record_posting_comment(
            posting=posting,
            user=office_user(),
            received_on=timezone.localdate() + timedelta(days=1),
            text="x",
        )
    with pytest.raises(AwardError, match="nội dung"):
        services.record_posting_comment(posting=posting, user=office_user(), received_on=POSTED, text="  ")
    stranger = household(plan, "Ngô Văn Tổ Hai", group="TDP-02")
    with pytest.raises(AwardError, match="có tên trong danh sách"):
        services.record_posting_comment(
            posting=posting, user=office_user(), received_on=POSTED, text="x", proposal=stranger
        )
    with pytest.raises(AwardError, match="Chỉ Văn phòng - Thống kê ghi nhận ý kiến"):
        services.record_posting_comment(posting=posting, user=leader("TDP-01"), received_on=POSTED, text="x")
    assert posting.comments.count() == 2

    with pytest.raises(AwardError, match="Chỉ Văn phòng - Thống kê ghi cách giải quyết"):
        services.record_comment_response(comment=first, user=chairman(), response="Đã xác minh.")
    with pytest.raises(AwardError, match="Phải ghi cách giải quyết"):
        services.record_comment_response(comment=first, user=office_user(), response=" ")
    services.record_comment_response(
        comment=first, user=office_user(), response="Hộ đã đóng đủ, có biên lai."
    )
    services.record_comment_response(
        comment=first, user=office_user(), response="Hộ đã đóng đủ (biên lai số 12)."
    )
    first.refresh_from_db()
    assert first.response == "Hộ đã đóng đủ (biên lai số 12)." and first.responded_by == office_user()
    logged = ActionLog.objects.filter(object_id=posting.pk, action__startswith="awards.posting.")
    assert sorted(logged.values_list("action", flat=True)) == [
        "awards.posting.comment_answered",
        "awards.posting.comment_answered",
        "awards.posting.comment_recorded",
        "awards.posting.comment_recorded",
        "awards.posting.started",
    ]
    latest = logged.filter(action="awards.posting.comment_answered").latest("pk")
    assert latest.data == {
        "comment": first.pk,
        "old": "Hộ đã đóng đủ, có biên lai.",
        "new": "Hộ đã đóng đủ (biên lai số 12).",
    }


# --- the decision waits for the posting ----------------------------------------------------------------


def test_the_decision_waits_until_the_posting_is_over(plan):
    hh = household(plan, "Lê Văn Gia Đình")
    session = closed_with(plan, [hh])
    with pytest.raises(AwardError, match="Lê Văn Gia Đình .Tổ dân phố 1. — Gia đình văn hóa: chưa niêm yết"):
        services.record_decision(
            session=session, user=chairman(), number="30/QĐ-UBND", signed_on=date(2024, 12, 27)
        )
    post(plan, on=date(2024, 12, 20))  # after the council: up to the end of 30/12/2024
    for day in (date(2024, 12, 27), date(2024, 12, 30)):
        with pytest.raises(
            AwardError, match="đến hết ngày 30/12/2024; chỉ quyết định, trình từ ngày 31/12/2024"
        ):
            services.record_decision(session=session, user=chairman(), number="30/QĐ-UBND", signed_on=day)
    hh.refresh_from_db()
    assert hh.status == Proposal.Status.PASSED and not Decision.objects.filter(session=session).exists()
    services.record_decision(
        session=session, user=chairman(), number="30/QĐ-UBND", signed_on=date(2024, 12, 31)
    )
    record = AwardRecord.objects.get(proposal=hh)
    assert (record.decision_number, record.decided_on) == ("30/QĐ-UBND", date(2024, 12, 31))


def test_a_decision_dated_ahead_does_not_end_a_posting_still_running(plan):
    hh = household(plan, "Lê Văn Hôm Nay")
    today = timezone.localdate()
    post(plan, on=today, proposals=[hh])
    blockers = services.decision_blockers([hh], on=today + timedelta(days=30))
    assert blockers == []  # the rule itself, given a later day...
    session = closed_with(plan, [hh])
    with pytest.raises(AwardError, match="đang niêm yết công khai"):  # ...but a decision is judged on today
        services.record_decision(
            session=session, user=chairman(), number="31/QĐ-UBND", signed_on=today + timedelta(days=30)
        )


def test_comments_without_an_answer_hold_the_decision(plan):
    hh = household(plan, "Lê Văn Góp Ý")
    session = closed_with(plan, [hh])
    posting = post(plan)
    about = services.record_posting_comment(
        posting=posting,
        user=office_user(),
        received_on=date(2024, 12, 3),
        text="Hộ có con vi phạm.",
        proposal=hh,
    )
    general = services.record_posting_comment(
        posting=posting, user=office_user(), received_on=date(2024, 12, 4), text="Danh sách thiếu hộ ông Tư."
    )
    blockers = services.decision_blockers([hh], on=date(2024, 12, 27))
    assert any("Lê Văn Góp Ý" in b and "1 ý kiến" in b and "chưa có cách giải quyết" in b for b in blockers)
    assert any("ý kiến chung" in b for b in blockers) and len(blockers) == 2
    with pytest.raises(AwardError, match="chưa có cách giải quyết"):
        services.record_decision(
            session=session, user=chairman(), number="32/QĐ-UBND", signed_on=date(2024, 12, 27)
        )
    services.record_comment_response(comment=about, user=office_user(), response="Đã xác minh: không đúng.")
    assert [b for b in services.decision_blockers([hh], on=date(2024, 12, 27)) if "ý kiến chung" in b]
    services.record_comment_response(comment=general, user=office_user(), response="Hộ ông Tư không đăng ký.")
    assert services.decision_blockers([hh], on=date(2024, 12, 27)) == []
    services.record_decision(
        session=session, user=chairman(), number="32/QĐ-UBND", signed_on=date(2024, 12, 27)
    )
    assert AwardRecord.objects.filter(proposal=hh).exists()


def test_the_letter_for_tdp_van_hoa_waits_for_the_posting_and_the_session_page_says_why(client, plan):
    group = checked_proposal(plan, unit_code="TDP-07", title_code="TDPVH")
    session = closed_with(plan, [group])
    client.force_login(chairman())
    page = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert 'data-testid="blockers"' in page and "Tổ dân phố 7 — Tổ dân phố văn hóa: chưa niêm yết" in page
    response = client.post(
        reverse("awards-session-letter", args=[session.pk]),
        {"number": "40/TTr-UBND", "signed_on": "2024-12-27"},
        follow=True,
    )
    assert "chưa niêm yết công khai" in response.content.decode()
    assert not Decision.objects.filter(session=session).exists()
    services.start_posting(plan=plan, title=title("TDPVH"), unit=None, user=office_user(), posted_on=POSTED)
    services.record_letter(
        session=session, user=chairman(), number="40/TTr-UBND", signed_on=date(2024, 12, 27)
    )
    group.refresh_from_db()
    assert group.status == Proposal.Status.PROPOSED_UP


def test_a_title_the_office_marks_for_posting_is_held_too(plan):
    gk = checked_proposal(plan, unit_code="TDP-01", title_code="GK-CT", name="Lê Thị Giấy Khen")
    assert services.decision_blockers([gk], on=date(2024, 12, 27)) == []
    Title.objects.filter(code="GK-CT").update(requires_posting=True)
    gk = Proposal.objects.select_related("title", "unit", "plan").get(pk=gk.pk)
    assert "chưa niêm yết" in " ".join(services.decision_blockers([gk], on=date(2024, 12, 27)))


# --- atomicity ---------------------------------------------------------------------------------------


def test_a_failure_leaves_nothing_half_saved(plan, monkeypatch):
    one = household(plan, "Lê Văn Một")
    posting = post(plan)
    comment = services.record_posting_comment(
        posting=posting, user=office_user(), received_on=POSTED, text="x"
    )
    before = ActionLog.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "log_action", broken)
    with pytest.raises(RuntimeError):
        post(plan, proposals=[one], on=date(2024, 12, 2))
    with pytest.raises(RuntimeError):
        services.record_posting_comment(posting=posting, user=office_user(), received_on=POSTED, text="y")
    with pytest.raises(RuntimeError):
        services.record_comment_response(comment=comment, user=office_user(), response="z")
    assert list(Posting.objects.values_list("pk", flat=True)) == [posting.pk]
    assert Posting.proposals.through.objects.filter(proposal=one).count() == 1
    assert list(posting.comments.values_list("text", flat=True)) == ["x"]
    comment.refresh_from_db()
    assert comment.response == "" and comment.responded_at is None
    assert ActionLog.objects.count() == before


# --- pages ---------------------------------------------------------------------------------------------


def test_the_office_posts_records_a_comment_and_its_answer_through_the_pages(client, plan):
    one, two = household(plan, "Lê Văn Một"), household(plan, "Lê Văn Hai")
    client.force_login(office_user())
    query = f"?title={title('GDVH').pk}&unit={unit('TDP-01').pk}"
    page = client.get(reverse("awards-posting-create") + query).content.decode()
    assert "Lê Văn Một" in page and "Lê Văn Hai" in page
    response = client.post(
        reverse("awards-posting-create") + query,
        {"posted_on": "2024-12-01", "days": "10", "number": "15/TB-UBND", "place": "", "proposals": [one.pk]},
    )
    posting = Posting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards-posting", args=[posting.pk]
    )
    assert list(posting.proposals.all()) == [one] and posting.number == "15/TB-UBND"
    client.post(
        reverse("awards-posting-comment", args=[posting.pk]),
        {
            "received_on": "2024-12-05",
            "from_name": "Ông Trần Văn Bảy",
            "proposal": one.pk,
            "text": "Hộ xây lấn.",
        },
    )
    comment = PostingComment.objects.get()
    assert (comment.from_name, comment.proposal, comment.recorded_by) == (
        "Ông Trần Văn Bảy",
        one,
        office_user(),
    )
    page = client.get(reverse("awards-posting", args=[posting.pk])).content.decode()
    assert (
        'data-testid="unanswered"' in page and "Hộ xây lấn." in page and 'data-testid="open-comments"' in page
    )
    response = client.post(
        reverse("awards-posting-comment", args=[posting.pk]),
        {"received_on": "2024-12-20", "text": "Quá hạn."},
        follow=True,
    )
    assert (
        "nằm ngoài thời gian công khai" in response.content.decode() and PostingComment.objects.count() == 1
    )
    # Refused, the comment form answers again with what was typed (issue 14, item 10).
    assert response.status_code == 409 and response.redirect_chain == []
    assert "Quá hạn.</textarea>" in response.content.decode()
    response = client.post(
        reverse("awards-posting-response", args=[posting.pk, comment.pk]), {"response": " "}
    )
    assert response.status_code == 400 and 'data-testid="unanswered"' in response.content.decode()
    client.post(
        reverse("awards-posting-response", args=[posting.pk, comment.pk]),
        {"response": "Đã kiểm tra, không lấn."},
    )
    comment.refresh_from_db()
    assert comment.response == "Đã kiểm tra, không lấn." and comment.responded_by == office_user()
    page = client.get(reverse("awards-proposal", args=[one.pk])).content.decode()
    assert 'data-testid="posting-status"' in page and "đến hết ngày 11/12/2024" in page
    page = client.get(reverse("awards-proposal", args=[two.pk])).content.decode()
    assert 'data-testid="not-posted"' in page
    assert (
        reverse("awards-posting-create") + f"?title={title('GDVH').pk}&amp;unit={unit('TDP-01').pk}" in page
    )


def test_a_comment_posted_to_another_postings_url_is_not_found(client, plan):
    posting = post(plan, proposals=[household(plan, "Lê Văn Một")])
    other = post(plan, group="TDP-02", proposals=[household(plan, "Ngô Văn Hai", group="TDP-02")])
    comment = services.record_posting_comment(posting=other, user=office_user(), received_on=POSTED, text="x")
    client.force_login(office_user())
    response = client.post(
        reverse("awards-posting-response", args=[posting.pk, comment.pk]), {"response": "y"}
    )
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.response == ""


def test_the_public_page_shows_the_names_to_the_groups_leader_and_not_to_another_group(client, plan):
    one = household(plan, "Lê Văn Công Khai")
    posting = post(plan)
    services.record_posting_comment(
        posting=posting,
        user=office_user(),
        received_on=POSTED,
        from_name="Bà Tố Giác",
        text="Bí mật",
        proposal=one,
    )
    client.force_login(leader("TDP-01"))
    response = client.get(reverse("awards-posting-public", args=[posting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lê Văn Công Khai" in page and "01/12/2024" in page and "11/12/2024" in page
    assert 'data-testid="how-to-comment"' in page and "Tổ trưởng Tổ dân phố 1" in page
    assert "Bà Tố Giác" not in page and "Bí mật" not in page  # who commented stays with the office
    listing = client.get(reverse("awards-postings")).content.decode()
    assert reverse("awards-posting-public", args=[posting.pk]) in listing
    assert client.get(reverse("awards-posting", args=[posting.pk])).status_code == 403
    response = client.post(
        reverse("awards-posting-comment", args=[posting.pk]), {"received_on": "2024-12-02", "text": "x"}
    )
    assert response.status_code == 403 and posting.comments.count() == 1
    client.force_login(leader("TDP-02"))
    for name in ("awards-posting-public", "awards-posting-pdf", "awards-posting"):
        assert client.get(reverse(name, args=[posting.pk])).status_code == 404, name
    assert (
        reverse("awards-posting-public", args=[posting.pk])
        not in client.get(reverse("awards-postings")).content.decode()
    )


def test_a_ward_wide_list_is_public_to_every_group(client, plan):
    checked_proposal(plan, unit_code="TDP-05", title_code="TDPVH")
    posting = services.start_posting(
        plan=plan, title=title("TDPVH"), unit=None, user=office_user(), posted_on=POSTED
    )
    client.force_login(leader("TDP-02"))
    page = client.get(reverse("awards-posting-public", args=[posting.pk])).content.decode()
    assert "Tổ dân phố 5" in page and "Danh sách chung của phường" in page
    client.force_login(user_with(None, username="khong_vai_tro"))
    assert client.get(reverse("awards-posting-public", args=[posting.pk])).status_code == 403


def test_the_printed_notice(client, plan):
    households = [household(plan, "Lê Văn Một"), household(plan, "Trần Thị Hai")]
    posting = services.start_posting(
        plan=plan,
        title=title("GDVH"),
        unit=unit("TDP-01"),
        user=office_user(),
        posted_on=POSTED,
        proposals=households,
        number="15/TB-UBND",
        place="Nhà văn hóa Tổ dân phố 1",
    )
    client.force_login(leader("TDP-01"))
    response = client.get(reverse("awards-posting-pdf", args=[posting.pk]))
    assert "thong-bao-cong-khai-GDVH-TDP-01-2024.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    for expected in [
        "UBND PHƯỜNG PHỔ MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/TB-UBND",
        "Phổ Minh, ngày 01 tháng 12 năm 2024",
        "THÔNG BÁO",
        "Công khai danh sách đề nghị xét tặng “Gia đình văn hóa” năm 2024 tại Tổ dân phố 1",
        "2 hộ gia đình",
        "Lê Văn Một",
        "Trần Thị Hai",
        "từ ngày 01/12/2024 đến hết ngày 11/12/2024, tại Nhà văn hóa Tổ dân phố 1",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Lê Duy Bảo",
        "Nơi nhận:",
    ]:
        assert expected in text, expected


def test_posting_pages_with_few_queries(client, plan, django_assert_max_num_queries):
    households = [household(plan, f"Hộ Số {i}") for i in range(6)]
    posting = post(plan)
    for i, hh in enumerate(households):
        services.record_posting_comment(
            posting=posting, user=office_user(), received_on=POSTED, text=f"Ý kiến {i}", proposal=hh
        )
    client.force_login(office_user())
    for url in [
        reverse("awards-postings"),
        reverse("awards-posting", args=[posting.pk]),
        reverse("awards-posting-public", args=[posting.pk]),
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
