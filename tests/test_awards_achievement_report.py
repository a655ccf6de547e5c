"""The achievement report (báo cáo thành tích) of a proposal, pre-filled from the data (issue 15 item 3).

On the demo: Tổ dân phố 1 (TDP-01) proposes itself for "Tổ dân phố văn hóa" (proposal 4, sent in); its
leader is totruong1. The figures must be the dashboard's unit page's, figure for figure, and one of them
is checked by hand against the raw reported values.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards.achievements import form_basis, report_data
from awards.models import AchievementReport, Proposal, Title
from indicators.audit import entries_for
from indicators.models import ReportedValue

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "situation": "Tổ có 600 hộ, nhân dân đoàn kết, đồng thuận.",
    "achievements": "Hoàn thành vượt mức chỉ tiêu hộ gia đình văn hóa; làm mới 300 m đường bê tông.",
    "measures": "Họp dân hằng quý, phân công đảng viên phụ trách từng cụm hộ.",
    "direction": "Duy trì danh hiệu, giảm hộ nghèo còn dưới 2 %.",
    "head_name": "Nguyễn Văn Tổ Trưởng",
    "head_position": "Tổ trưởng tổ dân phố",
    "reported_on": "2024-11-28",
}


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def proposal(demo) -> Proposal:
    """TDP-01's proposal for Tổ dân phố văn hóa, returned to the group so that it can be edited."""
    found = Proposal.objects.get(unit__code="TDP-01", title__code="TDPVH", plan=demo)
    Proposal.objects.filter(pk=found.pk).update(status=Proposal.Status.RETURNED, return_reason="Bổ sung")
    found.refresh_from_db()
    return found


def page_url(proposal) -> str:
    return reverse("awards-achievement-report", args=[proposal.pk])


def pdf_url(proposal) -> str:
    return reverse("awards-achievement-report-pdf", args=[proposal.pk])


def save(client, proposal, version: int = 0, **changes):
    return client.post(page_url(proposal), NARRATIVE | {"version": str(version)} | changes)


def cells(page: str, testid: str) -> dict[str, str]:
    """data-code → the text of the cell marked `testid` in that row (up to its first tag)."""
    found = {}
    for code, row in re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', page, re.S):
        match = re.search(rf'data-testid="{testid}">([^<]*)', row)
        if match:
            found[code] = match.group(1).strip()
    return found


def pdf_text(content: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]


# --- figures --------------------------------------------------------------------------------------


def test_figures_equal_the_dashboards_unit_page(client, proposal):
    client.force_login(user("chutich"))
    dashboard = client.get(reverse("dashboard-unit", args=[2024, "TDP-01"])).content.decode()
    client.force_login(user("totruong1"))
    report = client.get(page_url(proposal))
    assert report.status_code == 200
    on_dashboard = cells(dashboard, "unit-actual")
    in_report = cells(report.content.decode(), "report-actual")
    assert on_dashboard and in_report == on_dashboard
    assert "XH-03" in in_report and "KT-01" not in in_report


def test_one_target_checked_by_hand(proposal):
    """XH-03, the poor household rate, a ratio of stocks: TDP-01's poor households ÷ its households at
    the latest approved quarter (the second in the demo) × 100, as reported."""
    values = {
        v.element.code: v.value
        for v in ReportedValue.objects.filter(
            report__unit__code="TDP-01",
            report__period__quarter=2,
            report__status="approved",
            element__code__in=["HO_NGHEO", "SO_HO"],
        ).select_related("element")
    }
    by_hand = values["HO_NGHEO"] / values["SO_HO"] * 100
    data = report_data(proposal)
    assert data.quarter == 2 and data.quarter_text == "quý II/2024"
    row = next(r for r in data.targets if r.ward.code == "XH-03")
    assert row.text == "2,58 %" and round(by_hand, 2) == Decimal("2.58")


def test_pledge_covenant_earlier_awards_and_evidence_are_read_from_the_data(proposal):
    data = report_data(proposal)
    assert {r.commitment.target.code for r in data.pledge_results} >= {"XH-03"}
    assert [c.text for c in data.text_commitments] == [
        "Không có hộ tái nghèo",
        "Ra quân vệ sinh môi trường mỗi tháng một lần",
    ]
    assert data.covenants and all(c.results for c in data.covenants)
    assert all(r.year < 2024 for r in data.earlier)


# --- the PDF --------------------------------------------------------------------------------------


def test_pdf_has_the_units_targets_and_the_narrative(client, proposal):
    client.force_login(user("totruong1"))
    assert save(client, proposal).status_code == 302
    client.force_login(user("vanphong"))
    response = client.get(pdf_url(proposal))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "BÁO CÁO THÀNH TÍCH" in text
    assert "Đề nghị công nhận danh hiệu “Tổ dân phố văn hóa” năm 2024" in text
    assert "Mẫu số 05" in text and "86/2023/NĐ-CP" in text
    assert "TỔ DÂN PHỐ 1" in text and "UBND PHƯỜNG PHỔ MINH" in text.upper()
    assert "Phổ Minh, ngày 28 tháng 11 năm 2024" in text
    assert "Số liệu đến hết quý II/2024, xuất lúc" in text
    for part in ("situation", "achievements", "measures", "direction"):
        assert re.sub(r"\s+", " ", NARRATIVE[part]) in text, part
    assert "XH-03" in text and "2,58 %" in text  # the unit's own figure
    assert "Không có hộ tái nghèo" in text  # a commitment of its pledge
    # The signature block stays with the closing paragraph, on the last page.
    last = re.sub(r"\s+", " ", pages[-1])
    assert "Trên đây là báo cáo thành tích" in last and "Nguyễn Văn Tổ Trưởng" in last
    assert "TỔ TRƯỞNG TỔ DÂN PHỐ" in last


def test_form_basis_follows_the_law_in_force_on_the_reports_date(demo):
    collective = Title.objects.get(code="TTLDTT")
    assert "98/2023/NĐ-CP" in form_basis(title=collective, on=date(2025, 1, 15))
    assert "152/2025/NĐ-CP" in form_basis(title=collective, on=date(2026, 1, 15))
    group = Title.objects.get(code="TDPVH")
    assert "Mẫu số 05" in form_basis(title=group, on=date(2026, 1, 15))
    assert "86/2023/NĐ-CP" in form_basis(title=group, on=date(2026, 1, 15))


def test_form_basis_is_read_from_the_law_data_not_written_in_code(demo):
    """The office corrects a decree's number on its law page: the report cites the correction."""
    from awards.law import LegalText

    LegalText.objects.filter(number="152/2025/NĐ-CP").update(number="152/2025/NĐ-CP-sửa")
    LegalText.objects.filter(number="86/2023/NĐ-CP").update(signed_on=date(2023, 12, 8))
    collective = Title.objects.get(code="TTLDTT")
    assert "152/2025/NĐ-CP-sửa" in form_basis(title=collective, on=date(2026, 1, 15))
    group = Title.objects.get(code="TDPVH")
    assert "ngày 08/12/2023" in form_basis(title=group, on=date(2026, 1, 15))


def test_titles_that_need_a_report(demo):
    flagged = set(Title.objects.filter(requires_achievement_report=True).values_list("code", flat=True))
    assert flagged == {"TTLDTT", "GK-TT", "TDPVH", "CSTDCS"}


# --- writing it -----------------------------------------------------------------------------------


def test_the_units_leader_writes_it_and_the_step_is_audited(client, proposal):
    client.force_login(user("totruong1"))
    page = client.get(page_url(proposal)).content.decode()
    assert 'data-testid="report-form"' in page
    assert proposal.achievements in page  # pre-filled from the proposal's summary
    assert save(client, proposal).status_code == 302
    report = AchievementReport.objects.get(proposal=proposal)
    assert report.version == 1 and report.head_name == "Nguyễn Văn Tổ Trưởng"
    assert report.reported_on == date(2024, 11, 28)
    assert save(client, proposal, version=1, direction="Phương hướng mới").status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.direction == "Phương hướng mới"
    entry = entries_for(proposal).filter(action="awards.achievement_report.saved").order_by("pk").last()
    assert entry.data["direction"] == {"old": NARRATIVE["direction"], "new": "Phương hướng mới"}
    detail = client.get(reverse("awards-proposal", args=[proposal.pk])).content.decode()
    assert page_url(proposal) in detail


def test_a_stale_page_is_refused_with_the_text_kept(client, proposal):
    client.force_login(user("totruong1"))
    assert save(client, proposal, version=0).status_code == 302
    typed = "Đoạn tôi vừa gõ trên điện thoại, không được mất."
    response = save(client, proposal, version=0, achievements=typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert typed in page  # nothing typed is lost
    assert "vừa được người khác lưu" in page
    assert 'data-testid="saved-version"' in page and NARRATIVE["achievements"] in page
    assert 'name="version" value="1"' in page  # saving again is a choice made knowingly
    report = AchievementReport.objects.get(proposal=proposal)
    assert report.version == 1 and report.achievements == NARRATIVE["achievements"]


# --- who may ----------------------------------------------------------------------------------------


def test_readers_read_and_may_not_write(client, proposal, make_user):
    for username in ("vanphong", "chutich"):
        client.force_login(user(username))
        page = client.get(page_url(proposal))
        assert page.status_code == 200 and 'data-testid="report-form"' not in page.content.decode()
        assert save(client, proposal).status_code == 403
    assert not AchievementReport.objects.exists()


def test_other_units_get_404_and_the_administrator_403(client, proposal, make_user):
    from indicators.models import Unit

    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-02")]))
    assert client.get(page_url(proposal)).status_code == 404
    assert client.get(pdf_url(proposal)).status_code == 404
    assert save(client, proposal).status_code == 404
    client.force_login(make_user("admin"))
    assert client.get(page_url(proposal)).status_code == 403
    assert client.get(pdf_url(proposal)).status_code == 403


def test_once_sent_the_unit_reads_but_no_longer_writes(client, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.SUBMITTED)
    client.force_login(user("totruong1"))
    assert client.get(page_url(proposal)).status_code == 200
    assert save(client, proposal).status_code == 403


def test_a_title_without_a_report_has_no_report_page(client, demo, make_user):
    from indicators.models import Unit

    household = Proposal.objects.get(unit__code="TDP-02", title__code="GDVH", plan=demo)
    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-02")]))
    assert client.get(reverse("awards-proposal", args=[household.pk])).status_code == 200
    assert client.get(page_url(household)).status_code == 404
    assert client.get(pdf_url(household)).status_code == 404
