"""In-app notifications, and the same text by e-mail through Django's mail backend.

`notify()` is idempotent per (user, key): the daily command and the workflow steps may run again
without reminding anybody twice about the same thing.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import Notification, Profile, Report, ReportingPeriod, Unit


def notify(users, *, kind: str, text: str, url: str = "", key: str, email: bool = True) -> int:
    """Create one notification per user for this key (skipping those who already have it)."""
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
        subject = Truncator(text).chars(150)
        mails = [
            (subject, f"{text}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [u.email]) for u in fresh if u.email
        ]
        if mails:
            transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(fresh)


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
    url = reverse("report-entry", args=[report.period.plan.year, report.period.quarter, report.unit.code])
    notify(
        people_of([report.unit]),
        kind=Notification.Kind.REPORT_RETURNED,
        text=_("Báo cáo %(p)s của %(u)s bị trả lại: %(r)s")
        % {"p": report.period, "u": report.unit, "r": report.return_reason},
        url=url,
        key=f"report-returned:{report.pk}:{report.version}",
    )


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


def period_reminders(*, today: date | None = None) -> int:
    """Daily: a period that opens today, and a deadline in three days for units that have not submitted."""
    today = today or timezone.localdate()
    sent = 0
    reporting_units = Unit.objects.filter(assignments__isnull=False).distinct()
    for period in ReportingPeriod.objects.select_related("plan").filter(opens_on=today, is_locked=False):
        sent += notify(
            people_of(reporting_units.filter(assignments__element__plan=period.plan)),
            kind=Notification.Kind.PERIOD_OPEN,
            text=_("Đã mở nhập số liệu %(p)s, hạn nộp %(d)s.")
            % {"p": period, "d": period.deadline.strftime("%d/%m/%Y")},
            url=reverse("report-list"),
            key=f"period-open:{period.pk}",
        )
    soon = today + timedelta(days=3)
    for period in ReportingPeriod.objects.select_related("plan").filter(is_locked=False):
        if period.effective_deadline != soon:
            continue
        done = Report.objects.filter(
            period=period, status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED]
        ).values_list("unit_id", flat=True)
        pending = reporting_units.filter(assignments__element__plan=period.plan).exclude(pk__in=done)
        sent += notify(
            people_of(pending),
            kind=Notification.Kind.DEADLINE,
            text=_("Còn 3 ngày đến hạn nộp số liệu %(p)s (%(d)s).")
            % {"p": period, "d": soon.strftime("%d/%m/%Y")},
            url=reverse("report-list"),
            key=f"deadline:{period.pk}:{soon.isoformat()}",
        )
    return sent
