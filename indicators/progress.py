"""How far the plan's targets have come, as the rows of a progress table (issues 4 and 7).

The dashboard, a unit's page and the quarterly progress reports in PDF all build their tables here, so
that a figure, its wording, its status and its chart are prepared once: a printed report cannot
disagree with the page it was downloaded from. Every figure comes from the roll-up engine
(`indicators.rollup`); nothing here adds up a value, it only chooses, words and orders.

The rows are flat (texts and charts prepared once) because templates draw some fifty of them, and deep
attribute lookups per row cost the template engine as much as the roll-up itself.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaigns.models import Commitment, Plan, PlanSection, Pledge

from . import charts
from .models import Assignment, Report, ReportedValue, Target, Unit
from .rollup import Status, TargetResult, element_ids_behind, judge, pace_share, rollup
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

# Figures are shown with at most two decimals (rounding is for display only); an amount in đồng with
# none: nobody pays a hundredth of a đồng, and 8.798.800.000,33 đồng reads as a typing error.
DECIMALS = 2
WHOLE_UNITS = ("đồng",)


def decimals_for(target: Target) -> int:
    """How many decimals a figure of `target` is shown with."""
    return 0 if target.unit_of_measure in WHOLE_UNITS else DECIMALS


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
    number = format_number(value, decimals_for(target))
    return f"{number} {target.unit_of_measure}" if target.unit_of_measure else number


def target_text(target: Target) -> str:
    """The plan's figure with its comparator: "≥ 705,6 tỷ đồng", "≤ 2,57 %", "Mức độ 3"."""
    if target.is_heading:
        return ""
    figure = chi_tieu(target)
    if target.target_value is not None and target.unit_of_measure != "mức độ":
        # A unit's share of the ward's figure can have any number of decimals (20.000 ÷ 3).
        figure = format_number(target.target_value, decimals_for(target))
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
    # The status and the projection in words, so that they never seem to contradict each other.
    projection_note: str = ""
    # Where the figure a unit is measured against comes from (its pledge, its share of the ward's).
    goal_note: str = ""
    bar: str = ""
    trend: str = ""


def projection_note(result: TargetResult, *, quarter: int) -> str:
    """The status and the year-end projection of a flow in one sentence.

    The projection follows the target's pace (`rollup._projection`), so a flow behind its pace is
    projected below its figure; what can still look contradictory is a quarter not yet counted (its
    reports wait for approval): the status measures the year-to-date against that quarter's pace,
    while the projection runs from the quarters that have figures. The sentence says which.
    """
    target = result.target
    if (
        target.kind != Target.Kind.FLOW
        or result.projection is None
        or not target.target_value
        or expected_percent(target, quarter) is None
        or result.status not in (Status.BEHIND, Status.ON_TRACK)
    ):
        return ""
    percent = f"{format_number(result.projection * HUNDRED / target.target_value, 0)} %"
    if target.comparator == Target.Comparator.LTE:
        return _("Dự kiến cả năm bằng %(p)s dự toán") % {"p": percent}
    if result.status == Status.ON_TRACK:
        return _("Dự kiến cả năm đạt %(p)s chỉ tiêu") % {"p": percent}
    latest = max(result.quarters_with_data, default=None)
    if latest is not None and latest < quarter:
        return _(
            "Chậm so với tiến độ quý %(q)s vì quý %(q)s chưa có số liệu được tính; "
            "theo các quý đã có, dự kiến cả năm đạt %(p)s chỉ tiêu"
        ) % {"q": charts.ROMAN[quarter], "p": percent}
    return _("Chậm so với tiến độ quý (cần %(e)s); dự kiến cả năm đạt %(p)s chỉ tiêu") % {
        "e": f"{format_number(expected_percent(target, quarter), 0)} %",
        "p": percent,
    }


def target_row(
    result: TargetResult, *, quarter: int, url_for: UrlFor = no_url, depth: int = 0, goal_note: str = ""
) -> Row:
    """The row of one roll-up result after `quarter`: its texts, status, progress bar and sparkline."""
    target = result.target
    if target.is_heading:
        return Row(kind="heading", code=target.code, name=target.display_name, depth=depth)
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
        name=target.display_name,
        depth=depth,
        url=url_for(target.code),
        status=result.status,
        status_label=result.status_label,
        badge_class=BADGE_CLASS[result.status],
        actual_text=figure_text(target, result.actual),
        target_text=target_text(target),
        progress_text=progress_text,
        projection_text=figure_text(target, result.projection),
        projection_note=projection_note(result, quarter=quarter),
        goal_note=goal_note or getattr(target, "goal_note", ""),
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
    """A target's figure after each quarter as bars, with the plan's figure and, for a flow, its pace.

    A flow's quarter with no counted figure (its reports still waiting for approval) has no bar: its
    year-to-date would repeat the quarter before and read as a quarter of nothing done.
    """
    target = result.target
    reference = target.target_value if target.comparator != Target.Comparator.MAINTAIN else None
    by_quarter = result.by_quarter
    if target.kind == Target.Kind.FLOW:
        by_quarter = {q: v if q in result.quarters_with_data else None for q, v in by_quarter.items()}
    return charts.quarter_bars(
        by_quarter,
        status=result.status,
        reference=reference,
        reference_label=_("Chỉ tiêu %(v)s") % {"v": format_number(reference)}
        if reference is not None
        else "",
        expected=expected_by_quarter(target, quarter),
        decimals=DECIMALS,
        label=f"{target.code} — {charts.trend_label(by_quarter, decimals=DECIMALS)}",
    )


# --- the ward -----------------------------------------------------------------------------------------


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

    ``unit`` gives that unit's progress (`unit_results`): its own figures, for the targets they stand
    behind, judged against its own figure for each target, never against the ward's; ``group`` and
    ``content_id`` keep the targets of one group or one campaign content. Headings are kept (status
    INFO) so that tables can caption their rows.
    """
    if unit:
        results = [
            u.result
            for u in unit_results(
                plan=plan, unit=unit, quarter=quarter, include_submitted=include_submitted, with_ward=False
            )
        ]
    else:
        results = rollup(plan=plan, up_to_quarter=quarter, include_submitted=include_submitted)
    if group:
        results = [r for r in results if r.target.group == group]
    if content_id:
        results = [r for r in results if r.target.content_id == content_id]
    return results


# --- a unit's progress: its own figures against its own goals ---------------------------------------


class GoalBasis:
    PLEDGE = "pledge"
    SHARE = "share"
    WARD = "ward"


@dataclass
class UnitGoal:
    """The figure a unit is measured against for one target, and where it comes from."""

    value: Decimal | None
    basis: str  # GoalBasis
    note: str
    baseline: Decimal | None = None


@dataclass
class UnitResult:
    """A unit's own roll-up result judged against its own goal (`result.target.target_value` is the
    goal, so every text and bar drawn from the result speaks of the unit's figure), and the ward's
    figure for the same target beside it."""

    result: TargetResult
    goal: UnitGoal | None
    ward: TargetResult | None = None


def unit_goals(*, plan: Plan, unit: Unit, targets: list[Target]) -> tuple[dict[int, UnitGoal], set[int]]:
    """What each target the unit reports for asks of that unit (one meaning of "a unit's progress",
    used by the dashboard's unit filter, the unit's page and its PDF report), and the data elements
    the unit reports.

    1. Where the unit's pledge (submitted or acknowledged) commits it to a figure for the target, that
       figure, with the pledge's own last-year result as the baseline of a "giảm còn" commitment.
    2. Otherwise, for a sum (a flow or a stock: output, herds, jobs), the unit's equal share of the
       ward's figure: the ward's target divided by the number of units that report the figures behind
       it (the plan sets no figure per unit; 800 head of cattle over 8 groups asks 100 of each). A unit
       that alone reports a figure (the agriculture office, the grain) answers for all of it.
    3. Otherwise (a rate, a level, a standard: the share of poor households, a school's level) the
       ward's own figure, which applies to each unit as it does to the ward.

    Two queries, whatever the number of units and targets.
    """
    by_pk = {t.pk: t for t in targets}
    reporters: dict[int, set[int]] = defaultdict(set)
    for element_id, unit_id in Assignment.objects.filter(element__plan=plan).values_list(
        "element_id", "unit_id"
    ):
        reporters[element_id].add(unit_id)
    reported = {element_id for element_id, units in reporters.items() if unit.pk in units}
    pledged = {
        c.target_id: c
        for c in Commitment.objects.filter(
            pledge__plan=plan,
            pledge__unit=unit,
            pledge__status__in=[Pledge.Status.SUBMITTED, Pledge.Status.ACKNOWLEDGED],
            target__isnull=False,
        ).only("target_id", "committed_value", "baseline")
    }
    goals = {}
    for target in targets:
        if target.is_heading:
            continue
        elements = element_ids_behind(target, by_pk)
        if not elements & reported:
            continue
        commitment = pledged.get(target.pk)
        if commitment is not None and commitment.committed_value is not None:
            goals[target.pk] = UnitGoal(
                value=commitment.committed_value,
                basis=GoalBasis.PLEDGE,
                note=_("theo đăng ký thi đua của đơn vị"),
                baseline=commitment.baseline,
            )
        elif target.target_value is None:
            goals[target.pk] = UnitGoal(value=None, basis=GoalBasis.WARD, note="")
        elif target.kind in SUM_KINDS:
            count = len(set().union(*(reporters.get(e, set()) for e in elements))) or 1
            goals[target.pk] = UnitGoal(
                value=target.target_value / count,
                basis=GoalBasis.SHARE,
                note=_("1/%(n)s chỉ tiêu của phường") % {"n": count}
                if count > 1
                else _("toàn bộ chỉ tiêu của phường (đơn vị duy nhất báo cáo)"),
            )
        else:
            goals[target.pk] = UnitGoal(
                value=target.target_value, basis=GoalBasis.WARD, note=_("chỉ tiêu chung của phường")
            )
    return goals, reported


def judged_against(result: TargetResult, goal: UnitGoal | None, *, quarter: int) -> TargetResult:
    """`result` (a unit's own roll-up) judged against `goal` by the plan's rules (`rollup.judge`:
    comparator, pace, trend), as a result whose target carries the goal as its figure."""
    if goal is None or goal.value is None or result.target.is_heading:
        return result
    status, progress = judge(result, against=goal.value, quarter=quarter, baseline=goal.baseline)
    target = copy.copy(result.target)
    target.plan_target_value = result.target.target_value
    target.target_value = goal.value
    target.goal_note = goal.note  # where the figure comes from, for the rows to say
    baseline = goal.baseline if goal.baseline is not None else result.baseline
    return dataclasses.replace(result, target=target, status=status, progress=progress, baseline=baseline)


def unit_results(
    *, plan: Plan, unit: Unit, quarter: int, include_submitted: bool, with_ward: bool = True
) -> list[UnitResult]:
    """A unit's progress: every target the unit reports a figure for (and the headings above them), in
    plan order, its own figures judged against its own goals (`unit_goals`), the ward's beside them.

    Two roll-ups (the ward's, unless ``with_ward`` is False, and the unit's, which borrows the ward's
    definitions) and `unit_goals`' two queries.
    """
    scope = {"plan": plan, "up_to_quarter": quarter, "include_submitted": include_submitted}
    if with_ward:
        ward = rollup(**scope)
        own = rollup(unit_ids=[unit.pk], definitions_from=ward, **scope)
    else:
        own = rollup(unit_ids=[unit.pk], **scope)
        ward = [None] * len(own)
    goals, _reported = unit_goals(plan=plan, unit=unit, targets=[r.target for r in own])
    out = []
    for ward_result, mine in zip(ward, own, strict=True):
        target = mine.target
        if target.is_heading:
            out.append(UnitResult(result=mine, goal=None, ward=ward_result))
        elif target.pk in goals:
            goal = goals[target.pk]
            out.append(
                UnitResult(result=judged_against(mine, goal, quarter=quarter), goal=goal, ward=ward_result)
            )
    return out


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
    """A target a unit reports for: the unit's own figure and its own goal (`unit_goals`) beside the
    ward's (`ward`, a `Row`)."""

    ward: Row
    group: str
    text: str
    numerator: Decimal | None
    denominator: Decimal | None
    is_sum: bool
    share: Decimal | None
    # The unit's own status against its own goal (its pledge, its share of the ward's, or the ward's
    # rate): the same judgement as the dashboard's unit filter.
    status: str
    status_label: str
    badge_class: str
    trend: str
    goal_text: str = ""
    goal_note: str = ""
    progress_text: str = ""
    bar: str = ""
    projection_note: str = ""

    kind = "target"

    @property
    def judged_status(self) -> str:
        """The status the unit answers for: its own, against its own goal."""
        return self.status


def unit_rows(
    *, plan: Plan, unit: Unit, quarter: int, include_submitted: bool, url_for: UrlFor = no_url
) -> list[UnitRow]:
    """Every target the unit reports a figure for, in plan order: its own figures and goals (the unit's
    progress, `unit_results`), and the ward's."""
    rows = []
    for item in unit_results(plan=plan, unit=unit, quarter=quarter, include_submitted=include_submitted):
        mine, ward = item.result, item.ward
        target = mine.target
        if target.is_heading:
            continue
        is_sum = target.kind in SUM_KINDS
        own = target_row(mine, quarter=quarter, goal_note=item.goal.note if item.goal else "")
        rows.append(
            UnitRow(
                ward=target_row(ward, quarter=quarter, url_for=url_for),
                group=target.group,
                text=figure_text(target, mine.actual),
                numerator=mine.numerator,
                denominator=mine.denominator,
                is_sum=is_sum,
                share=share(mine.actual, ward.actual) if is_sum else None,
                status=mine.status,
                status_label=mine.status_label,
                badge_class=BADGE_CLASS[mine.status],
                trend=charts.sparkline(
                    mine.by_quarter,
                    status=mine.status,
                    label=f"{unit.name} — {charts.trend_label(mine.by_quarter, decimals=DECIMALS)}",
                ),
                goal_text=own.target_text,
                goal_note=own.goal_note,
                progress_text=own.progress_text,
                bar=own.bar,
                projection_note=own.projection_note,
            )
        )
    return rows
