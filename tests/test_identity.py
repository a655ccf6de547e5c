"""The ward's identity as data (issue 17, item 1): the row, the office's page, and every output that
reads it: the navbar, the e-mails and the PDFs say the ward's name from the data, never "Phổ Minh"
by themselves."""

import io
import logging

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from awards.law import TitleAuthority
from campaigns.identity import (
    SINGLETON_PK,
    WardIdentity,
    current_identity,
    missing_identity_fields,
)
from campaigns.models import Covenant, Plan
from indicators.models import ActionLog, Notification, Unit
from indicators.notifications import notify

from .test_awards_factories import checked_proposal, office_user

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())


def form_data(**overrides) -> dict:
    identity = current_identity()
    data = {
        "ward_name": identity.ward_name,
        "committee_name": identity.committee_name,
        "committee_short_name": identity.committee_short_name,
        "higher_level_name": identity.higher_level_name,
        "place_name": identity.place_name,
        "chairman_name": identity.chairman_name,
        "chairman_title": identity.chairman_title,
        "deputies": identity.deputies,
        "council_name": identity.council_name,
        "office_name": identity.office_name,
        "version": identity.version,
    }
    return data | overrides


def rename_ward() -> None:
    """Another ward's data: its identity, its own plan's header, the law's decider, its unit and council."""
    WardIdentity.objects.filter(pk=SINGLETON_PK).update(
        ward_name="phường Hòa Bình",
        committee_name="Ủy ban nhân dân phường Hòa Bình",
        committee_short_name="UBND phường Hòa Bình",
        place_name="Hòa Bình",
        chairman_name="Đinh Công Lý",
        council_name="Hội đồng Thi đua - Khen thưởng phường Hòa Bình",
    )
    Plan.objects.filter(year=2024).update(issuer="UBND phường Hòa Bình", place="Hòa Bình")
    Unit.objects.filter(code="PHUONG").update(name="UBND phường Hòa Bình")
    for authority in TitleAuthority.objects.filter(decider__contains="Phổ Minh"):
        authority.decider = authority.decider.replace("Phổ Minh", "Hòa Bình")
        authority.save(update_fields=["decider"])


def test_the_demo_carries_phominh_as_data(demo):
    identity = current_identity()
    assert identity.committee_short_name == "UBND phường Phổ Minh" and identity.place_name == "Phổ Minh"
    assert identity.brand == "Phổ Minh Thi đua" and missing_identity_fields() == []
    assert identity.office_full_name == "Văn phòng - Thống kê UBND phường Phổ Minh"


def test_an_empty_database_renders_a_neutral_brand_and_asks_the_office(client, demo, make_user):
    WardIdentity.objects.all().delete()
    assert current_identity() is None
    assert "Tên phường" in " ".join(missing_identity_fields()).capitalize()
    assert len(missing_identity_fields()) == 7
    html = client.get(reverse("login")).content.decode()
    assert "Cổng thi đua" in html and "Phổ Minh" not in html
    client.force_login(make_user("office"))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="identity-prompt"' in html and reverse("identity-edit") in html
    assert "Phổ Minh Thi đua" not in html and "Cổng thi đua" in html
    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-01")]))
    assert 'data-testid="identity-prompt"' not in client.get(reverse("home")).content.decode()


def test_the_office_fills_in_the_identity_from_nothing(client, demo, make_user):
    WardIdentity.objects.all().delete()
    office = make_user("office")
    client.force_login(office)
    page = client.get(reverse("identity-edit"))
    assert page.status_code == 200 and 'data-testid="identity-missing"' in page.content.decode()
    response = client.post(
        reverse("identity-edit"),
        {
            "ward_name": "phường An Phú",
            "committee_name": "Ủy ban nhân dân phường An Phú",
            "committee_short_name": "UBND phường An Phú",
            "higher_level_name": "",
            "place_name": "An Phú",
            "chairman_name": "Ngô Văn Sáng",
            "chairman_title": "CHỦ TỊCH",
            "deputies": "Lý Thị Mai, Phó Chủ tịch\nTạ Văn Hùng",
            "council_name": "Hội đồng Thi đua - Khen thưởng phường An Phú",
            "office_name": "Văn phòng - Thống kê",
            "version": "0",
        },
    )
    assert response.status_code == 302
    identity = current_identity()
    assert identity.version == 1 and identity.updated_by == office
    assert identity.deputy_list() == [("Lý Thị Mai", "Phó Chủ tịch"), ("Tạ Văn Hùng", "Phó Chủ tịch")]
    log = ActionLog.objects.get(action="campaigns.identity.saved")
    assert log.user == office and log.data["created"] is True
    assert log.data["changes"]["place_name"] == {"old": None, "new": "An Phú"}
    html = client.get(reverse("home")).content.decode()
    assert "An Phú Thi đua" in html and 'data-testid="identity-prompt"' not in html


def test_an_empty_required_field_is_refused_next_to_it(client, demo, make_user):
    client.force_login(make_user("office"))
    response = client.post(reverse("identity-edit"), form_data(place_name="  "))
    assert response.status_code == 200
    assert response.context["form"].errors["place_name"] == ["Hãy nhập địa danh ghi ngày văn bản."]
    assert current_identity().place_name == "Phổ Minh"


def test_a_stale_page_is_refused_and_keeps_the_typed_text(client, demo, make_user):
    office = make_user("office")
    client.force_login(office)
    stale = form_data(chairman_name="Người Nhập Sau")
    assert (
        client.post(reverse("identity-edit"), form_data(chairman_name="Người Lưu Trước")).status_code == 302
    )
    response = client.post(reverse("identity-edit"), stale)
    html = response.content.decode()
    assert response.status_code == 200 and "Người khác vừa sửa thông tin phường" in html
    assert 'value="Người Nhập Sau"' in html
    assert current_identity().chairman_name == "Người Lưu Trước"
    # Sent again from the conflict page, it goes through: the page now carries the row's version.
    assert response.context["form"].data["version"] == current_identity().version
    assert (
        client.post(reverse("identity-edit"), stale | {"version": current_identity().version}).status_code
        == 302
    )
    assert current_identity().chairman_name == "Người Nhập Sau"


@pytest.mark.parametrize("role", ["leadership", "official", "council", None])
def test_only_the_office_and_the_administrator_edit_it(client, demo, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("identity-edit")).status_code == 403
    assert client.post(reverse("identity-edit"), form_data(place_name="X")).status_code == 403
    assert current_identity().place_name == "Phổ Minh"


def test_a_renamed_ward_shows_in_the_navbar_the_pdfs_and_the_mails(
    client, demo, make_user, django_capture_on_commit_callbacks
):
    rename_ward()
    office = office_user()
    client.force_login(office)
    html = client.get(reverse("home")).content.decode()
    assert "Hòa Bình Thi đua" in html and "UBND phường Hòa Bình" in html and "Phổ Minh" not in html

    # A decision drafted now: header, place of the date, decider and signer from the data.
    proposal = checked_proposal(
        Plan.objects.get(year=2024), unit_code="TDP-03", title_code="GK-CT", name="Ai Đó"
    )
    decision = services.draft_decision(
        plan=proposal.plan, user=office, proposals=[proposal], subject="Về việc khen thưởng đột xuất"
    )
    assert decision.issuer == "Chủ tịch UBND phường Hòa Bình" and decision.signer_name == "Đinh Công Lý"
    text = pdf_text(client.get(reverse("awards-decision-document", args=[decision.pk])))
    assert "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH" in text or "UBND PHƯỜNG HÒA BÌNH" in text
    assert "Hòa Bình, ngày" in text and "Đinh Công Lý" in text and "Phổ Minh" not in text

    covenant = pdf_text(client.get(reverse("covenant-pdf", args=[Covenant.objects.first().pk])))
    assert "UBND PHƯỜNG HÒA BÌNH" in covenant and "Hòa Bình, ngày" in covenant and "Phổ Minh" not in covenant

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pledge-remind"))
    assert mail.outbox
    assert all("Văn phòng - Thống kê UBND phường Hòa Bình" in m.body for m in mail.outbox)
    assert not any("Phổ Minh" in m.body or "Phổ Minh" in m.subject for m in mail.outbox)

    # A notification mail is signed by the ward's office, under the ward's name of the data.
    mail.outbox.clear()
    leader = make_user("group_leader", units=[Unit.objects.get(code="TDP-01")], email="tt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify([leader], kind=Notification.Kind.REMINDER, text="Nhắc nộp báo cáo", url="/so-lieu/", key="t-1")
    (message,) = mail.outbox
    assert (
        message.body.endswith("Văn phòng - Thống kê UBND phường Hòa Bình") and "Phổ Minh" not in message.body
    )


def test_next_years_plan_takes_the_identity(demo):
    from campaigns.copying import copy_plan

    rename_ward()
    WardIdentity.objects.filter(pk=SINGLETON_PK).update(chairman_name="Đinh Công Lý")
    Plan.objects.filter(year=2024).update(issuer="UBND phường Phổ Minh", place="Phổ Minh")
    plan = copy_plan(source=Plan.objects.get(year=2024), year=2025, user=office_user())
    assert (plan.issuer, plan.place, plan.signer_name) == ("UBND phường Hòa Bình", "Hòa Bình", "Đinh Công Lý")
    assert Plan.objects.get(year=2024).issuer == "UBND phường Phổ Minh"  # the issued plan keeps its own


def test_a_403_is_logged_as_one_line_with_path_and_user(client, demo, make_user, caplog):
    user = make_user("leadership")
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("identity-edit")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert (
        records[0].getMessage()
        == f"Forbidden (Permission denied): /thiet-lap/thong-tin-phuong/ user={user.pk}"
    )
    assert records[0].exc_info is None and "Traceback" not in caplog.text
