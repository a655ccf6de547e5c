"""Certificates in the browser: the office asks for a decision's certificates, follows the job's
progress bar (moved by static/js/job-progress.js as the worker writes progress) to the download, and
the address printed under a certificate's QR code opens the public verification page without login."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from jobs.models import DocumentJob

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAMES = ["Hộ Trần Văn Quét", "Hộ Lê Thị Mã"]


@pytest.fixture
def live(live_server, settings):
    settings.PHOMINH_PUBLIC_URL = live_server.url
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    return live_server


def signed_decision():
    from django.contrib.auth import get_user_model

    from awards.models import AwardRecord, Decision, Title
    from awards.registry import next_register_number
    from campaigns.models import Plan
    from indicators.models import Unit

    plan = Plan.objects.get(year=2024)
    decision = Decision.objects.create(
        plan=plan,
        kind=Decision.Kind.WARD,
        status=Decision.Status.SIGNED,
        number="140/QĐ-UBND",
        signed_on=date(2024, 12, 30),
        issuer="Chủ tịch UBND phường Phổ Minh",
        signer_name=plan.signer_name,
        recorded_by=get_user_model().objects.get(username="vanphong"),
    )
    for name in NAMES:
        AwardRecord.objects.create(
            register_number=next_register_number(2024),
            year=2024,
            title=Title.objects.get(code="GDVH"),
            unit=Unit.objects.get(code="TDP-01"),
            nominee_name=name,
            nominee_position="Tổ dân phố 1",
            decision_number=decision.number,
            decided_on=decision.signed_on,
            decided_by=decision.issuer,
            decision=decision,
        )
    return decision


def test_decision_certificates_download_and_the_qr_address_opens_without_login(page, live, screenshot):
    signed_decision()
    login(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/so-khen-thuong/?nam=2024")
    page.click("[data-testid=decision-certificates]")
    page.wait_for_selector("[data-testid=job-download]")
    assert page.inner_text("[data-testid=job-status]") == "Đã xong"
    screenshot(page, "certificates-job-done")
    with page.expect_download() as download:
        page.click("[data-testid=job-download]")
    content = open(download.value.path(), "rb").read()
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) == 2
    printed = "".join(pages[0].split())
    match = re.search(re.escape(live.url) + r"/xac-minh/[A-Za-z0-9_-]{24}/", printed)
    assert match, printed

    page.context.clear_cookies()
    page.goto(match.group(0))
    facts = page.inner_text("[data-testid=verify-facts]")
    assert (
        NAMES[0] in facts and "Gia đình văn hóa" in facts and "140/QĐ-UBND" in facts and "30/12/2024" in facts
    )
    assert page.locator("[data-testid=verify-valid]").is_visible()
    assert page.locator("[data-testid=current-user]").count() == 0  # nobody is signed in
    screenshot(page, "certificates-verify-public")


def test_the_progress_bar_follows_the_worker_then_offers_the_file(page, live, screenshot):
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    office = get_user_model().objects.get(username="vanphong")
    job = DocumentJob.objects.create(
        requested_by=office, kind=DocumentJob.Kind.DECISION_CERTIFICATES, label="Giấy khen 3.300 hộ"
    )
    login(page, live, "vanphong")
    page.goto(f"{live.url}/tai-lieu/{job.pk}/")
    assert page.inner_text("[data-testid=job-status]") == "Đang chờ"
    DocumentJob.objects.filter(pk=job.pk).update(status="running", progress_done=1650, progress_total=3300)
    expect(page.locator("#job-percent")).to_have_text("50")  # polled by the page's script (no eval: CSP)
    expect(page.locator("#job-progress")).to_have_text("50 %")
    assert page.inner_text("#job-done") == "1.650" and page.inner_text("#job-status") == "Đang tạo"
    screenshot(page, "certificates-job-progress")
    job.result.save("gk.pdf", ContentFile(b"%PDF-1.7"), save=False)
    DocumentJob.objects.filter(pk=job.pk).update(
        status="done", progress_done=3300, result=job.result.name, result_name="gk.pdf"
    )
    page.wait_for_selector("[data-testid=job-download]")
