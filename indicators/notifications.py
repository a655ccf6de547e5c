"""In-app notifications, and the same text by e-mail through Django's mail backend.

`notify()` is idempotent per (user, key): the daily command and the workflow steps may run again
without reminding anybody twice about the same thing. A mail that cannot be sent is never dropped in
silence: it is logged, marked on its notification (shown to the office on its notifications page) and
written to the action log.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .audit import log_action
from .models import Notification, Profile, Report, ReportingPeriod, Unit

logger = logging.getLogger(__name__)
SUBJECT_LENGTH = 150


def notify(
    users, *, kind: str, text: str, url: str = "", key: str, email: bool = True, body: str = ""
) -> int:
    """Create one notification per user for this key (skipping those who already have it).

    `body` is the mail's text when it says more than the in-app line (a reminder lists each unit's
    form); by default the mail is the line and its link."""
    users = [u for u in users if u is not None]
    if not users:
        return 0
    already = set(Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True))
    fresh = [u for u in users if u.pk not in already]
    # The in-app line and the mail's subject are cut to the column's length (a return reason may be
    # long); the mail's body keeps the whole text.
    short = Truncator(text).chars(Notification._meta.get_field("text").max_length)
    Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, text=short, url=url, key=key) for u in fresh], ignore_conflicts=True
    )
    if email:
        recipients = [u.pk for u in fresh if u.email]
        if recipients:
            subject = mail_subject(text)
            body = body or (f"{text}\n\n{absolute_url(url)}" if url else text)
            transaction.on_commit(
                lambda: send_mails(key=key, user_ids=recipients, subject=subject, body=body)
            )
    return len(fresh)


def absolute_url(path: str) -> str:
    """A portal path as a mail can carry it: PHOMINH_PUBLIC_URL in front (a mail has no page to be
    relative to)."""
    return settings.PHOMINH_PUBLIC_URL + path if path.startswith("/") else path


def mail_subject(text: str) -> str:
    """One line (a mail header may hold no line break: a reason typed on two lines would otherwise stop
    the mail), cut to a readable length."""
    return Truncator(" ".join(text.split())).chars(SUBJECT_LENGTH)


def send_mails(*, key: str, user_ids: list[int], subject: str, body: str) -> int:
    """Send the notification `key` by mail to each of these users, one message each; return how many went.

    Runs after the commit that created the notifications. Each failure is logged with its cause and
    marked on that person's notification, so the office sees who was not reached.
    """
    from campaigns.identity import ward_text

    notes = Notification.objects.filter(key=key, user_id__in=user_ids).select_related("user")
    # Signed by the ward's office, as the portal's identity names it (nothing without one).
    sender = ward_text("office_full_name")
    body = f"{body}\n\n-- \n{sender}" if sender else body
    connection = get_connection()
    sent = 0
    for note in notes:
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [note.user.email], connection=connection
        )
        try:
            delivered = message.send()
        except Exception as error:  # any backend error: SMTP refused, a bad header, a network failure
            logger.exception("Notification mail %s to %s was not sent", key, note.user.email)
            _mail_failed(note, f"{type(error).__name__}: {error}")
            continue
        if delivered:
            sent += 1
        else:
            logger.error("Notification mail %s to %s was not accepted by the backend", key, note.user.email)
            _mail_failed(note, _("Máy chủ thư không nhận thư."))
    return sent


def _mail_failed(note: Notification, error: str) -> None:
    error = Truncator(" ".join(error.split())).chars(Notification._meta.get_field("mail_error").max_length)
    note.mail_failed_at = timezone.now()
    note.mail_error = error
    note.save(update_fields=["mail_failed_at", "mail_error"])
    log_action(note, "indicators.notification.mail_failed", None, {"to": note.user.email, "error": error})


def failed_mails():
    """Notifications whose mail did not go out, newest first (for the office)."""
    return (
        Notification.objects.filter(mail_failed_at__isnull=False)
        .select_related("user")
        .order_by("-mail_failed_at", "-pk")
    )


def people_of(units) -> list:
    """Users who work for these units (leaders of a group, officials serving it)."""
    profiles = Profile.objects.filter(units__in=units).select_related("user").distinct()
    return [p.user for p in profiles if p.user.is_active]


def office_users() -> list:
    return [
        p.user
        for p in Profile.objects.filter(role=Profile.Role.OFFICE).select_related("user")
        if p.user.is_active
    ]


def report_returned(report: Report) -> None:
    url = entry_path(report.period, report.unit)
    notify(
        people_of([report.unit]),
        kind=Notification.Kind.REPORT_RETURNED,
        text=_("Báo cáo %(p)s của %(u)s bị trả lại: %(r)s")
        % {"p": report.period, "u": report.unit, "r": report.return_reason},
        url=url,
        key=f"report-returned:{report.pk}:{report.version}",
    )


def report_approved(report: Report) -> None:
    """The unit's people hear that their quarter was approved, as they hear of a return."""
    notify(
        people_of([report.unit]),
        kind=Notification.Kind.REPORT_APPROVED,
        text=_("Báo cáo %(p)s của %(u)s đã được duyệt.") % {"p": report.period, "u": report.unit},
        url=entry_path(report.period, report.unit),
        key=f"report-approved:{report.pk}:{report.version}",
    )


def entry_path(period: ReportingPeriod, unit: Unit) -> str:
    return reverse("report-entry", args=[period.plan.year, period.quarter, unit.code])


def remind_units(*, period: ReportingPeriod, units, kind: str, text: str, key: str) -> int:
    """One notification (and mail) per person of these units, linking to the form of his unit (to his
    list of quarters when several of his units are behind); `text` is formatted with `units`, `period`
    and `deadline`. Returns how many people were reminded."""
    units = list(units)
    if not units:
        return 0
    unit_ids = {u.pk for u in units}
    profiles = (
        Profile.objects.filter(units__in=units, user__is_active=True)
        .select_related("user")
        .prefetch_related("units")
        .distinct()
    )
    deadline = period.effective_deadline.strftime("%d/%m/%Y")
    sent = 0
    for profile in profiles:
        mine = [u for u in profile.units.all() if u.pk in unit_ids]
        if not mine:
            continue
        line = text % {"units": ", ".join(u.name for u in mine), "period": period, "deadline": deadline}
        url = entry_path(period, mine[0]) if len(mine) == 1 else reverse("report-list")
        links = "\n".join(f"- {u.name}: {absolute_url(entry_path(period, u))}" for u in mine)
        sent += notify(
            [profile.user],
            kind=kind,
            text=line,
            url=url,
            key=key,
            body=f"{line}\n\n{links}",
        )
    return sent


def pledge_submitted(pledge) -> None:
    url = reverse("pledge-detail", args=[pledge.plan.year, pledge.unit.code])
    notify(
        office_users(),
        kind=Notification.Kind.PLEDGE_TO_ACKNOWLEDGE,
        text=_("%(u)s đã gửi bản đăng ký thi đua năm %(y)s, chờ tiếp nhận.")
        % {"u": pledge.unit, "y": pledge.plan.year},
        url=url,
        key=f"pledge-submitted:{pledge.pk}:{pledge.version}",
    )


def units_to_remind(period: ReportingPeriod, today: date) -> list[Unit]:
    """The units that still owe this quarter and can still send it today: not submitted or approved,
    and entry open (the period open, or the office reopened the unit's report). Nobody is reminded of a
    quarter he can no longer report: locked, past its deadline without extension, or approved."""
    units = list(
        Unit.objects.filter(assignments__element__plan=period.plan).distinct().order_by("order", "name")
    )
    reports = {r.unit_id: r for r in Report.objects.filter(period=period)}
    done = (Report.Status.SUBMITTED, Report.Status.APPROVED)
    period_open = period.is_open_on(today)
    out = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is not None and report.status in done:
            continue
        reopened = report is not None and report.reopened_until is not None and today <= report.reopened_until
        if period_open or reopened:
            out.append(unit)
    return out


REMINDED = "indicators.period.reminded"


def last_reminded(period: ReportingPeriod) -> dict[str, object]:
    """unit code → when its people were last reminded of this quarter (by the office or the daily
    command), read from the action log in one query."""
    from django.contrib.contenttypes.models import ContentType

    from .models import ActionLog

    out: dict[str, object] = {}
    entries = ActionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ReportingPeriod), object_id=period.pk, action=REMINDED
    ).order_by("at", "pk")
    for entry in entries:
        for code in (entry.data or {}).get("units", []):
            out[code] = entry.at
    return out


def period_reminders(*, today: date | None = None) -> int:
    """Daily: a period that opens today, and a deadline in three days for units that have not submitted.

    Each person hears once, with a link to his unit's form; a quarter that is closed (locked, past its
    deadline, the unit's report submitted or approved) reminds nobody. The deadline reminder is written
    to the period's action log, so the completeness page shows it as the units' last reminder."""
    today = today or timezone.localdate()
    sent = 0
    for period in ReportingPeriod.objects.select_related("plan").filter(opens_on=today, is_locked=False):
        sent += remind_units(
            period=period,
            units=units_to_remind(period, today),
            kind=Notification.Kind.PERIOD_OPEN,
            text=_("Đã mở nhập số liệu %(period)s cho %(units)s, hạn nộp %(deadline)s."),
            key=f"period-open:{period.pk}",
        )
    soon = today + timedelta(days=3)
    for period in ReportingPeriod.objects.select_related("plan").filter(is_locked=False):
        if period.effective_deadline != soon:
            continue
        pending = units_to_remind(period, today)
        reached = remind_units(
            period=period,
            units=pending,
            kind=Notification.Kind.DEADLINE,
            text=_("Còn 3 ngày đến hạn nộp số liệu %(period)s (%(deadline)s): %(units)s chưa gửi."),
            key=f"deadline:{period.pk}:{soon.isoformat()}",
        )
        if reached:
            log_action(period, REMINDED, None, {"units": [u.code for u in pending], "people": reached})
        sent += reached
    return sent
