"""Properties of the roll-up that hold for any data, checked with generated reports (hypothesis).

Each example runs inside a savepoint that is rolled back, so examples do not see each other's units.
"""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import DataElement, Report, ReportedValue, ReportingPeriod, Target, Unit
from indicators.rollup import rollup

from .conftest import strip_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_figures(request, db):
    """Tests that build their own figures start without the demo's units and reports."""
    if "demo" not in request.fixturenames:
        strip_demo()


SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FLOW_ELEMENTS = ["SL_THUY_SAN", "VIEC_LAM_MOI", "GTSX_NLN", "GTSX_CNXD", "SL_LUA", "DT_LUA", "SINH"]


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def periods(plan):
    """The plan's four quarters (the demo's periods, or new ones when the plan has none)."""
    return {
        q: ReportingPeriod.objects.get_or_create(
            plan=plan,
            quarter=q,
            defaults={
                "starts_on": date(2024, 3 * q - 2, 1),
                "ends_on": date(2024, 3 * q, 28),
                "opens_on": date(2024, 3 * q, 15),
                "deadline": date(2024, 3 * q, 25),
            },
        )[0]
        for q in (1, 2, 3, 4)
    }


def add_unit(code: str, reports: dict[int, dict[int, Decimal]], periods) -> Unit:
    """A unit with approved reports: {quarter: {element_id: value}}."""
    unit = Unit.objects.create(code=code, name=code, kind=Unit.Kind.RESIDENTIAL_GROUP)
    for quarter, values in reports.items():
        report = Report.objects.create(unit=unit, period=periods[quarter], status=Report.Status.APPROVED)
        ReportedValue.objects.bulk_create(
            ReportedValue(report=report, element_id=element_id, value=value)
            for element_id, value in values.items()
        )
    return unit


# (poor households, households) of one group: a share, so poor ≤ households, and households ≥ 1.
group_counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda households: st.tuples(st.integers(min_value=0, max_value=households), st.just(households))
)


@SETTINGS
@given(groups=st.lists(group_counts, min_size=1, max_size=6))
def test_the_ward_rate_lies_between_the_smallest_and_largest_group_rate(plan, periods, groups):
    poor = DataElement.objects.get(plan=plan, code="HO_NGHEO").pk
    households = DataElement.objects.get(plan=plan, code="SO_HO").pk
    with rolled_back():
        units = [
            add_unit(f"TDP-{i}", {1: {poor: Decimal(p), households: Decimal(h)}}, periods)
            for i, (p, h) in enumerate(groups)
        ]

        ward = next(r for r in rollup(plan=plan, up_to_quarter=1) if r.target.code == "XH-03")
        group_rates = [
            next(
                r for r in rollup(plan=plan, up_to_quarter=1, unit_ids=[u.pk]) if r.target.code == "XH-03"
            ).actual
            for u in units
        ]

    assert group_rates == [Decimal(p) * 100 / Decimal(h) for p, h in groups]
    assert min(group_rates) <= ward.actual <= max(group_rates)
    assert ward.numerator == sum(Decimal(p) for p, _ in groups)
    assert ward.denominator == sum(Decimal(h) for _, h in groups)


amount = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
unit_reports = st.dictionaries(
    keys=st.integers(min_value=1, max_value=4),
    values=st.dictionaries(keys=st.sampled_from(FLOW_ELEMENTS), values=amount, min_size=1),
    min_size=1,
)


@SETTINGS
@given(existing=st.lists(unit_reports, min_size=1, max_size=4), data=st.data())
def test_a_unit_reporting_zero_flows_changes_no_flow(plan, periods, existing, data):
    elements = dict(DataElement.objects.filter(plan=plan, code__in=FLOW_ELEMENTS).values_list("code", "pk"))
    # The new unit reports zeros for figures the others report, in quarters they report them: a
    # zero where nobody reported anything would rightly turn "no data" into 0.
    reported = sorted({(q, code) for reports in existing for q, values in reports.items() for code in values})
    zeros = data.draw(st.lists(st.sampled_from(reported), min_size=1, unique=True))
    with rolled_back():
        for i, reports in enumerate(existing):
            add_unit(
                f"U-{i}",
                {
                    q: {elements[code]: value for code, value in values.items()}
                    for q, values in reports.items()
                },
                periods,
            )
        before = rollup(plan=plan, up_to_quarter=4)
        zero_reports: dict[int, dict[int, Decimal]] = {}
        for q, code in zeros:
            zero_reports.setdefault(q, {})[elements[code]] = Decimal(0)
        add_unit("U-ZERO", zero_reports, periods)
        after = rollup(plan=plan, up_to_quarter=4)

    flows = [(b, a) for b, a in zip(before, after, strict=True) if b.target.kind == Target.Kind.FLOW]
    assert flows
    for b, a in flows:
        assert (a.actual, a.by_quarter) == (b.actual, b.by_quarter), b.target.code
    # and the flows the generated data touches are what the reports add up to
    fish = next(a for a in after if a.target.code == "KT-11")
    expected = [v.get("SL_THUY_SAN") for reports in existing for v in reports.values()]
    expected = [v for v in expected if v is not None]
    assert fish.actual == (sum(expected, Decimal(0)) if expected else None)
