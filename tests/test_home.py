"""Log in, log out, and a home page that sends each role to what it does."""

import re

import pytest
from django.urls import reverse

from indicators.models import Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_demo_account_lands_on_home(client, demo):
    response = client.post(
        reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "Tổ trưởng tổ dân phố" in html
    assert "Tổ dân phố 1" in html and "Tổ dân phố 2<" not in html


def test_wrong_password_is_refused_in_vietnamese(client, demo):
    response = client.post(reverse("login"), {"username": "totruong1", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, demo, make_user):
    client.force_login(make_user("office"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("leadership", "Theo dõi tiến độ"),
        ("office", "Quản lý kế hoạch và kỳ báo cáo"),
        ("official", "Đơn vị tôi phụ trách"),
        ("group_leader", "Tổ dân phố của tôi"),
        ("council", "Hội đồng Thi đua - Khen thưởng"),
        ("admin", "Quản trị hệ thống"),
    ],
)
def test_home_per_role(client, demo, make_user, role, text):
    client.force_login(make_user(role, units=list(Unit.objects.filter(code="TDP-03"))))
    html = client.get(reverse("home")).content.decode()
    assert text in html
    assert reverse("plan-detail", args=[2024]) in html


def test_home_without_role_shows_nothing_but_a_notice(client, demo, make_user):
    client.force_login(make_user(None))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="no-role"' in html
    assert reverse("plan-detail", args=[2024]) not in html


def test_anonymous_home_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- the list of one's own tasks (issue 16) --------------------------------------------------------


def tasks_of(client, user):
    from .reporting import open_quarter  # noqa: F401  (kept with the helpers below)

    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response, response.context["tasks"]


def test_a_group_leader_sees_his_open_quarter_with_its_deadline(client, demo, make_user):
    from .reporting import entry_url, open_quarter

    period = open_quarter(demo)
    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-01")])
    response, tasks = tasks_of(client, leader)
    report = [t for t in tasks if t.kind == "report"]
    assert [(t.url, t.deadline) for t in report] == [(entry_url("TDP-01"), period.effective_deadline)]
    html = response.content.decode()
    assert "Nhập số liệu Quý IV/2024 — Tổ dân phố 1" in html
    assert period.effective_deadline.strftime("%d/%m/%Y") in html


def test_a_returned_report_comes_first_with_its_reason(client, demo, make_user):
    from django.utils import timezone

    from indicators.models import Report

    from .reporting import entry_url, open_quarter

    open_quarter(demo)
    Report.objects.filter(unit__code="TDP-01", period__quarter=3).update(
        status=Report.Status.RETURNED, return_reason="Thiếu số hộ nghèo", reopened_until=timezone.localdate()
    )
    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-01")])
    _response, tasks = tasks_of(client, leader)
    first = tasks[0]
    assert first.url == entry_url("TDP-01", quarter=3)
    assert "Thiếu số hộ nghèo" in first.detail


def test_a_pledge_to_register_while_the_window_is_open(client, demo, make_user):
    from .pledging import open_window, pledge_url

    window = open_window(demo)
    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-07")])
    _response, tasks = tasks_of(client, leader)
    pledge = [t for t in tasks if t.kind == "pledge"]
    assert [(t.url, t.deadline) for t in pledge] == [(pledge_url("TDP-07"), window.closes_on)]


def test_the_office_sees_proposals_to_check_and_comments_to_answer(client, demo, make_user):
    from awards.models import Posting, PostingComment, Proposal

    office = make_user("office", units=[Unit.objects.get(code="VP-TK")])
    waiting = Proposal.objects.filter(plan=demo, status=Proposal.Status.SUBMITTED).count()
    posting = Posting.objects.filter(plan=demo).first()
    if posting is not None:
        PostingComment.objects.create(
            posting=posting,
            received_on=posting.posted_on,
            from_name="Ẩn danh",
            text="Hộ này chưa đủ điều kiện",
            recorded_by=office,
        )
    _response, tasks = tasks_of(client, office)
    kinds = {t.kind: t for t in tasks}
    if waiting:
        assert kinds["proposal_check"].title.startswith(f"{waiting} đề nghị")
        assert "status=submitted" in kinds["proposal_check"].url
    if posting is not None:
        assert any(
            t.kind == "posting" and t.url == reverse("awards-posting", args=[posting.pk]) for t in tasks
        )


def test_a_council_member_is_asked_for_his_ballot_until_he_votes(client, plan):
    from awards import voting

    from .test_awards_factories import ballot, checked_proposal, council_of, office_user, session_for

    proposal = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Người Thử")
    council, members = council_of(3)
    session = session_for(plan, council, [proposal], present=members)
    voting.open_voting(session=session, user=office_user())
    _response, tasks = tasks_of(client, members[1])
    assert [t.url for t in tasks if t.kind == "ballot"] == [reverse("awards-session", args=[session.pk])]
    voting.cast_ballot(session=session, user=members[1], choices=ballot(session, {proposal: "agree"}))
    _response, tasks = tasks_of(client, members[1])
    assert not [t for t in tasks if t.kind == "ballot"]


def test_the_chairman_sees_the_decisions_to_sign(client, demo):
    from django.contrib.auth import get_user_model

    from awards.models import Decision

    chairman = get_user_model().objects.get(username="chutich")
    office = get_user_model().objects.get(username="vanphong")
    draft = Decision.objects.create(
        plan=demo,
        kind=Decision.Kind.WARD,
        number="99/QĐ-UBND",
        issuer="Chủ tịch UBND phường",
        recorded_by=office,
    )
    _response, tasks = tasks_of(client, chairman)
    assert reverse("awards-decision", args=[draft.pk]) in [t.url for t in tasks if t.kind == "decision"]


def test_a_group_leader_records_his_household_review(client, demo, make_user):
    from datetime import date

    from awards.households import household_title
    from awards.models import HouseholdReview

    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-01")])
    review = HouseholdReview.objects.create(
        plan=demo,
        unit=Unit.objects.get(code="TDP-01"),
        title=household_title(),
        held_on=date(2024, 11, 20),
        chaired_by="Huỳnh Văn Tư",
        created_by=leader,
    )
    _response, tasks = tasks_of(client, leader)
    assert reverse("awards-household-results", args=[review.pk]) in [t.url for t in tasks]


def test_an_empty_list_says_why(client, demo, make_user):
    council = make_user("council")
    response, tasks = tasks_of(client, council)
    assert tasks == []
    html = response.content.decode()
    assert 'data-testid="no-tasks"' in html and "Bạn không có việc nào đang chờ." in html
    # The council's card leads somewhere.
    assert reverse("awards-sessions") in html


@pytest.mark.parametrize("username", ["vanphong", "canbo_vhxh", "totruong1", "chutich", "hoidong"])
def test_home_with_few_queries(client, demo, username, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    from .reporting import open_quarter

    open_quarter(demo)
    client.force_login(get_user_model().objects.get(username=username))
    client.get(reverse("home"))  # the session's first write
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200


def test_the_navbar_counts_unread_notifications_in_words(client, demo, make_user):
    from indicators.models import Notification

    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-01")])
    for n in range(3):
        Notification.objects.create(user=leader, kind="deadline", text=f"Hạn {n}", key=f"k{n}")
    client.force_login(leader)
    html = client.get(reverse("plan-detail", args=[2024])).content.decode()
    at = html.index('data-testid="unread-count"')
    link = html[html.rindex("<a", 0, at) : html.index("</a>", at)]
    spoken = re.sub(r"\s+", " ", re.sub(r"<svg.*?</svg>|<[^>]+>", "", link)).strip()
    assert spoken == "3 thông báo chưa đọc"  # the accessible name: the visible 3 and its words
    # Outside the collapsed menu, so a phone shows it without opening the menu.
    assert html.index('data-testid="unread-count"') < html.index('id="mainnav"')
