"""Read-side of quarterly reporting that several pages share: which quarter a unit acts on next, the
reviewer's queue (oldest first, unusual figures before all), how long a report has waited.

The report list, the home page's task list and the redirect after a review read these functions, so
that "the quarter to act on" and "the next report" mean the same everywhere.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import permissions
from .models import DataElement, Report, ReportedValue, ReportingPeriod, Unit
from .validation import check_report

# What a unit does with a quarter, most urgent first.
FIX, ENTER, FIX_CLOSED, WAITING, UPCOMING, DONE, CLOSED = (
    "fix",
    "enter",
    "fix_closed",
    "waiting",
    "upcoming",
    "done",
    "closed",
)
URGENCY = [FIX, ENTER, FIX_CLOSED, WAITING, UPCOMING, DONE, CLOSED]


@dataclass
class QuarterCell:
    period: ReportingPeriod
    report: Report | None
    open: bool
    late: bool
    kind: str

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def actionable(self) -> bool:
        return self.kind in (FIX, ENTER)


@dataclass
class UnitCard:
    unit: Unit
    cells: list[QuarterCell]
    act: QuarterCell | None = None
    others: list[QuarterCell] = field(default_factory=list)


def quarter_kind(period: ReportingPeriod, report: Report | None, today: date) -> str:
    """What the unit's people do with this quarter today."""
    status = report.status if report else Report.Status.DRAFT
    is_open = permissions.report_is_open(report, today) if report else period.is_open_on(today)
    if status == Report.Status.RETURNED:
        return FIX if is_open else FIX_CLOSED
    if status == Report.Status.SUBMITTED:
        return WAITING
    if status == Report.Status.APPROVED:
        return DONE
    if is_open:
        return ENTER
    return UPCOMING if today < period.opens_on else CLOSED


def _cell(period: ReportingPeriod, report: Report | None, today: date) -> QuarterCell:
    if report is not None:
        report.period = period
    return QuarterCell(
        period=period,
        report=report,
        open=permissions.report_is_open(report, today) if report else period.is_open_on(today),
        late=report.is_late(today) if report else today > period.effective_deadline,
        kind=quarter_kind(period, report, today),
    )


def _act(cells: list[QuarterCell]) -> QuarterCell | None:
    """The quarter to show first: the most urgent; among equals the earliest, except that of quarters
    already approved or closed the latest is the one to look at."""
    if not cells:
        return None
    best = min(URGENCY.index(c.kind) for c in cells)
    same = [c for c in cells if URGENCY.index(c.kind) == best]
    return same[-1] if same[0].kind in (DONE, CLOSED) else same[0]


def unit_cards(*, user, plan, today: date) -> list[UnitCard]:
    """The user's units for this plan, each with its quarters and the one to act on first (3 queries)."""
    periods = list(plan.periods.order_by("quarter"))
    units = list(permissions.units_for_entry(user).filter(assignments__element__plan=plan).distinct())
    reports = {(r.unit_id, r.period_id): r for r in Report.objects.filter(unit__in=units, period__plan=plan)}
    cards = []
    for unit in units:
        cells = [_cell(p, reports.get((unit.pk, p.pk)), today) for p in periods]
        act = _act(cells)
        cards.append(UnitCard(unit=unit, cells=cells, act=act, others=[c for c in cells if c is not act]))
    return cards


@dataclass
class ReportTask:
    unit: Unit
    cell: QuarterCell


def report_tasks(*, user, today: date) -> list[ReportTask]:
    """Quarters the user's units have to enter or correct today, in any plan (quarter IV is reported
    in January, in last year's plan), earliest deadline first (3 queries)."""
    units = list(permissions.units_for_entry(user))
    if not units:
        return []
    periods = list(ReportingPeriod.objects.select_related("plan"))
    reports = {
        (r.unit_id, r.period_id): r
        for r in Report.objects.filter(unit__in=units).exclude(status=Report.Status.APPROVED)
    }
    assigned = defaultdict(set)
    for unit_id, plan_id in (
        Unit.objects.filter(pk__in=[u.pk for u in units], assignments__isnull=False)
        .values_list("pk", "assignments__element__plan_id")
        .distinct()
    ):
        assigned[unit_id].add(plan_id)
    tasks = []
    for period in periods:
        for unit in units:
            if period.plan_id not in assigned[unit.pk]:
                continue
            report = reports.get((unit.pk, period.pk))
            if report is None and not period.is_open_on(today):
                continue
            cell = _cell(period, report, today)
            if cell.kind in (FIX, ENTER, FIX_CLOSED):
                tasks.append(ReportTask(unit=unit, cell=cell))
    tasks.sort(key=lambda t: (URGENCY.index(t.cell.kind), t.cell.period.effective_deadline, t.unit.order))
    return tasks


# --- the reviewer's queue ------------------------------------------------------------------------

QUEUE_STATUSES = [
    (Report.Status.SUBMITTED, gettext_lazy("Chờ duyệt")),
    (Report.Status.RETURNED, gettext_lazy("Đã trả lại, chờ đơn vị sửa")),
    (Report.Status.APPROVED, gettext_lazy("Đã duyệt")),
]


def waited(since: datetime | None, now: datetime | None = None) -> str:
    """How long a report has waited, as the queue says it: "chờ 3 ngày", "chờ 14 tháng"."""
    if since is None:
        return ""
    seconds = max(0, ((now or timezone.now()) - since).total_seconds())
    hours, days = int(seconds // 3600), int(seconds // 86400)
    if hours < 1:
        return _("chờ dưới 1 giờ")
    if days < 1:
        return ngettext("chờ %(n)s giờ", "chờ %(n)s giờ", hours) % {"n": hours}
    if days < 60:
        return ngettext("chờ %(n)s ngày", "chờ %(n)s ngày", days) % {"n": days}
    months = days * 12 // 365
    return ngettext("chờ %(n)s tháng", "chờ %(n)s tháng", months) % {"n": months}


def reports_with_warnings(reports: list[Report]) -> set[int]:
    """The reports (ids) with a figure the entry form marks ⚠ (an unusual jump from the quarter
    before), computed by the form's own rule (validation.check_report), in a fixed number of queries."""
    reports = [r for r in reports if r.pk]
    if not reports:
        return set()
    plan_ids = {r.period.plan_id for r in reports}
    elements = {}
    for element in DataElement.objects.filter(plan_id__in=plan_ids).prefetch_related("terms__target__terms"):
        elements.setdefault(element.plan_id, []).append(element)
    values = defaultdict(dict)
    for report_id, element_id, value in ReportedValue.objects.filter(report__in=reports).values_list(
        "report_id", "element_id", "value"
    ):
        values[report_id][element_id] = value
    previous = defaultdict(dict)
    wanted = {(r.unit_id, r.period.plan_id, r.period.quarter - 1) for r in reports if r.period.quarter > 1}
    if wanted:
        for unit_id, plan_id, quarter, element_id, value in ReportedValue.objects.filter(
            report__unit_id__in={w[0] for w in wanted},
            report__period__plan_id__in=plan_ids,
            report__period__quarter__in={w[2] for w in wanted},
        ).values_list(
            "report__unit_id", "report__period__plan_id", "report__period__quarter", "element_id", "value"
        ):
            previous[(unit_id, plan_id, quarter)][element_id] = value
    flagged = set()
    for report in reports:
        key = (report.unit_id, report.period.plan_id, report.period.quarter - 1)
        issues = check_report(
            elements=elements.get(report.period.plan_id, []),
            values=values[report.pk],
            previous=previous.get(key, {}),
        )
        if issues.warnings:
            flagged.add(report.pk)
    return flagged


@dataclass
class QueueFilters:
    quarter: int | None = None
    unit: Unit | None = None
    status: str = Report.Status.SUBMITTED

    def query(self) -> str:
        """The filters as a query string, carried through the entry page to the next report."""
        from django.utils.http import urlencode

        params = {}
        if self.quarter:
            params["quy"] = self.quarter
        if self.unit:
            params["don_vi"] = self.unit.code
        if self.status != Report.Status.SUBMITTED:
            params["trang_thai"] = self.status
        return urlencode(params)

    @property
    def active(self) -> bool:
        return bool(self.quarter or self.unit or self.status != Report.Status.SUBMITTED)


def queue_filters(params) -> QueueFilters:
    """Read the queue's filters from a GET (or the query string the entry page carried); anything
    unknown is ignored rather than refused."""
    from phominh.fields import ascii_int

    quarter = ascii_int(params.get("quy", "") or "")
    code = (params.get("don_vi", "") or "").strip()
    status = params.get("trang_thai", "") or Report.Status.SUBMITTED
    if status not in {value for value, _label in QUEUE_STATUSES}:
        status = Report.Status.SUBMITTED
    return QueueFilters(
        quarter=quarter if quarter in (1, 2, 3, 4) else None,
        unit=Unit.objects.filter(code=code).first() if code else None,
        status=status,
    )


@dataclass
class QueueEntry:
    report: Report
    warning: bool
    waited: str


def review_queue(*, user, plan, filters: QueueFilters | None = None) -> list[QueueEntry]:
    """The reports a reviewer acts on. Waiting ones (the default): those he may approve or return
    (his units, four eyes), those with ⚠ figures first, then the longest waiting. Returned or approved
    ones (a filter): the reports of his units, latest review first."""
    filters = filters or QueueFilters()
    if not permissions.reviews_reports(user):
        return []
    rows = (
        permissions.reports_visible_to(user)
        .filter(status=filters.status, period__plan=plan)
        .select_related("unit", "period__plan", "submitted_by", "reviewed_by")
    )
    if filters.quarter:
        rows = rows.filter(period__quarter=filters.quarter)
    if filters.unit:
        rows = rows.filter(unit=filters.unit)
    if filters.status != Report.Status.SUBMITTED:
        rows = [r for r in rows.order_by("-reviewed_at", "-pk") if permissions.may_review_unit(user, r)]
        return [QueueEntry(report=r, warning=False, waited="") for r in rows]
    reports = permissions.reviewable_reports(user, rows.order_by("submitted_at", "pk"))
    flagged = reports_with_warnings(reports)
    now = timezone.now()
    entries = [
        QueueEntry(report=r, warning=r.pk in flagged, waited=waited(r.submitted_at, now)) for r in reports
    ]
    entries.sort(key=lambda e: not e.warning)  # stable: oldest first within each group
    return entries


def next_in_queue(*, user, plan, filters: QueueFilters) -> Report | None:
    """The report the reviewer goes on to after a review: the head of his waiting queue."""
    waiting = QueueFilters(quarter=filters.quarter, unit=filters.unit)
    entries = review_queue(user=user, plan=plan, filters=waiting)
    return entries[0].report if entries else None
