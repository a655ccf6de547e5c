"""Notification mail: a one-line subject, and a mail that fails is logged and shown to the office, never
dropped in silence (issue 14, item 9)."""

import pytest
from django.core import mail
from django.urls import reverse

from indicators import notifications
from indicators.models import ActionLog, Notification, Report

from .reporting import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_report(demo):
    report = Report.objects.filter(unit__code="TDP-01").select_related("period__plan", "unit").first()
    report.return_reason = "Thiếu số hộ nghèo.\r\nBổ sung số hộ mới."
    return report


def test_a_return_reason_on_two_lines_still_sends_the_mail_with_a_one_line_subject(
    make_user, returned_report, django_capture_on_commit_callbacks
):
    """Found by trying the portal: the subject kept the line break, Django refused the header and
    fail_silently=True hid it, so nobody got the mail."""
    leader = make_user("group_leader", units=[unit("TDP-01")], email="tt1@phominh.local")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.report_returned(returned_report)
    sent = next(m for m in mail.outbox if "tt1@phominh.local" in m.to)
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert sent.subject.endswith("bị trả lại: Thiếu số hộ nghèo. Bổ sung số hộ mới.")
    assert "Thiếu số hộ nghèo.\r\nBổ sung số hộ mới." in sent.body
    assert sent.message()["Subject"]  # the header Django builds is valid
    assert Notification.objects.get(user=leader).mail_failed_at is None


def test_the_subject_is_one_line_and_cut(make_user):
    assert notifications.mail_subject("Một\ndòng\t\r\nthôi  ") == "Một dòng thôi"
    assert len(notifications.mail_subject("dài " * 100)) == notifications.SUBJECT_LENGTH


class RefusingBackend:
    """A mail server that refuses one address and takes the others."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            if "tu-choi" in message.to[0]:
                raise ConnectionRefusedError("máy chủ thư từ chối kết nối")
            mail.outbox.append(message)
        return len(messages)


class SilentBackend(RefusingBackend):
    """A backend that accepts nothing and says so only by its count."""

    def send_messages(self, messages):
        return 0


def test_a_mail_that_fails_is_logged_and_shown_to_the_office(
    client, make_user, returned_report, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_notification_mail.RefusingBackend"
    refused = make_user("group_leader", units=[unit("TDP-01")], email="tu-choi@phominh.local")
    reached = make_user("official", units=[unit("TDP-01")], email="canbo-moi@phominh.local")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.report_returned(returned_report)
    # The other person's mail still went out.
    recipients = [m.to for m in mail.outbox]
    assert ["canbo-moi@phominh.local"] in recipients and ["tu-choi@phominh.local"] not in recipients
    note = Notification.objects.get(user=refused)
    assert note.mail_failed_at is not None and "ConnectionRefusedError" in note.mail_error
    assert Notification.objects.get(user=reached).mail_failed_at is None
    assert any(
        r.levelname == "ERROR" and "tu-choi@phominh.local" in r.getMessage() and r.exc_info
        for r in caplog.records
    )
    entry = ActionLog.objects.get(action="indicators.notification.mail_failed")
    assert entry.object_id == note.pk and entry.data["to"] == "tu-choi@phominh.local"

    client.force_login(make_user("office"))
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="failed-mails"' in page
    assert "tu-choi@phominh.local" in page and "máy chủ thư từ chối kết nối" in page
    # Whom the mail missed is for the office and leadership; the leader sees his own notification only.
    client.force_login(refused)
    page = client.get(reverse("notifications")).content.decode()
    assert "Thiếu số hộ nghèo" in page and 'data-testid="failed-mails"' not in page


def test_a_mail_the_backend_did_not_take_counts_as_failed(
    make_user, returned_report, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_notification_mail.SilentBackend"
    leader = make_user("group_leader", units=[unit("TDP-01")], email="tt1@phominh.local")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.report_returned(returned_report)
    assert Notification.objects.get(user=leader).mail_error == "Máy chủ thư không nhận thư."


def test_the_office_sees_when_every_mail_went_out(client, demo, make_user):
    client.force_login(make_user("office"))
    assert 'data-testid="failed-mails-none"' in client.get(reverse("notifications")).content.decode()
