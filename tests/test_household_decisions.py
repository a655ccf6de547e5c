"""The chairman's decision on the households of several groups' reviews (Gia đình văn hóa): no
council vote, one draft for three groups, blocked until every posting is over and answered, and at
signing one registry row per qualifying household (with its household, numbered in the register)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from awards import household_decisions as hd
from awards import households as hh
from awards import services
from awards.law import TitleAuthority, council_vote_required
from awards.models import AwardRecord, Decision, Household, Title
from awards.services import AwardError
from indicators.models import Unit

pytestmark = pytest.mark.django_db
POSTED = date(2024, 11, 22)  # ten days: to the end of 02/12/2024


def user(name):
    return get_user_model().objects.get(username=name)


def reviewed_group(plan, code: str, n: int, failing: int = 1, *, post=True):
    unit = Unit.objects.get(code=code)
    rows = Household.objects.bulk_create(
        Household(unit=unit, head_name=f"Hộ {code} {i:03d}", address=f"Số {i}") for i in range(n)
    )
    leader = user(f"totruong{int(code[-2:])}")
    review = hh.create_review(
        plan=plan, unit=unit, user=leader, data={"held_on": date(2024, 11, 18), "chaired_by": "Tổ trưởng"}
    )
    pks = [h.pk for h in rows]
    hh.save_results(
        review=review,
        user=leader,
        shown=pks,
        qualified=set(pks[failing:]),
        reasons={pk: "Chưa đạt" for pk in pks[:failing]},
        version=0,
    )
    hh.finish_review(review=review, user=leader, version=1)
    if post:
        hh.post_review(review=review, user=user("vanphong"), posted_on=POSTED)
    return review


def test_three_groups_in_one_decision_signed_into_the_registry(demo):
    reviews = [reviewed_group(demo, code, n) for code, n in (("TDP-01", 12), ("TDP-02", 8), ("TDP-03", 5))]
    office, chairman = user("vanphong"), user("chutich")
    assert {r.pk for r in hd.decidable_reviews(demo)} == {r.pk for r in reviews}
    decision = hd.draft_household_decision(
        plan=demo, user=office, reviews=reviews, number="125/QĐ-UBND", signed_on=date(2024, 12, 1)
    )
    assert decision.session is None and decision.status == Decision.Status.DRAFT
    assert "Gia đình văn hóa" in decision.subject
    assert [(unit.code, len(rows)) for unit, rows in hd.annex(decision)] == [
        ("TDP-01", 11),
        ("TDP-02", 7),
        ("TDP-03", 4),
    ]
    with pytest.raises(AwardError, match="đang niêm yết đến hết ngày 02/12/2024"):
        services.sign_decision(decision=decision, user=chairman)
    services.update_draft(decision=decision, user=office, signed_on=date(2024, 12, 3))
    services.sign_decision(decision=decision, user=chairman)
    records = AwardRecord.objects.filter(decision=decision).order_by("register_number")
    assert records.count() == 22
    assert all(
        r.household_id and r.title.code == "GDVH" and r.decision_number == "125/QĐ-UBND" for r in records
    )
    numbers = [r.register_number for r in records]
    assert numbers == list(range(numbers[0], numbers[0] + 22))
    first = records.first().household
    assert hd.consecutive_years(household=first, title=Title.objects.get(code="GDVH"), until=2024) == 1
    assert not hd.decidable_reviews(demo).exists()  # each group's list is decided once


def test_an_unanswered_comment_holds_the_decision(demo):
    review = reviewed_group(demo, "TDP-01", 4)
    posting = review.postings.get()
    office = user("vanphong")
    comment = services.record_posting_comment(
        posting=posting, user=office, received_on=date(2024, 11, 25), text="Hộ số 2 chưa đạt tiêu chí 3"
    )
    decision = hd.draft_household_decision(
        plan=demo, user=office, reviews=[review], number="126/QĐ-UBND", signed_on=date(2024, 12, 5)
    )
    with pytest.raises(AwardError, match="chưa có cách giải quyết"):
        services.sign_decision(decision=decision, user=user("chutich"))
    services.record_comment_response(comment=comment, user=office, response="Đã kiểm tra, hộ đạt.")
    services.sign_decision(decision=decision, user=user("chutich"))
    assert AwardRecord.objects.filter(decision=decision).count() == 3


def test_only_finished_posted_reviews_of_a_title_without_council_vote(demo):
    unposted = reviewed_group(demo, "TDP-01", 3, post=False)
    office = user("vanphong")
    with pytest.raises(AwardError, match="Tổ dân phố 1"):
        hd.draft_household_decision(plan=demo, user=office, reviews=[unposted])
    posted = reviewed_group(demo, "TDP-02", 3)
    with pytest.raises(AwardError, match="Văn phòng"):
        hd.draft_household_decision(plan=demo, user=user("totruong2"), reviews=[posted])
    TitleAuthority.objects.filter(title__code="GDVH").update(requires_council_vote=True)
    with pytest.raises(AwardError, match="Hội đồng"):
        hd.draft_household_decision(plan=demo, user=office, reviews=[posted])
    assert not Decision.objects.filter(session__isnull=True, household_reviews__isnull=False).exists()


def test_the_demo_title_gia_dinh_van_hoa_has_no_council_vote_in_either_period(demo):
    gdvh, ldtt = Title.objects.get(code="GDVH"), Title.objects.get(code="LDTT")
    for day in (date(2024, 12, 1), date(2025, 7, 1)):
        assert council_vote_required(gdvh, on=day) is False
        assert council_vote_required(ldtt, on=day) is True


def test_without_a_law_row_for_the_date_the_council_vote_is_required(demo):
    gdvh = Title.objects.get(code="GDVH")
    assert council_vote_required(gdvh, on=date(2023, 12, 31)) is True  # before the shipped rows
    posted = reviewed_group(demo, "TDP-01", 3)
    with pytest.raises(AwardError, match="Hội đồng"):
        hd.draft_household_decision(
            plan=demo, user=user("vanphong"), reviews=[posted], signed_on=date(2023, 12, 31)
        )


def test_the_law_on_the_signing_date_decides_whether_the_council_votes(demo):
    """The draft was made under a rule without a vote; by the signing date's rule the council votes."""
    posted = reviewed_group(demo, "TDP-01", 3)
    office, chairman = user("vanphong"), user("chutich")
    decision = hd.draft_household_decision(
        plan=demo, user=office, reviews=[posted], number="127/QĐ-UBND", signed_on=date(2024, 12, 5)
    )
    TitleAuthority.objects.filter(title__code="GDVH", valid_from=date(2024, 1, 1)).update(
        requires_council_vote=True
    )
    with pytest.raises(AwardError, match="phải qua Hội đồng"):
        services.sign_decision(decision=decision, user=chairman)
    assert not AwardRecord.objects.filter(decision=decision).exists()
    TitleAuthority.objects.filter(title__code="GDVH", valid_from=date(2024, 1, 1)).update(
        requires_council_vote=False
    )
    services.sign_decision(decision=decision, user=chairman)
    assert AwardRecord.objects.filter(decision=decision).count() == 2


def test_decision_pages_draft_sign_and_pdf_with_the_annex_by_group(client, demo):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    reviews = [reviewed_group(demo, code, n) for code, n in (("TDP-01", 6), ("TDP-02", 4), ("TDP-03", 3))]
    client.force_login(user("vanphong"))
    url = reverse("awards-household-decisions")
    page = client.get(url, {"year": 2024})
    assert page.status_code == 200 and "Tổ dân phố 3 — 2 hộ đạt" in page.content.decode()
    response = client.post(url, {"reviews": [str(r.pk) for r in reviews], "number": "", "signed_on": ""})
    reviews[0].refresh_from_db()
    decision = reviews[0].decision
    assert response.status_code == 302
    detail = reverse("awards-household-decision", args=[decision.pk])
    assert "10 hộ" in client.get(detail).content.decode()
    edit = reverse("awards-household-decision-edit", args=[decision.pk])
    client.post(
        edit, {"number": "2024-99", "signed_on": "2024-12-05", "version": "0"}
    )  # not the ward's pattern
    decision.refresh_from_db()
    assert decision.number == ""
    client.post(edit, {"number": "130/QĐ-UBND", "signed_on": "2024-12-05", "version": "0"})
    decision.refresh_from_db()
    assert (decision.number, decision.signed_on) == ("130/QĐ-UBND", date(2024, 12, 5))
    sign = reverse("awards-household-decision-sign", args=[decision.pk])
    assert client.post(sign, {"version": str(decision.version)}).status_code == 403  # the office drafts only
    client.force_login(user("chutich"))
    client.post(sign, {"version": str(decision.version)})
    decision.refresh_from_db()
    assert decision.is_signed and AwardRecord.objects.filter(decision=decision).count() == 10
    pdf = client.get(reverse("awards-household-decision-pdf", args=[decision.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    for expected in [
        "QUYẾT ĐỊNH",
        "Số: 130/QĐ-UBND",
        "Về việc công nhận danh hiệu “Gia đình văn hóa” năm 2024",
        "cho 10 hộ gia đình của 3 tổ dân phố",
        "1. Tổ dân phố 1 (5 hộ)",
        "3. Tổ dân phố 3 (2 hộ)",
        "Hộ TDP-03 002",
    ]:
        assert expected in text, expected
    assert "Hộ TDP-03 000" not in text  # did not qualify
    client.force_login(user("totruong1"))
    assert client.get(detail).status_code == 403


def test_a_long_annex_is_built_by_the_document_worker(client, demo, monkeypatch):
    from django.urls import reverse

    from awards import household_documents
    from jobs.models import DocumentJob

    review = reviewed_group(demo, "TDP-01", 8)
    decision = hd.draft_household_decision(
        plan=demo, user=user("vanphong"), reviews=[review], number="131/QĐ-UBND", signed_on=date(2024, 12, 5)
    )
    monkeypatch.setattr(household_documents, "SYNCHRONOUS_ANNEX", 5)
    client.force_login(user("vanphong"))
    response = client.get(reverse("awards-household-decision-pdf", args=[decision.pk]))
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.HOUSEHOLD_DECISION)
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.parameters == {"decision": decision.pk} and "7 hộ" in job.label
    steps = []
    name, pdf = household_documents.build_decision_pdf(job=job, progress=lambda d, t: steps.append((d, t)))
    assert name == "quyet-dinh-gia-dinh-van-hoa-131-QD-UBND-2024.pdf" and pdf.startswith(b"%PDF")
    assert steps == [(0, 1), (1, 1)]


def test_the_office_withdraws_a_draft_and_its_groups_go_into_another_decision(client, demo):
    from django.urls import reverse

    from indicators.audit import entries_for

    reviews = [reviewed_group(demo, code, 3) for code in ("TDP-01", "TDP-02")]
    office, chairman = user("vanphong"), user("chutich")
    draft = hd.draft_household_decision(plan=demo, user=office, reviews=reviews, number="125/QĐ-UBND")
    url = reverse("awards-household-decision-withdraw", args=[draft.pk])
    page = client.get(reverse("awards-household-decision", args=[draft.pk]))
    assert page.status_code == 302  # nobody signed in
    # The chairman reads the draft and signs it, but withdrawing it is the office's.
    client.force_login(chairman)
    assert (
        'data-testid="decision-withdraw"'
        not in client.get(reverse("awards-household-decision", args=[draft.pk])).content.decode()
    )
    assert client.post(url, {"version": draft.version}).status_code == 403
    with pytest.raises(AwardError, match="Văn phòng"):
        hd.withdraw_household_decision(decision=draft, user=chairman, version=draft.version)
    client.force_login(office)
    page = client.get(reverse("awards-household-decision", args=[draft.pk])).content.decode()
    assert 'data-testid="decision-withdraw"' in page and 'data-confirm="Rút dự thảo quyết định này' in page
    # A stale page (the draft changed since) is refused and nothing changes.
    services.update_draft(decision=draft, user=office, signed_on=date(2024, 12, 5))
    response = client.post(url, {"version": draft.version})
    assert response.status_code == 302 and Decision.objects.filter(pk=draft.pk).exists()
    assert not hd.decidable_reviews(demo).exists()
    response = client.post(url, {"version": draft.version + 1})
    assert response["Location"] == reverse("awards-household-decisions")
    assert not Decision.objects.filter(pk=draft.pk).exists()
    # Audited on the decision (kept after it is gone) and on each group's review.
    entry = entries_for(draft).get(action="awards.decision.withdrawn")
    assert entry.user == office and entry.data["units"] == ["TDP-01", "TDP-02"]
    assert entry.data["number"] == "125/QĐ-UBND" and entry.data["version"] == draft.version + 1
    assert all(
        entries_for(r).filter(action="awards.household_review.decision_withdrawn").exists() for r in reviews
    )
    # The groups are free again: another decision takes one of them, and is signed.
    assert {r.pk for r in hd.decidable_reviews(demo)} == {r.pk for r in reviews}
    again = hd.draft_household_decision(
        plan=demo, user=office, reviews=reviews[:1], number="126/QĐ-UBND", signed_on=date(2024, 12, 5)
    )
    services.sign_decision(decision=again, user=chairman)
    assert AwardRecord.objects.filter(decision=again).count() == 2
    # A signed decision is never withdrawn.
    with pytest.raises(AwardError, match="đã ký"):
        hd.withdraw_household_decision(decision=again, user=office, version=again.version)
    client.post(reverse("awards-household-decision-withdraw", args=[again.pk]), {"version": again.version})
    assert Decision.objects.filter(pk=again.pk).exists()


def test_the_pages_cite_the_household_decree_from_the_law_data(client, demo):
    from awards.law import LegalText

    client.force_login(user("vanphong"))
    page = client.get("/khen-thuong/gia-dinh-van-hoa/quyet-dinh/").content.decode()
    assert "(Nghị định 86/2023/NĐ-CP)" in page
    LegalText.objects.filter(number="86/2023/NĐ-CP").update(number="99/2099/NĐ-CP")
    page = client.get("/khen-thuong/gia-dinh-van-hoa/quyet-dinh/").content.decode()
    assert "(Nghị định 99/2099/NĐ-CP)" in page and "86/2023" not in page
