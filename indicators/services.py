"""Write-side of quarterly reporting: every change of a figure or a status goes through here.

Each function runs in one transaction, locks the report row, re-checks the current state, raises a
`ReportError` with a Vietnamese message when the step is not allowed, and leaves an audit trail
(ValueChange for figures, ActionLog for workflow steps).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, permissions
from .audit import log_action
from .models import (
    DataElement,
    Notification,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    Unit,
    ValueChange,
)


class ReportError(Exception):
    """A workflow step that is not allowed now; the message is shown to the user as it is."""


class ConflictError(ReportError):
    """Somebody saved the report after this user loaded it."""


@dataclass(frozen=True)
class Entry:
    value: Decimal | None
    comment: str = ""


def get_report(*, unit: Unit, period: ReportingPeriod) -> Report | None:
    return Report.objects.filter(unit=unit, period=period).first()


def _locked_report(*, unit: Unit, period: ReportingPeriod) -> Report:
    """The report row, created if missing, locked until the end of the transaction.

    A new report starts at version 0, the version a form shows for a report that does not exist yet, so
    that two people starting the same report at once are told about each other too.
    """
    Report.objects.get_or_create(unit=unit, period=period, defaults={"version": 0})
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(unit=unit, period=period)
    )


def stale_message(report: Report) -> str:
    """What a page posted from an older version of the report is told (a save, a review, a reopen)."""
    return _(
        "Báo cáo vừa được người khác cập nhật (lúc %(at)s). Số liệu bạn nhập CHƯA được lưu: "
        "hãy xem lại số liệu mới nhất bên dưới rồi lưu lại."
    ) % {"at": timezone.localtime(report.updated_at or timezone.now()).strftime("%H:%M %d/%m/%Y")}


def _check_version(report: Report, version: int | None) -> None:
    """`version` is the one the user's page showed; None only where no page was shown (scripts)."""
    if version is not None and report.version != version:
        raise ConflictError(stale_message(report))


def save_values(
    *,
    unit: Unit,
    period: ReportingPeriod,
    user,
    entries: dict[DataElement, Entry],
    version: int | None,
    source: str = ValueChange.Source.FORM,
    reason: str = "",
    today: date | None = None,
) -> tuple[Report, int]:
    """Save a unit's figures for a quarter as a draft; returns the report and how many figures changed.

    The number of queries does not grow with the number of figures: values are read once and written
    with bulk_create / bulk_update / one delete, and the audit rows with one bulk_create.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        report = _locked_report(unit=unit, period=period)
        _check_version(report, version)
        if not permissions.can_edit_report(user, report, today=today):
            raise ReportError(permissions.edit_refusal(user, report, today=today))
        assigned = set(
            unit.assignments.filter(element__plan=period.plan).values_list("element_id", flat=True)
        )
        stray = [e.code for e in entries if e.pk not in assigned]
        if stray:
            raise ReportError(
                _("Đơn vị không được phân công báo cáo: %(codes)s.") % {"codes": ", ".join(stray)}
            )
        existing = {v.element_id: v for v in report.values.all()}
        create, update, delete, changes = [], [], [], []
        if report.reopened_until and source == ValueChange.Source.FORM:
            source = ValueChange.Source.REOPEN
        now = timezone.now()
        for element, entry in entries.items():
            current = existing.get(element.pk)
            old_value = current.value if current else None
            old_comment = current.comment if current else ""
            if old_value == entry.value and (entry.value is None or old_comment == entry.comment):
                continue
            if entry.value is None:
                delete.append(current.pk)
            elif current is None:
                create.append(
                    ReportedValue(report=report, element=element, value=entry.value, comment=entry.comment)
                )
            else:
                current.value, current.comment = entry.value, entry.comment
                update.append(current)
            changes.append(
                ValueChange(
                    report=report,
                    element=element,
                    old_value=old_value,
                    new_value=entry.value,
                    old_comment=old_comment,
                    new_comment=entry.comment if entry.value is not None else "",
                    user=user,
                    changed_at=now,
                    source=source,
                    reason=reason,
                )
            )
        if create:
            ReportedValue.objects.bulk_create(create)
        if update:
            ReportedValue.objects.bulk_update(update, ["value", "comment"])
        if delete:
            ReportedValue.objects.filter(pk__in=delete).delete()
        if changes:
            ValueChange.objects.bulk_create(changes)
            report.version += 1
            if report.status == Report.Status.RETURNED:
                report.status = Report.Status.DRAFT
            report.save(update_fields=["version", "status", "updated_at"])
        return report, len(changes)


def submit_report(*, report: Report, user, version: int | None = None, today: date | None = None) -> Report:
    """Draft (or returned) → submitted; every assigned figure filled, every unusual one explained."""
    from .validation import check_report

    today = today or timezone.localdate()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("period", "unit").get(pk=report.pk)
        )
        _check_version(report, version)
        if not permissions.can_edit_report(user, report, today=today):
            raise ReportError(permissions.edit_refusal(user, report, today=today))
        elements = list(
            DataElement.objects.filter(assignments__unit=report.unit, plan=report.period.plan)
            .prefetch_related("terms__target__terms")
            .order_by("order")
        )
        values = {v.element_id: v for v in report.values.all()}
        missing = [e.name for e in elements if e.pk not in values]
        if missing:
            raise ReportError(_("Chưa nhập đủ số liệu: %(names)s.") % {"names": "; ".join(missing)})
        issues = check_report(
            elements=elements,
            values={pk: v.value for pk, v in values.items()},
            previous=previous_values(unit=report.unit, period=report.period),
        )
        if issues.errors:
            raise ReportError(_("Số liệu còn lỗi, chưa gửi được. Hãy sửa các ô được đánh dấu."))
        unexplained = [
            e.name for e in elements if e.pk in issues.warnings and not values[e.pk].comment.strip()
        ]
        if unexplained:
            raise ReportError(
                _("Cần ghi chú lý do cho số liệu bất thường trước khi gửi: %(names)s.")
                % {"names": "; ".join(unexplained)}
            )
        report.status = Report.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
        report.reopened_until = None
        report.version += 1
        report.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_by",
                "reopened_until",
                "version",
                "updated_at",
            ]
        )
        log_action(report, "indicators.report.submitted", user, {"version": report.version})
        return report


def approve_report(*, report: Report, user, version: int | None = None) -> Report:
    """Submitted → approved, by a reviewer who neither submitted it nor typed its figures (four eyes),
    and only the version the reviewer was shown: figures changed since are a conflict."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("period", "unit").get(pk=report.pk)
        )
        _check_version(report, version)
        if not permissions.can_review_report(user, report):
            raise ReportError(permissions.review_refusal(user, report))
        report.status = Report.Status.APPROVED
        report.reviewed_at, report.reviewed_by = timezone.now(), user
        report.return_reason = ""
        report.version += 1
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "return_reason", "version", "updated_at"]
        )
        log_action(report, "indicators.report.approved", user)
        notifications.report_approved(report)
        return report


def return_report(*, report: Report, user, reason: str, version: int | None = None) -> Report:
    """Submitted → returned with a reason; the same reviewers and the same version check as approval."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_("Phải ghi lý do trả lại."))
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("period", "unit").get(pk=report.pk)
        )
        _check_version(report, version)
        if not permissions.can_review_report(user, report):
            raise ReportError(permissions.review_refusal(user, report))
        report.status = Report.Status.RETURNED
        report.reviewed_at, report.reviewed_by = timezone.now(), user
        report.return_reason = reason
        report.version += 1
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "return_reason", "version", "updated_at"]
        )
        log_action(report, "indicators.report.returned", user, {"reason": reason})
        notifications.report_returned(report)
        return report


def reopen_report(
    *, unit: Unit, period: ReportingPeriod, user, reason: str, until: date, version: int | None = None
) -> Report:
    """The office reopens one report (even in a locked or closed period) until a date, with a reason,
    from the version it was shown."""
    reason = (reason or "").strip()
    if not permissions.can_reopen(user):
        raise ReportError(_("Chỉ Văn phòng - Thống kê được mở lại báo cáo."))
    if not reason:
        raise ReportError(_("Phải ghi lý do mở lại."))
    if until < timezone.localdate():
        raise ReportError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
    with transaction.atomic():
        report = _locked_report(unit=unit, period=period)
        _check_version(report, version)
        before = report.status
        report.status = Report.Status.DRAFT
        report.reopened_until = until
        report.version += 1
        report.save(update_fields=["status", "reopened_until", "version", "updated_at"])
        log_action(
            report,
            "indicators.report.reopened",
            user,
            {"reason": reason, "until": until.isoformat(), "status_before": before},
        )
        return report


def set_period_lock(*, period: ReportingPeriod, user, locked: bool, reason: str = "") -> ReportingPeriod:
    if not permissions.can_reopen(user):
        raise ReportError(_("Chỉ Văn phòng - Thống kê được khóa, mở khóa kỳ báo cáo."))
    if not locked and not (reason or "").strip():
        raise ReportError(_("Phải ghi lý do mở khóa."))
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        period.is_locked = locked
        period.save(update_fields=["is_locked"])
        log_action(
            period,
            "indicators.period.locked" if locked else "indicators.period.unlocked",
            user,
            {"reason": reason},
        )
        return period


def extend_period(*, period: ReportingPeriod, user, until: date, reason: str) -> ReportingPeriod:
    """Reopen a period past its deadline for everyone, until a date."""
    if not permissions.can_reopen(user):
        raise ReportError(_("Chỉ Văn phòng - Thống kê được gia hạn kỳ báo cáo."))
    if not (reason or "").strip():
        raise ReportError(_("Phải ghi lý do gia hạn."))
    if until < timezone.localdate():
        raise ReportError(_("Ngày gia hạn phải từ hôm nay trở đi."))
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        period.reopened_until = until
        period.save(update_fields=["reopened_until"])
        log_action(period, "indicators.period.reopened", user, {"reason": reason, "until": until.isoformat()})
        return period


class PaceError(Exception):
    """A pace profile that cannot be set; the message is for the user."""


def _percent_text(values) -> list[str] | None:
    """Percents for the audit log, without the column's trailing zeros: "50", "37.5"."""
    if values is None:
        return None
    texts = [f"{Decimal(v):f}" for v in values]
    return [t.rstrip("0").rstrip(".") if "." in t else t for t in texts]


def set_pace(
    *, target: Target, user, percents: tuple[Decimal, Decimal, Decimal] | None, reason: str
) -> Target:
    """Set (or with None, clear) the percent of a flow's yearly figure expected after quarters I-III.

    Only the office sets it, only for a flow with a yearly figure, with the reason on record: the
    profile moves every status of the target, so the old and new profiles go to the audit log.
    """
    if not permissions.can_manage_plan(user):
        raise PaceError(_("Chỉ Văn phòng - Thống kê được đặt tiến độ theo quý."))
    if target.kind != Target.Kind.FLOW or target.target_value is None:
        raise PaceError(_("Chỉ đặt tiến độ theo quý cho chỉ tiêu cộng dồn theo quý."))
    if not (reason or "").strip():
        raise PaceError(_("Phải ghi lý do điều chỉnh."))
    if percents is not None:
        if len(percents) != 3 or any(p is None or p < 0 or p > 100 for p in percents):
            raise PaceError(_("Mỗi mức phải từ 0 đến 100 %."))
        if not percents[0] <= percents[1] <= percents[2]:
            raise PaceError(_("Tiến độ cộng dồn không thể giảm từ quý trước sang quý sau."))
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = target.pace_profile
        target.pace_q1, target.pace_q2, target.pace_q3 = (
            percents if percents is not None else (None, None, None)
        )
        target.revised_at = timezone.now()
        target.save(update_fields=["pace_q1", "pace_q2", "pace_q3", "revised_at"])
        log_action(
            target,
            "indicators.target.pace_set",
            user,
            {
                "reason": reason.strip(),
                "before": _percent_text(before[:3] if before else None),
                "after": _percent_text(percents),
            },
        )
        return target


def previous_values(*, unit: Unit, period: ReportingPeriod) -> dict[int, Decimal]:
    """The unit's figures of the quarter before (empty for quarter I: last year is another plan)."""
    if period.quarter == 1:
        return {}
    return dict(
        ReportedValue.objects.filter(
            report__unit=unit, report__period__plan=period.plan, report__period__quarter=period.quarter - 1
        ).values_list("element_id", "value")
    )


def send_reminders(*, period: ReportingPeriod, user, today: date | None = None) -> tuple[int, int]:
    """The office reminds the units that still owe this quarter: a notification in the portal and a
    mail, each with the link to the unit's form. Refused for a quarter nobody can report any more.
    Returns (people reminded, units)."""
    if not permissions.can_reopen(user):
        raise ReportError(_("Chỉ Văn phòng - Thống kê được gửi nhắc nhở."))
    today = today or timezone.localdate()
    if period.is_locked:
        raise ReportError(_("Kỳ báo cáo đã khóa: không gửi nhắc nhở."))
    units = notifications.units_to_remind(period, today)
    if not units:
        if today > period.effective_deadline:
            raise ReportError(
                _(
                    "Đã quá hạn nộp (%(d)s) và chưa gia hạn: không gửi nhắc nhở. Muốn nhận thêm báo cáo, hãy gia hạn."
                )
                % {"d": period.effective_deadline.strftime("%d/%m/%Y")}
            )
        if today < period.opens_on:
            raise ReportError(
                _("Kỳ báo cáo chưa mở (mở từ %(d)s): chưa gửi nhắc nhở.")
                % {"d": period.opens_on.strftime("%d/%m/%Y")}
            )
        raise ReportError(_("Mọi đơn vị đã gửi báo cáo: không còn ai để nhắc."))
    with transaction.atomic():
        entry = log_action(period, notifications.REMINDED, user, {"units": [u.code for u in units]})
        people = notifications.remind_units(
            period=period,
            units=units,
            kind=Notification.Kind.REMINDER,
            text=_("Nhắc nộp báo cáo %(period)s: %(units)s chưa gửi số liệu. Hạn nộp %(deadline)s."),
            key=f"remind:{period.pk}:{entry.pk}",
        )
        entry.data["people"] = people
        entry.save(update_fields=["data"])
    return people, len(units)
