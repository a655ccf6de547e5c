"""A full award cycle in the browser: a group leader proposes with evidence, the office checks and
forwards it to a session, members vote (one in writing), the office closes, the chairman decides and
downloads the decision as a PDF."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from awards import voting
from awards.models import AwardRecord, CouncilMember, CouncilSession, Proposal

from .conftest import ARTIFACTS, DESK, PHONE, click_and_confirm, confirm_step, login, screenshot_sizes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOMINEE = "Huỳnh Thị Gương Mẫu"


@pytest.fixture
def live(live_server, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    return live_server


def switch(page, live, username):
    page.context.clear_cookies()
    login(page, live, username)


def test_proposal_check_session_votes_close_decision_pdf(page, live, screenshot):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects

    # 1. The group leader proposes one of his people, with evidence, and sends it to the office.
    login(page, live, "totruong1")
    page.click("nav >> text=Khen thưởng")
    page.click("[data-testid=new-proposal]")
    page.select_option("#id_title", label="Giấy khen của Chủ tịch UBND phường")
    page.fill("#id_nominee_name", NOMINEE)
    page.fill("#id_nominee_position", "Tổ phó Tổ dân phố 1")
    page.fill("#id_achievements", "Vận động 100% hộ tham gia vệ sinh môi trường; hòa giải thành 3 vụ việc.")
    page.click("[data-testid=proposal-form] button[type=submit]")
    page.wait_for_selector("[data-testid=criteria]")
    page.set_input_files(
        "[data-testid=evidence-form] input[name=file]",
        files=[{"name": "bien-ban-hop-to.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("[data-testid=evidence-form] button[type=submit]")
    assert "bien-ban-hop-to.pdf" in page.inner_text("[data-testid=evidence]")
    screenshot(page, "awards-proposal-draft")
    # He corrects the position before sending: the edit is saved (the locked unit field posts nothing).
    page.click("[data-testid=edit]")
    page.fill("#id_nominee_position", "Tổ phó Tổ dân phố 1, chi hội trưởng phụ nữ")
    page.click("[data-testid=proposal-form] button[type=submit]")
    page.wait_for_selector("[data-testid=criteria]")
    assert "chi hội trưởng phụ nữ" in page.inner_text("[data-testid=nominee]")
    click_and_confirm(page, "[data-testid=submit]")
    assert "Đã gửi" in page.inner_text("[data-testid=proposal-status]")
    proposal = Proposal.objects.get(nominee_name=NOMINEE)
    assert proposal.status == Proposal.Status.SUBMITTED

    # 2. The office prepares a session, checks the proposal and puts it on the agenda.
    switch(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/phien-hop/")
    page.click("[data-testid=session-form] button[type=submit]")
    page.wait_for_selector("[data-testid=agenda]")
    session = CouncilSession.objects.get()
    page.goto(f"{live.url}/khen-thuong/de-nghi/{proposal.pk}/")
    page.check("[data-testid=check-box] input[name=eligible][value='1']")
    page.fill("[data-testid=check-box] textarea[name=note]", "Đủ hồ sơ, có biên bản họp tổ.")
    click_and_confirm(page, "[data-testid=check-box] button:has-text('Ghi kết quả kiểm tra')")
    page.wait_for_selector("[data-testid=forward-box]")
    screenshot(page, "awards-office-check")
    page.select_option("[data-testid=forward-box] select[name=session]", index=1)
    page.click("[data-testid=forward-box] button[type=submit]")
    assert "Đã chuyển Hội đồng" in page.inner_text("[data-testid=proposal-status]")

    # Attendance: five of the seven members present (the quorum is two thirds: five).
    page.goto(f"{live.url}/khen-thuong/phien-hop/{session.pk}/")
    present = ["chutich", "phochutich", "ct_mttq", "hoidong", "hd_phunu"]
    for member in CouncilMember.objects.filter(user__username__in=present):
        page.check(f"[data-testid=attendance-form] input[name=present][value='{member.pk}']")
    page.click("[data-testid=attendance-form] button[type=submit]")
    click_and_confirm(page, "[data-testid=open]")
    assert "Đang biểu quyết" in page.inner_text("[data-testid=session-status]")
    screenshot(page, "awards-session-open")

    # 3. Members vote: one present, one absent in writing, in the browser; three more at the table.
    for username in ["hoidong", "hd_ccb"]:
        switch(page, live, username)
        page.goto(f"{live.url}/khen-thuong/phien-hop/{session.pk}/")
        heading = page.inner_text("[data-testid=ballot] h2")
        assert ("văn bản" in heading) == (username == "hd_ccb")
        page.check("[data-testid=ballot] input[value=agree]")
        if username == "hd_ccb":
            screenshot(page, "awards-written-ballot")
        else:
            # On a phone the member's ballot asks first; cancelling sends nothing.
            page.set_viewport_size(PHONE)
            page.click("[data-testid=ballot] button[type=submit]")
            dialog = page.locator("dialog[data-testid=confirm-step][open]")
            assert "không" in dialog.inner_text().lower()  # says it cannot be changed
            screenshot_sizes(page, "awards-ballot-confirm")
            confirm_step(page, accept=False)
            assert page.locator("[data-testid=voted]").count() == 0
            assert page.locator("[data-testid=ballot] input[value=agree]").is_checked()
        click_and_confirm(page, "[data-testid=ballot] button[type=submit]")
        page.set_viewport_size(DESK)
        assert "Bạn đã bỏ phiếu" in page.inner_text("[data-testid=voted]")
    item = session.agenda.get()
    for username, choice in [("chutich", "agree"), ("phochutich", "agree"), ("ct_mttq", "disagree")]:
        voting.cast_ballot(session=session, user=users.get(username=username), choices={item.pk: choice})

    # 4. The office closes the vote once every member present has handed in a ballot: the tally
    # appears, frozen.
    switch(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/phien-hop/{session.pk}/")
    assert "Đã nhận phiếu của 5/7 thành viên" in page.inner_text("[data-testid=ballots-received]")
    assert "Không đồng ý" not in page.inner_text("[data-testid=agenda]")
    assert "Còn 1 thành viên có mặt chưa bỏ phiếu" in page.inner_text("[data-testid=close-problems]")
    click_and_confirm(page, "[data-testid=close]")
    assert "Còn 1 thành viên có mặt chưa bỏ phiếu" in page.inner_text("[role=alert].alert-danger")
    assert "Đang biểu quyết" in page.inner_text("[data-testid=session-status]")
    # "Không có ý kiến" is a ballot too.
    voting.cast_ballot(session=session, user=users.get(username="hd_phunu"), choices={item.pk: "abstain"})
    page.goto(f"{live.url}/khen-thuong/phien-hop/{session.pk}/")
    assert page.locator("[data-testid=close-problems]").count() == 0
    click_and_confirm(page, "[data-testid=close]")
    assert "Đã kiểm 6 phiếu, trong đó 1 ý kiến bằng văn bản" in page.inner_text(
        "[data-testid=ballots-counted]"
    )
    agenda = page.inner_text("[data-testid=agenda]")
    assert "Thông qua" in agenda and "57,1%" in agenda
    assert "đã gửi ý kiến bằng văn bản" in page.inner_text("[data-testid=attendance]")
    screenshot(page, "awards-session-closed")

    # 5. The chairman records the decision and downloads it.
    switch(page, live, "chutich")
    page.goto(f"{live.url}/khen-thuong/phien-hop/{session.pk}/")
    page.fill("[data-testid=decide-box] input[name=number]", "15/QĐ-UBND")
    page.fill("[data-testid=decide-box] input[name=signed_on]", "27/12/2024")
    click_and_confirm(page, "[data-testid=decide-box] button[type=submit]")
    assert "15/QĐ-UBND" in page.inner_text("[data-testid=decision]")
    screenshot(page, "awards-decided")
    with page.expect_download() as info:
        page.click("[data-testid=decision-pdf]")
    download = info.value
    assert download.suggested_filename == "quyet-dinh-khen-thuong-15-QD-UBND-2024.pdf"
    target = Path(ARTIFACTS) / "awards-decision.pdf"
    download.save_as(target)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages).split()
    )
    assert "QUYẾT ĐỊNH" in text and "Số: 15/QĐ-UBND" in text and NOMINEE in text
    record = AwardRecord.objects.get(nominee_name=NOMINEE)
    assert (record.year, record.title.code, record.decision_number) == (2024, "GK-CT", "15/QĐ-UBND")
    page.goto(f"{live.url}/khen-thuong/so-khen-thuong/")
    assert NOMINEE in page.inner_text("[data-testid=registry]")
    screenshot(page, "awards-registry")


def test_the_office_posts_a_list_records_a_comment_and_answers_it(page, live, screenshot):
    """Public posting (công khai): the office posts TDP-01's "Tổ dân phố văn hóa" proposal, records a
    resident's comment and its answer, prints the notice; the group's leader sees the posted list."""
    from awards.models import Posting, Title
    from indicators.models import Unit

    title = Title.objects.get(code="TDPVH")
    group = Unit.objects.get(code="TDP-01")
    login(page, live, "vanphong")
    page.goto(f"{live.url}/khen-thuong/cong-khai/moi/")
    page.select_option("[data-testid=posting-choice] select[name=title]", str(title.pk))
    page.select_option("[data-testid=posting-choice] select[name=unit]", str(group.pk))
    page.click("[data-testid=posting-choice] button[type=submit]")
    page.fill("[data-testid=posting-form] input[name=number]", "15/TB-UBND")
    page.click("[data-testid=posting-form] button[type=submit]")
    page.wait_for_selector("[data-testid=posted-names]")
    assert "Tổ dân phố 1" in page.inner_text("[data-testid=posted-names]")
    posting = Posting.objects.get()
    assert posting.days == 10 and list(posting.proposals.values_list("unit__code", flat=True)) == ["TDP-01"]

    form = "[data-testid=comment-form]"
    page.fill(f"{form} textarea[name=text]", "Tổ còn hai hộ chưa tham gia tổng vệ sinh hằng tháng.")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("[data-testid=unanswered]")
    assert "chưa thể quyết định" in page.inner_text("[data-testid=open-comments]")
    comment = posting.comments.get()
    page.fill(f"#id_response_{comment.pk}_response", "Đã kiểm tra: hai hộ đã tham gia từ tháng 10.")
    page.click(f"[data-comment='{comment.pk}'] button[type=submit]")
    page.wait_for_selector("[data-testid=response]")
    assert page.locator("[data-testid=unanswered]").count() == 0
    assert page.locator("[data-testid=open-comments]").count() == 0
    screenshot(page, "awards-posting")

    notice = page.request.get(live.url + page.get_attribute("[data-testid=posting-pdf]", "href"))
    assert notice.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(notice.body())).pages)
    assert "THÔNG BÁO" in text and "15/TB-UBND" in text and "Tổ dân phố 1" in text

    switch(page, live, "totruong1")
    page.goto(f"{live.url}/khen-thuong/cong-khai/{posting.pk}/danh-sach/")
    assert "Tổ dân phố 1" in page.inner_text("[data-testid=posted-names]")
    switch(page, live, "totruong2")
    response = page.goto(f"{live.url}/khen-thuong/cong-khai/{posting.pk}/danh-sach/")
    assert response.status == 404
