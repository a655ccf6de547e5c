"""Submit → approve or return; reopen; locks and deadlines; conflicts; completeness and reminders."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import ActionLog, DataElement, Report, ReportingPeriod, ValueChange

from .reporting import comment, entry_url, group_payload, open_quarter, shown_version, unit, value_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("TDP-01"), unit("VH-XH")]),
        "stranger_official": make_user("official", units=[unit("DC-NN")]),
        "office": make_user("office", units=[unit("VP-TK")]),
        "leadership": make_user("leadership"),
        "council": make_user("council"),
    }


def submitted(client, leader) -> Report:
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.SUBMITTED
    return report


def test_official_returns_with_reason_then_approves_after_resubmission(client, people):
    report = submitted(client, people["leader"])
    client.force_login(people["official"])
    assert (
        client.post(
            entry_url("TDP-01", name="report-return"), {"reason": "", "version": report.version}
        ).status_code
        == 400
    )
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED  # no reason, no return
    client.post(
        entry_url("TDP-01", name="report-return"),
        {"reason": "Số hộ nghèo chưa khớp danh sách", "version": report.version},
    )
    report.refresh_from_db()
    assert (report.status, report.return_reason, report.reviewed_by) == (
        "returned",
        "Số hộ nghèo chưa khớp danh sách",
        people["official"],
    )
    client.force_login(people["leader"])
    page = client.get(entry_url("TDP-01")).content.decode()
    assert "Số hộ nghèo chưa khớp danh sách" in page
    client.post(entry_url("TDP-01"), group_payload(report.version, HO_NGHEO="14") | {"action": "submit"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and value_of("TDP-01", "HO_NGHEO") == 14
    client.force_login(people["official"])
    client.post(entry_url("TDP-01", name="report-approve"), {"version": shown_version("TDP-01")})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    actions = list(
        ActionLog.objects.filter(object_id=report.pk).order_by("at", "pk").values_list("action", flat=True)
    )
    assert actions == [
        "indicators.report.submitted",
        "indicators.report.returned",
        "indicators.report.submitted",
        "indicators.report.approved",
    ]


def test_who_may_not_review(client, people):
    report = submitted(client, people["leader"])
    for who in ["leader", "other_leader", "stranger_official", "council"]:
        client.force_login(people[who])
        response = client.post(
            entry_url("TDP-01", name="report-approve"), {"version": shown_version("TDP-01")}
        )
        assert response.status_code in (403, 404), who
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_nobody_approves_his_own_submission(client, people):
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    assert (
        client.post(
            entry_url("TDP-01", name="report-approve"), {"version": shown_version("TDP-01")}
        ).status_code
        == 403
    )
    client.force_login(people["office"])
    client.post(entry_url("TDP-01", name="report-approve"), {"version": shown_version("TDP-01")})
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).status == Report.Status.APPROVED


def test_leader_cannot_touch_another_group_by_url_or_posted_ids(client, people):
    client.force_login(people["other_leader"])
    assert client.get(entry_url("TDP-01")).status_code == 404
    assert client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"}).status_code == 404
    assert client.get(entry_url("TDP-01", name="report-history")).status_code == 404
    # Posting TDP-01's element ids to his own group's URL only writes his own group.
    client.post(entry_url("TDP-02"), group_payload(0) | {"action": "save"})
    assert value_of("TDP-01", "SO_HO") is None and value_of("TDP-02", "SO_HO") == 600
    # Another unit's element (not assigned to his group) is refused.
    from indicators.models import DataElement

    rice = DataElement.objects.get(code="SL_LUA")
    report = Report.objects.get(unit__code="TDP-02", period__quarter=4)
    client.post(
        entry_url("TDP-02"), group_payload(report.version) | {f"v_{rice.pk}": "999", "action": "save"}
    )
    assert not report.values.filter(element=rice).exists()


def test_locked_period_refuses_changes_until_the_office_reopens(client, people, demo):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    client.force_login(people["office"])
    client.post(reverse("period-lock", args=[2024, 4]), {"lock": "1", "reason": ""})
    client.force_login(people["leader"])
    page = client.get(entry_url("TDP-01")).content.decode()
    assert "Kỳ báo cáo đã khóa" in page
    response = client.post(entry_url("TDP-01"), group_payload(1, DAN_SO="3.000") | {"action": "save"})
    assert response.status_code == 403 and value_of("TDP-01", "DAN_SO") == 2400
    client.force_login(people["office"])
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        entry_url("TDP-01", name="report-reopen"),
        {"reason": "Bổ sung số liệu dân số", "until": until, "version": shown_version("TDP-01")},
    )
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.reopened_until is not None
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(report.version, DAN_SO="3.000") | {"action": "save"})
    assert value_of("TDP-01", "DAN_SO") == 3000
    change = ValueChange.objects.filter(element__code="DAN_SO").first()
    assert change.source == ValueChange.Source.REOPEN and change.old_value == 2400
    reopened = ActionLog.objects.get(action="indicators.report.reopened")
    assert reopened.data["reason"] == "Bổ sung số liệu dân số" and reopened.user == people["office"]


def test_approved_report_can_be_reopened_only_by_the_office(client, people):
    report = submitted(client, people["leader"])
    client.force_login(people["office"])
    client.post(entry_url("TDP-01", name="report-approve"), {"version": shown_version("TDP-01")})
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    for who in ["leader", "official", "leadership"]:
        client.force_login(people[who])
        response = client.post(
            entry_url("TDP-01", name="report-reopen"),
            {"reason": "x", "until": until, "version": shown_version("TDP-01")},
        )
        assert response.status_code in (403, 404), who
    client.force_login(people["office"])
    client.post(
        entry_url("TDP-01", name="report-reopen"),
        {"reason": "", "until": until, "version": shown_version("TDP-01")},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED  # no reason, no reopen
    client.post(
        entry_url("TDP-01", name="report-reopen"),
        {"reason": "Sai số hộ", "until": until, "version": shown_version("TDP-01")},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_past_deadline_is_read_only_until_extended(client, people, demo):
    period = demo.periods.get(quarter=4)
    period.deadline = timezone.localdate() - timedelta(days=1)
    period.opens_on = period.deadline - timedelta(days=20)
    period.save()
    client.force_login(people["leader"])
    assert "Đã quá hạn nộp" in client.get(entry_url("TDP-01")).content.decode()
    assert client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"}).status_code == 403
    client.force_login(people["office"])
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(reverse("period-extend", args=[2024, 4]), {"reason": "Mưa lũ", "until": until})
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    assert value_of("TDP-01", "SO_HO") == 600


def test_second_save_from_a_stale_form_is_a_conflict_and_overwrites_nothing(client, people):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    version = Report.objects.get(unit__code="TDP-01", period__quarter=4).version
    # Two people open the same version; the official saves first.
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(version, DAN_SO="2.500") | {"action": "save"})
    client.force_login(people["leader"])
    response = client.post(entry_url("TDP-01"), group_payload(version, DAN_SO="2.600") | {"action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác cập nhật" in html
    assert 'value="2.600"' in html  # his input is still on the page, not lost
    assert value_of("TDP-01", "DAN_SO") == 2500


def test_two_people_starting_a_new_report_at_once(client, people):
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(0, DAN_SO="2.500") | {"action": "save"})
    client.force_login(people["leader"])
    response = client.post(entry_url("TDP-01"), group_payload(0, DAN_SO="2.600") | {"action": "save"})
    assert response.status_code == 409 and value_of("TDP-01", "DAN_SO") == 2500


def test_history_pages_show_who_when_old_new(client, people):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    client.post(entry_url("TDP-01"), group_payload(1, DAN_SO="2.450") | {"action": "submit"})
    html = client.get(entry_url("TDP-01", name="report-history")).content.decode()
    assert "2.400" in html and "2.450" in html and "Gửi báo cáo" in html
    one = client.get(reverse("value-history", args=[2024, 4, "TDP-01", "DAN_SO"])).content.decode()
    assert one.count("<tr>") == 3  # header + two changes of this figure
    assert "Số con gà" not in one


def test_completeness_and_reminders(client, people, django_capture_on_commit_callbacks):
    submitted(client, people["leader"])
    client.force_login(people["office"])
    page = client.get(reverse("completeness", args=[2024, 4]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-unit="TDP-01"' in html and 'data-unit="BCHQS"' in html
    assert page.context["counts"]["submitted"] == 1
    assert page.context["counts"]["missing"] == page.context["total"] - 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("period-remind", args=[2024, 4]))
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["other_leader"].email == "" or people["other_leader"].email in recipients
    assert mail.outbox, "reminders were sent"
    assert all(m.subject.startswith("Nhắc nộp báo cáo Quý IV/2024") for m in mail.outbox)
    leader_mail = people["leader"].email
    assert not leader_mail or leader_mail not in recipients
    assert ActionLog.objects.filter(action="indicators.period.reminded").exists()


def test_completeness_is_for_office_and_leadership(client, people):
    for who, status in [
        ("office", 200),
        ("leadership", 200),
        ("leader", 403),
        ("official", 403),
        ("council", 403),
    ]:
        client.force_login(people[who])
        assert client.get(reverse("completeness", args=[2024, 4])).status_code == status, who


# --- four eyes, the version a review was decided on, refusals that keep what was typed (issue 14) ------


def review(client, step: str, unit_code: str = "TDP-01", **data):
    """Approve, return or reopen from the page as the reviewer last loaded it (its version)."""
    return client.post(entry_url(unit_code, name=step), {"version": shown_version(unit_code)} | data)


def queue_of(client) -> list[Report]:
    return list(client.get(reverse("report-list") + "?year=2024").context["queue"])


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return html_lib.unescape(re.search(r'value="([^"]*)"', tag).group(1))


def figure_box(code: str) -> str:
    return f"v_{DataElement.objects.get(code=code).pk}"


def comment_box(code: str) -> str:
    return f"c_{DataElement.objects.get(code=code).pk}"


def test_four_eyes_whoever_typed_the_figures_neither_approves_nor_returns(client, people):
    """The attack: the official saves the figures, the group leader submits them, the official approves."""
    client.force_login(people["official"])
    assert client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"}).status_code == 302
    client.force_login(people["leader"])
    version = int(shown_version("TDP-01"))
    assert client.post(entry_url("TDP-01"), group_payload(version) | {"action": "submit"}).status_code == 302
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.SUBMITTED and report.submitted_by == people["leader"]

    client.force_login(people["official"])
    page = client.get(entry_url("TDP-01")).content.decode()
    assert 'data-testid="review-box"' not in page and "report-approve" not in page
    assert report not in queue_of(client)
    for step, data in [("report-approve", {}), ("report-return", {"reason": "Xem lại số hộ"})]:
        response = review(client, step, **data)
        html = response.content.decode()
        assert response.status_code == 403, step
        assert "Bạn đã nhập hoặc sửa số liệu của báo cáo này" in html and 'data-testid="entry-form"' in html
    assert "Xem lại số hộ" in html  # the typed reason is quoted back, not lost
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.reviewed_by is None
    with pytest.raises(services.ReportError, match="Bạn đã nhập hoặc sửa số liệu"):
        services.approve_report(report=report, user=people["official"])
    with pytest.raises(services.ReportError, match="Bạn đã nhập hoặc sửa số liệu"):
        services.return_report(report=report, user=people["official"], reason="x")

    # A reviewer who typed nothing in it approves.
    client.force_login(people["leadership"])
    assert 'data-testid="review-box"' in client.get(entry_url("TDP-01")).content.decode()
    assert report in queue_of(client)
    assert review(client, "report-approve").status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.reviewed_by == people["leadership"]


def test_four_eyes_counts_the_figures_changed_since_the_last_return_or_reopen(client, people):
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    client.force_login(people["office"])
    assert review(client, "report-return", reason="Số hộ nghèo chưa khớp").status_code == 302
    client.force_login(people["leader"])
    data = group_payload(int(shown_version("TDP-01")), HO_NGHEO="16")
    assert client.post(entry_url("TDP-01"), data | {"action": "submit"}).status_code == 302
    # The official typed the first round, which the office returned; this round is the leader's.
    client.force_login(people["official"])
    assert review(client, "report-approve").status_code == 302

    client.force_login(people["office"])
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert review(client, "report-reopen", reason="Bổ sung dân số", until=until).status_code == 302
    client.force_login(people["official"])
    data = group_payload(int(shown_version("TDP-01")), HO_NGHEO="16", DAN_SO="2.410")
    assert client.post(entry_url("TDP-01"), data | {"action": "save"}).status_code == 302
    client.force_login(people["leader"])
    data["version"] = shown_version("TDP-01")
    assert client.post(entry_url("TDP-01"), data | {"action": "submit"}).status_code == 302
    client.force_login(people["official"])
    assert review(client, "report-approve").status_code == 403  # he changed a figure after the reopen
    client.force_login(people["office"])
    assert review(client, "report-approve").status_code == 302
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).status == Report.Status.APPROVED


def test_an_approval_applies_only_to_the_figures_the_approver_saw(client, people):
    """The chairman opens the report (17 poor households), the office reopens it, the leader changes it
    to 1 and resubmits: the chairman's old page must not approve 1."""
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0, HO_NGHEO="17") | {"action": "submit"})
    client.force_login(people["leadership"])
    seen = client.get(entry_url("TDP-01")).content.decode()
    seen_version = re.search(r'name="version" value="(\d+)"', seen).group(1)
    assert seen_version == shown_version("TDP-01")

    client.force_login(people["office"])
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert review(client, "report-reopen", reason="Rà soát hộ nghèo", until=until).status_code == 302
    client.force_login(people["leader"])
    data = comment(group_payload(int(shown_version("TDP-01")), HO_NGHEO="1"), "HO_NGHEO", "Đã thoát nghèo")
    assert client.post(entry_url("TDP-01"), data | {"action": "submit"}).status_code == 302
    assert value_of("TDP-01", "HO_NGHEO") == 1

    client.force_login(people["leadership"])
    stale = {"version": seen_version}
    for step, extra in [("report-return", {"reason": "Kiểm tra lại số hộ nghèo"}), ("report-approve", {})]:
        response = client.post(entry_url("TDP-01", name=step), stale | extra)
        html = response.content.decode()
        assert response.status_code == 409, step
        assert "vừa được người khác cập nhật" in html
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.SUBMITTED and report.reviewed_by is None
    # The page answered shows the figure now submitted, and its forms carry the current version.
    assert re.search(r'name="version" value="(\d+)"', html).group(1) == str(report.version)
    assert client.post(entry_url("TDP-01", name="report-approve")).status_code == 409  # no version at all
    assert review(client, "report-approve").status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and value_of("TDP-01", "HO_NGHEO") == 1

    # The office's page, opened before the approval, cannot reopen what it did not see.
    client.force_login(people["office"])
    response = client.post(
        entry_url("TDP-01", name="report-reopen"),
        {"reason": "Sửa", "until": until, "version": str(report.version - 1)},
    )
    assert response.status_code == 409 and input_value(response.content.decode(), "until") == until
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_a_stale_return_keeps_the_typed_reason(client, people):
    report = submitted(client, people["leader"])
    client.force_login(people["office"])
    response = client.post(
        entry_url("TDP-01", name="report-return"),
        {"reason": "Thiếu số hộ nước sạch", "version": str(report.version - 1)},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(r"<textarea[^>]*name=\"reason\"[^>]*>\s*Thiếu số hộ nước sạch</textarea>", html)
    assert re.search(r'name="version" value="(\d+)"', html).group(1) == str(report.version)


def test_a_save_refused_by_a_lock_while_typing_keeps_the_typed_figures(client, people):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    version = int(shown_version("TDP-01"))  # the page he is typing on
    client.force_login(people["office"])
    client.post(reverse("period-lock", args=[2024, 4]), {"lock": "1", "reason": ""})

    client.force_login(people["leader"])
    typed = comment(group_payload(version, DAN_SO="2.450", SO_HO="612"), "DAN_SO", "Có 12 hộ chuyển đến")
    response = client.post(entry_url("TDP-01"), typed | {"action": "save"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Forbidden" not in html and 'data-testid="current-user"' in html  # the portal's page
    assert "Số liệu CHƯA được lưu" in html and "Kỳ báo cáo đã khóa" in html
    assert input_value(html, figure_box("DAN_SO")) == "2.450"
    assert input_value(html, figure_box("SO_HO")) == "612"
    assert input_value(html, comment_box("DAN_SO")) == "Có 12 hộ chuyển đến"
    assert value_of("TDP-01", "DAN_SO") == 2400 and value_of("TDP-01", "SO_HO") == 600

    # The office unlocks: the same page saves what he typed.
    client.force_login(people["office"])
    client.post(reverse("period-lock", args=[2024, 4]), {"lock": "0", "reason": "Tổ 1 đang nhập dở"})
    client.force_login(people["leader"])
    assert client.post(entry_url("TDP-01"), typed | {"action": "save"}).status_code == 302
    assert value_of("TDP-01", "DAN_SO") == 2450


def test_a_save_refused_because_the_report_was_approved_keeps_the_typed_figures(client, people):
    client.force_login(people["leader"])
    version = int(shown_version("TDP-01"))  # he opens the empty quarter and starts typing
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    client.force_login(people["office"])
    assert review(client, "report-approve").status_code == 302

    client.force_login(people["leader"])
    response = client.post(entry_url("TDP-01"), group_payload(version, DAN_SO="2.450") | {"action": "save"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Số liệu CHƯA được lưu" in html and "Báo cáo đã được duyệt" in html
    assert input_value(html, figure_box("DAN_SO")) == "2.450"
    assert 'data-testid="saved-figure"' in html  # the approved figure is shown beside his own
    assert value_of("TDP-01", "DAN_SO") == 2400


def test_after_a_conflict_the_page_shows_both_figures_and_saving_again_saves(client, people):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    version = int(shown_version("TDP-01"))
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(version, DAN_SO="2.500") | {"action": "save"})
    client.force_login(people["leader"])
    typed = group_payload(version, DAN_SO="2.600")
    response = client.post(entry_url("TDP-01"), typed | {"action": "save"})
    html = response.content.decode()
    assert response.status_code == 409
    assert input_value(html, figure_box("DAN_SO")) == "2.600"
    row = re.search(r'data-element="DAN_SO".*?data-testid="saved-figure"[^>]*>(.*?)</div>', html, re.S)
    assert row and "2.500" in row.group(1)
    # The page now carries the latest version: pressing "Lưu nháp" again saves his figure, knowingly.
    assert input_value(html, "version") == shown_version("TDP-01")
    again = typed | {"version": input_value(html, "version"), "action": "save"}
    assert client.post(entry_url("TDP-01"), again).status_code == 302
    assert value_of("TDP-01", "DAN_SO") == 2600


def test_a_refused_extension_keeps_the_typed_reason(client, people):
    client.force_login(people["office"])
    response = client.post(
        reverse("period-extend", args=[2024, 4]), {"reason": "Mưa lũ kéo dài", "until": "hôm qua"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phải ghi lý do và ngày gia hạn hợp lệ" in html and "Mưa lũ kéo dài" in html
    assert ReportingPeriod.objects.get(plan__year=2024, quarter=4).reopened_until is None


def row_html(html: str, code: str) -> str:
    return re.search(rf'data-element="{code}".*?(?=<div class="entry-row|</fieldset>)', html, re.S).group(0)


def test_the_conflict_page_shows_beside_each_typed_figure_the_one_saved_meanwhile(client, people):
    """Issue 16: not his own figure twice, but the other person's beside each of his, marked where they
    differ, with who saved and when; the other's comment where it differs from his."""
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    version = int(shown_version("TDP-01"))
    people["official"].first_name, people["official"].last_name = "Lan", "Phạm Thị"
    people["official"].save()
    client.force_login(people["official"])
    theirs = comment(group_payload(version, DAN_SO="2.500", HO_NGHEO=""), "DAN_SO", "Theo sổ hộ khẩu")
    client.post(entry_url("TDP-01"), theirs | {"action": "save"})
    client.force_login(people["leader"])
    response = client.post(entry_url("TDP-01"), group_payload(version, DAN_SO="2.600") | {"action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    note = re.sub(
        r"<[^>]+>|\s+", " ", re.search(r'data-testid="conflict-note">(.*?)</div>', html, re.S).group(1)
    )
    assert "Phạm Thị Lan đã lưu báo cáo này lúc" in note and "2 số khác số bạn nhập" in note
    dan_so = row_html(html, "DAN_SO")
    assert input_value(dan_so, figure_box("DAN_SO")) == "2.600"
    assert re.search(r"Bản vừa lưu: <span[^>]*>2.500</span> <strong>\(khác số bạn nhập\)</strong>", dan_so)
    assert "Ghi chú trong bản vừa lưu: Theo sổ hộ khẩu" in dan_so
    assert "Đã hiểu là" not in dan_so  # his figure once, in its box
    so_ho = row_html(html, "SO_HO")
    assert re.search(r"Bản vừa lưu: <span[^>]*>600</span></div>", so_ho)  # the same: not marked
    ho_ngheo = row_html(html, "HO_NGHEO")  # cleared by the other: "—" beside his 15
    assert re.search(r"Bản vừa lưu: <span[^>]*>—</span> <strong>\(khác số bạn nhập\)", ho_ngheo)
    # Once the page is opened again, there is no conflict to show.
    assert "conflict-note" not in client.get(entry_url("TDP-01")).content.decode()
