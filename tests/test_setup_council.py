"""The council's members on the setup page (issue 17): add, remove, one chairman; a new ward's first
member makes the council; audited."""

import pytest
from django.urls import reverse

from awards.models import Council, CouncilMember
from indicators.models import ActionLog

pytestmark = pytest.mark.django_db
URL = reverse("setup-council")


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


def test_a_new_ward_adds_its_first_members(client, plan, office, make_user):
    CouncilMember.objects.all().delete()
    Council.objects.all().delete()
    assert "Hội đồng chưa có thành viên." in client.get(URL).content.decode()
    chair, member = make_user("leadership"), make_user("council")
    response = client.post(
        URL, {"user": chair.pk, "role": "chairman", "position": "Chủ tịch UBND", "order": 1}
    )
    assert response.status_code == 302
    assert client.post(URL, {"user": member.pk, "role": "member", "order": 2}).status_code == 302
    council = Council.objects.get()
    assert list(council.members.values_list("user", "role")) == [
        (chair.pk, "chairman"),
        (member.pk, "member"),
    ]
    assert ActionLog.objects.filter(action="setup.council_member.added").count() == 2
    second = client.post(URL, {"user": make_user("council").pk, "role": "chairman", "order": 3})
    assert second.status_code == 400
    assert "Hội đồng đã có Chủ tịch Hội đồng." in second.context["form"].errors["role"]


def test_remove_keeps_the_row_for_past_votes(client, demo, office):
    member = CouncilMember.objects.filter(is_active=True, council__is_active=True).first()
    page = client.get(URL).content.decode()
    assert f'data-user="{member.user.username}"' in page
    assert client.post(reverse("setup-council-remove", args=[member.pk])).status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert ActionLog.objects.filter(action="setup.council_member.removed", object_id=member.pk).exists()
    assert f'data-user="{member.user.username}"' not in client.get(URL).content.decode()
    # Back again: the same row, active.
    assert client.post(URL, {"user": member.user.pk, "role": "member", "order": 9}).status_code == 302
    member.refresh_from_db()
    assert member.is_active and member.role == "member"


def test_only_the_office(client, demo, make_user):
    member = CouncilMember.objects.filter(is_active=True).first()
    client.force_login(make_user("council"))
    assert client.get(URL).status_code == 403
    assert client.post(reverse("setup-council-remove", args=[member.pk])).status_code == 403
    member.refresh_from_db()
    assert member.is_active
