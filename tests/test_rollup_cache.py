"""The roll-up cache serves the same figures until the data behind them changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import DataElement
from indicators.rollup import compute_rollup, rollup

from .reporting import open_quarter, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.ROLLUP_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def figures(results):
    return {r.target.code: (r.actual, r.status) for r in results}


def test_second_call_is_served_from_the_cache(demo, cached):
    first = rollup(plan=demo, up_to_quarter=2)
    with CaptureQueriesContext(connection) as queries:
        second = rollup(plan=demo, up_to_quarter=2)
    assert figures(second) == figures(first) == figures(compute_rollup(plan=demo, up_to_quarter=2))
    assert len(queries) == 2  # the fingerprint only


def test_a_saved_figure_is_seen_at_once(demo, cached, make_user):
    open_quarter(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")])
    before = figures(rollup(plan=demo, up_to_quarter=4, include_submitted=True))
    element = DataElement.objects.get(code="DAN_BO")
    report, _ = services.save_values(
        unit=unit("TDP-01"),
        period=demo.periods.get(quarter=4),
        user=leader,
        entries={element: services.Entry(value=500)},
        version=0,
    )
    after_draft = figures(rollup(plan=demo, up_to_quarter=4, include_submitted=True))
    assert after_draft == before  # a draft does not count, but the cache was not trusted blindly
    report.status = "submitted"
    report.save(update_fields=["status", "updated_at"])
    after = figures(rollup(plan=demo, up_to_quarter=4, include_submitted=True))
    assert after != before
    assert after == figures(compute_rollup(plan=demo, up_to_quarter=4, include_submitted=True))


def test_a_review_step_is_seen_at_once(demo, cached, make_user):
    """Approving a submitted quarter changes the official figures; the cache must not hide it."""
    from indicators.models import Report

    before = figures(rollup(plan=demo, up_to_quarter=3))
    report = Report.objects.filter(period__quarter=3, status="submitted").first()
    services.approve_report(report=report, user=make_user("office"))
    after = figures(rollup(plan=demo, up_to_quarter=3))
    assert after == figures(compute_rollup(plan=demo, up_to_quarter=3))
    assert after != before


def test_units_and_quarters_are_cached_apart(demo, cached):
    ward = figures(rollup(plan=demo, up_to_quarter=2))
    group = figures(rollup(plan=demo, up_to_quarter=2, unit_ids=[unit("TDP-01").pk]))
    assert ward != group
    assert figures(rollup(plan=demo, up_to_quarter=1)) == figures(compute_rollup(plan=demo, up_to_quarter=1))


# --- the dashboard's cached tables ------------------------------------------------------------------

DASHBOARD = "/tien-do/2024/"


def dashboard_page(client, query: str = "") -> str:
    """The dashboard's status cards and tables (the part that is cached), from the cards to the note."""
    response = client.get(DASHBOARD + query)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('data-testid="status-counts"') : page.index("</main>")]


def xh03(page: str) -> str:
    """The actual shown for XH-03 (poor households, %) in the dashboard's table."""
    row = page[page.index('data-code="XH-03"') :]
    return row[row.index('data-testid="actual">') :].split(">", 1)[1].split("<", 1)[0]


@pytest.fixture
def chairman(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="chutich"))
    return client


def test_the_dashboard_tables_are_served_from_the_cache(chairman, cached, monkeypatch):
    first = dashboard_page(chairman, "?quarter=2")

    def must_not_run(**kwargs):
        raise AssertionError("the roll-up ran although nothing changed")

    monkeypatch.setattr("indicators.dashboard_views.ward_results", must_not_run)
    assert dashboard_page(chairman, "?quarter=2") == first


def test_the_dashboard_shows_an_approval_at_once(chairman, demo, cached, make_user, settings):
    from indicators.models import Report

    before = dashboard_page(chairman, "?quarter=3")
    report = Report.objects.filter(period__quarter=3, status="submitted", unit__code="TDP-01").get()
    services.approve_report(report=report, user=make_user("office"))
    after = dashboard_page(chairman, "?quarter=3")
    settings.ROLLUP_CACHE_SECONDS = 0
    assert after == dashboard_page(chairman, "?quarter=3")  # what the page says without any cache
    assert xh03(after) != xh03(before)


def test_filters_and_languages_are_cached_apart(chairman, demo, cached, settings):
    pages = {
        query: dashboard_page(chairman, query)
        for query in ("", "?quarter=1", "?submitted=1", f"?unit={unit('TDP-01').pk}", "?group=social")
    }
    profile = chairman.get("/").wsgi_request.user.profile
    profile.language = "en"
    profile.save()
    english = dashboard_page(chairman)
    assert "Behind schedule" in english and "Behind schedule" not in pages[""]
    settings.ROLLUP_CACHE_SECONDS = 0
    assert english == dashboard_page(chairman)
    profile.language = "vi"
    profile.save()
    for query, page in pages.items():
        assert page == dashboard_page(chairman, query), query
    assert len(set(pages.values())) == len(pages)


def test_the_api_roll_up_is_cached_and_follows_an_approval(client, demo, cached, make_user, monkeypatch):
    from campaigns.api.clients import create_api_client
    from indicators.models import Report

    _api_client, token = create_api_client(name="Sở Nội vụ", years=[2024])
    url = "/api/v1/plans/2024/rollup/?quarter=3"

    def get():
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        return {row["code"]: row["actual"] for row in response.json()["results"]}

    before = get()
    calls = []
    real = __import__("indicators.progress", fromlist=["ward_results"]).ward_results
    monkeypatch.setattr("campaigns.api.views.ward_results", lambda **kw: calls.append(kw) or real(**kw))
    assert get() == before and calls == []  # served from the cache
    report = Report.objects.filter(period__quarter=3, status="submitted", unit__code="TDP-01").get()
    services.approve_report(report=report, user=make_user("office"))
    after = get()
    assert len(calls) == 1 and after["XH-03"] != before["XH-03"]


def test_the_unit_page_is_cached_and_follows_an_approval(
    client, demo, cached, make_user, settings, monkeypatch
):
    from indicators.models import Report

    leader = make_user("group_leader", units=[unit("TDP-01")])
    client.force_login(leader)
    url = "/tien-do/2024/don-vi/TDP-01/?quarter=3&submitted=1"

    def table():
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        return page[page.index('data-testid="unit-targets"') : page.index("</main>")]

    before = table()
    calls = []
    real = __import__("indicators.progress", fromlist=["unit_rows"]).unit_rows
    monkeypatch.setattr("indicators.dashboard_views.unit_rows", lambda **kw: calls.append(kw) or real(**kw))
    assert table() == before and calls == []  # served from the cache
    report = Report.objects.filter(period__quarter=3, status="submitted", unit__code="TDP-01").get()
    services.return_report(report=report, user=make_user("office"), reason="Thiếu số hộ")
    after = table()  # returned: its figures no longer count, even with the switch
    assert len(calls) == 1 and after != before
    settings.ROLLUP_CACHE_SECONDS = 0
    assert after == table()
    # Another group's leader cannot read the cached table of TDP-01.
    client.force_login(make_user("group_leader", units=[unit("TDP-02")]))
    assert client.get(url).status_code == 404


def test_the_drill_down_is_cached_per_scope_and_follows_an_approval(
    client, demo, cached, make_user, settings
):
    from django.contrib.auth import get_user_model

    from indicators.models import Report

    url = "/tien-do/2024/chi-tieu/XH-03/?quarter=3"
    leader = make_user("group_leader", units=[unit("TDP-01")])
    chairman = get_user_model().objects.get(username="chutich")

    def units_table(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        return page[page.index('data-testid="ward-figure"') : page.index("</main>")]

    wide, narrow = units_table(chairman), units_table(leader)
    assert 'data-unit="TDP-02"' in wide and 'data-unit="TDP-02"' not in narrow  # scopes cached apart
    assert units_table(leader) == narrow and units_table(chairman) == wide
    report = Report.objects.filter(period__quarter=3, status="submitted", unit__code="TDP-01").get()
    services.approve_report(report=report, user=make_user("office"))
    after = units_table(leader)
    assert after != narrow
    settings.ROLLUP_CACHE_SECONDS = 0
    assert after == units_table(leader) and units_table(chairman) != wide
