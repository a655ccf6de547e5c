"""The council's secret ballot: quorum, threshold on total membership, written votes, once only, close."""

import io
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from awards import voting
from awards.models import AgendaItem, BallotCast, CouncilSession, Proposal
from awards.services import AwardError
from indicators.models import ActionLog

from .test_awards_factories import ballot, checked_proposal, council_of, office_user, session_for, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(plan):
    """The issue's example: 7 members, 4 present, a proposal for a ward title and one for a higher one."""
    council, members = council_of(7, quorum=(1, 2))
    ldtt = checked_proposal(plan, unit_code="VH-XH", title_code="LDTT", name="Đặng Văn Thử")
    tdp = checked_proposal(plan, unit_code="TDP-03", title_code="TDPVH")
    session = session_for(plan, council, [ldtt, tdp], present=members[:4])
    return session, members, ldtt, tdp


def test_quorum_and_threshold_arithmetic():
    assert voting.quorum_needed(members=7, numerator=2, denominator=3) == 5
    assert voting.quorum_needed(members=9, numerator=2, denominator=3) == 6
    assert not voting.has_quorum(present=4, members=7, numerator=2, denominator=3)
    assert voting.has_quorum(present=5, members=7, numerator=2, denominator=3)
    # Against the whole membership: 4 of 7 is 57 %, more than half, less than 70 %.
    assert voting.passes(agree=4, members=7, percent=Decimal(50), strict=True)
    assert not voting.passes(agree=4, members=7, percent=Decimal(70), strict=True)
    # Exactly half: "từ 50% trở lên" passes, "trên 50%" does not.
    assert voting.passes(agree=4, members=8, percent=Decimal(50), strict=False)
    assert not voting.passes(agree=4, members=8, percent=Decimal(50), strict=True)


def _vote_and_close(session, members, ldtt, tdp):
    """4 present + 1 in writing; 4 agree on both proposals, the fifth disagrees."""
    voting.open_voting(session=session, user=office_user())
    for member in members[:3]:
        voting.cast_ballot(
            session=session, user=member, choices=ballot(session, {ldtt: "agree", tdp: "agree"})
        )
    voting.cast_ballot(
        session=session, user=members[3], choices=ballot(session, {ldtt: "disagree", tdp: "abstain"})
    )
    # Absent member 5 writes in before the close.
    voting.cast_ballot(
        session=session, user=members[4], choices=ballot(session, {ldtt: "agree", tdp: "agree"})
    )
    return voting.close_session(session=session, user=office_user())


def test_seven_members_four_present_one_written_four_agree_passes_at_half(seven):
    session, members, ldtt, tdp = seven
    assert title("LDTT").vote_threshold_percent == 50 and title("LDTT").vote_threshold_strict
    session = _vote_and_close(session, members, ldtt, tdp)
    item = AgendaItem.objects.get(proposal=ldtt)
    assert (item.agree, item.disagree, item.abstain) == (4, 1, 0)
    assert session.member_count == 7 and session.present_count == 4
    assert item.passed is True  # 4/7 = 57 % > 50 % of the TOTAL membership
    ldtt.refresh_from_db()
    assert ldtt.status == Proposal.Status.PASSED
    written = BallotCast.objects.filter(item=item, member__member__user=members[4]).get()
    assert written.written is True
    assert not BallotCast.objects.filter(item=item, member__member__user=members[0]).get().written


def test_the_same_votes_fail_at_seventy_percent(seven):
    session, members, ldtt, tdp = seven
    title("LDTT").__class__.objects.filter(code="LDTT").update(vote_threshold_percent=70)
    _vote_and_close(session, members, ldtt, tdp)
    item = AgendaItem.objects.get(proposal=ldtt)
    assert item.agree == 4 and item.passed is False and item.threshold_percent == 70
    ldtt.refresh_from_db()
    assert ldtt.status == Proposal.Status.REJECTED


def test_threshold_is_on_total_membership_not_on_those_present(plan):
    """4 present of 7 all agree: 100 % of those present, but 4/7 = 57 % < 60 % of the council."""
    council, members = council_of(7, quorum=(1, 2))
    p = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Lý Thị Mẫu")
    title("GK-CT").__class__.objects.filter(code="GK-CT").update(vote_threshold_percent=60)
    session = session_for(plan, council, [p], present=members[:4])
    voting.open_voting(session=session, user=office_user())
    for member in members[:4]:
        voting.cast_ballot(session=session, user=member, choices=ballot(session, {p: "agree"}))
    voting.close_session(session=session, user=office_user())
    assert AgendaItem.objects.get(proposal=p).passed is False


def test_no_quorum_no_voting(plan):
    council, members = council_of(7)  # two thirds: 5 needed
    p = checked_proposal(plan, unit_code="VH-XH", title_code="LDTT", name="Mai Văn Thiếu")
    session = session_for(plan, council, [p], present=members[:4])
    with pytest.raises(AwardError, match="Không đủ số thành viên dự họp: có mặt 4/7, cần ít nhất 5"):
        voting.open_voting(session=session, user=office_user())
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PLANNED
    with pytest.raises(AwardError, match="chưa bắt đầu biểu quyết"):
        voting.cast_ballot(session=session, user=members[0], choices=ballot(session, {p: "agree"}))
    assert not BallotCast.objects.exists() and AgendaItem.objects.get(proposal=p).agree == 0


def test_no_quorum_through_the_pages(client, plan):
    council, members = council_of(7)
    p = checked_proposal(plan, unit_code="VH-XH", title_code="LDTT", name="Mai Văn Thiếu")
    session = session_for(plan, council, [p], present=members[:4])
    client.force_login(office_user())
    response = client.post(reverse("awards-session-open", args=[session.pk]), follow=True)
    assert "Không đủ số thành viên dự họp" in response.content.decode()
    client.force_login(members[0])
    item = session.agenda.get()
    client.post(reverse("awards-session-vote", args=[session.pk]), {f"item_{item.pk}": "agree"})
    item.refresh_from_db()
    assert item.agree == 0 and not BallotCast.objects.exists()


def test_a_member_cannot_vote_twice(seven):
    session, members, ldtt, tdp = seven
    voting.open_voting(session=session, user=office_user())
    voting.cast_ballot(
        session=session, user=members[0], choices=ballot(session, {ldtt: "agree", tdp: "agree"})
    )
    with pytest.raises(AwardError, match="chỉ bỏ phiếu một lần"):
        voting.cast_ballot(
            session=session, user=members[0], choices=ballot(session, {ldtt: "disagree", tdp: "disagree"})
        )
    item = AgendaItem.objects.get(proposal=ldtt)
    assert (item.agree, item.disagree) == (1, 0)
    # And the database refuses a second cast row even past the service.
    row = BallotCast.objects.filter(item=item).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotCast.objects.create(item=item, member=row.member)


def test_a_member_cannot_vote_twice_through_the_page(client, seven):
    session, members, ldtt, tdp = seven
    voting.open_voting(session=session, user=office_user())
    client.force_login(members[1])
    payload = {f"item_{i.pk}": "agree" for i in session.agenda.all()}
    url = reverse("awards-session-vote", args=[session.pk])
    client.post(url, payload)
    response = client.post(url, payload, follow=True)
    assert "chỉ bỏ phiếu một lần" in response.content.decode()
    assert AgendaItem.objects.get(proposal=ldtt).agree == 1


def test_no_vote_after_close_and_the_tally_is_frozen(seven):
    session, members, ldtt, tdp = seven
    _vote_and_close(session, members, ldtt, tdp)
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.CLOSED and session.closed_at is not None
    with pytest.raises(AwardError, match="đã kết thúc"):
        voting.cast_ballot(
            session=session, user=members[5], choices=ballot(session, {ldtt: "agree", tdp: "agree"})
        )
    with pytest.raises(AwardError, match="đã kết thúc"):
        voting.close_session(session=session, user=office_user())
    with pytest.raises(AwardError, match="đã kết thúc"):
        voting.set_attendance(session=session, user=office_user(), present_member_ids=set())
    with pytest.raises(AwardError, match="đã kết thúc"):
        voting.open_voting(session=session, user=office_user())
    item = AgendaItem.objects.get(proposal=ldtt)
    assert (item.agree, item.disagree, item.abstain, item.passed) == (4, 1, 0, True)
    # A later change of the title's threshold does not rewrite a closed session.
    title("LDTT").__class__.objects.filter(code="LDTT").update(vote_threshold_percent=90)
    item.refresh_from_db()
    assert item.threshold_percent == 50 and item.passed is True


def test_non_members_and_incomplete_ballots_are_refused(seven, make_user):
    session, members, ldtt, tdp = seven
    voting.open_voting(session=session, user=office_user())
    with pytest.raises(AwardError, match="không phải thành viên"):
        voting.cast_ballot(
            session=session, user=make_user("council"), choices=ballot(session, {ldtt: "agree", tdp: "agree"})
        )
    with pytest.raises(AwardError, match="từng đề nghị"):
        voting.cast_ballot(session=session, user=members[0], choices=ballot(session, {ldtt: "agree"}))
    with pytest.raises(AwardError, match="từng đề nghị"):
        voting.cast_ballot(
            session=session, user=members[0], choices=ballot(session, {ldtt: "agree", tdp: "yes!"})
        )
    assert not BallotCast.objects.exists()


def test_only_the_office_runs_the_session(seven):
    session, members, ldtt, tdp = seven
    with pytest.raises(AwardError, match="Văn phòng"):
        voting.open_voting(session=session, user=members[0])
    voting.open_voting(session=session, user=office_user())
    with pytest.raises(AwardError, match="Văn phòng"):
        voting.close_session(session=session, user=members[0])


def test_the_log_records_who_voted_never_how(seven):
    session, members, ldtt, tdp = seven
    _vote_and_close(session, members, ldtt, tdp)
    casts = ActionLog.objects.filter(action="awards.ballot.cast")
    assert casts.count() == 5
    for entry in casts:
        assert set(entry.data) == {"written", "items"}
    text = " ".join(str(e.data) for e in casts)
    assert "agree" not in text and "disagree" not in text and "abstain" not in text


# --- What the close may publish (issue 14, item 5) ----------------------------------------------------


def test_closing_waits_for_every_present_members_ballot(client, plan):
    """Five present: four ballots in, the close is refused (on the page too, with the reason) until the
    fifth hands in his, an abstention; then the tally adds up to five."""
    council, members = council_of(5)
    p = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Lê Văn Chờ")
    session = session_for(plan, council, [p], present=members)
    voting.open_voting(session=session, user=office_user())
    for member in members[:4]:
        voting.cast_ballot(session=session, user=member, choices=ballot(session, {p: "agree"}))
    with pytest.raises(AwardError, match="Còn 1 thành viên có mặt chưa bỏ phiếu"):
        voting.close_session(session=session, user=office_user())
    client.force_login(office_user())
    url = reverse("awards-session", args=[session.pk])
    assert "Còn 1 thành viên có mặt chưa bỏ phiếu" in client.get(url).content.decode()
    response = client.post(reverse("awards-session-close", args=[session.pk]), follow=True)
    assert "Còn 1 thành viên có mặt chưa bỏ phiếu" in response.content.decode()
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.OPEN and session.closed_at is None
    voting.cast_ballot(session=session, user=members[4], choices=ballot(session, {p: "abstain"}))
    assert 'data-testid="close-problems"' not in client.get(url).content.decode()
    client.post(reverse("awards-session-close", args=[session.pk]))
    session.refresh_from_db()
    item = session.agenda.get()
    assert session.status == CouncilSession.Status.CLOSED
    assert (item.agree, item.disagree, item.abstain) == (4, 0, 1)
    closed = ActionLog.objects.get(action="awards.session.closed")
    assert closed.data["ballots"] == 5


def test_a_tally_of_one_or_two_ballots_is_never_published(client, plan):
    """One member present of three (quorum one third): his single ballot would be the tally. Closing
    needs three ballots; the two absent members write in, and the minutes say how many were counted."""
    council, members = council_of(3, quorum=(1, 3))
    p = checked_proposal(plan, unit_code="VH-XH", title_code="GK-CT", name="Phan Văn Một")
    session = session_for(plan, council, [p], present=members[:1])
    voting.open_voting(session=session, user=office_user())
    voting.cast_ballot(session=session, user=members[0], choices=ballot(session, {p: "disagree"}))
    with pytest.raises(AwardError, match="Mới có 1 phiếu: cần ít nhất 3 phiếu"):
        voting.close_session(session=session, user=office_user())
    voting.cast_ballot(session=session, user=members[1], choices=ballot(session, {p: "agree"}))
    with pytest.raises(AwardError, match="Mới có 2 phiếu"):
        voting.close_session(session=session, user=office_user())
    client.force_login(office_user())
    assert client.get(reverse("awards-minutes-pdf", args=[session.pk])).status_code == 404
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.OPEN
    assert not ActionLog.objects.filter(action="awards.proposal.voted").exists()
    voting.cast_ballot(session=session, user=members[2], choices=ballot(session, {p: "agree"}))
    voting.close_session(session=session, user=office_user())
    page = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert "Đã kiểm 3 phiếu, trong đó 2 ý kiến bằng văn bản" in page
    response = client.get(reverse("awards-minutes-pdf", args=[session.pk]))
    minutes = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Số phiếu thu về: 3 phiếu trên tổng số 3 thành viên" in minutes
    assert "(1 phiếu của thành viên có mặt, 2 ý kiến bằng văn bản" in minutes
    assert "số phiếu hợp lệ: 3" in minutes and "2 / 1 / 0" in minutes


def test_close_problems_rule():
    assert voting.MIN_BALLOTS == 3
    assert voting.close_problems(present_waiting=0, ballots=3) == []
    assert len(voting.close_problems(present_waiting=1, ballots=2)) == 2
    assert voting.close_problems(present_waiting=0, ballots=2)[0].startswith("Mới có 2 phiếu")


def test_a_ballot_runs_the_same_statements_whatever_the_choice(seven):
    """Nothing the database records about a ballot depends on the choice: the same statements (only the
    added 1 and 0s differ), so neither statement statistics nor a log of statements count the choices."""
    session, members, ldtt, tdp = seven
    voting.open_voting(session=session, user=office_user())
    shapes = []
    for member, choice in zip(members[:3], ["agree", "disagree", "abstain"], strict=True):
        with CaptureQueriesContext(connection) as queries:
            voting.cast_ballot(
                session=session, user=member, choices=ballot(session, {ldtt: choice, tdp: choice})
            )
        statements = [q["sql"] for q in queries.captured_queries if "awards_agendaitem" in q["sql"]]
        updates = [s for s in statements if s.startswith("UPDATE")]
        assert len(updates) == 2, statements
        shapes.append([re.sub(r"\b\d+\b", "#", s) for s in statements])
    assert shapes[0] == shapes[1] == shapes[2]
    item = AgendaItem.objects.get(proposal=ldtt)
    assert (item.agree, item.disagree, item.abstain) == (1, 1, 1)


def test_refused_session_forms_answer_the_page_again(client, seven):
    """Issue 14, item 10: a new session without a date keeps the typed name (400); an attendance list
    posted after voting opened answers the session page with the reason (409), the list unchanged."""
    session, members, _ldtt, _tdp = seven
    client.force_login(office_user())
    response = client.post(
        reverse("awards-session-create"), {"name": "Phiên họp bổ sung tháng Giêng", "held_on": ""}
    )
    assert response.status_code == 400
    assert 'value="Phiên họp bổ sung tháng Giêng"' in response.content.decode()
    voting.open_voting(session=session, user=office_user())
    present = [str(row.member_id) for row in session.attendance.all()]
    response = client.post(reverse("awards-session-attendance", args=[session.pk]), {"present": present})
    assert response.status_code == 409 and 'data-testid="quorum"' in response.content.decode()
    assert session.attendance.filter(present=True).count() == 4
