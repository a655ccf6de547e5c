"""The unit tree page (issue 17): the tree in parent/child order, add, edit, deactivate; audited and
version-checked; errors next to their fields."""

import pytest
from django.urls import reverse

from campaigns.setup import services
from indicators.models import ActionLog, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


def test_the_tree_lists_children_under_their_parent(client, demo, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        text = client.get(reverse("setup-units")).content.decode()
    ward = Unit.objects.filter(parent__isnull=True).first()
    child = Unit.objects.filter(parent=ward).first()
    if child:
        assert text.index(f'data-unit="{ward.code}"') < text.index(f'data-unit="{child.code}"')
    assert "Tổ dân phố 1" in text


def test_add_a_unit_with_its_parent_audited(client, demo, office):
    parent = Unit.objects.get(code="TDP-01")
    response = client.post(
        reverse("setup-units"),
        {"code": "tdp-01a", "name": "Chi hội 1A", "kind": "mass_org", "parent": parent.pk, "order": "3"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="TDP-01A")
    assert unit.parent == parent and unit.is_active
    log = ActionLog.objects.get(action="setup.unit.created", object_id=unit.pk)
    assert log.user == office and log.data["before"] is None and log.data["after"]["code"] == "TDP-01A"


def test_errors_are_next_to_their_fields(client, demo, office):
    response = client.post(reverse("setup-units"), {"code": "TDP-01", "name": "", "kind": "x"})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"code", "name", "kind"} <= form.errors.keys()
    assert (
        'id="error_1_id_name"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    )


def test_edit_deactivate_and_a_stale_page_is_a_conflict(client, demo, office):
    unit = Unit.objects.get(code="TDP-02")
    page = client.get(reverse("setup-unit-edit", args=["TDP-02"]))
    version = page.context["form"].initial["version"]
    data = {
        "code": "TDP-02",
        "name": "Tổ dân phố số 2",
        "kind": unit.kind,
        "order": unit.order,
        "version": version,
    }
    assert client.post(reverse("setup-unit-edit", args=["TDP-02"]), data).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Tổ dân phố số 2" and unit.is_active
    log = ActionLog.objects.get(action="setup.unit.changed", object_id=unit.pk)
    assert log.data["before"]["name"] == "Tổ dân phố 2" and log.data["after"]["name"] == "Tổ dân phố số 2"
    # The same page posted again: the unit changed since it was shown.
    stale = client.post(reverse("setup-unit-edit", args=["TDP-02"]), data | {"name": "Cũ"})
    assert stale.status_code == 409
    assert "vừa được người khác thay đổi" in stale.content.decode()
    fresh = client.get(reverse("setup-unit-edit", args=["TDP-02"])).context["form"].initial["version"]
    data |= {"version": fresh, "action": "deactivate"}
    assert client.post(reverse("setup-unit-edit", args=["TDP-02"]), data).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active


def test_a_unit_cannot_sit_under_its_own_child(client, demo, office):
    parent = Unit.objects.get(code="TDP-01")
    child = services.save_unit(
        user=office, unit=None, data={"code": "CH-1", "name": "Chi hội", "kind": "mass_org", "parent": parent}
    )
    version = services.fingerprint(services.unit_state(parent))
    response = client.post(
        reverse("setup-unit-edit", args=["TDP-01"]),
        {
            "code": "TDP-01",
            "name": parent.name,
            "kind": parent.kind,
            "parent": child.pk,
            "order": 0,
            "version": version,
        },
    )
    assert response.status_code == 400
    assert "không thể nằm dưới chính nó" in response.content.decode()


def test_others_are_refused(client, demo, make_user):
    client.force_login(make_user("leadership"))
    assert client.get(reverse("setup-units")).status_code == 403
    assert (
        client.post(reverse("setup-units"), {"code": "X", "name": "X", "kind": "office"}).status_code == 403
    )
    assert not Unit.objects.filter(code="X").exists()


def test_markup_in_a_name_is_shown_as_text(client, demo, office):
    client.post(
        reverse("setup-units"),
        {"code": "X-1", "name": "<b>Tổ</b> <script>x</script>", "kind": "office", "order": 0},
    )
    for url in (reverse("setup-units"), reverse("setup-assignments", args=[2024])):
        text = client.get(url).content.decode()
        assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>x</script>" not in text
