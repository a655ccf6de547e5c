"""Which unit reports which data element (issue 17): one matrix page for the whole plan, one unit at a
time on a phone; every change saved in one transaction with a version check, audited before/after."""

import pytest
from django.urls import reverse

from indicators.models import ActionLog, Assignment, DataElement, Unit

pytestmark = pytest.mark.django_db
URL = reverse("setup-assignments", args=[2024])


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


def posted(pairs):
    return [f"{e.pk}-{u.pk}" for e, u in pairs]


def test_the_matrix_groups_elements_by_content_in_few_queries(
    client, demo, office, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    text = response.content.decode()
    assert "Nội dung 2:" in text and 'data-testid="assignments-matrix"' in text
    so_ho, tdp1 = DataElement.objects.get(plan=demo, code="SO_HO"), Unit.objects.get(code="TDP-01")
    assert f'value="{so_ho.pk}-{tdp1.pk}" aria-label="TDP-01: SO_HO" checked' in text


def test_saving_the_matrix_adds_and_removes_in_one_audited_step(client, demo, office):
    page = client.get(URL)
    tdp1, tdp2 = Unit.objects.get(code="TDP-01"), Unit.objects.get(code="TDP-02")
    fish = DataElement.objects.get(plan=demo, code="SL_THUY_SAN")
    so_ho = DataElement.objects.get(plan=demo, code="SO_HO")
    current = [
        f"{a.element_id}-{a.unit_id}"
        for a in Assignment.objects.filter(element__plan=demo, unit__is_active=True)
    ]
    wanted = [v for v in current if v != f"{so_ho.pk}-{tdp2.pk}"] + [f"{fish.pk}-{tdp1.pk}"]
    response = client.post(URL, {"version": page.context["version"], "a": wanted})
    assert response.status_code == 302
    assert Assignment.objects.filter(element=fish, unit=tdp1).exists()
    assert not Assignment.objects.filter(element=so_ho, unit=tdp2).exists()
    log = ActionLog.objects.get(action="setup.assignments.saved")
    assert sorted(log.data["changes"], key=lambda c: c["after"]) == [
        {"element": "SO_HO", "unit": "TDP-02", "before": True, "after": False},
        {"element": "SL_THUY_SAN", "unit": "TDP-01", "before": False, "after": True},
    ]
    # The same page posted again: the matrix changed since, nothing is written.
    stale = client.post(URL, {"version": page.context["version"], "a": current})
    assert stale.status_code == 409
    assert not Assignment.objects.filter(element=so_ho, unit=tdp2).exists()
    assert ActionLog.objects.filter(action="setup.assignments.saved").count() == 1


def test_one_unit_at_a_time_changes_only_that_unit(client, demo, office):
    page = client.get(URL, {"don-vi": "TDP-03"})
    assert 'data-testid="assignments-unit"' in page.content.decode()
    assert [u.code for u in page.context["units"]] == ["TDP-03"]
    tdp3 = Unit.objects.get(code="TDP-03")
    before_others = Assignment.objects.exclude(unit=tdp3).count()
    response = client.post(URL, {"version": page.context["version"], "don-vi": "TDP-03", "a": []})
    assert response.status_code == 302 and response["Location"].endswith("?don-vi=TDP-03")
    assert not Assignment.objects.filter(unit=tdp3).exists()
    assert Assignment.objects.exclude(unit=tdp3).count() == before_others
    assert client.get(URL, {"don-vi": "KHONG-CO"}).status_code == 404


def test_forged_pairs_outside_the_plan_or_the_unit_are_ignored(client, demo, office):
    page = client.get(URL, {"don-vi": "TDP-03"})
    tdp4 = Unit.objects.get(code="TDP-04")
    so_ho = DataElement.objects.get(plan=demo, code="SO_HO")
    before = Assignment.objects.filter(unit=tdp4).count()
    client.post(
        URL,
        {
            "version": page.context["version"],
            "don-vi": "TDP-03",
            "a": [f"{so_ho.pk}-{tdp4.pk}", "x-1", "٣-1"],
        },
    )
    assert Assignment.objects.filter(unit=tdp4).count() == before


def test_only_the_office(client, demo, make_user):
    client.force_login(make_user("leadership"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"a": []}).status_code == 403
    assert Assignment.objects.exists()
