"""Empty lists say why (issue 16): the proposals a council member does not see yet, a pledge page for
someone who neither registers nor follows, no notifications."""

import pytest
from django.urls import reverse

from awards.models import Proposal
from awards.permissions import PAST_THE_OFFICE

pytestmark = pytest.mark.django_db


def test_the_councils_empty_list_says_what_waits_for_the_office(client, demo, make_user):
    Proposal.objects.filter(plan=demo, status__in=PAST_THE_OFFICE).update(
        status=Proposal.Status.CHECKED, office_eligible=True
    )
    one = Proposal.objects.filter(plan=demo, status=Proposal.Status.SUBMITTED).first()
    Proposal.objects.filter(pk=one.pk).update(status=Proposal.Status.CHECKED, office_eligible=True)
    waiting = Proposal.objects.filter(plan=demo, status=Proposal.Status.SUBMITTED).count()
    checked = Proposal.objects.filter(plan=demo, status=Proposal.Status.CHECKED).count()
    assert waiting and checked
    client.force_login(make_user("council"))
    html = client.get(reverse("awards-index"), {"year": 2024}).content.decode()
    assert "Chưa có đề nghị nào được chuyển Hội đồng năm 2024." in html
    assert f"{waiting} đề nghị đang chờ Văn phòng kiểm tra." in html
    assert f"{checked} đề nghị Văn phòng đã kiểm tra, chưa chuyển Hội đồng." in html


def test_a_filter_that_finds_nothing_says_so(client, demo, make_user):
    Proposal.objects.filter(plan=demo, status=Proposal.Status.NOT_AWARDED).update(
        status=Proposal.Status.AWARDED
    )
    client.force_login(make_user("office"))
    html = client.get(reverse("awards-index"), {"year": 2024, "status": "not_awarded"}).content.decode()
    assert 'data-testid="no-proposals"' in html and "Không có đề nghị nào khớp bộ lọc." in html


def test_a_units_empty_list_offers_to_propose(client, demo, make_user):
    from indicators.models import Unit

    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-08")])
    Proposal.objects.filter(unit__code="TDP-08").update(unit=Unit.objects.get(code="TDP-07"))
    client.force_login(leader)
    html = client.get(reverse("awards-index"), {"year": 2024}).content.decode()
    assert "Đơn vị của bạn chưa lập đề nghị khen thưởng nào năm 2024." in html
    assert reverse("awards-proposal-create") in html


def test_pledges_for_someone_who_neither_registers_nor_follows(client, demo, make_user):
    client.force_login(make_user("council"))
    html = client.get(reverse("pledge-list")).content.decode()
    assert 'data-testid="no-pledges"' in html and "Bạn không đăng ký thi đua cho đơn vị nào" in html


def test_no_notifications_says_when_they_come(client, demo, make_user):
    client.force_login(make_user("council"))
    html = client.get(reverse("notifications")).content.decode()
    assert "Không có thông báo nào." in html and "khi báo cáo được duyệt hoặc bị trả lại" in html
