"""The roll-up engine: from the data values units report to the plan's targets (DOMAIN.md §2).

This is a read-only selector. The dashboard, the target pages, the PDF and Excel reports, a unit's
page and a pledge's fulfilment all call `rollup()`, so that a figure is computed in one place and the
same quarter gives the same number everywhere.

Two steps:

1. `element_totals()` aggregates the reported values of every data element per quarter, in one SQL
   query, by the element's own aggregation: a *flow* (output, revenue, births) is summed over units;
   a *stock* (herds, households, population) is the sum over units of each unit's latest value.
2. `rollup()` evaluates every target's formula (``Σ coefficient × numerator [÷ Σ denominator] ×
   scale``, see `TargetTerm`) for each quarter up to the requested one, in dependency order, and
   judges it against the plan's figure with the target's comparator.

A ratio is always Σ numerator ÷ Σ denominator over the ward (or over the requested units), never the
average of the units' percentages: two groups at 10/100 and 1/900 poor households make 1,1 %, not
5,05 %. Every figure is a `Decimal`; nothing is rounded here (rounding is for display).

The whole roll-up runs a constant number of queries (targets, their terms, baselines, element
totals), whatever the number of units, targets and quarters.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Count, F, Max, Prefetch, Sum, Window
from django.db.models.functions import Lead
from django.utils.translation import gettext_lazy as _

from .models import Baseline, DataElement, Report, ReportedValue, Target, TargetTerm

QUARTERS = (1, 2, 3, 4)
T = TypeVar("T")
HUNDRED = Decimal(100)

# Expected share of a flow's yearly target by the end of each quarter (DOMAIN §2, design choice).
DEFAULT_PACE: dict[int, Decimal] = {1: Decimal("0.25"), 2: Decimal("0.5"), 3: Decimal("0.75"), 4: Decimal(1)}


class Status(models.TextChoices):
    """How a target stands after a quarter (the labels are the ones the plan's readers use)."""

    ACHIEVED = "achieved", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    NO_DATA = "no_data", _("Chưa có số liệu")
    INFO = "info", _("Tham khảo")


@dataclass
class TargetResult:
    """One target's figures after a quarter, as every page, export and PDF shows them."""

    target: Target
    # Year-to-date value up to the requested quarter; None when nothing has been reported.
    actual: Decimal | None
    # The same value as it stood after each quarter 1..up_to (cumulative for flows, at-quarter else).
    by_quarter: dict[int, Decimal | None]
    # Percent towards the plan's figure, never negative; None where it means nothing (≈, maintain).
    progress: Decimal | None
    status: str
    # Year-end projection from the run rate (flows), or the current value (everything else).
    projection: Decimal | None
    # The aggregated sides of a fraction (ratio, derived), for drill-down; None for plain sums.
    numerator: Decimal | None
    denominator: Decimal | None
    # Last year's result, when the office entered one.
    baseline: Decimal | None = None
    # The quarters (≤ up_to) in which at least one figure behind this target was reported.
    quarters_with_data: tuple[int, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def pace_share(target: Target, quarter: int) -> Decimal:
    """The share of a flow target expected by the end of `quarter`.

    Even (25/50/75/100 %) unless the office has set the target's own profile (`Target.pace_profile`):
    rice has two harvests, in quarters II and III, and is not behind in March with nothing cut yet.
    """
    profile = target.pace_profile
    if profile is None:
        return DEFAULT_PACE[quarter]
    return profile[quarter - 1] / HUNDRED


# --- step 1: data elements ------------------------------------------------------------------------


@dataclass
class _ElementTotals:
    values: dict[tuple[int, int], Decimal]  # (element_id, quarter) -> aggregated value
    reported: set[tuple[int, int]]  # (element_id, quarter) pairs with at least one reported value


def _counted_statuses(include_submitted: bool) -> list[str]:
    # Draft and returned reports are a unit's work in progress: they never count.
    if include_submitted:
        return [Report.Status.APPROVED, Report.Status.SUBMITTED]
    return [Report.Status.APPROVED]


def _element_totals(*, plan, up_to_quarter, unit_ids, include_submitted) -> _ElementTotals:
    _check_quarter(up_to_quarter)
    rows = ReportedValue.objects.filter(
        report__period__plan=plan,
        report__period__quarter__lte=up_to_quarter,
        report__status__in=_counted_statuses(include_submitted),
    )
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        if not unit_ids:
            return _ElementTotals(values={}, reported=set())  # no unit: nothing counts (and no SQL)
        rows = rows.filter(report__unit_id__in=unit_ids)
    # Each counted value with its quarter and, for a stock, the quarter of the same unit's next
    # counted value of that element (NULL: none up to `up_to_quarter`): the stock stands from its
    # quarter until then. The window runs over the unit's rows in the database, so that what comes
    # back is one row per element, quarter and "until", not one per unit: a few hundred rows for a
    # ward of any size.
    per_value = rows.order_by().values(
        "element_id",
        "value",
        aggregation=F("element__aggregation"),
        quarter=F("report__period__quarter"),
        until=Window(
            Lead("report__period__quarter"),
            partition_by=[F("element_id"), F("report__unit_id")],
            order_by=F("report__period__quarter").asc(),
        ),
    )
    inner, params = per_value.query.sql_with_params()
    stock = DataElement.Aggregation.STOCK
    # SUM as text, read back as a Decimal: exact on PostgreSQL (numeric), and on SQLite the 15
    # significant digits SQLite prints, never the float's binary tail.
    sql = (
        "SELECT element_id, aggregation, quarter, CASE WHEN aggregation = %s THEN until END AS until_q,"
        " CAST(SUM(value) AS TEXT)"
        f" FROM ({inner}) per_value"
        " GROUP BY element_id, aggregation, quarter, CASE WHEN aggregation = %s THEN until END"
    )
    values: dict[tuple[int, int], Decimal] = {}
    reported: set[tuple[int, int]] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, (stock, *params, stock))
        for element_id, aggregation, quarter, until, total in cursor.fetchall():
            reported.add((element_id, quarter))
            last = quarter if aggregation != stock else (until - 1 if until else up_to_quarter)
            for counted in range(quarter, last + 1):
                key = (element_id, counted)
                values[key] = values.get(key, Decimal(0)) + Decimal(total)
    return _ElementTotals(values=values, reported=reported)


def _add_stocks(
    values: dict[tuple[int, int], Decimal],
    stocks: dict[tuple[int, int], dict[int, Decimal]],
    up_to_quarter: int,
) -> None:
    """Add each unit's stock, carried forward from its own latest quarter, to `values` (in place).

    ``stocks`` maps (element_id, unit_id) to that unit's {quarter: value}; `rollup_by_unit` keeps
    each unit apart, and does it in Python for the few values behind one target.
    """
    for (element_id, _unit_id), by_quarter in stocks.items():
        latest = None
        for quarter in range(1, up_to_quarter + 1):
            latest = by_quarter.get(quarter, latest)
            if latest is not None:
                key = (element_id, quarter)
                values[key] = values.get(key, Decimal(0)) + latest


def element_totals(
    *,
    plan,
    up_to_quarter: int,
    unit_ids: Iterable[int] | None = None,
    include_submitted: bool = False,
) -> dict[tuple[int, int], Decimal]:
    """The ward's (or the given units') value of each data element in each quarter 1..up_to_quarter.

    Returns ``{(element_id, quarter): value}``; a pair is missing when nothing counts for it.

    - Only approved reports count; with ``include_submitted`` submitted ones too (a preview for the
      office before approval). Draft and returned reports never count.
    - ``unit_ids`` restricts the sums to those units (a unit's page, a pledge's fulfilment).
    - A *flow* element's value for a quarter is the sum over units of that quarter's values (not
      cumulative: `rollup` adds the quarters up).
    - A *stock* element's value for a quarter is the sum over units of each unit's value at the
      latest quarter ≤ that quarter in which the unit reported it. A herd of 500 in Q1 and 520 in Q2
      is 520 after Q2, never 1 020. Design choice: a unit that reported only in Q1 still contributes
      its Q1 value after Q2, because its herd did not vanish when its Q2 report is late or pending;
      dropping it would make the ward's herd, households and population jump down and up with the
      approval queue.

    One SQL query, grouped by element and quarter (and, for stocks, by the quarter until which each
    value stands, found with a window over each unit's rows), so its size does not grow with the units.
    """
    return _element_totals(
        plan=plan, up_to_quarter=up_to_quarter, unit_ids=unit_ids, include_submitted=include_submitted
    ).values


# --- step 2: targets ------------------------------------------------------------------------------


def _check_quarter(quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValueError(f"up_to_quarter must be 1..4, not {quarter!r}")


class _Series(NamedTuple):
    """A target's figures after each quarter 1..n, as the evaluator keeps them."""

    values: dict[int, Decimal | None]
    numerators: dict[int, Decimal | None]  # only for fractions
    denominators: dict[int, Decimal | None]
    reported: set[int]  # quarters in which a figure behind the target was reported


_NOTHING = _Series({}, {}, {}, set())


class _Evaluator:
    """Evaluates every target of a plan for quarters 1..n, each target once, sources first."""

    def __init__(self, *, targets: list[Target], totals: _ElementTotals, up_to_quarter: int):
        self.targets = {t.pk: t for t in targets}
        self.totals = totals
        self.n = up_to_quarter
        self.done: dict[int, _Series] = {}
        self.visiting: set[int] = set()

    def element_value(self, element: DataElement, quarter: int, *, latest: bool) -> Decimal | None:
        """An element's value after `quarter`: a flow's year-to-date sum, a stock's current value.

        ``latest`` asks for stock semantics whatever the element's aggregation (standards and ward
        values: the latest report counts).
        """
        values = self.totals.values
        if latest or element.aggregation == DataElement.Aggregation.STOCK:
            for q in range(quarter, 0, -1):
                if (element.pk, q) in values:
                    return values[(element.pk, q)]
            return None
        found = [values[(element.pk, q)] for q in range(1, quarter + 1) if (element.pk, q) in values]
        return sum(found, Decimal(0)) if found else None

    def side(self, terms: list[TargetTerm], quarter: int, *, latest: bool) -> Decimal | None:
        """Σ coefficient × term over one side of the fraction.

        A term without data counts as nothing while another term of the side has data (deaths not
        yet reported do not hide births); the side is None only when none of its terms has data.
        """
        total = None
        for term in terms:
            if term.element_id:
                value = self.element_value(term.element, quarter, latest=latest)
            else:
                value = self.evaluate(term.source_target_id).values.get(quarter)
            if value is not None:
                total = (total or Decimal(0)) + term.coefficient * value
        return total

    def evaluate(self, target_id: int) -> _Series:
        if target_id in self.done:
            return self.done[target_id]
        target = self.targets.get(target_id)
        if target is None:
            # A term pointing at another plan's target: nothing of this plan's data stands behind it.
            return _NOTHING
        if target_id in self.visiting:
            raise ValueError(f"Target {target.code} depends on itself through its terms")
        self.visiting.add(target_id)
        terms = list(target.terms.all())
        numerator = [t for t in terms if t.role == TargetTerm.Role.NUMERATOR]
        denominator = [t for t in terms if t.role == TargetTerm.Role.DENOMINATOR]
        latest = target.kind in (Target.Kind.STANDARD, Target.Kind.WARD_VALUE)
        quarters = range(1, self.n + 1)
        by_quarter: dict[int, Decimal | None] = {}
        nums: dict[int, Decimal | None] = {}
        dens: dict[int, Decimal | None] = {}
        for q in quarters:
            num = self.side(numerator, q, latest=latest) if numerator else None
            if target.kind == Target.Kind.HEADING:
                by_quarter[q] = None
            elif denominator:
                den = self.side(denominator, q, latest=latest)
                nums[q], dens[q] = num, den
                # A zero or missing denominator has no meaning as a rate: no value, not 0 %.
                by_quarter[q] = None if num is None or not den else num * target.scale / den
            else:
                by_quarter[q] = None if num is None else num * target.scale
        reported: set[int] = set()
        for term in terms:
            if term.element_id:
                reported |= {q for q in quarters if (term.element_id, q) in self.totals.reported}
            else:
                reported |= self.evaluate(term.source_target_id).reported
        self.visiting.discard(target_id)
        self.done[target_id] = _Series(by_quarter, nums, dens, reported)
        return self.done[target_id]


def _progress(target: Target, actual: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    """Percent towards the plan's figure (DOMAIN §2), clipped at 0.

    - ≥ and >: actual ÷ target × 100.
    - ≤ ("giảm còn") on a rate or a stock: how far the value has come down from last year's result
      towards the target, (baseline − actual) ÷ (baseline − target) × 100; without a baseline (or
      when it equals the target) there is no distance to measure, so None.
    - ≤ on a flow (KT-05, the spending estimate, a ceiling on a year-to-date sum): the execution rate
      actual ÷ target × 100, as the plan reports it (DOMAIN §1). Design choice: the reduction formula
      means nothing for a sum that starts from 0 every January.
    - ≈ and maintain: None; ≈ is informative and a standard is either held or not.

    A value that moved away from the target shows 0 %, not a negative percentage.
    """
    value = target.target_value
    if actual is None or value is None:
        return None
    if target.comparator in (Target.Comparator.GTE, Target.Comparator.GT) or (
        target.comparator == Target.Comparator.LTE and target.kind == Target.Kind.FLOW
    ):
        progress = actual * HUNDRED / value if value else None
    elif target.comparator == Target.Comparator.LTE:
        if baseline is None or baseline == value:
            return None
        progress = (baseline - actual) * HUNDRED / (baseline - value)
    else:
        return None
    return None if progress is None else max(progress, Decimal(0))


def _achieved(target: Target, actual: Decimal) -> bool:
    value = target.target_value
    if target.comparator == Target.Comparator.GTE:
        return actual >= value
    if target.comparator == Target.Comparator.GT:
        return actual > value  # "trên 55 %": exactly 55 % is not enough
    return actual <= value  # LTE


def _moved_toward(target: Target, current: Decimal, previous: Decimal) -> bool:
    if target.comparator == Target.Comparator.LTE:
        return current < previous
    return current > previous


def _status(
    target: Target,
    *,
    actual: Decimal | None,
    quarter: int,
    by_quarter: dict[int, Decimal | None],
    reported: set[int],
    baseline: Decimal | None,
) -> str:
    """The status after `quarter` (DOMAIN §2; the pace and trend rules are design choices).

    - Headings and ≈ targets are informative (INFO); no data at all is NO_DATA.
    - maintain: ACHIEVED while the latest value holds the standard (≥ 1 for a yes/no standard,
      ≥ the level otherwise), else BEHIND: a standard lost is never "on track".
    - Achieved by the comparator: ACHIEVED. Not achieved after Q4: BEHIND, the year is over.
    - A flow not yet achieved is ON_TRACK when its year-to-date reaches the expected share of the
      yearly figure (`pace_share`), else BEHIND.
    - A ≤ flow (a ceiling such as the spending estimate) is judged the other way round: above the
      ceiling it is BEHIND at once; below it, ON_TRACK while within the expected share and ACHIEVED
      only after Q4, because staying under a yearly ceiling in March proves nothing.
    - Any other target (a rate, a stock, a derived figure) not yet achieved is ON_TRACK when its last
      movement went towards the target: its value at the latest quarter with data compared with the
      quarter with data before that, or with last year's result when this year has only one quarter
      of data. A value that did not move, moved away, or cannot be compared is BEHIND.
    """
    if target.is_heading:
        return Status.INFO
    if actual is None:
        return Status.NO_DATA
    comparator = target.comparator
    if comparator == Target.Comparator.APPROX:
        return Status.INFO
    if comparator == Target.Comparator.MAINTAIN:
        standard = target.target_value if target.target_value is not None else Decimal(1)
        return Status.ACHIEVED if actual >= standard else Status.BEHIND
    if target.target_value is None:
        return Status.INFO
    expected = target.target_value * pace_share(target, quarter)
    if target.kind == Target.Kind.FLOW and comparator == Target.Comparator.LTE:
        if actual > target.target_value:
            return Status.BEHIND
        if quarter == 4:
            return Status.ACHIEVED
        return Status.ON_TRACK if actual <= expected else Status.BEHIND
    if _achieved(target, actual):
        return Status.ACHIEVED
    if quarter == 4:
        return Status.BEHIND
    if target.kind == Target.Kind.FLOW:
        return Status.ON_TRACK if actual >= expected else Status.BEHIND
    with_data = [q for q in sorted(reported) if by_quarter.get(q) is not None]
    current = by_quarter[with_data[-1]] if with_data else actual
    previous = by_quarter[with_data[-2]] if len(with_data) > 1 else baseline
    if previous is None:
        return Status.BEHIND
    return Status.ON_TRACK if _moved_toward(target, current, previous) else Status.BEHIND


def _projection(target: Target, actual: Decimal | None, reported: set[int]) -> Decimal | None:
    """Year-end projection: a flow's year-to-date divided by the share of the year its pace expects
    by the latest quarter with data (`pace_share`); anything else its current value.

    With the even pace this is the run rate × 4 (half the year's figure after quarter II makes the
    whole figure at year end); with the office's profile it follows the seasons: rice at 0/50/100 %
    projects its first harvest × 2 after quarter II. So a flow projected below its figure is exactly a
    flow behind its pace, and a status and the projection beside it tell the same story. A quarter
    still waiting for approval is not counted as a quarter of zero output. Where the pace expects
    nothing yet (rice in quarter I) there is nothing to project from: None.
    """
    if actual is None:
        return None
    if target.kind == Target.Kind.FLOW and reported:
        latest = max(reported)
        if target.pace_profile is None:
            return actual * 4 / latest
        expected = pace_share(target, latest)
        return actual / expected if expected else None
    return actual


def data_fingerprint(plan) -> tuple:
    """What the figures of `plan` depend on, in two small aggregate queries.

    Every change of a figure or a status goes through the services (web form, Excel import, review
    steps), which save the report and so bump its `updated_at`; the admin cannot edit figures. The
    reports' count and latest change therefore say whether any figure may have changed, without
    reading the values themselves. Plan definitions (targets, terms, baselines) are fingerprinted by
    counts and sums, and by the latest `Target.revised_at` that the services stamp (a pace profile);
    an admin edit that keeps those equal (a changed comparator) shows after ROLLUP_CACHE_SECONDS at
    most.
    """
    reports = Report.objects.filter(period__plan=plan).aggregate(n=Count("pk"), last=Max("updated_at"))
    definitions = Target.objects.filter(plan=plan).aggregate(
        n=Count("pk", distinct=True),
        total=Sum("target_value", distinct=True),
        terms=Count("terms", distinct=True),
        base=Max("baseline__value"),
        base_n=Count("baseline", distinct=True),
        revised=Max("revised_at"),
    )
    return tuple(reports.values()) + tuple(definitions.values())


def cached_for_plan(plan, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, served from the cache while `plan`'s data fingerprint is unchanged.

    `parts` name what is computed (and with which arguments, the language of the texts included);
    the fingerprint makes the key change as soon as a figure, a status or a definition of the plan
    changes, so a cached value is never older than the data. With ROLLUP_CACHE_SECONDS = 0 (the
    tests, unless a test turns it on) `compute()` runs every time.
    """
    seconds = getattr(settings, "ROLLUP_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    key_source = repr((plan.pk, parts, data_fingerprint(plan)))
    key = "plan:" + hashlib.sha256(key_source.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def rollup(
    *,
    plan,
    up_to_quarter: int,
    unit_ids: Iterable[int] | None = None,
    include_submitted: bool = False,
    definitions_from: list[TargetResult] | None = None,
) -> list[TargetResult]:
    """`compute_rollup`, served from the cache while the plan's data fingerprint is unchanged.

    The dashboard, its PDF, the API and pledge pages ask for the same few roll-ups again and again.
    ``definitions_from``, another roll-up of the same plan, lends its targets, terms and baselines, so
    that a second roll-up (a unit's beside the ward's) reads only the values: one query, not four.
    """
    _check_quarter(up_to_quarter)
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
    return cached_for_plan(
        plan,
        ("rollup", up_to_quarter, unit_ids, include_submitted),
        lambda: compute_rollup(
            plan=plan,
            up_to_quarter=up_to_quarter,
            unit_ids=unit_ids,
            include_submitted=include_submitted,
            definitions_from=definitions_from,
        ),
    )


def compute_rollup(
    *,
    plan,
    up_to_quarter: int,
    unit_ids: Iterable[int] | None = None,
    include_submitted: bool = False,
    definitions_from: list[TargetResult] | None = None,
) -> list[TargetResult]:
    """Every target of `plan`, in plan order, as it stands after quarter `up_to_quarter`.

    Headings are included (status INFO, no figures) so that a table can be drawn from the list as
    it is. ``unit_ids`` and ``include_submitted`` are passed to `element_totals` (which values
    count). Targets built on other targets (structure shares, yields) are computed after their
    sources whatever the plan order; a formula that refers to itself raises ValueError.

    Four queries in all: targets, their terms with elements, baselines and element totals.
    """
    _check_quarter(up_to_quarter)
    if unit_ids is not None:
        unit_ids = list(unit_ids)
    if definitions_from is not None:
        targets = [r.target for r in definitions_from]
        baselines = {r.target.pk: r.baseline for r in definitions_from if r.baseline is not None}
    else:
        targets = list(
            Target.objects.filter(plan=plan)
            .order_by("order", "pk")
            .prefetch_related(
                Prefetch("terms", queryset=TargetTerm.objects.select_related("element").order_by("pk"))
            )
        )
        baselines = dict(Baseline.objects.filter(target__plan=plan).values_list("target_id", "value"))
    totals = _element_totals(
        plan=plan, up_to_quarter=up_to_quarter, unit_ids=unit_ids, include_submitted=include_submitted
    )
    evaluator = _Evaluator(targets=targets, totals=totals, up_to_quarter=up_to_quarter)
    results = []
    for target in targets:
        by_quarter, nums, dens, reported = evaluator.evaluate(target.pk)
        actual = by_quarter[up_to_quarter]
        baseline = baselines.get(target.pk)
        results.append(
            TargetResult(
                target=target,
                actual=actual,
                by_quarter=by_quarter,
                progress=None if target.is_heading else _progress(target, actual, baseline),
                status=_status(
                    target,
                    actual=actual,
                    quarter=up_to_quarter,
                    by_quarter=by_quarter,
                    reported=reported,
                    baseline=baseline,
                ),
                projection=None if target.is_heading else _projection(target, actual, reported),
                numerator=nums.get(up_to_quarter),
                denominator=dens.get(up_to_quarter),
                baseline=baseline,
                quarters_with_data=tuple(sorted(reported)),
            )
        )
    return results


# --- drill-down: one target, unit by unit -----------------------------------------------------------


def element_ids_behind(target: Target, targets: dict[int, Target]) -> set[int]:
    """The data elements `target` is computed from, directly or through the targets its terms use.

    ``targets`` maps pk to the plan's targets with their terms prefetched (as `rollup` returns them),
    so that no query runs; a term on a target outside it contributes nothing.
    """
    found: set[int] = set()
    seen: set[int] = set()
    stack = [target.pk]
    while stack:
        pk = stack.pop()
        if pk in seen or pk not in targets:
            continue
        seen.add(pk)
        for term in targets[pk].terms.all():
            if term.element_id:
                found.add(term.element_id)
            else:
                stack.append(term.source_target_id)
    return found


@dataclass
class UnitFigure:
    """One unit's own figure for a target after a quarter: a row of the target's drill-down."""

    unit_id: int
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


def rollup_by_unit(
    *,
    plan,
    up_to_quarter: int,
    target: Target,
    unit_ids: Iterable[int] | None = None,
    include_submitted: bool = False,
    targets: list[Target] | None = None,
) -> dict[int, UnitFigure]:
    """`target` as each unit's own figures make it after `up_to_quarter`: ``{unit_id: UnitFigure}``.

    Each unit's figure is the one `rollup(unit_ids=[unit])` gives, by the same evaluator, but for all
    units at once in three queries (targets, their terms, the values behind the target) instead of
    four per unit. ``unit_ids`` limits the units (the user's scope); a unit with no counted value
    behind the target is left out. ``targets``, the plan's targets with their terms as `rollup`
    returned them, spares the two queries that load them.
    """
    _check_quarter(up_to_quarter)
    if targets is None:
        targets = list(
            Target.objects.filter(plan=plan).prefetch_related(
                Prefetch("terms", queryset=TargetTerm.objects.select_related("element").order_by("pk"))
            )
        )
    by_pk = {t.pk: t for t in targets}
    rows = ReportedValue.objects.filter(
        report__period__plan=plan,
        report__period__quarter__lte=up_to_quarter,
        report__status__in=_counted_statuses(include_submitted),
        element_id__in=element_ids_behind(target, by_pk),
    )
    if unit_ids is not None:
        rows = rows.filter(report__unit_id__in=list(unit_ids))
    # One row per unit, element and quarter (a report holds one value per element): nothing to sum
    # within a unit except the carried-forward stocks, which `_add_stocks` does as for the ward.
    per_unit: dict[int, tuple[dict, set, dict]] = defaultdict(lambda: ({}, set(), defaultdict(dict)))
    for element_id, aggregation, unit_id, quarter, value in rows.values_list(
        "element_id", "element__aggregation", "report__unit_id", "report__period__quarter", "value"
    ):
        values, reported, stocks = per_unit[unit_id]
        reported.add((element_id, quarter))
        if aggregation == DataElement.Aggregation.STOCK:
            stocks[(element_id, unit_id)][quarter] = value
        else:
            values[(element_id, quarter)] = value
    figures = {}
    for unit_id, (values, reported, stocks) in per_unit.items():
        _add_stocks(values, stocks, up_to_quarter)
        totals = _ElementTotals(values=values, reported=reported)
        series = _Evaluator(targets=targets, totals=totals, up_to_quarter=up_to_quarter).evaluate(target.pk)
        figures[unit_id] = UnitFigure(
            unit_id=unit_id,
            actual=series.values.get(up_to_quarter),
            numerator=series.numerators.get(up_to_quarter),
            denominator=series.denominators.get(up_to_quarter),
        )
    return figures


# --- judging a figure against another target value (a unit's own commitment) ------------------------


def judge(
    result: TargetResult, *, against: Decimal, quarter: int, baseline: Decimal | None = None
) -> tuple[str, Decimal | None]:
    """(status, progress) of a roll-up result measured against `against` instead of the plan's figure.

    A pledge commits a unit to its own figure for a catalogue target (tổ dân phố 3: 95 % households
    "văn hóa"); its fulfilment uses the same rules as the plan (comparator, pace, trend), with the
    unit's own last-year result as the baseline of a "giảm còn" commitment.
    """
    import copy

    target = copy.copy(result.target)
    target.target_value = against
    baseline = result.baseline if baseline is None else baseline
    status = _status(
        target,
        actual=result.actual,
        quarter=quarter,
        by_quarter=result.by_quarter,
        reported=set(result.quarters_with_data),
        baseline=baseline,
    )
    progress = None if target.is_heading else _progress(target, result.actual, baseline)
    return status, progress
