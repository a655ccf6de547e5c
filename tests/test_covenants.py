"""Covenants: drafted by the office or a lead unit, confirmed by each member, fulfilment side by side."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.models import Covenant
from indicators.models import Target

from .reporting import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo, make_user):
    return {
        "office": make_user("office", units=[unit("VP-TK")]),
        "leader5": make_user("group_leader", units=[unit("TDP-05")]),
        "leader6": make_user("group_leader", units=[unit("TDP-06")]),
        "leader7": make_user("group_leader", units=[unit("TDP-07")]),
        "council": make_user("council"),
    }


def create(client, user, lead="TDP-05", members=("TDP-05", "TDP-06")):
    client.force_login(user)
    targets = Target.objects.filter(code__in=["XH-09b", "XH-10"])
    return client.post(
        reverse("covenant-create"),
        {
            "title": "Giao ước cụm 2",
            "text": "Cùng thi đua.",
            "lead_unit": unit(lead).pk,
            "members": [unit(m).pk for m in members],
            "targets": [t.pk for t in targets],
            "other": "Giữ gìn vệ sinh chung",
        },
    )


def test_lead_unit_drafts_members_confirm_and_it_is_signed(client, people):
    assert create(client, people["leader5"]).status_code == 302
    covenant = Covenant.objects.get(title="Giao ước cụm 2")
    assert covenant.commitments.filter(target__code="XH-09b", committed_value=93).exists()
    assert covenant.commitments.filter(text="Giữ gìn vệ sinh chung").exists()
    url = reverse("covenant-detail", args=[covenant.pk])
    client.post(reverse("covenant-open", args=[covenant.pk]))
    covenant.refresh_from_db()
    assert covenant.status == Covenant.Status.OPEN
    # A unit that is not a member cannot confirm, not even by posting a member's code.
    client.force_login(people["leader7"])
    assert client.get(url).status_code == 404
    assert client.post(reverse("covenant-confirm", args=[covenant.pk]), {"unit": "TDP-06"}).status_code == 404
    for who, code in [("leader5", "TDP-05"), ("leader6", "TDP-06")]:
        client.force_login(people[who])
        assert client.post(reverse("covenant-confirm", args=[covenant.pk]), {"unit": code}).status_code == 302
    covenant.refresh_from_db()
    assert covenant.status == Covenant.Status.SIGNED
    assert all(m.confirmed_by_id for m in covenant.members.all())


def test_group_leader_cannot_lead_for_another_unit(client, people):
    response = create(client, people["leader7"], lead="TDP-05")
    assert response.status_code == 200  # the lead unit is not among his choices
    assert not Covenant.objects.filter(title="Giao ước cụm 2").exists()
    client.force_login(people["council"])
    assert client.get(reverse("covenant-create")).status_code == 403


def test_fulfilment_side_by_side_and_pdf(client, people):
    covenant = Covenant.objects.get(pk=1)  # the demo covenant of groups 1–4
    client.force_login(people["office"])
    response = client.get(reverse("covenant-detail", args=[covenant.pk]))
    grid = response.context["grid"]
    assert [m.unit.code for m in response.context["members"]] == ["TDP-01", "TDP-02", "TDP-03", "TDP-04"]
    assert {row["commitment"].target.code for row in grid} == {"XH-03", "XH-09b", "XH-10"}
    assert all(len(row["cells"]) == 4 for row in grid)
    pdf = client.get(reverse("covenant-pdf", args=[covenant.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "GIAO ƯỚC THI ĐUA" in text and "Tổ dân phố 4" in text and "chưa xác nhận" in text


def test_covenant_pages_need_a_role(client, demo, make_user):
    client.force_login(make_user(None))
    assert client.get(reverse("covenant-list")).status_code == 403
    assert client.get(reverse("covenant-detail", args=[1])).status_code == 403
