"""Decisions as drafts until signed: number checked against the ward's pattern, correctable while a
draft, locked after signing, corrected by a correcting decision; decisions without a council session
(one-off awards, titles with no council vote), several per plan; the registry written at signing."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from awards import services
from awards.models import AwardRecord, Decision, Proposal
from awards.services import AwardError, ConflictError
from indicators.models import ActionLog

from .test_awards_factories import checked_proposal, office_user

pytestmark = pytest.mark.django_db
DAY = date(2024, 12, 27)


def chairman():
    return get_user_model().objects.get(username="chutich")


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
