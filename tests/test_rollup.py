"""The roll-up engine (indicators/rollup.py) as arithmetic against figures computed by hand.

Each test builds the few units and reports it needs on the real 2024 plan, so that the targets'
own formulas (terms, scale, comparator) are the ones under test.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import (
    Baseline,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    TargetTerm,
    Unit,
)
from indicators.rollup import (
    DEFAULT_PACE,
    Status,
    element_totals,
    pace_share,
    rollup,
)

from .conftest import strip_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_figures(request, db):
    """Tests that build their own figures start without the demo's units and reports."""
    if "demo" not in request.fixturenames:
        strip_demo()


D = Decimal


# --- helpers --------------------------------------------------------------------------------------


def period(plan, quarter: int) -> ReportingPeriod:
    month = 3 * quarter
    found, _ = ReportingPeriod.objects.get_or_create(
        plan=plan,
        quarter=quarter,
        defaults={
            "starts_on": date(plan.year, month - 2, 1),
            "ends_on": date(plan.year, month, 28),
            "opens_on": date(plan.year, month, 15),
            "deadline": date(plan.year, month, 25),
        },
    )
    return found


def unit(code: str, kind: str = Unit.Kind.RESIDENTIAL_GROUP) -> Unit:
    return Unit.objects.create(code=code, name=f"Đơn vị {code}", kind=kind)


def report(plan, who: Unit, quarter: int, values: dict[str, str | int], status: str = "approved") -> Report:
    """One unit's report for one quarter with the given element values (by element code)."""
    defaults = {"status": status}
    if status == Report.Status.RETURNED:
        defaults["return_reason"] = "Số liệu chưa khớp"  # a returned report always says why
    r, _ = Report.objects.get_or_create(unit=who, period=period(plan, quarter), defaults=defaults)
    for code, value in values.items():
        ReportedValue.objects.create(
            report=r, element=DataElement.objects.get(plan=plan, code=code), value=D(str(value))
        )
    return r


def results(plan, **kwargs) -> dict[str, object]:
    kwargs.setdefault("up_to_quarter", 1)
    return {r.target.code: r for r in rollup(plan=plan, **kwargs)}


def result(plan, code: str, **kwargs):
    return results(plan, **kwargs)[code]


def target(plan, code: str) -> Target:
    return Target.objects.get(plan=plan, code=code)


def element(plan, code: str) -> DataElement:
    return DataElement.objects.get(plan=plan, code=code)


def close(a: Decimal, b: Decimal) -> bool:
    """Equal up to the last digits of a 28-digit Decimal division (the order of operations differs)."""
    return abs(a - b) < D("1e-20")


# --- ratios ---------------------------------------------------------------------------------------


def test_ratio_is_sum_over_sum_not_the_mean_of_unit_percentages(plan):
    a, b = unit("TDP-A"), unit("TDP-B")
    report(plan, a, 1, {"HO_NGHEO": 10, "SO_HO": 100})
    report(plan, b, 1, {"HO_NGHEO": 1, "SO_HO": 900})

    poor = result(plan, "XH-03")

    assert poor.numerator == D(10 + 1)
    assert poor.denominator == D(100 + 900)
    assert poor.actual == D("1.1")  # 11 ÷ 1000 × 100
    mean_of_percentages = (D(10) / D(100) * 100 + D(1) / D(900) * 100) / 2
    assert poor.actual != mean_of_percentages  # 5,05 % is the trap


def test_a_zero_denominator_gives_no_value_not_zero_percent(plan):
    office = unit("MOT-CUA", Unit.Kind.OFFICE)
    report(plan, office, 1, {"HS_SO_HOA_TN": 0, "HS_TIEP_NHAN": 0})

    digitised = result(plan, "CC-02")

    assert digitised.actual is None
    assert digitised.status == Status.NO_DATA
    assert digitised.denominator == 0


def test_a_ratio_side_is_aggregated_by_its_own_kind(plan):
    """Recruits handed over are a flow (summed over quarters), the quota a stock (latest)."""
    military = unit("BCHQS", Unit.Kind.SECURITY)
    report(plan, military, 1, {"TQ_GIAO_QUAN": 15, "TQ_CHI_TIEU": 22})
    report(plan, military, 2, {"TQ_GIAO_QUAN": 5, "TQ_CHI_TIEU": 22})

    recruits = result(plan, "QP-01", up_to_quarter=2)

    assert recruits.numerator == D(15 + 5)
    assert recruits.denominator == D(22)
    assert close(recruits.actual, D(20) / D(22) * 100)
    assert recruits.by_quarter[1] is not None and close(recruits.by_quarter[1], D(15) / D(22) * 100)


def test_natural_growth_is_births_minus_deaths_over_population(plan):
    civil = unit("TP-HT", Unit.Kind.OFFICE)
    group = unit("TDP-1")
    report(plan, civil, 1, {"SINH": 52, "TU": 25})
    report(plan, civil, 2, {"SINH": 47, "TU": 22})
    report(plan, group, 1, {"DAN_SO": 10000})
    report(plan, group, 2, {"DAN_SO": 10020})

    growth = results(plan, up_to_quarter=2)["XH-05"]

    assert growth.numerator == D((52 + 47) - (25 + 22))
    assert growth.denominator == D(10020)  # population is a stock: Q2 only
    assert close(growth.actual, D(52) * 100 / D(10020))
    assert growth.by_quarter[1] == D(52 - 25) * 100 / D(10000)


# --- stocks and flows -----------------------------------------------------------------------------


def test_a_stock_is_never_summed_over_quarters(plan):
    farm = unit("TDP-1")
    report(plan, farm, 1, {"DAN_BO": 500})
    report(plan, farm, 2, {"DAN_BO": 520})

    herd = result(plan, "KT-08", up_to_quarter=2)

    assert herd.actual == D(520)
    assert herd.by_quarter == {1: D(500), 2: D(520)}
    assert herd.projection == D(520)


def test_a_unit_without_a_new_stock_figure_still_counts_with_its_last_one(plan):
    early, late = unit("TDP-1"), unit("TDP-2")
    report(plan, early, 1, {"DAN_BO": 500})
    report(plan, early, 2, {"DAN_BO": 520})
    report(plan, late, 1, {"DAN_BO": 30})  # its Q2 report is not in yet

    herd = result(plan, "KT-08", up_to_quarter=2)
    totals = element_totals(plan=plan, up_to_quarter=2)

    assert herd.actual == D(520 + 30)
    assert totals[(element(plan, "DAN_BO").pk, 1)] == D(500 + 30)
    assert totals[(element(plan, "DAN_BO").pk, 2)] == D(520 + 30)


def test_a_stock_stands_until_the_units_next_counted_figure_quarter_by_quarter(plan):
    """Gaps, a late figure and a draft: each unit's herd stands from its quarter until its next
    counted one, and only counted (approved) reports end it."""
    a, b, c = unit("TDP-1"), unit("TDP-2"), unit("TDP-3")
    report(plan, a, 1, {"DAN_BO": 100})
    report(plan, a, 3, {"DAN_BO": D("130.5")})  # nothing in Q2: Q1's herd stands in Q2
    report(plan, b, 1, {"DAN_BO": 50})
    report(plan, b, 2, {"DAN_BO": 60})
    report(plan, b, 4, {"DAN_BO": 999}, status="draft")  # a draft ends nothing
    report(plan, c, 2, {"DAN_BO": 7})  # starts in Q2
    report(plan, c, 4, {"DAN_BO": 8}, status="submitted")  # ends C's Q2 figure only with the switch

    herd = element(plan, "DAN_BO").pk
    totals = element_totals(plan=plan, up_to_quarter=4)
    assert [totals.get((herd, q)) for q in (1, 2, 3, 4)] == [
        D(150),
        D(100 + 60 + 7),
        D("130.5") + 60 + 7,
        D("130.5") + 60 + 7,
    ]
    with_submitted = element_totals(plan=plan, up_to_quarter=4, include_submitted=True)
    assert with_submitted[(herd, 4)] == D("130.5") + 60 + 8
    assert element_totals(plan=plan, up_to_quarter=2) == {(herd, 1): D(150), (herd, 2): D(167)}
    assert element_totals(plan=plan, up_to_quarter=4, unit_ids=[c.pk]) == {
        (herd, 2): D(7),
        (herd, 3): D(7),
        (herd, 4): D(7),
    }
    assert element_totals(plan=plan, up_to_quarter=4, unit_ids=[]) == {}


def test_buffalo_are_inside_the_herd_never_added_on_top(plan):
    a, b = unit("TDP-1"), unit("TDP-2")
    report(plan, a, 1, {"DAN_TRAU": 6, "DAN_BO": 90})
    report(plan, b, 1, {"DAN_TRAU": 4, "DAN_BO": 100})

    found = results(plan)

    assert found["KT-08a"].actual == D(6 + 4)
    assert found["KT-08"].actual == D(6 + 90 + 4 + 100)
    assert found["KT-08"].actual != found["KT-08a"].actual + D(6 + 90 + 4 + 100)


def test_flow_year_to_date_adds_the_quarters_of_every_unit(plan):
    fishers, farmers = unit("HND", Unit.Kind.MASS_ORG), unit("DC-NN", Unit.Kind.OFFICE)
    q = {1: ("12.5", "26"), 2: ("20.2", "27"), 3: ("30.3", "21")}
    for quarter, (first, second) in q.items():
        report(plan, fishers, quarter, {"SL_THUY_SAN": first})
        report(plan, farmers, quarter, {"SL_THUY_SAN": second})

    fish = result(plan, "KT-11", up_to_quarter=3)

    per_quarter = {n: D(a) + D(b) for n, (a, b) in q.items()}
    assert fish.actual == per_quarter[1] + per_quarter[2] + per_quarter[3]
    assert fish.by_quarter == {
        1: per_quarter[1],
        2: per_quarter[1] + per_quarter[2],
        3: per_quarter[1] + per_quarter[2] + per_quarter[3],
    }
    assert result(plan, "KT-11", up_to_quarter=2).actual == per_quarter[1] + per_quarter[2]
    totals = element_totals(plan=plan, up_to_quarter=3)
    assert totals[(element(plan, "SL_THUY_SAN").pk, 2)] == per_quarter[2]  # not cumulative


def test_a_total_target_adds_its_elements(plan):
    office = unit("VP-TK", Unit.Kind.OFFICE)
    report(plan, office, 1, {"GTSX_NLN": "19.8", "GTSX_CNXD": "98.4", "GTSX_TMDV": "45.2"})

    assert result(plan, "KT-01").actual == D("19.8") + D("98.4") + D("45.2")


# --- derived targets ------------------------------------------------------------------------------


def test_structure_share_is_a_sector_over_total_output(plan):
    office = unit("VP-TK", Unit.Kind.OFFICE)
    report(plan, office, 1, {"GTSX_NLN": 20, "GTSX_CNXD": 100, "GTSX_TMDV": 40})

    found = results(plan)
    share = found["KT-02b"]

    assert share.numerator == D(100)
    assert share.denominator == D(20 + 100 + 40)
    assert share.actual == D(100) / D(160) * 100
    assert share.status == Status.INFO and share.progress is None
    parts = found["KT-02a"].actual + found["KT-02b"].actual + found["KT-02c"].actual
    assert close(parts, D(100))


def test_rice_yield_is_output_over_area_times_ten(plan):
    farm = unit("DC-NN", Unit.Kind.OFFICE)
    report(plan, farm, 2, {"SL_LUA": 2088, "DT_LUA": 360})
    report(plan, farm, 3, {"SL_LUA": "2043.4", "DT_LUA": 356})

    after_q2 = result(plan, "KT-07a.2", up_to_quarter=2)
    after_q3 = result(plan, "KT-07a.2", up_to_quarter=3)

    assert after_q2.actual == D(2088) / D(360) * 10 == D(58)
    assert after_q2.status == Status.ACHIEVED  # ≥ 58 tạ/ha
    assert after_q3.numerator == D(2088) + D("2043.4")
    assert after_q3.denominator == D(360 + 356)
    assert close(after_q3.actual, (D(2088) + D("2043.4")) * 10 / D(716))


def test_derived_targets_are_computed_after_their_sources_whatever_the_order(plan):
    office = unit("VP-TK", Unit.Kind.OFFICE)
    report(plan, office, 1, {"GTSX_NLN": 20, "GTSX_CNXD": 100, "GTSX_TMDV": 40})
    # Move the share before its sources in plan order.
    Target.objects.filter(plan=plan, code="KT-02b").update(order=0)

    found = rollup(plan=plan, up_to_quarter=1)

    assert found[0].target.code == "KT-02b"
    assert found[0].actual == D(100) / D(160) * 100


def test_a_formula_that_refers_to_itself_is_refused(plan):
    common = {"plan": plan, "group": "economic", "kind": "derived", "comparator": "gte", "target_value": 1}
    a = Target.objects.create(code="T-A", name="A", order=900, **common)
    b = Target.objects.create(code="T-B", name="B", order=901, **common)
    TargetTerm.objects.create(target=a, source_target=b)
    TargetTerm.objects.create(target=b, source_target=a)

    with pytest.raises(ValueError, match="depends on itself"):
        rollup(plan=plan, up_to_quarter=1)


# --- comparators ----------------------------------------------------------------------------------


def test_giam_con_progress_is_measured_from_last_years_result(plan):
    Baseline.objects.create(target=target(plan, "XH-03"), value=D("3.12"))
    group = unit("TDP-1")
    report(plan, group, 1, {"HO_NGHEO": 28, "SO_HO": 1000})  # 2,80 %

    poor = result(plan, "XH-03")

    assert poor.actual == D("2.8")
    expected = (D("3.12") - D("2.80")) / (D("3.12") - D("2.57")) * 100
    assert close(poor.progress, expected)
    assert poor.baseline == D("3.12")
    assert poor.status == Status.ON_TRACK  # 2,80 < 3,12: moving down, not yet 2,57


def test_giam_con_is_achieved_at_or_below_the_target(plan):
    Baseline.objects.create(target=target(plan, "XH-03"), value=D("3.12"))
    group = unit("TDP-1")
    report(plan, group, 1, {"HO_NGHEO": 257, "SO_HO": 10000})  # exactly 2,57 %

    poor = result(plan, "XH-03")

    assert poor.status == Status.ACHIEVED
    assert close(poor.progress, D(100))


def test_giam_con_without_baseline_has_no_progress(plan):
    report(plan, unit("TDP-1"), 1, {"HO_NGHEO": 28, "SO_HO": 1000})

    poor = result(plan, "XH-03")

    assert poor.actual == D("2.8") and poor.progress is None


def test_giam_con_moving_away_shows_zero_progress_and_is_behind(plan):
    Baseline.objects.create(target=target(plan, "XH-03"), value=D("3.12"))
    report(plan, unit("TDP-1"), 1, {"HO_NGHEO": 35, "SO_HO": 1000})  # 3,5 % > last year

    poor = result(plan, "XH-03")

    assert poor.progress == 0
    assert poor.status == Status.BEHIND


@pytest.mark.parametrize(
    ("digitised", "received", "achieved"),
    [(55, 100, False), (551, 1000, True), (549, 1000, False)],
)
def test_above_55_percent_is_strict(plan, digitised, received, achieved):
    report(plan, unit("MOT-CUA", Unit.Kind.OFFICE), 1, {"HS_SO_HOA_TN": digitised, "HS_TIEP_NHAN": received})

    found = result(plan, "CC-02")

    assert found.actual == D(digitised) * 100 / D(received)
    assert (found.status == Status.ACHIEVED) is achieved
    assert found.progress == D(digitised) * 100 / D(received) * 100 / D(55)


def test_at_least_is_achieved_at_exactly_the_target(plan):
    report(plan, unit("MOT-CUA", Unit.Kind.OFFICE), 1, {"HS_DUNG_HAN": 97, "HS_GIAI_QUYET": 100})

    on_time = result(plan, "CC-01")

    assert on_time.actual == D(97) and on_time.status == Status.ACHIEVED and on_time.progress == D(100)


@pytest.mark.parametrize(("reported", "status"), [(1, Status.ACHIEVED), (0, Status.BEHIND)])
def test_a_yes_no_standard_is_held_or_not(plan, reported, status):
    report(plan, unit("TYT", Unit.Kind.HEALTH), 1, {"CHUAN_Y_TE": reported})

    health = result(plan, "XH-07")

    assert health.actual == D(reported) and health.status == status and health.progress is None


def test_a_level_standard_counts_the_latest_report(plan):
    school = unit("TH", Unit.Kind.SCHOOL)
    report(plan, school, 1, {"PC_TH": 3})
    report(plan, school, 2, {"PC_TH": 2})

    assert result(plan, "XH-08b", up_to_quarter=1).status == Status.ACHIEVED
    after_q2 = result(plan, "XH-08b", up_to_quarter=2)
    assert after_q2.actual == D(2) and after_q2.status == Status.BEHIND


def test_headings_are_informative_and_carry_no_figure(plan):
    report(plan, unit("VP-TK", Unit.Kind.OFFICE), 1, {"GTSX_NLN": 20})

    heading = result(plan, "KT-02")

    assert heading.status == Status.INFO
    assert heading.actual is None and heading.progress is None and heading.projection is None


# --- pace and trend -------------------------------------------------------------------------------


@pytest.mark.parametrize(("share", "status"), [("0.40", Status.BEHIND), ("0.55", Status.ON_TRACK)])
def test_a_flow_is_judged_against_its_expected_share_of_the_year(plan, share, status):
    fish_target = target(plan, "KT-11").target_value
    half_year = fish_target * D(share)
    report(plan, unit("DC-NN", Unit.Kind.OFFICE), 1, {"SL_THUY_SAN": half_year / 2})
    report(plan, unit("HND", Unit.Kind.MASS_ORG), 2, {"SL_THUY_SAN": half_year / 2})

    fish = result(plan, "KT-11", up_to_quarter=2)

    assert fish.actual == half_year
    assert fish.status == status
    assert fish.progress == half_year * 100 / fish_target
    assert fish.projection == half_year * 4 / 2


def test_pace_share_defaults_to_a_quarter_a_quarter(plan):
    fish = target(plan, "KT-11")
    assert [pace_share(fish, q) for q in (1, 2, 3, 4)] == [D("0.25"), D("0.5"), D("0.75"), D(1)]
    assert DEFAULT_PACE[4] == 1


def test_a_flow_reached_early_is_achieved_and_one_missed_after_q4_is_behind(plan):
    fish_target = target(plan, "KT-11").target_value
    office = unit("DC-NN", Unit.Kind.OFFICE)
    report(plan, office, 1, {"SL_THUY_SAN": fish_target})

    assert result(plan, "KT-11", up_to_quarter=1).status == Status.ACHIEVED
    Target.objects.filter(pk=target(plan, "KT-11").pk).update(target_value=fish_target * 2)
    # Half the year's figure after Q4: well behind, and no pace can save it.
    assert result(plan, "KT-11", up_to_quarter=4).status == Status.BEHIND


def test_the_run_rate_does_not_count_a_pending_quarter_as_zero(plan):
    office = unit("DC-NN", Unit.Kind.OFFICE)
    report(plan, office, 1, {"SL_THUY_SAN": 40})
    report(plan, office, 2, {"SL_THUY_SAN": 50})
    report(plan, office, 3, {"SL_THUY_SAN": 45}, status="submitted")

    fish = result(plan, "KT-11", up_to_quarter=3)

    assert fish.actual == D(90)
    assert fish.projection == D(90) * 4 / 2


@pytest.mark.parametrize(("spent", "status"), [("0.20", Status.ON_TRACK), ("0.30", Status.BEHIND)])
def test_a_spending_ceiling_is_judged_by_its_execution_rate(plan, spent, status):
    ceiling = target(plan, "KT-05").target_value
    report(plan, unit("TC-KT", Unit.Kind.OFFICE), 1, {"CHI_NS_PHUONG": ceiling * D(spent)})

    spending = result(plan, "KT-05")

    assert spending.progress == D(spent) * 100
    assert spending.status == status


def test_a_spending_ceiling_is_achieved_only_when_the_year_stays_under_it(plan):
    ceiling = target(plan, "KT-05").target_value
    office = unit("TC-KT", Unit.Kind.OFFICE)
    for quarter in (1, 2, 3, 4):
        report(plan, office, quarter, {"CHI_NS_PHUONG": ceiling * D("0.24")})

    assert result(plan, "KT-05", up_to_quarter=4).status == Status.ACHIEVED
    report(plan, unit("TC-KT-2", Unit.Kind.OFFICE), 4, {"CHI_NS_PHUONG": ceiling * D("0.05")})
    assert result(plan, "KT-05", up_to_quarter=4).status == Status.BEHIND


@pytest.mark.parametrize(("second", "status"), [(5200, Status.ON_TRACK), (4900, Status.BEHIND)])
def test_a_rate_not_yet_reached_is_on_track_while_it_moves_toward_the_target(plan, second, status):
    office = unit("VH-XH", Unit.Kind.OFFICE)
    report(plan, office, 1, {"LD_DAO_TAO": 5000, "LD_TONG": 10000})  # 50 %
    report(plan, office, 2, {"LD_DAO_TAO": second, "LD_TONG": 10000})

    trained = result(plan, "XH-02", up_to_quarter=2)

    assert trained.actual == D(second) * 100 / D(10000)
    assert trained.status == status
    # After Q4 a target not reached is behind, whatever its direction.
    assert result(plan, "XH-02", up_to_quarter=4).status == Status.BEHIND


def test_a_first_quarter_rate_is_compared_with_last_year_or_else_behind(plan):
    report(plan, unit("VH-XH", Unit.Kind.OFFICE), 1, {"LD_DAO_TAO": 5300, "LD_TONG": 10000})

    assert result(plan, "XH-02").status == Status.BEHIND  # nothing to compare with
    Baseline.objects.create(target=target(plan, "XH-02"), value=D("52.6"))
    assert result(plan, "XH-02").status == Status.ON_TRACK  # 53 % > 52,6 % last year


# --- which values count ---------------------------------------------------------------------------


def test_only_approved_values_count_unless_submitted_are_asked_for(plan):
    amounts = {"approved": 10, "submitted": 200, "draft": 3000, "returned": 40000}
    for status, amount in amounts.items():
        report(plan, unit(f"U-{status}", Unit.Kind.OFFICE), 1, {"VIEC_LAM_MOI": amount}, status=status)

    assert result(plan, "XH-01").actual == D(amounts["approved"])
    with_submitted = result(plan, "XH-01", include_submitted=True)
    assert with_submitted.actual == D(amounts["approved"] + amounts["submitted"])


def test_nothing_reported_means_no_data(plan):
    report(plan, unit("TDP-1"), 1, {"SO_HO": 500}, status="draft")

    for found in rollup(plan=plan, up_to_quarter=2):
        expected = Status.INFO if found.target.is_heading else Status.NO_DATA
        assert found.status == expected, found.target.code
        assert found.actual is None and found.progress is None and found.projection is None
        assert found.by_quarter == {1: None, 2: None}


def test_a_numerator_without_data_gives_no_rate(plan):
    report(plan, unit("TDP-1"), 1, {"SO_HO": 500})

    poor = result(plan, "XH-03")

    assert poor.actual is None and poor.status == Status.NO_DATA
    assert poor.denominator == D(500)


def test_unit_ids_restrict_the_roll_up_to_those_units(plan):
    a, b, c = unit("TDP-1"), unit("TDP-2"), unit("TDP-3")
    report(plan, a, 1, {"HO_NGHEO": 10, "SO_HO": 100})
    report(plan, b, 1, {"HO_NGHEO": 1, "SO_HO": 900})
    report(plan, c, 1, {"HO_NGHEO": 7, "SO_HO": 300})

    only_b = result(plan, "XH-03", unit_ids=[b.pk])
    a_and_c = result(plan, "XH-03", unit_ids=iter([a.pk, c.pk]))
    none = result(plan, "XH-03", unit_ids=[])

    assert only_b.actual == D(1) * 100 / D(900)
    assert a_and_c.numerator == D(10 + 7) and a_and_c.denominator == D(100 + 300)
    assert none.actual is None and none.status == Status.NO_DATA


def test_values_of_later_quarters_are_not_counted(plan):
    office = unit("VH-XH", Unit.Kind.OFFICE)
    report(plan, office, 1, {"VIEC_LAM_MOI": 78})
    report(plan, office, 2, {"VIEC_LAM_MOI": 96})

    jobs = result(plan, "XH-01", up_to_quarter=1)

    assert jobs.actual == D(78) and list(jobs.by_quarter) == [1]


@pytest.mark.parametrize("quarter", [0, 5])
def test_quarter_outside_the_year_is_refused(plan, quarter):
    with pytest.raises(ValueError):
        rollup(plan=plan, up_to_quarter=quarter)


# --- the demo set ---------------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_the_demo_rolls_up_every_quarter(demo, quarter):
    found = rollup(plan=demo, up_to_quarter=quarter)

    assert [r.target.code for r in found] == list(
        demo.targets.order_by("order").values_list("code", flat=True)
    )
    for r in found:
        if r.target.is_heading:
            assert r.status == Status.INFO
        elif r.actual is None:
            assert r.status == Status.NO_DATA, r.target.code
        else:
            assert r.status in {Status.ACHIEVED, Status.ON_TRACK, Status.BEHIND, Status.INFO}, r.target.code
            assert isinstance(r.actual, Decimal)
    # The demo reports every figure from Q1 on; only a rate over nothing (rice yield before the
    # first harvest: 0 ha) has no value.
    for r in found:
        if not r.target.is_heading and r.actual is None:
            assert r.denominator == 0, r.target.code


def test_the_demo_poor_household_rate_matches_the_raw_reports(demo):
    """Q2 from the approved group reports, added up here in Python, independently of the engine."""
    rows = ReportedValue.objects.filter(report__period__quarter=2, report__status="approved")
    poor = sum(v.value for v in rows.filter(element__code="HO_NGHEO"))
    households = sum(v.value for v in rows.filter(element__code="SO_HO"))

    found = result(demo, "XH-03", up_to_quarter=2)

    assert found.numerator == poor and found.denominator == households
    assert close(found.actual, poor * 100 / households)


def test_the_demo_third_quarter_is_pending_until_asked_for(demo):
    jobs_q3 = sum(
        v.value for v in ReportedValue.objects.filter(report__period__quarter=3, element__code="VIEC_LAM_MOI")
    )
    approved = result(demo, "XH-01", up_to_quarter=3)
    preview = result(demo, "XH-01", up_to_quarter=3, include_submitted=True)

    assert preview.actual == approved.actual + jobs_q3


# --- queries --------------------------------------------------------------------------------------


def _fill(plan, n_units: int) -> None:
    start = Unit.objects.count()
    for i in range(start, start + n_units):
        group = unit(f"TDP-{i:02d}")
        for quarter in (1, 2, 3):
            report(
                plan,
                group,
                quarter,
                {"SO_HO": 500 + i, "HO_NGHEO": 15 + quarter, "DAN_BO": 90, "VIEC_LAM_MOI": 3 + quarter},
            )


def _count_queries(plan, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        rollup(plan=plan, **kwargs)
    return len(ctx.captured_queries)


def test_the_roll_up_runs_a_constant_number_of_queries(plan, django_assert_num_queries):
    _fill(plan, 2)
    with_two_units = _count_queries(plan, up_to_quarter=3)
    _fill(plan, 30)
    unit_ids = list(Unit.objects.values_list("pk", flat=True))
    with_thirty_two_units = _count_queries(plan, up_to_quarter=3, unit_ids=unit_ids)

    assert Unit.objects.count() == 32
    assert with_two_units == with_thirty_two_units
    with django_assert_num_queries(4):  # targets, terms, baselines, element totals
        rollup(plan=plan, up_to_quarter=4, include_submitted=True)


def test_element_totals_is_one_query(plan, django_assert_num_queries):
    _fill(plan, 3)
    with django_assert_num_queries(1):
        totals = element_totals(plan=plan, up_to_quarter=3)
    assert totals[(element(plan, "SO_HO").pk, 3)] == D(500 + 501 + 502)
