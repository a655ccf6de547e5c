"""The ward chairman's decision recognising the households that qualified at their groups' review
meetings (Gia đình văn hóa, Nghị định 86/2023/NĐ-CP): no council vote, no proposal per household.

The office drafts one decision for the finished, publicly posted reviews of several groups; the
decision is a `Decision` without a session (awards.services: a draft until signed, its number checked
against the ward's pattern). Signing it (`services.sign_decision`) checks that every group's posting is
over and every comment received is answered, and writes one registry row per qualifying household
(with its household, so that "N consecutive years" criteria read it).
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.identity import chairman_for
from indicators.audit import log_action

from . import permissions
from .law import council_vote_required
from .models import AwardRecord, Decision, Household, HouseholdReview, PostingComment
from .registry import next_register_number
from .services import (
    WARD_RECIPIENTS,
    AwardError,
    ConflictError,
    _lock_decision,
    _require_draft,
    check_number,
    ward_decider,
)


def decidable_reviews(plan):
    """The reviews the office may put in a decision: finished, posted, not yet decided."""
    return (
        HouseholdReview.objects.filter(
            plan=plan, status=HouseholdReview.Status.FINISHED, decision__isnull=True
        )
        .filter(postings__isnull=False)
        .distinct()
        .select_related("unit", "title")
        .annotate(qualified=Count("assessments", filter=Q(assessments__qualified=True), distinct=True))
        .order_by("unit__order", "unit__name")
    )


def review_blockers(reviews, *, on: date) -> list[str]:
    """What stops the decision on `on`: a group's list not posted, still posted, or comments received
    while it was posted that nobody has answered."""
    problems = []
    for review in reviews:
        postings = list(review.postings.all())
        if not postings:
            problems.append(_("%(unit)s: chưa niêm yết công khai danh sách hộ đạt.") % {"unit": review.unit})
            continue
        if not any(p.is_over(on) for p in postings):
            latest = max(postings, key=lambda p: p.ends_on)
            problems.append(
                _("%(unit)s: danh sách đang niêm yết đến hết ngày %(end)s; chỉ quyết định từ ngày %(next)s.")
                % {
                    "unit": review.unit,
                    "end": f"{latest.ends_on:%d/%m/%Y}",
                    "next": f"{latest.decidable_on:%d/%m/%Y}",
                }
            )
        open_comments = PostingComment.objects.filter(posting__in=postings, response="").count()
        if open_comments:
            problems.append(
                _("%(unit)s: %(n)s ý kiến nhận được trong thời gian công khai chưa có cách giải quyết.")
                % {"unit": review.unit, "n": open_comments}
            )
    return problems


def _council_vote_message(title) -> str:
    return _(
        "Danh hiệu %(title)s phải qua Hội đồng Thi đua - Khen thưởng xét, không quyết định trực tiếp."
    ) % {"title": title}


def default_subject(title, year: int) -> str:
    return _("Về việc công nhận danh hiệu “%(title)s” năm %(year)s") % {"title": title.name, "year": year}


def draft_household_decision(
    *, plan, user, reviews: list[HouseholdReview], number: str = "", signed_on: date | None = None
) -> Decision:
    """A draft decision of the ward chairman for the qualifying households of these groups' reviews."""
    if not (permissions.can_decide(user) or permissions.can_draft_decisions(user)):
        raise AwardError(_("Chỉ Văn phòng - Thống kê hoặc Chủ tịch UBND phường soạn quyết định."))
    number = check_number(plan=plan, kind=Decision.Kind.WARD, number=number) if (number or "").strip() else ""
    with transaction.atomic():
        locked = list(
            HouseholdReview.objects.select_for_update(of=("self",))
            .filter(pk__in=[r.pk for r in reviews])
            .select_related("unit", "title", "plan")
            .order_by("unit__order", "unit__name")
        )
        if not locked:
            raise AwardError(_("Chọn ít nhất một tổ dân phố đã chốt biên bản và niêm yết danh sách."))
        allowed = {r.pk for r in decidable_reviews(plan)}
        wrong = [r for r in locked if r.pk not in allowed]
        if wrong:
            raise AwardError(
                _(
                    "Chưa đưa vào quyết định được: %(list)s (phải chốt biên bản, niêm yết và chưa có quyết định)."
                )
                % {"list": ", ".join(str(r.unit) for r in wrong)}
            )
        titles = {r.title for r in locked}
        if len(titles) != 1:
            raise AwardError(_("Một quyết định chỉ công nhận một danh hiệu."))
        title = titles.pop()
        if council_vote_required(title, on=signed_on or timezone.localdate()):
            raise AwardError(_council_vote_message(title))
        decision = Decision.objects.create(
            plan=plan,
            kind=Decision.Kind.WARD,
            number=number,
            signed_on=signed_on,
            subject=default_subject(title, plan.year),
            issuer=ward_decider(plan=plan, titles=[title], on=signed_on or timezone.localdate()),
            signer_name=chairman_for(plan),
            recipients=WARD_RECIPIENTS,
            recorded_by=user,
        )
        HouseholdReview.objects.filter(pk__in=[r.pk for r in locked]).update(decision=decision)
        log_action(
            decision,
            "awards.decision.drafted",
            user,
            {"number": number, "household_reviews": [r.pk for r in locked], "title": title.code},
        )
    return decision


def withdraw_household_decision(*, decision: Decision, user, version: int | None) -> list[HouseholdReview]:
    """The office withdraws a draft it made (a wrong choice of groups, a decision no longer wanted):
    the draft is deleted, never having been signed, and its groups' reviews are free for another
    decision. Refused once signed (a signed decision is corrected by a correcting decision) or when
    the page was stale. Logged on the decision (kept in the log after it is gone) and on each review."""
    if not permissions.can_draft_decisions(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê rút dự thảo quyết định."))
    if version is None:
        raise ConflictError(_("Trang đã cũ: hãy tải lại trang."))
    with transaction.atomic():
        locked = _lock_decision(decision)
        _require_draft(locked, version)
        reviews = list(
            HouseholdReview.objects.select_for_update(of=("self",))
            .filter(decision=locked)
            .select_related("unit")
            .order_by("unit__order", "unit__name")
        )
        if not reviews or locked.proposals.exists() or locked.session_id or locked.corrects_id:
            raise AwardError(_("Đây không phải dự thảo quyết định công nhận Gia đình văn hóa."))
        HouseholdReview.objects.filter(pk__in=[r.pk for r in reviews]).update(decision=None)
        log_action(
            locked,
            "awards.decision.withdrawn",
            user,
            {
                "number": locked.number,
                "signed_on": str(locked.signed_on or ""),
                "subject": locked.subject,
                "version": locked.version,
                "household_reviews": [r.pk for r in reviews],
                "units": [r.unit.code for r in reviews],
            },
        )
        for review in reviews:
            log_action(review, "awards.household_review.decision_withdrawn", user, {"decision": locked.pk})
        locked.delete()
    return reviews


def decision_blockers(decision: Decision, *, on: date) -> list[str]:
    """For `services.sign_decision` (and the draft's page): the procedure of the title on the signing
    date (`on` while the draft has none) must have no council vote (the law by date, awards/law.py),
    and the postings of the decision's groups must be over on `on`."""
    reviews = list(decision.household_reviews.select_related("unit", "title"))
    problems = [
        _council_vote_message(title)
        for title in {r.title for r in reviews}
        if council_vote_required(title, on=decision.signed_on or on)
    ]
    return problems + review_blockers(reviews, on=on)


def record_households(decision: Decision) -> int:
    """Called by `services.sign_decision` inside its transaction: one registry row per qualifying
    household of the decision's reviews, numbered in the register in annex order."""
    reviews = list(decision.household_reviews.select_related("unit", "title", "plan").order_by("unit__order"))
    if not reviews:
        return 0
    year = decision.plan.year
    number = next_register_number(year)
    rows = []
    for review in reviews:
        for household in annex_households(review):
            rows.append(
                AwardRecord(
                    register_number=number,
                    year=year,
                    title=review.title,
                    unit=review.unit,
                    household=household,
                    nominee_name=household.head_name,
                    nominee_position=household.address,
                    decision_number=decision.number,
                    decided_on=decision.signed_on,
                    decided_by=decision.issuer,
                    decision=decision,
                )
            )
            number += 1
    AwardRecord.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def annex_households(review: HouseholdReview):
    """A group's qualifying households in the order the annex prints them."""
    return Household.objects.filter(assessments__review=review, assessments__qualified=True).order_by(
        "head_name", "pk"
    )


def annex(decision: Decision) -> list[tuple]:
    """The decision's annex: (group, its qualifying households) for every group, in the ward's order."""
    reviews = decision.household_reviews.select_related("unit").order_by("unit__order", "unit__name")
    return [(review.unit, list(annex_households(review))) for review in reviews]


def household_years(*, household: Household, title) -> list[int]:
    """The years the register records `title` for this household (for "N consecutive years")."""
    return sorted(
        AwardRecord.objects.filter(household=household, title=title, revoked=False).values_list(
            "year", flat=True
        )
    )


def consecutive_years(*, household: Household, title, until: int) -> int:
    """How many years in a row, ending with `until`, the household holds `title` in the register."""
    years = set(household_years(household=household, title=title))
    count = 0
    while until - count in years:
        count += 1
    return count
