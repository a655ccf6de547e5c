"""The progress pages: ward dashboard, a target's drill-down, a unit's page, and their SVG charts.

Figures are checked three ways: against sums of the raw ReportedValue rows computed here by hand,
against `rollup()` itself (the page must show what the engine says, nothing of its own), and for the
ratio rule (Σ numerator ÷ Σ denominator, never the mean of the units' rates). Query counts are taken
at two data sizes and must be equal.
"""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import charts
from indicators.dashboard_views import figure_text
from indicators.models import (
    Assignment,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    Unit,
)
from indicators.rollup import Status, rollup, rollup_by_unit
from indicators.templatetags.vn import format_number

from .reporting import add_ratio_targets

pytestmark = pytest.mark.django_db

D = Decimal
DASHBOARD = "/tien-do/2024/"


# --- helpers --------------------------------------------------------------------------------------


def user(username: str):
    return get_user_model().objects.get(username=username)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(page: str, key: str) -> str:
    """The markup of one section of the dashboard ("behind" or "rest"), or "" when absent."""
    match = re.search(rf'data-testid="section-{key}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def target_rows(markup: str) -> list[tuple[str, str, str]]:
    """(code, status, year-to-date text) of every target row, in page order."""
    rows = []
    for code, status, body in re.findall(
        r'<tr class="depth-\d+" data-code="([^"]+)" data-status="([^"]+)">(.*?)</tr>', markup, re.S
    ):
        actual = re.search(r'data-testid="actual">([^<]*)<', body).group(1)
        rows.append((code, status, actual))
    return rows


def row_markup(page: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr[^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {attribute}={value}"
    return match.group(1)


def cells(markup: str) -> list[str]:
    """The text of each cell of a row, tags stripped."""
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", markup, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in found]


def approved_values(plan, code: str, quarter: int) -> list[Decimal]:
    """The raw approved values of one element in one quarter, one per unit, straight from the table."""
    return list(
        ReportedValue.objects.filter(
            element__plan=plan,
            element__code=code,
            report__period__quarter=quarter,
            report__status=Report.Status.APPROVED,
        ).values_list("value", flat=True)
    )


def grow(plan, *, units: int = 40, extra_targets: int = 3) -> None:
    """A bigger ward: `units` more residential groups reporting quarters I–III (approved) like the
    demo's groups, and a few more ratio targets, so that units, targets and quarters all change."""
    group_elements = list(DataElement.objects.filter(plan=plan, assignments__unit__code="TDP-01"))
    parent = Unit.objects.filter(kind=Unit.Kind.WARD).first()
    new_units = Unit.objects.bulk_create(
        Unit(
            code=f"X-{n:02d}",
            name=f"Tổ dân phố mới {n}",
            kind=Unit.Kind.RESIDENTIAL_GROUP,
            parent=parent,
            order=500 + n,
        )
        for n in range(units)
    )
    Assignment.objects.bulk_create(Assignment(unit=u, element=e) for u in new_units for e in group_elements)
    averages = {}
    for element in group_elements:
        values = approved_values(plan, element.code, 2)
        averages[element.pk] = sum(values) / len(values)
    for period in ReportingPeriod.objects.filter(plan=plan, quarter__lte=3):
        reports = Report.objects.bulk_create(
            Report(unit=u, period=period, status=Report.Status.APPROVED) for u in new_units
        )
        ReportedValue.objects.bulk_create(
            ReportedValue(report=r, element=e, value=averages[e.pk].quantize(D(1)))
            for r in reports
            for e in group_elements
        )
    add_ratio_targets(plan, extra_targets, prefix="XT-")


def add_report(plan, unit_code: str, quarter: int, values: dict[str, str], status=Report.Status.SUBMITTED):
    report = Report.objects.create(
        unit=unit(unit_code), period=ReportingPeriod.objects.get(plan=plan, quarter=quarter), status=status
    )
    for code, value in values.items():
        ReportedValue.objects.create(
            report=report, element=DataElement.objects.get(plan=plan, code=code), value=D(value)
        )
    return report


@pytest.fixture
def chairman(client, demo):
    client.force_login(user("chutich"))
    return client


# --- the dashboard's figures ----------------------------------------------------------------------


def test_poor_household_rate_is_computed_from_the_raw_counts(chairman, demo):
    """XH-03 after quarter II: Σ poor households ÷ Σ households × 100 over the eight groups."""
    poor = approved_values(demo, "HO_NGHEO", 2)
    households = approved_values(demo, "SO_HO", 2)
    assert len(poor) == len(households) == 8  # every group reported in Q2: nothing carried forward
    assert (sum(poor), sum(households)) == (133, 4742)
    rate = D(133) * 100 / D(4742)  # 2,8047… %
    page = html(chairman.get(DASHBOARD))
    assert "quý II/2024" in page  # the latest quarter with approved data is the default
    shown = dict((code, actual) for code, _s, actual in target_rows(page))
    assert shown["XH-03"] == f"{format_number(rate, 2)} %" == "2,8 %"


def test_grain_output_sums_rice_and_maize_over_the_quarters(chairman, demo):
    """KT-07 (a flow): rice plus maize, quarter I plus quarter II."""
    total = sum(
        sum(approved_values(demo, code, quarter)) for code in ("SL_LUA", "SL_NGO") for quarter in (1, 2)
    )
    assert total == D("2199.6")
    shown = dict((code, actual) for code, _s, actual in target_rows(html(chairman.get(DASHBOARD))))
    assert shown["KT-07"] == "2.199,6 tấn"
    assert shown["KT-01"] == "341,7 tỷ đồng"


def test_every_figure_on_the_page_is_the_roll_up(chairman, demo):
    results = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2)}
    rows = target_rows(html(chairman.get(DASHBOARD)))
    assert {code for code, *_ in rows} == {c for c, r in results.items() if not r.target.is_heading}
    for code, status, actual in rows:
        assert status == results[code].status, code
        assert actual == figure_text(results[code].target, results[code].actual), code


def test_behind_first_then_the_rest_in_plan_order(chairman, demo):
    results = rollup(plan=demo, up_to_quarter=2)
    page = html(chairman.get(DASHBOARD))
    behind = [code for code, *_ in target_rows(section(page, "behind"))]
    rest = target_rows(section(page, "rest"))
    assert behind == [r.target.code for r in results if r.status == Status.BEHIND]
    assert behind[:3] == ["KT-01", "KT-01b", "KT-01c"]
    assert all(status != Status.BEHIND for _c, status, _a in rest)
    plan_order = [r.target.code for r in results]
    assert [c for c, *_ in rest] == sorted((c for c, *_ in rest), key=plan_order.index)
    assert page.index('data-testid="section-behind"') < page.index('data-testid="section-rest"')
    counts = Counter(r.status for r in results if not r.target.is_heading)
    for status in Status.values:
        assert re.search(rf'data-testid="count-{status}">{counts.get(status, 0)}<', page), status


def test_headings_are_group_rows_without_figures(chairman):
    rest = section(html(chairman.get(DASHBOARD)), "rest")
    heading = row_markup(rest, "data-code", "XH-08")
    assert "Phổ cập giáo dục" in heading or "phổ cập" in heading.lower()
    assert 'data-testid="actual"' not in heading and "<svg" not in heading
    assert "Lĩnh vực xã hội" in rest  # a caption row per group


def test_charts_are_inline_svg_without_styles_or_scripts(chairman):
    page = html(chairman.get(DASHBOARD))
    main = page[page.index("<main") : page.index("</main>")]
    kt01 = row_markup(main, "data-code", "KT-01")
    assert '<svg class="chart-progress"' in kt01 and '<svg class="chart-sparkline"' in kt01
    assert 'class="bar-value" width="48.4"' in kt01  # 341,7 ÷ 705,6 = 48,4 %
    assert 'class="bar-expected" x1="50.0"' in kt01  # half the year's output expected after Q2
    assert "style=" not in main and "<script" not in main


# --- filters --------------------------------------------------------------------------------------


def test_quarter_filter(chairman):
    page = html(chairman.get(DASHBOARD, {"quarter": 1}))
    assert "quý I/2024" in page
    assert dict((c, a) for c, _s, a in target_rows(page))["KT-01"] == "163,4 tỷ đồng"
    # A value that is not a quarter falls back to the default.
    assert "quý II/2024" in html(chairman.get(DASHBOARD, {"quarter": "9"}))


def test_default_quarter_without_any_approved_data_is_the_first(client, plan, make_user):
    ReportedValue.objects.all().delete()
    Report.objects.all().delete()
    client.force_login(make_user("leadership"))
    page = html(client.get(DASHBOARD))
    assert "quý I/2024" in page
    assert {status for _c, status, _a in target_rows(page)} <= {Status.NO_DATA, Status.INFO}


def test_group_and_content_filters(chairman):
    social = target_rows(html(chairman.get(DASHBOARD, {"group": "social"})))
    assert social and all(code.startswith("XH-") for code, *_ in social)
    reform = target_rows(html(chairman.get(DASHBOARD, {"content": 6})))
    assert [code for code, *_ in reform] == ["CC-01", "CC-02", "CC-03"]
    both = target_rows(html(chairman.get(DASHBOARD, {"group": "defence", "content": 6})))
    assert both == []


def test_unit_filter_shows_that_units_figures_for_what_it_reports(chairman, demo):
    tdp1 = unit("TDP-01")
    page = html(chairman.get(DASHBOARD, {"unit": tdp1.pk}))
    shown = dict((c, a) for c, _s, a in target_rows(page))
    # TDP-01's own rate: 15 poor households of 582 after Q2.
    assert shown["XH-03"] == f"{format_number(D(15) * 100 / D(582), 2)} %" == "2,58 %"
    assert "KT-01" not in shown and "CC-01" not in shown  # targets the group does not report
    assert 'data-testid="unit-scope"' in page and "Tổ dân phố 1" in page
    assert reverse("dashboard-unit", args=[2024, "TDP-01"]) in page


def test_submitted_switch_counts_figures_waiting_for_approval(chairman, demo):
    add_report(demo, "TDP-01", 4, {"HO_NGHEO": "0", "SO_HO": "600"})
    official = dict((c, a) for c, _s, a in target_rows(html(chairman.get(DASHBOARD, {"quarter": 4}))))
    page = html(chairman.get(DASHBOARD, {"quarter": 4, "submitted": 1}))
    preview = dict((c, a) for c, _s, a in target_rows(page))
    # Approved only: nothing after Q2, each group's Q2 count carried forward.
    assert official["XH-03"] == "2,8 %"
    expected = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=4, include_submitted=True)}["XH-03"]
    assert preview["XH-03"] == figure_text(expected.target, expected.actual) != official["XH-03"]
    assert "gồm cả số liệu đã gửi nhưng chưa được duyệt" in page
    assert "chỉ tính các báo cáo đã được duyệt" not in page


def test_submitted_switch_moves_the_default_quarter_to_the_submitted_one(chairman):
    assert "quý III/2024" in html(chairman.get(DASHBOARD, {"submitted": 1}))


# --- permissions ----------------------------------------------------------------------------------

URLS = [
    DASHBOARD,
    "/tien-do/",
    "/tien-do/2024/chi-tieu/XH-03/",
    "/tien-do/2024/don-vi/TDP-01/",
]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_users_are_sent_to_the_login_page(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("url", URLS)
def test_accounts_without_a_role_are_refused(client, demo, make_user, url):
    client.force_login(make_user(None))
    assert client.get(url).status_code == 403


# username, url, expected status
MATRIX = [
    ("chutich", DASHBOARD, 200),
    ("vanphong", DASHBOARD, 200),
    ("canbo", DASHBOARD, 200),
    ("totruong1", DASHBOARD, 200),
    ("hoidong", DASHBOARD, 200),
    ("quantri", DASHBOARD, 200),
    ("totruong1", "/tien-do/2024/chi-tieu/XH-03/", 200),
    ("hoidong", "/tien-do/2024/chi-tieu/KT-01/", 200),
    ("chutich", "/tien-do/2024/chi-tieu/KHONG-CO/", 404),
    ("chutich", "/tien-do/2030/", 404),
    ("totruong1", "/tien-do/2024/don-vi/TDP-01/", 200),
    ("totruong1", "/tien-do/2024/don-vi/TDP-02/", 404),
    ("totruong1", "/tien-do/2024/don-vi/KHONG-CO/", 404),
    ("canbo", "/tien-do/2024/don-vi/DC-NN/", 200),
    ("canbo", "/tien-do/2024/don-vi/TDP-01/", 404),
    ("hoidong", "/tien-do/2024/don-vi/TDP-05/", 200),
    ("chutich", "/tien-do/2024/don-vi/BCHQS/", 200),
]


@pytest.mark.parametrize(("username", "url", "status"), MATRIX)
def test_permission_matrix(client, demo, username, url, status):
    client.force_login(user(username))
    assert client.get(url).status_code == status


def test_leader_sees_the_ward_but_filters_only_his_own_group(client, demo):
    client.force_login(user("totruong1"))
    page = html(client.get(DASHBOARD))
    assert "2,8 %" in row_markup(page, "data-code", "XH-03")  # the ward's figures are public
    options = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    assert f'value="{unit("TDP-01").pk}"' in options and "Toàn phường" in options
    assert f'value="{unit("TDP-02").pk}"' not in options and "Tổ dân phố 2" not in options


@pytest.mark.parametrize("value", ["TDP-02", "PHUONG", "abc", "999999"])
def test_leader_with_another_unit_in_the_query_string_gets_404(client, demo, value):
    client.force_login(user("totruong1"))
    pk = Unit.objects.filter(code=value).values_list("pk", flat=True).first() or value
    assert client.get(DASHBOARD, {"unit": pk}).status_code == 404


def test_leader_drill_down_shows_his_group_and_the_ward_only(client, demo):
    client.force_login(user("totruong1"))
    page = html(client.get("/tien-do/2024/chi-tieu/XH-03/"))
    units = re.findall(r'<tr data-unit="([^"]+)"', page)
    assert units == ["TDP-01", "ward"]
    assert cells(row_markup(page, "data-unit", "TDP-01"))[1:] == ["15", "582", "2,58 %"]
    assert cells(row_markup(page, "data-unit", "ward"))[1:] == ["133", "4.742", "2,8 %"]


def test_the_menu_shows_progress_to_every_role(client, demo):
    for username in ["chutich", "totruong1", "hoidong", "canbo"]:
        client.force_login(user(username))
        page = html(client.get("/"))
        assert f'href="{reverse("dashboard-current")}">Tiến độ<' in page, username


def test_current_dashboard_redirects_to_the_latest_plan(chairman):
    response = chairman.get("/tien-do/")
    assert response.status_code == 302 and response["Location"] == DASHBOARD


def test_current_dashboard_without_a_plan(client, make_user, plan, monkeypatch):
    # A plan is never deleted (its targets protect it); an empty database is what this stands for.
    monkeypatch.setattr("indicators.dashboard_views.current_plan", lambda: None)
    client.force_login(make_user("leadership"))
    assert client.get("/tien-do/").status_code == 404


# --- drill-down -----------------------------------------------------------------------------------


def test_drill_down_of_a_ratio_shows_each_groups_counts_and_the_ward_ratio(chairman, demo):
    page = html(chairman.get("/tien-do/2024/chi-tieu/XH-03/"))
    rates = []
    for n in range(1, 9):
        code = f"TDP-{n:02d}"
        own = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2, unit_ids=[unit(code).pk])}[
            "XH-03"
        ]
        row = cells(row_markup(page, "data-unit", code))
        assert row == [
            f"Tổ dân phố {n}",
            format_number(own.numerator, 2),
            format_number(own.denominator, 2),
            f"{format_number(own.actual, 2)} %",
        ], code
        rates.append(own.actual)
    assert cells(row_markup(page, "data-unit", "ward"))[1:] == ["133", "4.742", "2,8 %"]
    # The ward's rate is Σ poor ÷ Σ households, not the mean of the groups' rates.
    mean = sum(rates) / len(rates)
    assert format_number(mean, 2) != "2,8"
    assert 'data-testid="chart-quarters"' in page and '<svg class="chart-quarters"' in page


def test_drill_down_of_a_stock_shows_each_groups_herd_and_share(chairman, demo):
    page = html(chairman.get("/tien-do/2024/chi-tieu/KT-08/"))
    ward = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2)}["KT-08"]
    assert ward.actual == 798
    total_share = D(0)
    for n in range(1, 9):
        code = f"TDP-{n:02d}"
        herd = sum(
            v
            for element in ("DAN_TRAU", "DAN_BO")
            for v in ReportedValue.objects.filter(
                report__unit__code=code,
                report__period__quarter=2,
                report__status="approved",
                element__code=element,
            ).values_list("value", flat=True)
        )
        share = herd * 100 / ward.actual
        total_share += share
        assert cells(row_markup(page, "data-unit", code))[1:] == [
            f"{format_number(herd, 2)} con",
            f"{format_number(share, 1)} %",
        ]
    assert total_share == 100


def test_drill_down_of_a_flow_by_quarter(chairman):
    page = html(chairman.get("/tien-do/2024/chi-tieu/KT-01/"))
    assert cells(row_markup(page, "data-quarter", "1")) == ["Quý I", "163,4", "163,4", "176,4"]
    # Q2: 341,7 so far, 178,3 in the quarter, half of 705,6 expected.
    assert cells(row_markup(page, "data-quarter", "2")) == ["Quý II", "341,7", "178,3", "352,8"]
    assert cells(row_markup(page, "data-unit", "VP-TK"))[1:] == ["341,7 tỷ đồng", "100 %"]
    assert re.findall(r'<tr data-code="([^"]+)"', page) == ["KT-01a", "KT-01b", "KT-01c"]


def test_drill_down_of_a_heading_lists_its_targets(chairman):
    page = html(chairman.get("/tien-do/2024/chi-tieu/XH-08/"))
    assert re.findall(r'<tr data-code="([^"]+)"', page) == ["XH-08a", "XH-08b", "XH-08c", "XH-08d"]


@pytest.mark.parametrize(("quarter", "include_submitted"), [(1, False), (2, False), (3, True), (4, True)])
def test_rollup_by_unit_is_rollup_for_each_unit(demo, quarter, include_submitted):
    """One query for every unit gives what a roll-up restricted to each unit gives, for every target."""
    results = rollup(plan=demo, up_to_quarter=quarter, include_submitted=include_submitted)
    targets = [r.target for r in results]
    units = list(Unit.objects.all())
    for result in results:
        with CaptureQueriesContext(connection) as ctx:
            figures = rollup_by_unit(
                plan=demo,
                up_to_quarter=quarter,
                target=result.target,
                include_submitted=include_submitted,
                targets=targets,
            )
        assert len(ctx) <= 1
        for u in units:
            own = {
                r.target.code: r
                for r in rollup(
                    plan=demo, up_to_quarter=quarter, unit_ids=[u.pk], include_submitted=include_submitted
                )
            }[result.target.code]
            figure = figures.get(u.pk)
            got = (figure.actual, figure.numerator, figure.denominator) if figure else (None, None, None)
            assert got == (own.actual, own.numerator, own.denominator), (result.target.code, u.code)


def test_rollup_by_unit_scope_and_queries(demo):
    target = Target.objects.get(plan=demo, code="XH-03")
    tdp3 = unit("TDP-03").pk
    with CaptureQueriesContext(connection) as ctx:
        figures = rollup_by_unit(plan=demo, up_to_quarter=2, target=target, unit_ids=[tdp3])
    assert len(ctx) == 3  # targets, terms, values
    assert list(figures) == [tdp3]
    assert (figures[tdp3].numerator, figures[tdp3].denominator) == (18, 613)


# --- unit page ------------------------------------------------------------------------------------


def test_unit_page_puts_the_groups_figures_beside_the_wards(client, demo):
    client.force_login(user("totruong1"))
    page = html(client.get("/tien-do/2024/don-vi/TDP-01/"))
    codes = re.findall(r'<tr data-code="([^"]+)"', page)
    assert "XH-03" in codes and "KT-08" in codes and "KT-01" not in codes
    xh03 = row_markup(page, "data-code", "XH-03")
    assert re.search(r'data-testid="unit-actual">2,58 %', xh03)
    assert re.search(r'data-testid="ward-actual">2,8 %', xh03)
    own = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2, unit_ids=[unit("TDP-01").pk])}
    kt08 = row_markup(page, "data-code", "KT-08")
    assert f'data-testid="unit-actual">{figure_text(own["KT-08"].target, own["KT-08"].actual)}' in kt08
    assert f"{format_number(own['KT-08'].actual * 100 / 798, 1)} %" in kt08


def test_unit_page_follows_the_quarter_and_the_switch(client, demo):
    add_report(demo, "TDP-01", 4, {"HO_NGHEO": "0", "SO_HO": "590"})
    client.force_login(user("totruong1"))
    url = "/tien-do/2024/don-vi/TDP-01/"
    before = row_markup(html(client.get(url, {"quarter": 4})), "data-code", "XH-03")
    after = row_markup(html(client.get(url, {"quarter": 4, "submitted": 1})), "data-code", "XH-03")
    assert 'data-testid="unit-actual">2,58 %' in before
    assert 'data-testid="unit-actual">0 %' in after


# --- constant queries -----------------------------------------------------------------------------


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize(
    ("username", "url", "params"),
    [
        ("chutich", DASHBOARD, {}),
        ("chutich", DASHBOARD, {"quarter": 4, "submitted": 1, "group": "social"}),
        ("chutich", DASHBOARD, {"unit": "TDP-01"}),
        ("totruong1", DASHBOARD, {"unit": "TDP-01"}),
        ("chutich", "/tien-do/2024/chi-tieu/XH-03/", {}),
        ("chutich", "/tien-do/2024/chi-tieu/KT-01/", {"quarter": 3, "submitted": 1}),
        ("totruong1", "/tien-do/2024/chi-tieu/XH-03/", {}),
        ("chutich", "/tien-do/2024/don-vi/TDP-01/", {}),
        ("totruong1", "/tien-do/2024/don-vi/TDP-01/", {"quarter": 4}),
    ],
)
def test_constant_number_of_queries(client, demo, django_assert_num_queries, username, url, params):
    """Demo size, then 40 more groups reporting three quarters and three more targets: same count."""
    client.force_login(user(username))
    if "unit" in params:
        params = params | {"unit": unit(params["unit"]).pk}
    small = _count(client, url, params)
    assert small <= 17  # 16, and the ward's identity for the navbar (issue 17)
    grow(demo)
    assert Unit.objects.count() == 66 and ReportedValue.objects.count() > 4 * 399
    with django_assert_num_queries(small):
        client.get(url, params)


def test_the_bigger_ward_changes_the_figures(client, demo):
    """The query-count test above measures real work: the grown ward's figures differ."""
    client.force_login(user("chutich"))
    before = dict((c, a) for c, _s, a in target_rows(html(client.get(DASHBOARD, {"quarter": 2}))))
    grow(demo)
    after = dict((c, a) for c, _s, a in target_rows(html(client.get(DASHBOARD, {"quarter": 2}))))
    assert before["KT-08"] != after["KT-08"] and "XT-0" in after


# --- charts ---------------------------------------------------------------------------------------


def test_progress_bar_is_clipped_and_marks_the_pace():
    svg = charts.progress_bar(D("130.5"), status=Status.ACHIEVED, expected=D(75), label="KT-09")
    assert 'class="bar-value" width="100.0"' in svg and 'fill="#198754"' in svg
    assert 'x1="75.0"' in svg and "<title>KT-09</title>" in svg
    empty = charts.progress_bar(None, status=Status.NO_DATA)
    assert 'class="bar-value" width="0.0"' in empty and "bar-expected" not in empty


def test_sparkline_scales_to_its_own_range_and_skips_missing_quarters():
    svg = charts.sparkline({1: D("3.0"), 2: None, 3: D("2.8")}, status=Status.ON_TRACK, label="XH-03")
    assert svg.count("<circle") == 2
    assert 'cx="3.0" cy="3.0"' in svg and 'cx="41.7" cy="17.0"' in svg  # highest on top, lowest below
    assert "stroke-dasharray" in charts.sparkline({1: None}, status=Status.NO_DATA)


def test_chart_labels_are_escaped_and_vietnamese():
    svg = charts.quarter_bars(
        {1: D("163.4"), 2: D("341.7")},
        status=Status.BEHIND,
        reference=D("705.6"),
        reference_label="Chỉ tiêu 705,6",
        expected={1: D("176.4"), 2: D("352.8")},
        label="<b>KT-01</b>",
    )
    assert "&lt;b&gt;KT-01&lt;/b&gt;" in svg and "<b>" not in svg
    assert ">163,4<" in svg and ">341,7<" in svg and ">Quý IV<" in svg
    assert svg.count('class="bar-quarter"') == 2 and svg.count('class="bar-expected"') == 2
    assert charts.trend_label({1: D("163.4"), 2: None}) == "Quý I: 163,4; Quý II: —"


def test_the_dashboard_switches_between_plan_years(client, demo, make_user):
    """After the office copies the plan, each year's dashboard links to the others."""
    from campaigns.copying import copy_plan

    office = make_user("office")
    copy_plan(source=demo, year=2025, user=office)
    client.force_login(make_user("leadership"))
    html = client.get(reverse("dashboard", args=[2024])).content.decode()
    assert 'data-testid="years"' in html
    assert reverse("dashboard", args=[2025]) in html and 'aria-current="page" href="/tien-do/2024/"' in html
    assert client.get(reverse("dashboard", args=[2025])).status_code == 200
