"""In-app notifications: a returned report, a pledge to acknowledge, an opening period, a deadline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.models import Notification, ReportingPeriod

from .pledging import group_pledge, open_window, pledge_url
from .reporting import entry_url, group_payload, open_quarter, shown_version, unit

pytestmark = pytest.mark.django_db


def test_a_returned_report_notifies_the_groups_people(
    client, demo, make_user, django_capture_on_commit_callbacks
):
    open_quarter(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")], email="tt1@phominh.local")
    other = make_user("group_leader", units=[unit("TDP-02")])
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    client.force_login(make_user("office"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            entry_url("TDP-01", name="report-return"),
            {"reason": "Thiếu số hộ", "version": shown_version("TDP-01")},
        )
    note = Notification.objects.get(user=leader)
    assert note.kind == "report_returned" and "Thiếu số hộ" in note.text and note.url == entry_url("TDP-01")
    assert not Notification.objects.filter(user=other).exists()
    assert any("tt1@phominh.local" in m.to for m in mail.outbox)
    client.force_login(leader)
    assert 'data-testid="unread"' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("notification-read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == entry_url("TDP-01")
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_long_return_reason_is_cut_in_the_portal_and_whole_in_the_mail(
    client, demo, make_user, django_capture_on_commit_callbacks
):
    """Found by the form fuzz on PostgreSQL: a 1,000-character reason overflowed the notification's
    400-character column and the return failed with a server error."""
    from indicators.models import Report

    open_quarter(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")], email="tt1@phominh.local")
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    client.force_login(make_user("office"))
    reason = "Thiếu số hộ nghèo của khu dân cư phía nam. " * 23  # 988 characters: within the form, over 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            entry_url("TDP-01", name="report-return"),
            {"reason": reason.strip(), "version": shown_version("TDP-01")},
        )
    assert response.status_code == 302
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).return_reason == reason.strip()
    note = Notification.objects.get(user=leader)
    assert len(note.text) <= 400 and note.text.endswith("…")
    sent = next(m for m in mail.outbox if "tt1@phominh.local" in m.to)
    assert reason.strip() in sent.body and len(sent.subject) <= 150


def test_nobody_reads_or_marks_another_persons_notifications(client, demo, make_user):
    owner = make_user("group_leader")
    note = Notification.objects.create(user=owner, kind="deadline", text="Riêng tư", key="k")
    client.force_login(make_user("office"))
    assert "Riêng tư" not in client.get(reverse("notifications")).content.decode()
    assert client.post(reverse("notification-read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_submitted_pledge_notifies_the_office(client, demo, make_user):
    open_window(demo)
    office = make_user("office")
    client.force_login(make_user("group_leader", units=[unit("TDP-07")]))
    client.post(pledge_url("TDP-07"), group_pledge(0, XH_09b="95") | {"action": "submit"})
    assert Notification.objects.filter(user=office, kind="pledge_submitted").count() == 1


def test_daily_command_reminds_once_about_an_opening_and_a_deadline(demo, make_user):
    today = timezone.localdate()
    period = ReportingPeriod.objects.get(plan=demo, quarter=4)
    period.opens_on, period.deadline = today, today + timedelta(days=3)
    period.save()
    leader = make_user("group_leader", units=[unit("TDP-05")])
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders", verbosity=0)  # a second run reminds nobody twice
    kinds = sorted(Notification.objects.filter(user=leader).values_list("kind", flat=True))
    assert kinds == ["deadline", "period_open"]


def test_notifications_need_login(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_new_council_session_notifies_every_member(demo, make_user):
    from datetime import date

    from awards import voting
    from awards.models import Council

    council = Council.objects.filter(is_active=True).first()
    members = [m.user for m in council.members.filter(is_active=True)]
    session = voting.create_session(
        council=council,
        plan=demo,
        name="Phiên tổng kết 2024",
        held_on=date(2024, 12, 20),
        user=make_user("office"),
    )
    notified = set(Notification.objects.filter(kind="council_session").values_list("user_id", flat=True))
    assert notified == {u.pk for u in members} and members
    assert Notification.objects.filter(url=reverse("awards-session", args=[session.pk])).count() == len(
        members
    )
