"""How far the plan's targets have come, as the rows of a progress table (issues 4 and 7).

The dashboard, a unit's page and the quarterly progress reports in PDF all build their tables here, so
that a figure, its wording, its status and its chart are prepared once: a printed report cannot
disagree with the page it was downloaded from. Every figure comes from the roll-up engine
(`indicators.rollup`); nothing here adds up a value, it only chooses, words and orders.

The rows are flat (texts and charts prepared once) because templates draw some fifty of them, and deep
attribute lookups per row cost the template engine as much as the roll-up itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaigns.models import Plan, PlanSection

from . import charts
from .models import Assignment, Report, ReportedValue, Target, Unit
from .rollup import Status, TargetResult, element_ids_behind, pace_share, rollup
from .templatetags.vn import format_number
from .templatetags.vn import target_figure as chi_tieu

HUNDRED = Decimal(100)

BADGE_CLASS = {
    Status.ACHIEVED: "text-bg-success",
    Status.ON_TRACK: "text-bg-primary",
    Status.BEHIND: "text-bg-danger",
    Status.NO_DATA: "text-bg-secondary",
    Status.INFO: "text-bg-light border",
}
# The order of the summary counts: what needs attention first.
STATUS_ORDER = [Status.BEHIND, Status.ON_TRACK, Status.ACHIEVED, Status.NO_DATA, Status.INFO]
SUM_KINDS = (Target.Kind.FLOW, Target.Kind.STOCK)

# Figures are shown with at most two decimals (rounding is for display only).
DECIMALS = 2

UrlFor = Callable[[str], str]


def no_url(code: str) -> str:
    """For rows that link nowhere (a printed report)."""
    return ""


# --- texts ------------------------------------------------------------------------------------------


def figure_text(target: Target, value: Decimal | None) -> str:
    """A figure as the plan states its kind: "2.106,8 tấn", "2,8 %", "Mức độ 3", "Đạt chuẩn"."""
    if value is None:
        return "—"
    if target.comparator == Target.Comparator.MAINTAIN and target.target_value is None:
        return _("Đạt chuẩn") if value >= 1 else _("Chưa đạt chuẩn")
    if target.unit_of_measure == "mức độ":
        return _("Mức độ %(level)s") % {"level": format_number(value, DECIMALS)}
    number = format_number(value, DECIMALS)
    return f"{number} {target.unit_of_measure}" if target.unit_of_measure else number


def target_text(target: Target) -> str:
    """The plan's figure with its comparator: "≥ 705,6 tỷ đồng", "≤ 2,57 %", "Mức độ 3"."""
    if target.is_heading:
        return ""
    figure = chi_tieu(target)
    if target.unit_of_measure and target.unit_of_measure != "mức độ":
        figure = f"{figure} {target.unit_of_measure}"
    if target.comparator == Target.Comparator.MAINTAIN:
        return figure
    return f"{target.comparator_symbol} {figure}"


def latest_quarter_with_data(plan: Plan, *, include_submitted: bool = False) -> int:
    """The latest quarter in which any figure counts (approved, or submitted with the switch), else 1:
    the quarter the dashboard opens on, and the one an achievement report's figures run to.

    Design choice: with the switch on, a quarter that only has submitted figures counts too, so that
    turning the switch on from a fresh link shows the figures it is about.
    """
    statuses = [Report.Status.APPROVED]
    if include_submitted:
        statuses.append(Report.Status.SUBMITTED)
    # Newest quarter first, stopping at the first report holding a value: a few index probes, where a
    # MAX over the values joined to their reports reads every value of the year.
    latest = (
        Report.objects.filter(period__plan=plan, status__in=statuses)
        .filter(Exists(ReportedValue.objects.filter(report=OuterRef("pk"))))
        .order_by("-period__quarter")
        .values_list("period__quarter", flat=True)
        .first()
    )
    return latest or 1


def quarter_text(plan: Plan, quarter: int) -> str:
    """ "quý II/2024", as the data notes and headings say it."""
    return _("quý %(q)s/%(year)s") % {"q": charts.ROMAN[quarter], "year": plan.year}


def expected_percent(target: Target, quarter: int) -> Decimal | None:
    """Where a flow should stand by the end of `quarter`, in percent of its yearly figure (its pace)."""
    if target.kind != Target.Kind.FLOW or target.comparator not in (
        Target.Comparator.GTE,
        Target.Comparator.GT,
        Target.Comparator.LTE,
    ):
        return None
    return pace_share(target, quarter) * HUNDRED


def expected_by_quarter(target: Target, quarter: int) -> dict[int, Decimal]:
    """The amount a flow should have reached by the end of each quarter 1..`quarter` (empty otherwise)."""
    return {
        q: target.target_value * pace_share(target, q)
        for q in range(1, quarter + 1)
        if expected_percent(target, q) is not None
    }


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """A unit's share of the ward's total, in percent; None when either side is missing or zero."""
    if part is None or not whole:
        return None
    return part * HUNDRED / whole


# --- rows -------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a progress table, flat for the template: a target, a heading or a group caption."""

    kind: str  # "target", "heading" or "group"
    code: str = ""
    name: str = ""
    depth: int = 0
    url: str = ""
    status: str = ""
    status_label: str = ""
    badge_class: str = ""
    actual_text: str = ""
    target_text: str = ""
    progress_text: str = ""
    projection_text: str = ""
    bar: str = ""
    trend: str = ""


def target_row(result: TargetResult, *, quarter: int, url_for: UrlFor = no_url, depth: int = 0) -> Row:
    """The row of one roll-up result after `quarter`: its texts, status, progress bar and sparkline."""
    target = result.target
    if target.is_heading:
        return Row(kind="heading", code=target.code, name=target.name, depth=depth)
    progress = format_number(result.progress, 1) if result.progress is not None else ""
    progress_text = f"{progress} %" if progress else ""
    bar_label = (
        _("%(code)s: đạt %(progress)s chỉ tiêu") % {"code": target.code, "progress": progress_text}
        if progress
        else f"{target.code}: {result.status_label}"
    )
    return Row(
        kind="target",
        code=target.code,
        name=target.name,
        depth=depth,
        url=url_for(target.code),
        status=result.status,
        status_label=result.status_label,
        badge_class=BADGE_CLASS[result.status],
        actual_text=figure_text(target, result.actual),
        target_text=target_text(target),
        progress_text=progress_text,
        projection_text=figure_text(target, result.projection),
        bar=charts.progress_bar(
            result.progress,
            status=result.status,
            expected=expected_percent(target, quarter),
            label=bar_label,
        ),
        trend=charts.sparkline(
            result.by_quarter,
            status=result.status,
            label=f"{target.code} — {charts.trend_label(result.by_quarter, decimals=DECIMALS)}",
        ),
    )


def depths(results: list[TargetResult]) -> dict[int, int]:
    """How deep each target sits under "of which" parents, for indenting."""
    parent_of = {r.target.pk: r.target.parent_id for r in results}
    found = {}
    for pk in parent_of:
        depth, current = 0, pk
        while parent_of.get(current):
            current = parent_of[current]
            depth += 1
        found[pk] = depth
    return found


def behind_first(results: list[TargetResult], *, quarter: int, url_for: UrlFor = no_url) -> list[dict]:
    """The dashboard's sections: "Chậm tiến độ" first, then the rest in plan order under their group and
    heading captions.

    A heading whose detailed targets are all in the first section is left out of the second, where it
    would stand alone.
    """
    levels = depths(results)
    behind = [target_row(r, quarter=quarter, url_for=url_for) for r in results if r.status == Status.BEHIND]
    rest = [r for r in results if r.status != Status.BEHIND]
    parents_in_rest = {r.target.parent_id for r in rest if not r.target.is_heading}
    rows: list[Row] = []
    group = None
    group_labels = dict(Target.Group.choices)
    for result in rest:
        target = result.target
        if target.is_heading and target.pk not in parents_in_rest:
            continue
        if target.group != group:
            group = target.group
            rows.append(Row(kind="group", name=str(group_labels.get(group, group))))
        rows.append(target_row(result, quarter=quarter, url_for=url_for, depth=levels[target.pk]))
    sections = []
    if behind:
        sections.append({"key": "behind", "title": _("Chậm tiến độ"), "rows": behind})
    if any(row.kind == "target" for row in rows):
        title = _("Các chỉ tiêu khác") if behind else _("Các chỉ tiêu")
        sections.append({"key": "rest", "title": title, "rows": rows})
    return sections


def status_counts(statuses: list[str]) -> list[dict]:
    """How many targets stand at each status, in `STATUS_ORDER` (every status, zeros included)."""
    counts = Counter(statuses)
    return [
        {"status": s, "label": Status(s).label, "count": counts.get(s, 0), "badge_class": BADGE_CLASS[s]}
        for s in STATUS_ORDER
    ]


def quarter_chart(result: TargetResult, *, quarter: int) -> SafeString:
    """A target's figure after each quarter as bars, with the plan's figure and, for a flow, its pace."""
    target = result.target
    reference = target.target_value if target.comparator != Target.Comparator.MAINTAIN else None
    return charts.quarter_bars(
        result.by_quarter,
        status=result.status,
        reference=reference,
        reference_label=_("Chỉ tiêu %(v)s") % {"v": format_number(reference)}
        if reference is not None
        else "",
        expected=expected_by_quarter(target, quarter),
        decimals=DECIMALS,
        label=f"{target.code} — {charts.trend_label(result.by_quarter, decimals=DECIMALS)}",
    )


# --- the ward -----------------------------------------------------------------------------------------


def _reported_element_ids(unit: Unit, plan: Plan) -> set[int]:
    return set(Assignment.objects.filter(unit=unit, element__plan=plan).values_list("element_id", flat=True))


def ward_results(
    *,
    plan: Plan,
    quarter: int,
    include_submitted: bool,
    unit: Unit | None = None,
    group: str = "",
    content_id: int | None = None,
) -> list[TargetResult]:
    """The roll-up after `quarter`, in plan order, narrowed as the dashboard's filters ask.

    ``unit`` counts only that unit's figures and keeps only the targets its own figures stand behind
    (the rest would all read "no data"); ``group`` and ``content_id`` keep the targets of one group or
    one campaign content. Headings are kept (status INFO) so that tables can caption their rows.
    """
    results = rollup(
        plan=plan,
        up_to_quarter=quarter,
        unit_ids=[unit.pk] if unit else None,
        include_submitted=include_submitted,
    )
    if group:
        results = [r for r in results if r.target.group == group]
    if content_id:
        results = [r for r in results if r.target.content_id == content_id]
    if unit:
        reported = _reported_element_ids(unit, plan)
        by_pk = {r.target.pk: r.target for r in results}
        results = [
            r for r in results if r.target.is_heading or element_ids_behind(r.target, by_pk) & reported
        ]
    return results


def target_statuses(results: list[TargetResult]) -> list[str]:
    """The status of every target that is not a heading: what the summary counts count."""
    return [r.status for r in results if not r.target.is_heading]


def grouped_as_in_plan(plan: Plan, rows_by_group: dict[str, list]) -> list:
    """Rows placed under the plan's own target sections, in the plan's order and with its wording: a
    caption row (`Row(kind="group")`, "1. Lĩnh vực kinh tế") before the rows of each section.

    The plan numbers its economic, social and defence sections and adds an unnumbered one for
    administrative reform; a printed report follows the plan, not the order of the group codes. A
    group that no section names (a plan entered without them) comes last under its group label.
    ``rows_by_group`` is consumed.
    """
    sections = PlanSection.objects.filter(plan=plan, role=PlanSection.Role.TARGET_GROUP).order_by("order")
    captions = []
    for section in sections:
        number = f"{section.number}. " if section.number else ""
        captions.append((section.target_group, f"{number}{section.heading}".rstrip(":")))
    labels = dict(Target.Group.choices)
    captions += [(group, str(labels.get(group, group))) for group in rows_by_group]
    flat = []
    for group, caption in captions:
        rows = rows_by_group.pop(group, [])
        if rows:
            flat += [Row(kind="group", name=caption), *rows]
    return flat


def rows_by_group(results: list[TargetResult], *, quarter: int) -> dict[str, list[Row]]:
    """Every target and heading of `results` as a row, indented, per group, in plan order."""
    levels = depths(results)
    grouped: dict[str, list[Row]] = {}
    for result in results:
        row = target_row(result, quarter=quarter, depth=levels[result.target.pk])
        grouped.setdefault(result.target.group, []).append(row)
    return grouped


# --- one unit beside the ward -------------------------------------------------------------------------


@dataclass
class UnitRow:
    """A target a unit reports for: the unit's own figure beside the ward's (`ward`, a `Row`)."""

    ward: Row
    group: str
    text: str
    numerator: Decimal | None
    denominator: Decimal | None
    is_sum: bool
    share: Decimal | None
    # The unit's own status against the ward's figure, for a rate, a level or a standard; "" for a sum
    # (a group's part of the ward's output would always read behind).
    status: str
    status_label: str
    badge_class: str
    trend: str

    kind = "target"

    @property
    def judged_status(self) -> str:
        """The status the unit answers for: its own for a rate, a level or a standard; for a sum it
        contributes to, the ward's."""
        return self.ward.status if self.is_sum else self.status


def unit_rows(
    *, plan: Plan, unit: Unit, quarter: int, include_submitted: bool, url_for: UrlFor = no_url
) -> list[UnitRow]:
    """Every target the unit reports a figure for, in plan order: its own figures and the ward's.

    Two roll-ups (the ward's and the unit's), each a constant number of queries.
    """
    reported = _reported_element_ids(unit, plan)
    scope = {"plan": plan, "up_to_quarter": quarter, "include_submitted": include_submitted}
    ward = rollup(**scope)
    own = {r.target.pk: r for r in rollup(unit_ids=[unit.pk], **scope)}
    by_pk = {r.target.pk: r.target for r in ward}
    rows = []
    for result in ward:
        target = result.target
        if target.is_heading or not element_ids_behind(target, by_pk) & reported:
            continue
        mine = own[target.pk]
        is_sum = target.kind in SUM_KINDS
        rows.append(
            UnitRow(
                ward=target_row(result, quarter=quarter, url_for=url_for),
                group=target.group,
                text=figure_text(target, mine.actual),
                numerator=mine.numerator,
                denominator=mine.denominator,
                is_sum=is_sum,
                share=share(mine.actual, result.actual) if is_sum else None,
                status="" if is_sum else mine.status,
                status_label="" if is_sum else mine.status_label,
                badge_class="" if is_sum else BADGE_CLASS[mine.status],
                trend=charts.sparkline(
                    mine.by_quarter,
                    status=Status.INFO if is_sum else mine.status,
                    label=f"{unit.name} — {charts.trend_label(mine.by_quarter, decimals=DECIMALS)}",
                ),
            )
        )
    return rows
