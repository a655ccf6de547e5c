"""The quarters with their deadlines and the pledge window (issue 17): dd/mm/yyyy, errors next to the
field, created when missing, version-checked, audited."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import PledgeWindow
from indicators.models import ActionLog, ReportingPeriod

pytestmark = pytest.mark.django_db
PERIODS = reverse("setup-periods", args=[2024])
WINDOW = reverse("setup-pledge-window", args=[2024])


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


def quarters(version, **over):
    data = {"version": version}
    for q, (opens, due) in enumerate(
        [
            ("01/03/2024", "10/04/2024"),
            ("01/06/2024", "10/07/2024"),
            ("01/09/2024", "10/10/2024"),
            ("01/12/2024", "10/01/2025"),
        ],
        start=1,
    ):
        data[f"q{q}_opens_on"], data[f"q{q}_deadline"] = opens, due
    return data | over


def test_missing_quarters_are_offered_then_created(client, bare_plan, office):
    plan = bare_plan
    ReportingPeriod.objects.filter(plan=plan).delete()
    page = client.get(PERIODS)
    assert "Còn 4 quý chưa có" in page.content.decode()
    assert page.context["form"].initial["q1_opens_on"] == date(2024, 1, 1)
    response = client.post(PERIODS, quarters(page.context["form"].initial["version"]))
    assert response.status_code == 302
    q4 = ReportingPeriod.objects.get(plan=plan, quarter=4)
    assert (q4.starts_on, q4.ends_on, q4.opens_on, q4.deadline) == (
        date(2024, 10, 1),
        date(2024, 12, 31),
        date(2024, 12, 1),
        date(2025, 1, 10),
    )
    log = ActionLog.objects.get(action="setup.periods.saved")
    assert log.data["before"] == [] and log.data["after"][3] == [4, "2024-12-01", "2025-01-10"]


def test_errors_next_to_the_field_and_a_stale_page_is_refused(client, demo, office):
    page = client.get(PERIODS)
    version = page.context["form"].initial["version"]
    bad = client.post(PERIODS, quarters(version, q2_deadline="31/02/2024", q3_deadline="01/08/2024"))
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert "ngày/tháng/năm" in errors["q2_deadline"][0]
    assert "Hạn nộp phải từ ngày mở nhập liệu trở đi." in errors["q3_deadline"]
    assert client.post(PERIODS, quarters(version)).status_code == 302
    before = list(ReportingPeriod.objects.filter(plan=demo).values_list("deadline", flat=True))
    stale = client.post(PERIODS, quarters(version, q1_deadline="20/04/2024"), follow=True)
    assert "vừa được người khác thay đổi" in stale.content.decode()
    assert list(ReportingPeriod.objects.filter(plan=demo).values_list("deadline", flat=True)) == before


def test_the_pledge_window_is_set_and_audited(client, plan, office):
    PledgeWindow.objects.filter(plan=plan).delete()
    page = client.get(WINDOW)
    version = page.context["form"].initial["version"]
    bad = client.post(WINDOW, {"version": version, "opens_on": "15/01/2024", "closes_on": "10/01/2024"})
    assert bad.status_code == 400 and "closes_on" in bad.context["form"].errors
    response = client.post(WINDOW, {"version": version, "opens_on": "02/01/2024", "closes_on": "31/01/2024"})
    assert response.status_code == 302
    window = PledgeWindow.objects.get(plan=plan)
    assert (window.opens_on, window.closes_on) == (date(2024, 1, 2), date(2024, 1, 31))
    log = ActionLog.objects.get(action="setup.pledge_window.saved")
    assert log.data == {"before": [], "after": ["2024-01-02", "2024-01-31"]}
    again = client.post(WINDOW, {"version": version, "opens_on": "03/01/2024", "closes_on": "31/01/2024"})
    assert again.status_code == 302 and PledgeWindow.objects.get(plan=plan).opens_on == date(2024, 1, 2)
    assert client.get(WINDOW).context["form"].initial["opens_on"] == date(2024, 1, 2)


def test_only_the_office(client, demo, make_user):
    for role in ("leadership", "official", "group_leader"):
        client.force_login(make_user(role))
        assert client.get(PERIODS).status_code == 403
        assert client.post(WINDOW, {}).status_code == 403
    client.force_login(make_user("office"))
    assert client.get(reverse("setup-periods", args=[2031])).status_code == 404
