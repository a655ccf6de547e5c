"""The reviewer's queue (issue 16): how long each report has waited, filters, the reports with ⚠
figures first, the next report after a review; approval notifies the unit; the entry page tells a
reviewer what she can do there. And the units' cards: the quarter to act on first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Notification, Report

from .reporting import comment, entry_url, group_payload, open_quarter, shown_version, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    return {
        "leader1": make_user("group_leader", units=[unit("TDP-01")]),
        "leader2": make_user("group_leader", units=[unit("TDP-02")]),
        "leader3": make_user("group_leader", units=[unit("TDP-03")]),
        "office": make_user("office", units=[unit("VP-TK")]),
    }


def submit(client, leader, code: str, data: dict, *, days_ago: float) -> Report:
    client.force_login(leader)
    response = client.post(entry_url(code), data | {"action": "submit"})
    assert response.status_code == 302
    report = Report.objects.get(unit__code=code, period__quarter=4)
    assert report.status == Report.Status.SUBMITTED, code
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    return report


@pytest.fixture
def queue(client, people):
    """Q4: TDP-01 sent 14 months ago, TDP-03 three days ago, TDP-02 today with a ⚠ figure (its cattle
    tripled since quarter III, explained in a comment)."""
    submit(client, people["leader1"], "TDP-01", group_payload(0), days_ago=426)
    submit(client, people["leader3"], "TDP-03", group_payload(0), days_ago=3.2)
    jump = comment(group_payload(0, DAN_BO="400"), "DAN_BO", "Nhập thêm đàn bò của hợp tác xã")
    submit(client, people["leader2"], "TDP-02", jump, days_ago=0.01)
    client.force_login(people["office"])


def entries(client, **params):
    response = client.get(reverse("report-list"), params)
    assert response.status_code == 200
    return response, [(e.report.unit.code, e.warning, e.waited) for e in response.context["queue_entries"]]


def test_warnings_first_then_the_longest_waiting_with_its_age(client, queue):
    response, rows = entries(client, quy=4)
    assert rows == [
        ("TDP-02", True, "chờ dưới 1 giờ"),
        ("TDP-01", False, "chờ 14 tháng"),
        ("TDP-03", False, "chờ 3 ngày"),
    ]
    html = response.content.decode()
    assert "chờ 14 tháng" in html and "⚠" in html
    # The demo's quarter III reports wait too, without the filter.
    _response, everything = entries(client)
    assert {code for code, *_rest in everything} > {"TDP-01", "TDP-02", "TDP-03"}


def test_filters_by_quarter_unit_and_status(client, queue, people):
    _response, rows = entries(client, quy=4, don_vi="TDP-03")
    assert [r[0] for r in rows] == ["TDP-03"]
    _response, rows = entries(client, quy=3, don_vi="TDP-03")
    assert [r[0] for r in rows] == ["TDP-03"]  # the demo's quarter III, sent and waiting
    _response, approved = entries(client, quy=2, trang_thai="approved")
    assert approved and all(
        Report.objects.get(unit__code=c, period__quarter=2).status == "approved" for c, *_ in approved
    )
    response, rows = entries(client, quy=4, don_vi="TDP-05")
    assert rows == [] and "Không có báo cáo nào khớp bộ lọc" in response.content.decode()
    # Nonsense in the query string is ignored, not an error.
    assert (
        client.get(reverse("report-list"), {"quy": "٤", "trang_thai": "x", "don_vi": "<b>"}).status_code
        == 200
    )


def test_after_approving_the_next_report_of_the_same_queue(client, queue, people):
    page = client.get(entry_url("TDP-02") + "?quy=4").content.decode()
    assert 'name="quy" value="4"' in page  # the queue's filter goes with the review
    response = client.post(
        entry_url("TDP-02", name="report-approve"), {"version": shown_version("TDP-02"), "quy": "4"}
    )
    assert response.status_code == 302
    assert response["Location"] == entry_url("TDP-02") + "?sau_duyet=1&quy=4"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="next-report"' in page
    assert f'href="{entry_url("TDP-01")}?quy=4"' in page and "chờ 14 tháng" in page

    # Returning goes on the same way; after the last one the page says the queue is empty.
    client.post(
        entry_url("TDP-01", name="report-return"),
        {"version": shown_version("TDP-01"), "reason": "Thiếu số hộ", "quy": "4"},
    )
    page = client.get(entry_url("TDP-01") + "?sau_duyet=1&quy=4").content.decode()
    assert f'href="{entry_url("TDP-03")}?quy=4"' in page
    client.post(entry_url("TDP-03", name="report-approve"), {"version": shown_version("TDP-03"), "quy": "4"})
    page = client.get(entry_url("TDP-03") + "?sau_duyet=1&quy=4").content.decode()
    assert "Không còn báo cáo nào chờ bạn duyệt." in page


def test_approving_notifies_the_unit_as_returning_does(client, queue, people):
    client.post(entry_url("TDP-03", name="report-approve"), {"version": shown_version("TDP-03")})
    note = Notification.objects.get(user=people["leader3"], kind="report_approved")
    assert note.url == entry_url("TDP-03") and "đã được duyệt" in note.text
    assert not Notification.objects.filter(user=people["leader1"], kind="report_approved").exists()


def test_the_entry_page_tells_the_reviewer_what_she_can_do(client, queue, people):
    page = client.get(entry_url("TDP-01")).content.decode()
    assert "Bạn xem xét báo cáo này: Duyệt hoặc Trả lại" in page
    assert "Bạn không được nhập số liệu cho đơn vị này." not in page
    assert 'href="#review-box"' in page and 'id="review-box"' in page
    page = client.get(entry_url("TDP-05")).content.decode()  # not sent yet
    assert "Đơn vị chưa gửi báo cáo này" in page
    client.force_login(people["leader1"])
    page = client.get(entry_url("TDP-01")).content.decode()
    assert "Báo cáo đã gửi, đang chờ duyệt" in page


def test_an_empty_queue_says_why(client, people, make_user):
    """An official whose only unit's report he sent himself: it waits for someone else (four eyes)."""
    Report.objects.filter(unit__code="TDP-04", status=Report.Status.SUBMITTED).update(
        status=Report.Status.APPROVED
    )
    official = make_user("official", units=[unit("TDP-04")])
    client.force_login(official)
    client.post(entry_url("TDP-04"), group_payload(0) | {"action": "submit"})
    response = client.get(reverse("report-list"))
    assert response.context["queue_entries"] == []
    html = response.content.decode()
    assert "Không có báo cáo nào chờ bạn duyệt." in html
    assert "1 báo cáo đang chờ người khác duyệt" in html


def test_the_units_card_puts_the_quarter_to_act_on_first(client, people):
    client.force_login(people["leader1"])
    response = client.get(reverse("report-list"))
    card = response.context["cards"][0]
    assert (card.act.period.quarter, card.act.kind) == (4, "enter")
    assert [c.period.quarter for c in card.others] == [1, 2, 3]
    html = response.content.decode()
    assert 'data-testid="act-quarter"' in html and "Nhập số liệu" in html
    # A returned quarter comes before everything else, with its reason.
    Report.objects.filter(unit__code="TDP-01", period__quarter=3).update(
        status=Report.Status.RETURNED, return_reason="Sai số hộ nghèo", reopened_until=timezone.localdate()
    )
    response = client.get(reverse("report-list"))
    card = response.context["cards"][0]
    assert (card.act.period.quarter, card.act.kind) == (3, "fix")
    assert "Sai số hộ nghèo" in response.content.decode() and "Sửa và gửi lại" in response.content.decode()


def test_the_queue_and_the_cards_with_few_queries(client, queue, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(reverse("report-list")).status_code == 200
