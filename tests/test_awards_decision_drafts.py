"""Decisions as drafts until signed: number checked against the ward's pattern, correctable while a
draft, locked after signing, corrected by a correcting decision; decisions without a council session
(one-off awards, titles with no council vote), several per plan; the registry written at signing."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from awards.models import AwardRecord, Decision, Proposal
from awards.services import AwardError, ConflictError
from indicators.models import ActionLog

from .test_awards_factories import checked_proposal, office_user

pytestmark = pytest.mark.django_db
DAY = date(2024, 12, 27)


def chairman():
    return get_user_model().objects.get(username="chutich")


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())


def one_off(plan, *names, subject="Về việc khen thưởng đột xuất gương người tốt việc tốt"):
    proposals = [checked_proposal(plan, unit_code="TDP-03", title_code="GK-CT", name=n) for n in names]
    return services.draft_decision(plan=plan, user=office_user(), proposals=proposals, subject=subject)


@pytest.mark.parametrize("number", ["2024-99", "12/QĐ-UBND ", "12/QD-UBND", "12345/QĐ-UBND", "12/TTr-UBND"])
def test_a_number_off_the_wards_pattern_is_refused(plan, number):
    decision = one_off(plan, "Nguyễn Văn Cứu")
    if number == "12/QĐ-UBND ":  # spaces around are trimmed, not refused
        services.update_draft(decision=decision, user=office_user(), number=number)
        decision.refresh_from_db()
        assert decision.number == "12/QĐ-UBND"
        return
    with pytest.raises(AwardError, match="không đúng mẫu"):
        services.update_draft(decision=decision, user=office_user(), number=number)
    decision.refresh_from_db()
    assert decision.number == ""


def test_the_pattern_is_the_plans_data(plan):
    plan.decision_number_pattern = r"^\d{1,4}/QĐ-CTUBND$"
    plan.save(update_fields=["decision_number_pattern"])
    decision = one_off(plan, "Nguyễn Văn Cứu")
    with pytest.raises(AwardError, match="không đúng mẫu"):
        services.update_draft(decision=decision, user=office_user(), number="12/QĐ-UBND")
    services.update_draft(decision=decision, user=office_user(), number="12/QĐ-CTUBND")


def test_a_one_off_decision_without_a_session_is_drafted_corrected_then_signed(plan):
    decision = one_off(plan, "Nguyễn Văn Cứu", "Trần Thị Giúp")
    assert decision.session is None and decision.status == Decision.Status.DRAFT
    assert decision.subject == "Về việc khen thưởng đột xuất gương người tốt việc tốt"
    # Nothing enters the registry while it is a draft.
    assert not AwardRecord.objects.filter(decision=decision).exists()
    with pytest.raises(AwardError, match="số, ký hiệu"):
        services.sign_decision(decision=decision, user=chairman())
    services.update_draft(
        decision=decision,
        user=office_user(),
        version=decision.version,
        number="31/QĐ-UBND",
        signed_on=date(2024, 9, 2),
        subject="Về việc khen thưởng đột xuất trong công tác cứu hộ",
    )
    with pytest.raises(ConflictError):  # a stale version: someone else saved in between
        services.update_draft(decision=decision, user=office_user(), version=0, number="32/QĐ-UBND")
    with pytest.raises(AwardError, match="Chủ tịch"):
        services.sign_decision(decision=decision, user=office_user())
    services.sign_decision(decision=decision, user=chairman())
    decision.refresh_from_db()
    assert (decision.status, decision.number, decision.signed_on) == (
        "signed",
        "31/QĐ-UBND",
        date(2024, 9, 2),
    )
    records = AwardRecord.objects.filter(decision=decision).order_by("nominee_name")
    assert [(r.nominee_name, r.decision_number, r.decided_on) for r in records] == [
        ("Nguyễn Văn Cứu", "31/QĐ-UBND", date(2024, 9, 2)),
        ("Trần Thị Giúp", "31/QĐ-UBND", date(2024, 9, 2)),
    ]
    assert set(Proposal.objects.filter(decisions=decision).values_list("status", flat=True)) == {"awarded"}
    actions = set(ActionLog.objects.filter(object_id=decision.pk).values_list("action", flat=True))
    assert {"awards.decision.drafted", "awards.decision.draft_changed", "awards.decision.recorded"} <= actions


def test_a_signed_decision_is_locked_and_corrected_only_by_a_correcting_decision(plan):
    decision = one_off(plan, "Nguyễn Văn Cứu")
    services.update_draft(decision=decision, user=office_user(), number="31/QĐ-UBND", signed_on=DAY)
    services.sign_decision(decision=decision, user=chairman())
    with pytest.raises(AwardError, match="đính chính"):
        services.update_draft(decision=decision, user=office_user(), number="13/QĐ-UBND")
    with pytest.raises(AwardError, match="ít nhất một"):
        services.correct_decision(decision=decision, user=office_user(), changes={"number": "31/QĐ-UBND"})
    correction = services.correct_decision(
        decision=decision, user=office_user(), number="40/QĐ-UBND", changes={"number": "13/QĐ-UBND"}
    )
    assert correction.corrects == decision and correction.status == Decision.Status.DRAFT
    assert "đính chính Quyết định số 31/QĐ-UBND" in correction.subject
    # Until the correction is signed, the registry keeps the number as signed.
    assert AwardRecord.objects.get(decision=decision).decision_number == "31/QĐ-UBND"
    services.update_draft(decision=correction, user=office_user(), signed_on=date(2024, 12, 30))
    services.sign_decision(decision=correction, user=chairman())
    decision.refresh_from_db()
    assert decision.number == "13/QĐ-UBND" and decision.status == Decision.Status.SIGNED
    assert AwardRecord.objects.get(decision=decision).decision_number == "13/QĐ-UBND"
    log = ActionLog.objects.get(action="awards.decision.corrected", object_id=decision.pk)
    assert log.data["before"]["number"] == "31/QĐ-UBND" and log.data["after"]["number"] == "13/QĐ-UBND"
    assert log.data["by_number"] == "40/QĐ-UBND"


def test_several_decisions_per_plan_and_a_proposal_in_only_one(plan):
    first = one_off(plan, "Nguyễn Văn Cứu")
    second = one_off(plan, "Lê Thị Hai", subject="Về việc khen thưởng chuyên đề an toàn giao thông")
    assert Decision.objects.filter(plan=plan, session=None).count() == 2
    with pytest.raises(AwardError, match="quyết định khác"):
        services.draft_decision(
            plan=plan, user=office_user(), proposals=list(first.proposals.all()), subject="Lần nữa"
        )
    services.update_draft(decision=first, user=office_user(), number="31/QĐ-UBND", signed_on=DAY)
    services.update_draft(decision=second, user=office_user(), number="31/QĐ-UBND", signed_on=DAY)
    services.sign_decision(decision=first, user=chairman())
    with pytest.raises(AwardError, match="đã được dùng"):
        services.sign_decision(decision=second, user=chairman())


def test_a_decision_without_a_session_takes_only_what_the_office_found_eligible(plan):
    p = checked_proposal(plan, unit_code="TDP-03", title_code="GK-CT", name="Chưa Kiểm Tra")
    Proposal.objects.filter(pk=p.pk).update(status=Proposal.Status.SUBMITTED)
    with pytest.raises(AwardError, match="đủ điều kiện"):
        services.draft_decision(plan=plan, user=office_user(), proposals=[p], subject="Đột xuất")
    with pytest.raises(AwardError, match="ít nhất một"):
        services.draft_decision(plan=plan, user=office_user(), proposals=[], subject="Đột xuất")
    someone = get_user_model().objects.get(username="canbo")
    with pytest.raises(AwardError, match="Văn phòng"):
        services.draft_decision(plan=plan, user=someone, proposals=[p], subject="Đột xuất")


def test_the_decision_pages_draft_correct_sign_and_print(client, plan):
    a = checked_proposal(plan, unit_code="TDP-03", title_code="GK-CT", name="Đỗ Văn Dũng Cảm")
    client.force_login(office_user())
    page = client.get(reverse("awards-decisions")).content.decode()
    assert 'data-testid="one-off-form"' in page and "Đỗ Văn Dũng Cảm" in page
    response = client.post(
        reverse("awards-decision-create"),
        {"subject": "Về việc khen thưởng đột xuất thành tích cứu người", "proposals": [a.pk]},
    )
    decision = Decision.objects.get(proposals=a)
    assert response["Location"] == reverse("awards-decision", args=[decision.pk])
    edit = reverse("awards-decision-edit", args=[decision.pk])
    client.post(edit, {"version": decision.version, "number": "2024-99", "signed_on": "2024-09-02"})
    decision.refresh_from_db()
    assert decision.number == "" and decision.signed_on is None  # refused whole: the number is off-pattern
    client.post(
        edit,
        {
            "version": decision.version,
            "number": "45/QĐ-UBND",
            "signed_on": "2024-09-02",
            "subject": decision.subject,
        },
    )
    decision.refresh_from_db()
    assert (decision.number, decision.signed_on) == ("45/QĐ-UBND", date(2024, 9, 2))
    assert client.post(reverse("awards-decision-sign", args=[decision.pk])).status_code == 403
    client.force_login(chairman())
    client.post(reverse("awards-decision-sign", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.is_signed and AwardRecord.objects.get(proposal=a).decision_number == "45/QĐ-UBND"
    text = pdf_text(client.get(reverse("awards-decision-document", args=[decision.pk])))
    assert "Số: 45/QĐ-UBND" in text and "Về việc khen thưởng đột xuất thành tích cứu người" in text
    assert "Đỗ Văn Dũng Cảm" in text and "ngày 02 tháng 9 năm 2024" in text
    # Signed: the page offers a correction, not an edit; a correction is a decision of its own.
    page = client.get(reverse("awards-decision", args=[decision.pk])).content.decode()
    assert 'data-testid="draft-form"' not in page and 'data-testid="correction-form"' in page
    client.post(
        reverse("awards-decision-correct", args=[decision.pk]),
        {"number": "50/QĐ-UBND", "signed_on": "2024-09-10", "new_number": "", "new_signed_on": "2024-09-03"},
    )
    correction = Decision.objects.get(corrects=decision)
    client.post(reverse("awards-decision-sign", args=[correction.pk]))
    assert AwardRecord.objects.get(proposal=a).decided_on == date(2024, 9, 3)
    correction_text = pdf_text(client.get(reverse("awards-decision-document", args=[correction.pk])))
    assert "Đính chính Quyết định số 45/QĐ-UBND" in correction_text and "03/09/2024" in correction_text


def test_the_office_drafts_a_sessions_decision_and_the_chairman_signs_it(client, plan):
    from .test_awards_decisions import closed_with

    good = checked_proposal(plan, unit_code="TC-KT", title_code="LDTT", name="Võ Thị Dự Thảo")
    session = closed_with(plan, [good])
    client.force_login(office_user())
    assert (
        'data-testid="draft-decision"'
        in client.get(reverse("awards-session", args=[session.pk])).content.decode()
    )
    response = client.post(reverse("awards-session-draft", args=[session.pk]))
    decision = Decision.objects.get(session=session)
    assert response["Location"] == reverse("awards-decision", args=[decision.pk])
    assert decision.status == Decision.Status.DRAFT and list(decision.proposals.all()) == [good]
    assert not AwardRecord.objects.filter(proposal=good).exists()
    page = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    assert 'data-testid="decision-draft"' in page and 'data-testid="decide-box"' not in page
    services.update_draft(
        decision=decision, user=office_user(), number="60/QĐ-UBND", signed_on=date(2024, 12, 28)
    )
    client.force_login(chairman())
    client.post(reverse("awards-decision-sign", args=[decision.pk]))
    assert AwardRecord.objects.get(proposal=good).decision_number == "60/QĐ-UBND"
