"""Ids, years and versions from GET and POST are read with the ASCII digits 0-9 only (issue 14, item 17):
str.isdigit() and int() also take Arabic-Indic ("١٢") and full-width ("１２") digits as 12."""

import pytest
from django import forms
from django.urls import reverse

from awards.models import Proposal
from awards.views._helpers import AWARDS_YEAR
from campaigns.models import Pledge
from phominh.fields import AsciiIntegerField, ascii_int

from .pledging import group_pledge, open_window, pledge_url
from .test_awards_factories import title, unit

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def foreign(number: int) -> list[str]:
    return [str(number).translate(ARABIC), str(number).translate(FULL_WIDTH)]


def test_ascii_int_takes_the_digits_0_to_9_only():
    assert ascii_int("12") == 12 and ascii_int(12) == 12
    for text in [*foreign(12), " 12", "+12", "1_2", "-1", "", "1.0", str(2**63)]:
        assert ascii_int(text) is None, text
    assert ascii_int("2024", max_value=2100) == 2024 and ascii_int("2200", max_value=2100) is None


def test_ascii_integer_field_refuses_other_scripts_digits():
    class Form(forms.Form):
        version = AsciiIntegerField(min_value=0)

    assert Form({"version": "7"}).is_valid()
    for text in foreign(7):
        assert not Form({"version": text}).is_valid(), text


@pytest.mark.django_db
def test_the_awards_year_switch_ignores_other_scripts_digits(client, demo, make_user):
    client.force_login(make_user("office", units=[unit("VP-TK")]))
    for text in foreign(2024):
        assert client.get(reverse("awards-index"), {"year": text}).status_code == 200
        assert AWARDS_YEAR not in client.session, text
    client.get(reverse("awards-index"), {"year": "2024"})
    assert client.session[AWARDS_YEAR] == 2024


@pytest.mark.django_db
def test_a_proposal_for_a_unit_id_in_other_digits_is_refused(client, demo, make_user):
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    before = Proposal.objects.count()
    for text in foreign(unit("TDP-01").pk):
        data = {"unit": text, "title": title("GDVH").pk, "nominee_name": "Huỳnh Văn Một"}
        data |= {"nominee_position": "", "achievements": "Gia đình gương mẫu."}
        assert client.post(reverse("awards-proposal-create"), data).status_code == 404, text
    assert Proposal.objects.count() == before


@pytest.mark.django_db
def test_a_pledge_version_in_other_digits_is_not_taken(client, demo, make_user):
    open_window(demo)
    client.force_login(make_user("group_leader", units=[unit("TDP-07")]))
    assert (
        client.post(pledge_url("TDP-07"), group_pledge(0, XH_09b="95") | {"action": "save"}).status_code
        == 302
    )
    for text in foreign(1):
        data = group_pledge(1, XH_09b="96") | {"version": text, "action": "save"}
        assert client.post(pledge_url("TDP-07"), data).status_code == 400, text
    assert (
        Pledge.objects.get(unit__code="TDP-07").commitments.get(target__code="XH-09b").committed_value == 95
    )


@pytest.mark.django_db
def test_the_registry_year_filter_ignores_other_scripts_digits(client, demo, make_user):
    client.force_login(make_user("office", units=[unit("VP-TK")]))
    for text in foreign(2024):
        response = client.get(reverse("awards-registry"), {"nam": text})
        assert response.status_code == 200 and response.context["filters"]["year"] is None, text
    assert client.get(reverse("awards-registry"), {"nam": "2024"}).context["filters"]["year"] == 2024


@pytest.mark.django_db
def test_a_proposal_version_in_other_digits_is_not_taken(client, demo, make_user):
    from awards import services

    leader = make_user("group_leader", units=[unit("TDP-01")])
    proposal = services.create_proposal(
        plan=demo,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=leader,
        nominee_name="Huỳnh Văn Một",
        achievements="Gia đình gương mẫu.",
    )
    client.force_login(leader)
    for text in foreign(proposal.version):
        data = {"title": title("GDVH").pk, "nominee_name": "Huỳnh Văn Hai", "nominee_position": ""}
        data |= {"achievements": "Gia đình gương mẫu.", "version": text}
        assert client.post(reverse("awards-proposal-edit", args=[proposal.pk]), data).status_code == 200, text
    proposal.refresh_from_db()
    assert proposal.nominee_name == "Huỳnh Văn Một"
