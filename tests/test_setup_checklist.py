"""The checklist of a year's setup (issue 17): what is done and what is not, each line to its page; the
superuser's first step (taking the office's role); who may read it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from awards.models import CouncilMember
from indicators.models import ActionLog, Assignment, Profile, ReportingPeriod, Unit

pytestmark = pytest.mark.django_db


def lines(response) -> dict[str, str]:
    from html.parser import HTMLParser

    found = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "data-line" in attrs:
                found[attrs["data-line"]] = attrs["data-done"]

    Parser().feed(response.content.decode())
    return found


def test_an_empty_year_shows_what_is_missing_and_links_each_line(client, bare_plan, make_user):
    ReportingPeriod.objects.filter(plan=bare_plan).delete()
    CouncilMember.objects.update(is_active=False)
    from campaigns.models import PledgeWindow

    PledgeWindow.objects.filter(plan=bare_plan).delete()
    client.force_login(make_user("office"))
    response = client.get(reverse("setup-year", args=[2024]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Thiết lập năm 2024" in text
    got = lines(response)
    assert got["units"] == "no" and got["assignments"] == "no" and got["periods"] == "no"
    assert got["pledge_window"] == "no" and got["council"] == "no"
    assert got["identity"] in {"yes", "no", "unknown"}
    assert "0/49 số liệu có đơn vị báo cáo" in text
    for name in ("setup-units", "setup-accounts", "setup-council"):
        assert reverse(name) in text
    for name in ("setup-assignments", "setup-periods", "setup-pledge-window"):
        assert reverse(name, args=[2024]) in text


def test_the_demo_year_is_mostly_done(client, demo, make_user):
    client.force_login(make_user("office"))
    response = client.get(reverse("setup-year", args=[2024]))
    got = lines(response)
    assert got["units"] == got["accounts"] == got["periods"] == got["pledge_window"] == "yes"
    assert got["council"] == "yes"
    assigned = Assignment.objects.filter(element__plan=demo).values("element").distinct().count()
    assert f"{assigned}/49 số liệu" in response.content.decode()


def test_leadership_reads_without_links_others_are_refused(client, demo, make_user):
    client.force_login(make_user("leadership"))
    response = client.get(reverse("setup-year", args=[2024]))
    assert response.status_code == 200
    assert reverse("setup-units") not in response.content.decode()
    for role in ("group_leader", "official", "council", "admin"):
        client.force_login(make_user(role))
        assert client.get(reverse("setup-year", args=[2024])).status_code == 403
    client.force_login(make_user("office"))
    assert client.get(reverse("setup-year", args=[2031])).status_code == 404
    assert client.get(reverse("setup-current"))["Location"] == reverse("setup-year", args=[2024])


def test_a_superuser_without_role_takes_the_office_role_once(client, demo):
    admin = get_user_model().objects.create_superuser("quantri_moi", "qt@example.org", "Mat-khau-dai-123")
    client.force_login(admin)
    home = client.get(reverse("home")).content.decode()
    assert "Tài khoản của bạn chưa được phân vai trò" in home
    assert reverse("setup-claim-office") in home
    assert client.get(reverse("setup-current")).status_code == 200  # the offer
    assert reverse("setup-claim-office") in client.get(reverse("setup-year", args=[2024])).content.decode()
    response = client.post(reverse("setup-claim-office"))
    assert response["Location"] == reverse("setup-current")
    assert Profile.objects.get(user=admin).role == "office"
    assert ActionLog.objects.filter(action="setup.office_role.claimed", object_id=admin.pk).exists()
    assert client.post(reverse("setup-claim-office")).status_code == 403  # once
    assert reverse("setup-current") in client.get(reverse("home")).content.decode()


def test_an_account_without_role_that_is_not_superuser_cannot_claim(client, demo, make_user):
    client.force_login(make_user(None))
    assert client.post(reverse("setup-claim-office")).status_code == 403
    assert reverse("setup-claim-office") not in client.get(reverse("home")).content.decode()
    assert not Unit.objects.filter(code="X").exists()
