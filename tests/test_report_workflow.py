"""Submit → approve or return; reopen; locks and deadlines; conflicts; completeness and reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from indicators.models import ActionLog, Report, ValueChange

from .reporting import entry_url, group_payload, open_quarter, unit, value_of

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
    assert client.post(entry_url("TDP-01", name="report-return"), {"reason": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED  # no reason, no return
    client.post(entry_url("TDP-01", name="report-return"), {"reason": "Số hộ nghèo chưa khớp danh sách"})
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
    client.post(entry_url("TDP-01", name="report-approve"))
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
        response = client.post(entry_url("TDP-01", name="report-approve"))
        assert response.status_code in (403, 404), who
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_nobody_approves_his_own_submission(client, people):
    client.force_login(people["official"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    assert client.post(entry_url("TDP-01", name="report-approve")).status_code == 403
    client.force_login(people["office"])
    client.post(entry_url("TDP-01", name="report-approve"))
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
        entry_url("TDP-01", name="report-reopen"), {"reason": "Bổ sung số liệu dân số", "until": until}
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
    client.post(entry_url("TDP-01", name="report-approve"))
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    for who in ["leader", "official", "leadership"]:
        client.force_login(people[who])
        response = client.post(entry_url("TDP-01", name="report-reopen"), {"reason": "x", "until": until})
        assert response.status_code in (403, 404), who
    client.force_login(people["office"])
    client.post(entry_url("TDP-01", name="report-reopen"), {"reason": "", "until": until})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED  # no reason, no reopen
    client.post(entry_url("TDP-01", name="report-reopen"), {"reason": "Sai số hộ", "until": until})
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
    assert all("Nhắc nộp báo cáo Quý IV/2024" == m.subject for m in mail.outbox)
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
