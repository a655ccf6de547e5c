"""Certificates of the register (issue 15, item 4): the register number, the PDF with the decision's
number and date, the QR link to the public verification page, revocation, the office's print layout,
and a whole decision's certificates built by the document worker."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import registry, services
from awards.models import AwardRecord, CertificateLayout, Decision, Title
from indicators.audit import entries_for
from indicators.models import Unit
from jobs.models import DocumentJob

from .test_awards_decisions import chairman, closed_with
from .test_awards_factories import checked_proposal, office_user

pytestmark = pytest.mark.django_db
DAY = date(2024, 12, 27)


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def signed_decision(plan, names, *, number="125/QĐ-UBND", unit_code="TDP-01", title_code="GK-CT") -> Decision:
    """A signed ward decision with one registry record per name, numbered as the services number them."""
    decision = Decision.objects.create(
        plan=plan,
        kind=Decision.Kind.WARD,
        status=Decision.Status.SIGNED,
        number=number,
        signed_on=DAY,
        issuer="Chủ tịch UBND phường Phổ Minh",
        signer_name="Lê Duy Bảo",
        recorded_by=office_user(),
    )
    for name in names:
        AwardRecord.objects.create(
            register_number=registry.next_register_number(plan.year),
            year=plan.year,
            title=Title.objects.get(code=title_code),
            unit=Unit.objects.get(code=unit_code),
            nominee_name=name,
            nominee_position="Tổ dân phố 1",
            decision_number=number,
            decided_on=DAY,
            decided_by=decision.issuer,
            decision=decision,
            note="ghi chú nội bộ của Văn phòng",
        )
    return decision


@pytest.fixture
def office(client):
    client.force_login(office_user())
    return client


def test_the_decision_numbers_its_records_in_the_register_in_order(plan):
    first = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Bùi Thị Một")
    second = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Bùi Thị Hai")
    before = registry.next_register_number(2024)
    session = closed_with(plan, [first, second])
    services.record_decision(session=session, user=chairman(), number="12/QĐ-UBND", signed_on=DAY)
    numbers = sorted(
        AwardRecord.objects.filter(proposal__in=[first, second]).values_list("register_number", flat=True)
    )
    assert numbers == [before, before + 1]
    assert registry.next_register_number(2024) == before + 2
    assert registry.next_register_number(2031) == 1  # each year's register starts at 1


def test_existing_rows_are_numbered_by_the_migration_in_the_order_recorded(plan):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("awards.migrations.0008_certificate_register")
    AwardRecord.objects.update(register_number=None)
    migration.number_existing_records(apps, None)
    for year in set(AwardRecord.objects.values_list("year", flat=True)):
        rows = AwardRecord.objects.filter(year=year).order_by("recorded_at", "pk")
        assert [r.register_number for r in rows] == list(range(1, rows.count() + 1))
    assert len(set(AwardRecord.objects.values_list("verify_token", flat=True))) == AwardRecord.objects.count()


def test_verification_codes_are_random_not_the_id(plan):
    a, b = signed_decision(plan, ["Trần Văn A", "Trần Văn B"]).records.order_by("pk")
    assert a.verify_token != b.verify_token and len(a.verify_token) >= 24
    assert str(a.pk) not in a.verify_token[:3] or not a.verify_token.isdigit()
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", a.verify_token)


def test_the_certificate_carries_the_decision_the_register_number_and_the_qr_address(plan, office, settings):
    settings.PHOMINH_PUBLIC_URL = "https://thidua.phominh.example"
    record = signed_decision(plan, ["Nguyễn Thị Khen"]).records.get()
    response = office.get(reverse("awards-record-certificate", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (text,) = pdf_pages(response.content)
    assert "Nguyễn Thị Khen" in text and "GIẤY KHEN" in text and "UBND PHƯỜNG PHỔ MINH" not in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH" in text
    assert "Quyết định số 125/QĐ-UBND ngày 27/12/2024" in text
    assert f"Số vào sổ: {record.register_number}/2024" in text
    assert "Phổ Minh, ngày 27 tháng 12 năm 2024" in text and "Lê Duy Bảo" in text
    url = "https://thidua.phominh.example" + reverse("awards-verify", args=[record.verify_token])
    assert url in text.replace(" ", "")
    assert b"image/svg+xml" not in response.content  # the QR's SVG is drawn into the PDF, not attached


def test_a_title_certificate_names_the_title(plan, office):
    record = signed_decision(plan, ["Hộ Lê Văn Hòa"], title_code="GDVH").records.get()
    (text,) = pdf_pages(office.get(reverse("awards-record-certificate", args=[record.pk])).content)
    assert "GIẤY CHỨNG NHẬN" in text and "Đạt danh hiệu “Gia đình văn hóa” năm 2024" in text


def test_blank_mode_prints_only_the_variable_text(plan, office):
    record = signed_decision(plan, ["Phạm Văn Phôi"]).records.get()
    layout = reverse("awards-certificate-layout")
    assert office.get(layout).status_code == 200
    response = office.post(
        layout, {"offset_x_mm": "3,5", "offset_y_mm": "-2", "blank_mode": "on", "version": 0}
    )
    assert response.status_code == 302
    saved = CertificateLayout.current()
    assert (saved.offset_x_mm, saved.offset_y_mm, saved.blank_mode, saved.version) == (
        Decimal("3.5"),
        Decimal("-2"),
        True,
        1,
    )
    assert entries_for(saved).get().action == "awards.certificate_layout.changed"
    (text,) = pdf_pages(office.get(reverse("awards-record-certificate", args=[record.pk])).content)
    assert "Phạm Văn Phôi" in text and "125/QĐ-UBND" in text
    assert "CỘNG HÒA" not in text and "GIẤY KHEN" not in text
    # A stale form (another clerk saved in between) is refused, not silently applied.
    office.post(layout, {"offset_x_mm": "9", "offset_y_mm": "9", "version": 0})
    assert CertificateLayout.current().offset_x_mm == Decimal("3.5")


def test_offsets_beyond_50_mm_are_refused(plan, office):
    response = office.post(reverse("awards-certificate-layout"), {"offset_x_mm": "80", "offset_y_mm": "0"})
    assert response.status_code == 200 and CertificateLayout.objects.count() == 0


def test_the_public_page_shows_only_the_allowed_facts(plan, client):
    record = signed_decision(plan, ["Đỗ Thị Minh Chứng"]).records.get()
    response = client.get(reverse("awards-verify", args=[record.verify_token]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "Đỗ Thị Minh Chứng",
        "Giấy khen của Chủ tịch UBND phường",
        "2024",
        "125/QĐ-UBND",
        "27/12/2024",
    ):
        assert shown in html
    for hidden in ("Tổ dân phố 1", "ghi chú nội bộ", record.unit.name, f"{record.register_number}/2024"):
        assert hidden not in html
    assert "Đăng xuất" not in html and response["X-Robots-Tag"] == "noindex"


def test_an_unknown_code_is_a_plain_404(db, client):
    response = client.get(reverse("awards-verify", args=["khong-co-ma-nay-trong-so-0"]))
    assert response.status_code == 404
    assert "Mã xác minh này không có trong sổ khen thưởng của phường" in response.content.decode()


def test_a_revoked_award_says_so_and_the_revocation_is_audited(plan, office, client):
    record = signed_decision(plan, ["Vũ Văn Thu Hồi"]).records.get()
    url = reverse("awards-record-revoke", args=[record.pk])
    office.post(url, {"reason": ""})
    record.refresh_from_db()
    assert not record.revoked
    assert office.post(url, {"reason": "Khai man thành tích"}).status_code == 302
    record.refresh_from_db()
    assert record.revoked and record.revoked_reason == "Khai man thành tích" and record.revoked_at
    entry = entries_for(record).get()
    assert (entry.action, entry.data) == ("awards.record.revoked", {"reason": "Khai man thành tích"})
    client.logout()
    html = client.get(reverse("awards-verify", args=[record.verify_token])).content.decode()
    assert "đã bị thu hồi" in html and "Vũ Văn Thu Hồi" in html and "Khai man" not in html


def test_only_the_office_revokes(plan, client, make_user):
    record = signed_decision(plan, ["Vũ Văn Giữ"]).records.get()
    client.force_login(get_user_model().objects.get(username="chutich"))
    assert client.post(reverse("awards-record-revoke", args=[record.pk]), {"reason": "x"}).status_code == 403
    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-02")]))
    assert client.post(reverse("awards-record-revoke", args=[record.pk]), {"reason": "x"}).status_code == 404
    record.refresh_from_db()
    assert not record.revoked


def test_a_whole_decision_is_built_by_the_worker_and_scoped_to_who_asked(plan, office, client, make_user):
    decision = signed_decision(plan, [f"Người Số {i:02d}" for i in range(1, 8)], number="126/QĐ-UBND")
    response = office.post(reverse("awards-decision-certificates", args=[decision.pk]))
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert (job.status, job.progress_done, job.progress_total, job.requested_by) == (
        DocumentJob.Status.DONE,
        7,
        7,
        office_user(),
    )
    assert job.label == "Giấy khen theo Quyết định số 126/QĐ-UBND"
    page = office.get(reverse("job", args=[job.pk])).content.decode()
    assert reverse("job-download", args=[job.pk]) in page
    download = office.get(reverse("job-download", args=[job.pk]))
    pages = pdf_pages(b"".join(download.streaming_content))
    numbers = [r.register_number for r in decision.records.order_by("register_number")]
    assert len(pages) == 7
    for text, number in zip(pages, numbers, strict=True):
        assert f"Số vào sổ: {number}/2024" in text and "126/QĐ-UBND" in text
    client.force_login(get_user_model().objects.get(username="chutich"))
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def test_a_decision_without_records_fails_with_a_reason(plan, office):
    decision = signed_decision(plan, [], number="127/QĐ-UBND")
    office.post(reverse("awards-decision-certificates", args=[decision.pk]))
    job = DocumentJob.objects.get()
    assert (job.status, job.error) == (
        DocumentJob.Status.FAILED,
        "Quyết định này chưa có ai được vào sổ khen thưởng.",
    )


def test_who_prints_certificates(plan, client, make_user):
    record = signed_decision(plan, ["Hà Văn Quyền"]).records.get()
    url = reverse("awards-record-certificate", args=[record.pk])
    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-02")]))
    assert client.get(url).status_code == 404  # another group's record
    client.force_login(make_user("group_leader", units=[Unit.objects.get(code="TDP-01")]))
    assert client.get(url).status_code == 403  # his own group's record: the office prints it
    client.force_login(make_user("council"))
    assert client.get(url).status_code == 403
    assert client.post(reverse("awards-decision-certificates", args=[record.decision_id])).status_code == 403
    assert client.get(reverse("awards-certificate-layout")).status_code == 403


def test_a_row_typed_in_the_admin_takes_the_next_number_of_its_year(plan, client):
    admin = get_user_model().objects.create_superuser("sổ", password="x-Admin-2024")
    client.force_login(admin)
    before = registry.next_register_number(2023)
    response = client.post(
        reverse("admin:awards_awardrecord_add"),
        {
            "year": 2023,
            "title": Title.objects.get(code="LDTT").pk,
            "unit": Unit.objects.get(code="TC-KT").pk,
            "nominee_name": "Đặng Văn Giấy",
            "decision_number": "15/QĐ-UBND",
            "decided_on": "12/01/2024",
            "decided_by": "Chủ tịch UBND phường Phổ Minh",
            "recorded_at_0": "01/02/2024",
            "recorded_at_1": "09:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AwardRecord.objects.get(nominee_name="Đặng Văn Giấy").register_number == before


def test_the_offsets_move_the_frame(plan):
    from awards.certificates import offset_stylesheet

    assert offset_stylesheet(CertificateLayout(offset_x_mm=Decimal("3.5"), offset_y_mm=Decimal("-2"))) == (
        "data:text/css,.frame%20%7B%20left%3A%203.5mm%3B%20top%3A%20-2mm%3B%20%7D"
    )
    record = signed_decision(plan, ["Lê Văn Lệch"]).records.get()
    from awards.certificates import render_certificates

    def name_position(layout):
        page = PdfReader(io.BytesIO(render_certificates([record], layout))).pages[0]
        found = []

        def visit(text, cm, tm, font, size):
            if "Lê Văn Lệch" in text:  # the text's origin on the page: its matrix times the page's
                found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        return found[0]

    x0, y0 = name_position(CertificateLayout())
    x1, y1 = name_position(CertificateLayout(offset_x_mm=Decimal(10), offset_y_mm=Decimal(10)))
    mm = 72 / 25.4
    assert round((x1 - x0) / mm) == 10 and round((y0 - y1) / mm) == 10  # PDF y grows upwards
