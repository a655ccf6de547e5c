"""Reminders (issue 16): in the portal and by mail, each with the link to the unit's form; never for a
quarter nobody can send any more; the completeness page says when each unit was last reminded and asks
before reminding it again."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import ActionLog, Notification, Report, ReportingPeriod

from .reporting import entry_url, group_payload, open_quarter, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")], email="tt1@phominh.local"),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")], email="tt2@phominh.local"),
        "official": make_user("official", units=[unit("TDP-03"), unit("TDP-04")], email="cb@phominh.local"),
        "office": make_user("office", units=[unit("VP-TK")]),
    }


def remind(client, **data):
    return client.post(reverse("period-remind", args=[2024, 4]), data)


def test_a_reminder_reaches_the_portal_and_the_mail_with_the_forms_link(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    client.force_login(people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client)
    assert response.status_code == 302
    note = Notification.objects.get(user=people["other_leader"])
    assert note.kind == "reminder" and note.url == entry_url("TDP-02")
    assert "Tổ dân phố 2" in note.text and "Quý IV/2024" in note.text
    # An official behind in two units: one notification, to his list, the mail linking to both forms.
    both = Notification.objects.get(user=people["official"])
    assert both.url == reverse("report-list")
    sent = {m.to[0]: m for m in mail.outbox}
    # A mail has no page to be relative to: its links start with the portal's public address.
    site = settings.PHOMINH_PUBLIC_URL
    assert site + entry_url("TDP-03") in sent["cb@phominh.local"].body
    assert site + entry_url("TDP-04") in sent["cb@phominh.local"].body
    assert site + entry_url("TDP-02") in sent["tt2@phominh.local"].body
    # TDP-01 has sent its quarter: its leader is not reminded.
    assert "tt1@phominh.local" not in sent
    assert not Notification.objects.filter(user=people["leader"], kind="reminder").exists()


def test_the_page_shows_the_last_reminder_and_asks_before_reminding_again(client, people):
    client.force_login(people["office"])
    page = client.get(reverse("completeness", args=[2024, 4])).content.decode()
    assert 'data-testid="last-reminded"' not in page and 'name="again"' not in page
    assert "data-confirm=" in page  # the first reminder asks too (static/js/confirm-step.js)
    assert remind(client).status_code == 302

    page = client.get(reverse("completeness", args=[2024, 4])).content.decode()
    at = timezone.localtime(ActionLog.objects.get(action="indicators.period.reminded").at)
    stamp = at.strftime("%H:%M %d/%m/%Y")
    assert f"Đã nhắc lần cuối lúc {stamp}" in page
    row = page[page.index('data-unit="TDP-02"') :]
    assert stamp in row[: row.index("</tr>")]
    assert 'name="again" value="1"' in page and "Nhắc lại" in page

    # A post without the confirmation (a page opened before the first reminder): asked, not sent.
    before = Notification.objects.filter(kind="reminder").count()
    response = remind(client)
    assert response.status_code == 409
    assert "Xác nhận bên dưới nếu muốn nhắc lại" in response.content.decode()
    assert Notification.objects.filter(kind="reminder").count() == before
    # Confirmed: reminded again, a new notification each.
    assert remind(client, again="1").status_code == 302
    assert Notification.objects.filter(user=people["other_leader"], kind="reminder").count() == 2


@pytest.mark.parametrize("closed", ["locked", "past_deadline"])
def test_never_a_reminder_for_a_closed_quarter(client, people, closed):
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    if closed == "locked":
        period.is_locked = True
    else:
        period.deadline = timezone.localdate() - timedelta(days=1)
    period.save()
    client.force_login(people["office"])
    page = client.get(reverse("completeness", args=[2024, 4])).content.decode()
    assert 'data-testid="remind-closed"' in page and 'data-testid="remind"' not in page
    response = remind(client)
    assert response.status_code == 409
    text = response.content.decode()
    assert ("Kỳ báo cáo đã khóa" in text) if closed == "locked" else ("Đã quá hạn nộp" in text)
    assert not Notification.objects.filter(kind="reminder").exists()
    assert not ActionLog.objects.filter(action="indicators.period.reminded").exists()


def test_a_reopened_report_in_a_closed_quarter_is_the_only_one_reminded(client, people):
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    period.deadline = timezone.localdate() - timedelta(days=1)
    period.save()
    services.reopen_report(
        unit=unit("TDP-02"),
        period=period,
        user=people["office"],
        reason="Bổ sung số hộ",
        until=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(people["office"])
    assert remind(client).status_code == 302
    reminded = set(Notification.objects.filter(kind="reminder").values_list("user", flat=True))
    tdp02 = set(unit("TDP-02").people.values_list("user", flat=True))
    assert people["other_leader"].pk in reminded and reminded <= tdp02
    assert people["official"].pk not in reminded


def test_approved_units_are_never_reminded(client, people):
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    Report.objects.create(unit=unit("TDP-02"), period=period, status=Report.Status.APPROVED)
    client.force_login(people["office"])
    remind(client)
    assert not Notification.objects.filter(user=people["other_leader"]).exists()


def test_the_daily_deadline_reminder_links_to_the_form_and_is_shown_as_the_last(client, people):
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    period.deadline = timezone.localdate() + timedelta(days=3)
    period.save()
    call_command("send_reminders", verbosity=0)
    note = Notification.objects.get(user=people["other_leader"], kind="deadline")
    assert note.url == entry_url("TDP-02") and "Còn 3 ngày" in note.text
    client.force_login(people["office"])
    page = client.get(reverse("completeness", args=[2024, 4])).content.decode()
    assert 'data-testid="last-reminded"' in page


def test_only_the_office_reminds(client, people):
    client.force_login(people["leader"])
    assert remind(client).status_code == 403
    assert not Notification.objects.filter(kind="reminder").exists()
