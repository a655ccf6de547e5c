"""Who may see and change what, in one place (DOMAIN.md §3).

Views and templates ask these functions; querysets are scoped with the `*_visible_to` helpers so that a
forgotten check shows nothing rather than everything.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from .models import ActionLog, Profile, Report, Unit, ValueChange

Role = Profile.Role
ENTERING_ROLES = {Role.OFFICE, Role.OFFICIAL, Role.GROUP_LEADER}
REVIEWING_ROLES = {Role.LEADERSHIP, Role.OFFICE}


def role_of(user) -> str | None:
    """The user's portal role, or None for anonymous users and accounts without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return None


def has_role(user) -> bool:
    return role_of(user) is not None


def can_view_plan(user) -> bool:
    """Every person with a role reads the plan; accounts without a role see nothing."""
    return has_role(user)


def can_manage_plan(user) -> bool:
    return role_of(user) in {Role.OFFICE, Role.ADMIN}


def sees_all_units(user) -> bool:
    return role_of(user) in {Role.LEADERSHIP, Role.OFFICE, Role.ADMIN, Role.COUNCIL}


def own_unit_ids(user) -> set[int]:
    """The units the user works for (his group, or the units an official serves), cached per request."""
    if not has_role(user):
        return set()
    cached = getattr(user, "_own_unit_ids", None)
    if cached is None:
        cached = set(user.profile.units.values_list("pk", flat=True))
        user._own_unit_ids = cached
    return cached


def units_visible_to(user) -> QuerySet[Unit]:
    if sees_all_units(user):
        return Unit.objects.all()
    if has_role(user):
        return Unit.objects.filter(pk__in=own_unit_ids(user))
    return Unit.objects.none()


def units_for_entry(user) -> QuerySet[Unit]:
    """Units whose figures the user enters: his own units, for the roles that enter figures."""
    if role_of(user) in ENTERING_ROLES:
        return Unit.objects.filter(pk__in=own_unit_ids(user))
    return Unit.objects.none()


def reports_visible_to(user) -> QuerySet[Report]:
    if sees_all_units(user):
        return Report.objects.all()
    if has_role(user):
        return Report.objects.filter(unit_id__in=own_unit_ids(user))
    return Report.objects.none()


def can_view_unit_reports(user, unit: Unit) -> bool:
    return sees_all_units(user) or unit.pk in own_unit_ids(user)


def report_is_open(report: Report, today: date) -> bool:
    """Figures may change while the period is open, or while the office has reopened this report."""
    if report.reopened_until and today <= report.reopened_until:
        return True
    return report.period.is_open_on(today)


def can_edit_report(user, report: Report, *, today: date) -> bool:
    return (
        role_of(user) in ENTERING_ROLES
        and report.unit_id in own_unit_ids(user)
        and report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
        and report_is_open(report, today)
    )


def edit_refusal(user, report: Report, *, today: date) -> str:
    """Why can_edit_report said no, in words for the user."""
    if role_of(user) not in ENTERING_ROLES or report.unit_id not in own_unit_ids(user):
        return _("Bạn không được nhập số liệu cho đơn vị này.")
    if report.status == Report.Status.SUBMITTED:
        return _("Báo cáo đã gửi, đang chờ duyệt: không sửa được nữa.")
    if report.status == Report.Status.APPROVED:
        return _("Báo cáo đã được duyệt. Muốn sửa, đề nghị Văn phòng - Thống kê mở lại.")
    if report.period.is_locked:
        return _("Kỳ báo cáo đã khóa. Muốn sửa, đề nghị Văn phòng - Thống kê mở lại.")
    if today < report.period.opens_on:
        return _("Kỳ báo cáo chưa mở (mở từ %(d)s).") % {"d": report.period.opens_on.strftime("%d/%m/%Y")}
    return _("Đã quá hạn nộp (%(d)s). Muốn sửa, đề nghị Văn phòng - Thống kê mở lại.") % {
        "d": report.period.effective_deadline.strftime("%d/%m/%Y")
    }


# A review cycle starts when the report is returned or reopened: the figures changed since then are
# the ones the next review approves.
REVIEW_CYCLE_ACTIONS = ("indicators.report.returned", "indicators.report.reopened")


def reports_typed_by(user, report_ids: Iterable[int]) -> set[int]:
    """The reports (of `report_ids`) in which `user` entered or changed a figure in the current review
    cycle, i.e. since the report was last returned or reopened (ever, if it never was). One query.

    Read from the audit trail (ValueChange), so every way of writing a figure counts: the form, the
    Excel import, a reopened report, the admin.
    """
    ids = [pk for pk in report_ids if pk]
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    cycle_start = (
        ActionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Report),
            object_id=OuterRef("report_id"),
            action__in=REVIEW_CYCLE_ACTIONS,
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    # `>=`: a change logged in the same instant as the return is counted, never excused.
    return set(
        ValueChange.objects.filter(report_id__in=ids, user=user)
        .annotate(cycle_start=Subquery(cycle_start))
        .filter(Q(cycle_start__isnull=True) | Q(changed_at__gte=F("cycle_start")))
        .values_list("report_id", flat=True)
        .distinct()
    )


def _may_review_unit(user, report: Report) -> bool:
    role = role_of(user)
    if role in REVIEWING_ROLES:
        return True
    return role == Role.OFFICIAL and report.unit_id in own_unit_ids(user)


def may_review_unit(user, report: Report) -> bool:
    """Whether the report's unit is one the user reviews (whatever the report's state)."""
    return _may_review_unit(user, report)


def reviews_reports(user) -> bool:
    """The roles with a review queue: leadership and the office (any unit), officials (their units)."""
    return role_of(user) in REVIEWING_ROLES | {Role.OFFICIAL}


def can_review_report(user, report: Report, *, typed: set[int] | None = None) -> bool:
    """Approve or return a submitted report: leadership and the office for any unit, an official for
    the units he serves; never by its submitter, nor by anybody who entered or changed one of its
    figures since it was last returned or reopened (four eyes: the figures are checked by someone who
    did not type them). `typed` is `reports_typed_by(user, ...)` when a list asks for many reports."""
    if report.status != Report.Status.SUBMITTED or not report.pk or not _may_review_unit(user, report):
        return False
    if report.submitted_by_id == user.pk:
        return False
    if typed is None:
        typed = reports_typed_by(user, [report.pk])
    return report.pk not in typed


def reviewable_reports(user, reports: Iterable[Report]) -> list[Report]:
    """The reports of a list that the user may approve or return, with one query for the four eyes."""
    candidates = [
        r
        for r in reports
        if r.status == Report.Status.SUBMITTED and r.submitted_by_id != user.pk and _may_review_unit(user, r)
    ]
    typed = reports_typed_by(user, [r.pk for r in candidates])
    return [r for r in candidates if r.pk not in typed]


def review_refusal(user, report: Report) -> str:
    """Why can_review_report said no, in words for the user."""
    if report.status != Report.Status.SUBMITTED or not report.pk:
        return _("Chỉ duyệt hoặc trả lại báo cáo đang chờ duyệt.")
    if not _may_review_unit(user, report):
        return _("Bạn không có quyền duyệt báo cáo của đơn vị này.")
    if report.submitted_by_id == user.pk:
        return _("Không tự duyệt báo cáo do chính mình gửi.")
    return _(
        "Bạn đã nhập hoặc sửa số liệu của báo cáo này (từ lần trả lại hoặc mở lại gần nhất), nên không "
        "được duyệt hay trả lại nó: việc kiểm tra phải do người khác."
    )


def can_reopen(user) -> bool:
    """Reopening, locking, extending and reminding belong to the office."""
    return role_of(user) == Role.OFFICE


def can_follow_completeness(user) -> bool:
    return role_of(user) in {Role.OFFICE, Role.LEADERSHIP}
