"""The read-only JSON API: tokens per client, plan years granted, no writes, the dashboard's figures."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from awards.models import AwardRecord, Title
from campaigns.api.authentication import hash_token
from campaigns.api.clients import create_api_client
from campaigns.copying import copy_plan
from campaigns.models import ApiClient, Plan
from indicators.models import (
    ActionLog,
    Assignment,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    Unit,
)
from indicators.progress import figure_text, ward_results
from indicators.rollup import rollup

from .reporting import add_ratio_targets

pytestmark = pytest.mark.django_db

D = Decimal
YEAR_ENDPOINTS = [
    "/api/v1/plans/2024/",
    "/api/v1/plans/2024/targets/",
    "/api/v1/plans/2024/rollup/?quarter=2",
    "/api/v1/plans/2024/units/",
    "/api/v1/plans/2024/awards/",
]
ENDPOINTS = ["/api/v1/plans/", *YEAR_ENDPOINTS, "/api/v1/schema/"]


def user(username: str):
    return get_user_model().objects.get(username=username)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(demo):
    """A client of the higher level granted the 2024 plan."""
    _client, raw = create_api_client(name="Sở Nội vụ", years=[2024])
    return raw


@pytest.fixture
def api(client, token):
    """The test client with the 2024 token on every request."""

    def get(url, **extra):
        return client.get(url, **bearer(token), **extra)

    return get


def plan_2025(demo) -> Plan:
    return copy_plan(source=demo, year=2025, user=user("vanphong"))


def as_decimal(text: str | None) -> Decimal | None:
    assert text is None or isinstance(text, str), text  # figures travel as strings, never floats
    return None if text is None else D(text)


# --- clients and tokens ---------------------------------------------------------------------------


def test_the_command_shows_the_token_once_and_stores_only_its_hash(demo):
    out = io.StringIO()
    call_command("create_api_client", "--name", "Sở Nội vụ tỉnh", "--years", "2024", stdout=out)
    token = re.search(r"^(pm_\S+)$", out.getvalue(), re.M).group(1)
    client = ApiClient.objects.get(name="Sở Nội vụ tỉnh")
    assert client.token_hash == hash_token(token) and len(client.token_hash) == 64
    assert token not in str(list(ApiClient.objects.values()))
    assert list(client.plans.values_list("year", flat=True)) == [2024]
    entry = ActionLog.objects.get(action="campaigns.api_client.created")
    assert entry.object_id == client.pk and token not in str(entry.data)


def test_the_command_refuses_a_year_without_a_plan_and_a_name_taken(demo):
    with pytest.raises(CommandError, match="Chưa có kế hoạch của năm: 2031"):
        call_command("create_api_client", "--name", "A", "--years", "2024", "2031", stdout=io.StringIO())
    call_command("create_api_client", "--name", "A", "--years", "2024", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Đã có ứng dụng"):
        call_command("create_api_client", "--name", "A", "--years", "2024", stdout=io.StringIO())
    assert ApiClient.objects.count() == 1


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_token_no_answer_and_no_login_page(client, demo, url):
    response = client.get(url)
    assert response.status_code == 401  # not a redirect to the portal's login page
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_unknown_or_revoked_token_is_refused(client, demo, token, url):
    assert client.get(url, **bearer(token)).status_code == 200
    assert client.get(url, **bearer(token + "x")).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    ApiClient.objects.update(is_active=False)
    assert client.get(url, **bearer(token)).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_portal_session_is_not_an_api_login(client, demo, url):
    client.force_login(user("vanphong"))
    assert client.get(url).status_code == 401


# --- read only ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_client_cannot_write_anywhere(client, token, url, method):
    counts = (Plan.objects.count(), Target.objects.count(), ApiClient.objects.count(), Report.objects.count())
    send = getattr(client, method)
    response = send(url, data={"year": 2030, "code": "X"}, content_type="application/json", **bearer(token))
    assert response.status_code == 405
    assert send(url, data={}, content_type="application/json").status_code == 401
    assert (
        Plan.objects.count(),
        Target.objects.count(),
        ApiClient.objects.count(),
        Report.objects.count(),
    ) == counts


# --- plan years granted ---------------------------------------------------------------------------


def test_a_year_not_granted_reads_as_missing(client, demo, api):
    plan_2025(demo)
    assert [p["year"] for p in api("/api/v1/plans/").json()] == [2024]
    for url in YEAR_ENDPOINTS:
        assert api(url).status_code == 200, url
        assert api(url.replace("2024", "2025")).status_code == 404, url
        assert api(url.replace("2024", "2019")).status_code == 404, url  # no plan at all: the same answer


def test_a_client_granted_only_the_new_year_cannot_read_the_old_one(client, demo):
    plan_2025(demo)
    _c, token = create_api_client(name="Phòng Nội vụ", years=[2025])
    assert [p["year"] for p in client.get("/api/v1/plans/", **bearer(token)).json()] == [2025]
    for url in YEAR_ENDPOINTS:
        assert client.get(url, **bearer(token)).status_code == 404, url
        assert client.get(url.replace("2024", "2025"), **bearer(token)).status_code == 200, url


# --- what it says ---------------------------------------------------------------------------------


def test_plan_list_and_detail(api, demo):
    plans = api("/api/v1/plans/").json()
    assert plans == [
        {
            "year": 2024,
            "number": "05/KH-UBND",
            "title": demo.title,
            "place": "Phổ Minh",
            "issued_on": "2024-01-04",
            "issuer": demo.issuer,
            "url": "http://testserver/api/v1/plans/2024/",
        }
    ]
    detail = api("/api/v1/plans/2024/").json()
    assert detail["number"] == "05/KH-UBND" and detail["signer_name"] == "Lê Duy Bảo"
    assert [c["number"] for c in detail["contents"]] == list(range(1, 9))
    assert detail["contents"][1]["short_title"].endswith("năm 2024")


def test_targets_carry_the_plans_figures_as_strings(api, demo):
    targets = {t["code"]: t for t in api("/api/v1/plans/2024/targets/").json()}
    assert len(targets) == Target.objects.filter(plan=demo).count()
    assert targets["KT-01"] | {"baseline": None} == {
        "code": "KT-01",
        "name": Target.objects.get(plan=demo, code="KT-01").name,
        "group": "economic",
        "kind": "flow",
        "comparator": "gte",
        "target_value": "705.6",
        "unit_of_measure": "tỷ đồng",
        "parent": None,
        "relation": "",
        "content": Target.objects.get(plan=demo, code="KT-01").content.number,
        "baseline": None,
    }
    assert (targets["KT-01a"]["parent"], targets["KT-01a"]["relation"]) == ("KT-01", "component")
    assert (targets["KT-08a"]["parent"], targets["KT-08a"]["relation"]) == ("KT-08", "subset")
    assert targets["KT-04"]["target_value"] == "6599100000"
    assert targets["XH-03"]["target_value"] == "2.57" and targets["XH-03"]["comparator"] == "lte"
    assert targets["KT-02"]["target_value"] is None and targets["KT-02"]["kind"] == "heading"


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_the_roll_up_is_the_engines_figure_for_every_target(api, demo, quarter):
    body = api(f"/api/v1/plans/2024/rollup/?quarter={quarter}").json()
    assert (body["year"], body["quarter"], body["unit"], body["counts"]) == (2024, quarter, None, "approved")
    expected = rollup(plan=demo, up_to_quarter=quarter)
    assert [r["code"] for r in body["results"]] == [r.target.code for r in expected]
    for row, result in zip(body["results"], expected, strict=True):
        code = result.target.code
        assert as_decimal(row["actual"]) == result.actual, code
        assert as_decimal(row["progress"]) == result.progress, code
        assert as_decimal(row["projection"]) == result.projection, code
        assert as_decimal(row["baseline"]) == result.baseline, code
        assert as_decimal(row["numerator"]) == result.numerator, code
        assert as_decimal(row["denominator"]) == result.denominator, code
        assert (row["status"], row["status_label"]) == (result.status, result.status_label), code
        assert {int(q): as_decimal(v) for q, v in row["by_quarter"].items()} == result.by_quarter, code
        assert row["quarters_with_data"] == list(result.quarters_with_data), code
        assert as_decimal(row["target_value"]) == result.target.target_value, code
        assert row["parent"] == (result.target.parent.code if result.target.parent_id else None), code


def test_the_roll_up_shows_what_the_dashboard_shows(client, api, demo):
    """Quarter II, the demo's latest approved quarter: same targets, statuses and year-to-date figures."""
    client.force_login(user("chutich"))
    page = client.get("/tien-do/2024/?quarter=2").content.decode()
    rows = {}
    for code, status, body in re.findall(
        r'<tr class="depth-\d+" data-code="([^"]+)" data-status="([^"]+)">(.*?)</tr>', page, re.S
    ):
        rows[code] = (status, re.search(r'data-testid="actual">([^<]*)<', body).group(1))
    api_rows = {r["code"]: r for r in api("/api/v1/plans/2024/rollup/?quarter=2").json()["results"]}
    targets = {t.code: t for t in Target.objects.filter(plan=demo)}
    assert rows and set(rows) == {code for code, r in api_rows.items() if r["kind"] != "heading"}
    for code, (status, actual_text) in rows.items():
        assert api_rows[code]["status"] == status, code
        assert figure_text(targets[code], as_decimal(api_rows[code]["actual"])) == actual_text, code
    assert actual_text  # the loop ran over real rows
    assert rows["XH-03"][1] == "2,8 %" and D(api_rows["XH-03"]["actual"]) == D(133) * 100 / D(4742)


def test_the_roll_up_of_one_unit_is_the_dashboards_unit_filter(api, demo):
    unit = Unit.objects.get(code="TDP-01")
    body = api("/api/v1/plans/2024/rollup/?quarter=2&unit=TDP-01").json()
    assert body["unit"] == {"code": "TDP-01", "name": unit.name}
    expected = ward_results(plan=demo, quarter=2, include_submitted=False, unit=unit)
    assert [r["code"] for r in body["results"]] == [r.target.code for r in expected]
    assert len(expected) < Target.objects.filter(plan=demo).count()  # the unit's own targets only
    for row, result in zip(body["results"], expected, strict=True):
        assert as_decimal(row["actual"]) == result.actual and row["status"] == result.status, row["code"]
    mine = {r.target.code: r.actual for r in rollup(plan=demo, up_to_quarter=2, unit_ids=[unit.pk])}
    households = {r["code"]: as_decimal(r["actual"]) for r in body["results"]}
    assert households["XH-03"] == mine["XH-03"] is not None


@pytest.mark.parametrize("query", ["", "?quarter=0", "?quarter=5", "?quarter=II", "?unit=TDP-01"])
def test_the_roll_up_needs_a_quarter(api, demo, query):
    response = api(f"/api/v1/plans/2024/rollup/{query}")
    assert response.status_code == 400 and "quarter" in response.json()


def test_the_unit_must_report_for_the_plan_and_an_empty_one_is_the_ward(api, demo):
    Unit.objects.create(code="NEW-01", name="Đơn vị mới", kind=Unit.Kind.OFFICE)
    assert api("/api/v1/plans/2024/rollup/?quarter=2&unit=NOPE").status_code == 404
    assert api("/api/v1/plans/2024/rollup/?quarter=2&unit=NEW-01").status_code == 404
    assert api("/api/v1/plans/2024/rollup/?quarter=2&unit=").json()["unit"] is None


def test_units_and_awards(api, demo):
    units = {u["code"]: u for u in api("/api/v1/plans/2024/units/").json()}
    assert units["TDP-01"]["kind"] == "residential_group" and units["TDP-01"]["parent"]
    assert set(units) == set(
        Assignment.objects.filter(element__plan=demo).values_list("unit__code", flat=True)
    )

    assert api("/api/v1/plans/2024/awards/").json() == []
    title = Title.objects.order_by("order").first()
    AwardRecord.objects.create(
        year=2024,
        title=title,
        unit=Unit.objects.get(code="TDP-01"),
        decision_number="15/QĐ-UBND",
        decided_on=date(2024, 12, 20),
        decided_by="Chủ tịch UBND phường",
    )
    AwardRecord.objects.create(
        year=2023,
        title=title,
        unit=Unit.objects.get(code="TDP-02"),
        decision_number="09/QĐ-UBND",
        decided_on=date(2023, 12, 20),
        decided_by="Chủ tịch UBND phường",
    )
    awards = api("/api/v1/plans/2024/awards/").json()
    assert [(a["year"], a["title"], a["unit"], a["decision_number"], a["decided_on"]) for a in awards] == [
        (2024, title.code, "TDP-01", "15/QĐ-UBND", "2024-12-20")
    ]
    assert awards[0]["nominee"] == Unit.objects.get(code="TDP-01").name


# --- the OpenAPI description ----------------------------------------------------------------------


def test_the_schema_is_a_valid_openapi_document_of_every_endpoint(api):
    response = api("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/plans/",
        "/api/v1/plans/{year}/",
        "/api/v1/plans/{year}/targets/",
        "/api/v1/plans/{year}/rollup/",
        "/api/v1/plans/{year}/units/",
        "/api/v1/plans/{year}/awards/",
    }
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerToken"]["description"],
    }
    rollup_params = {
        p["name"]: p for p in schema["paths"]["/api/v1/plans/{year}/rollup/"]["get"]["parameters"]
    }
    assert rollup_params["quarter"]["required"] is True and "unit" in rollup_params


# --- cost -----------------------------------------------------------------------------------------


def grow(plan, *, units: int = 30, extra_targets: int = 3) -> None:
    """More residential groups reporting quarters I–II (approved) and more ratio targets."""
    elements = list(DataElement.objects.filter(plan=plan, assignments__unit__code="TDP-01"))
    parent = Unit.objects.get(code="TDP-01").parent
    new_units = Unit.objects.bulk_create(
        Unit(
            code=f"API-{n:02d}",
            name=f"Tổ mới {n}",
            kind=Unit.Kind.RESIDENTIAL_GROUP,
            parent=parent,
            order=600 + n,
        )
        for n in range(units)
    )
    Assignment.objects.bulk_create(Assignment(unit=u, element=e) for u in new_units for e in elements)
    for period in ReportingPeriod.objects.filter(plan=plan, quarter__lte=2):
        reports = Report.objects.bulk_create(
            Report(unit=u, period=period, status=Report.Status.APPROVED) for u in new_units
        )
        ReportedValue.objects.bulk_create(
            ReportedValue(report=r, element=e, value=D(10)) for r in reports for e in elements
        )
    add_ratio_targets(plan, extra_targets, prefix="API-T")


@pytest.mark.parametrize("query", ["quarter=2", "quarter=4&unit=TDP-01"])
def test_the_roll_up_runs_the_same_queries_whatever_the_size(api, demo, query):
    url = f"/api/v1/plans/2024/rollup/?{query}"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api(url).status_code == 200
        return len(ctx)

    small = count()
    grow(demo)
    assert count() == small
    assert small <= 10


@pytest.mark.parametrize(
    "url", ["/api/v1/plans/2024/targets/", "/api/v1/plans/2024/units/", "/api/v1/plans/"]
)
def test_lists_run_a_fixed_number_of_queries(api, demo, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api(url).status_code == 200
