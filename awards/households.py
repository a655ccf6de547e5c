"""Households at scale: the residential group's register, its review meeting and each household's
result (Gia đình văn hóa, Nghị định 86/2023/NĐ-CP; DOMAIN.md §4b).

The group leader keeps his own group's register and records his group's meeting; the office may do
both for every group. Every write runs in one transaction, checks the row's version (a register line
or a meeting edited by someone else since it was loaded is a conflict, not an overwrite) and writes one
ActionLog row through `log_action`. The Excel import of a register is in `awards.household_import`.
"""

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.audit import log_action
from indicators.models import Profile, Unit
from indicators.permissions import own_unit_ids, role_of

from .models import Household, HouseholdAssessment, HouseholdReview, Posting, Title
from .services import POSTING_DAYS, AwardError, ConflictError

Role = Profile.Role
HOUSEHOLD_FIELDS = ("head_name", "address", "members", "note")
REVIEW_FIELDS = (
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "chaired_by",
    "front_head_name",
    "secretary_name",
    "attendance",
    "notes",
)


# --- who may do what --------------------------------------------------------------------------------


def can_keep_register(user, unit: Unit) -> bool:
    """The office for every group; a group leader for his own group only."""
    if unit.kind != Unit.Kind.RESIDENTIAL_GROUP:
        return False
    role = role_of(user)
    return role == Role.OFFICE or (role == Role.GROUP_LEADER and unit.pk in own_unit_ids(user))


def groups_visible_to(user):
    """The residential groups whose register the user may open."""
    from indicators.permissions import units_visible_to

    return units_visible_to(user).filter(kind=Unit.Kind.RESIDENTIAL_GROUP, is_active=True)


def household_title() -> Title | None:
    """The household title the groups review (Gia đình văn hóa): the first household title."""
    return Title.objects.filter(for_whom=Title.ForWhom.HOUSEHOLD, code="GDVH").first() or (
        Title.objects.filter(for_whom=Title.ForWhom.HOUSEHOLD).order_by("order", "pk").first()
    )


def _require_keeper(user, unit: Unit) -> None:
    if not can_keep_register(user, unit):
        raise AwardError(_("Chỉ Tổ trưởng của tổ dân phố này hoặc Văn phòng - Thống kê sửa sổ hộ gia đình."))


# --- the register -----------------------------------------------------------------------------------


def clean_household(data: dict) -> dict:
    """The fields as stored: names and addresses with single spaces, an empty count as None."""
    head = " ".join((data.get("head_name") or "").split())
    if not head:
        raise AwardError(_("Phải ghi họ và tên chủ hộ."))
    members = data.get("members")
    if members is not None and not 1 <= members <= 99:
        raise AwardError(_("Số nhân khẩu từ 1 đến 99."))
    return {
        "head_name": head[:160],
        "address": " ".join((data.get("address") or "").split())[:200],
        "members": members,
        "note": " ".join((data.get("note") or "").split())[:300],
    }


def add_household(*, unit: Unit, user, data: dict) -> Household:
    _require_keeper(user, unit)
    values = clean_household(data)
    with transaction.atomic():
        household = Household.objects.create(unit=unit, **values)
        log_action(household, "awards.household.added", user, {"unit": unit.code} | values)
    return household


def update_household(*, household: Household, user, data: dict, version: int) -> Household:
    _require_keeper(user, household.unit)
    values = clean_household(data)
    with transaction.atomic():
        household = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
        if household.version != version:
            raise ConflictError(
                _("Hộ %(name)s vừa được người khác sửa. Hãy xem lại thông tin mới rồi sửa tiếp.")
                % {"name": household.head_name}
            )
        changes = {
            name: {"old": getattr(household, name), "new": value}
            for name, value in values.items()
            if getattr(household, name) != value
        }
        if not changes:
            return household
        for name, value in values.items():
            setattr(household, name, value)
        household.version += 1
        household.save(update_fields=[*HOUSEHOLD_FIELDS, "version", "updated_at"])
        log_action(household, "awards.household.changed", user, {"changes": changes})
    return household


def set_household_active(*, household: Household, user, active: bool, version: int) -> Household:
    """Deactivate a household that moved away (or bring it back); it is never deleted."""
    _require_keeper(user, household.unit)
    with transaction.atomic():
        household = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
        if household.version != version:
            raise ConflictError(
                _("Hộ %(name)s vừa được người khác sửa. Hãy xem lại rồi thao tác lại.")
                % {"name": household.head_name}
            )
        if household.is_active == active:
            return household
        household.is_active = active
        household.version += 1
        household.save(update_fields=["is_active", "version", "updated_at"])
        log_action(
            household,
            "awards.household.reactivated" if active else "awards.household.deactivated",
            user,
            {},
        )
    return household


def register_counts(units) -> dict[int, int]:
    """Active households per group, in one query."""
    rows = (
        Household.objects.filter(unit__in=units, is_active=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return dict(rows)


# --- the review meeting -----------------------------------------------------------------------------


def _require_draft(review: HouseholdReview) -> None:
    if review.is_finished:
        raise AwardError(_("Biên bản họp bình xét đã chốt: không sửa được nữa."))


def _check_times(held_on: date, starts_at: time | None, ends_at: time | None, plan) -> None:
    if held_on.year != plan.year:
        raise AwardError(_("Ngày họp phải trong năm %(y)s.") % {"y": plan.year})
    if held_on > timezone.localdate():
        raise AwardError(_("Ngày họp không được sau hôm nay: ghi biên bản khi cuộc họp đã diễn ra."))
    if starts_at and ends_at and ends_at <= starts_at:
        raise AwardError(_("Giờ kết thúc phải sau giờ bắt đầu."))


def late_warning(review: HouseholdReview) -> str:
    """Empty, or why the meeting's date is a problem: it must be held by 25/11 of the year."""
    if not review.late:
        return ""
    from .achievements import title_decree  # achievements reads the registry this module writes

    decree = title_decree(title=review.title, on=review.held_on) if review.title_id else ""
    values = {"y": review.plan.year, "d": f"{review.held_on:%d/%m/%Y}", "decree": decree}
    if decree:
        return (
            _("Cuộc họp bình xét phải tổ chức trước ngày 25/11/%(y)s (%(decree)s); ngày họp %(d)s là muộn.")
            % values
        )
    return _("Cuộc họp bình xét phải tổ chức trước ngày 25/11/%(y)s; ngày họp %(d)s là muộn.") % values


def create_review(*, plan, unit: Unit, user, data: dict) -> HouseholdReview:
    _require_keeper(user, unit)
    title = household_title()
    if title is None:
        raise AwardError(_("Chưa có danh hiệu dành cho hộ gia đình."))
    values = {name: data.get(name) for name in REVIEW_FIELDS}
    values["chaired_by"] = " ".join((values["chaired_by"] or "").split())
    if not values["chaired_by"]:
        raise AwardError(_("Phải ghi người chủ trì cuộc họp."))
    for name in ("place", "front_head_name", "secretary_name", "notes"):
        values[name] = (values[name] or "").strip()
    _check_times(values["held_on"], values["starts_at"], values["ends_at"], plan)
    with transaction.atomic():
        if HouseholdReview.objects.filter(plan=plan, unit=unit, title=title).exists():
            raise AwardError(
                _("%(unit)s đã có cuộc họp bình xét %(title)s năm %(y)s.")
                % {"unit": unit, "title": title, "y": plan.year}
            )
        review = HouseholdReview.objects.create(plan=plan, unit=unit, title=title, created_by=user, **values)
        log_action(
            review, "awards.household_review.created", user, {"held_on": values["held_on"].isoformat()}
        )
    return review


def update_review(*, review: HouseholdReview, user, data: dict, version: int) -> HouseholdReview:
    _require_keeper(user, review.unit)
    with transaction.atomic():
        review = (
            HouseholdReview.objects.select_for_update(of=("self",)).select_related("plan").get(pk=review.pk)
        )
        _require_draft(review)
        if review.version != version:
            raise ConflictError(_("Biên bản vừa được người khác sửa. Hãy xem lại rồi sửa tiếp."))
        values = {name: data.get(name) for name in REVIEW_FIELDS if name in data}
        for name in ("chaired_by", "place", "front_head_name", "secretary_name", "notes"):
            if name in values:
                values[name] = (values[name] or "").strip()
        if "chaired_by" in values and not values["chaired_by"]:
            raise AwardError(_("Phải ghi người chủ trì cuộc họp."))
        merged = {
            name: values.get(name, getattr(review, name)) for name in ("held_on", "starts_at", "ends_at")
        }
        _check_times(merged["held_on"], merged["starts_at"], merged["ends_at"], review.plan)
        changes = {
            name: {"old": str(getattr(review, name)), "new": str(value)}
            for name, value in values.items()
            if getattr(review, name) != value
        }
        for name, value in values.items():
            setattr(review, name, value)
        review.version += 1
        review.save(update_fields=[*values, "version", "updated_at"])
        if changes:
            log_action(review, "awards.household_review.changed", user, {"changes": changes})
    return review


def review_households(review: HouseholdReview):
    """The households the meeting assesses: the group's active ones, and any assessed since."""
    return Household.objects.filter(
        Q(unit_id=review.unit_id, is_active=True) | Q(assessments__review=review)
    ).distinct()


@dataclass
class Results:
    """What one save of the results list changed."""

    saved: int
    filled: int  # not-yet-assessed households marked đạt by "tất cả đạt trừ …"


def save_results(
    *,
    review: HouseholdReview,
    user,
    shown: list[int],
    qualified: set[int],
    reasons: dict[int, str],
    version: int,
    rest_qualify: bool = False,
) -> Results:
    """The results of the households shown on one page of the list: ticked → đạt, not ticked →
    không đạt (with the reason typed). With `rest_qualify` ("tất cả đạt trừ …"), every household of
    the group not assessed yet, on any page, is marked đạt too. One bulk write, one log row.

    A stale `version` (someone saved results since this page was loaded) is a ConflictError: the
    view shows the page again with what was typed.
    """
    _require_keeper(user, review.unit)
    with transaction.atomic():
        review = HouseholdReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
        _require_draft(review)
        if review.version != version:
            raise ConflictError(
                _(
                    "Kết quả bình xét vừa được người khác lưu sau khi bạn mở trang. Chưa lưu gì: các "
                    "ô bạn đã đánh dấu vẫn giữ nguyên bên dưới, hãy xem lại rồi bấm lưu lần nữa."
                )
            )
        allowed = set(review_households(review).filter(pk__in=shown).values_list("pk", flat=True))
        stray = set(shown) - allowed
        if stray:
            raise AwardError(_("Danh sách có hộ không thuộc %(unit)s.") % {"unit": review.unit})
        existing = {a.household_id: a for a in review.assessments.filter(household_id__in=allowed)}
        new, changed = [], []
        for pk in shown:
            ok = pk in qualified
            reason = "" if ok else " ".join((reasons.get(pk) or "").split())[:300]
            item = existing.get(pk)
            if item is None:
                new.append(HouseholdAssessment(review=review, household_id=pk, qualified=ok, reason=reason))
            elif (item.qualified, item.reason) != (ok, reason):
                item.qualified, item.reason = ok, reason
                changed.append(item)
        HouseholdAssessment.objects.bulk_create(new, batch_size=500)
        HouseholdAssessment.objects.bulk_update(changed, ["qualified", "reason"], batch_size=500)
        filled = 0
        if rest_qualify:
            rest = (
                review_households(review)
                .exclude(pk__in=shown)
                .exclude(assessments__review=review)
                .values_list("pk", flat=True)
            )
            fill = [HouseholdAssessment(review=review, household_id=pk, qualified=True) for pk in rest]
            HouseholdAssessment.objects.bulk_create(fill, batch_size=500)
            filled = len(fill)
        HouseholdReview.objects.filter(pk=review.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        log_action(
            review,
            "awards.household_review.results_saved",
            user,
            {
                "new": len(new),
                "changed": len(changed),
                "filled": filled,
                "not_qualified": sorted(pk for pk in shown if pk not in qualified),
            },
        )
    return Results(saved=len(new) + len(changed), filled=filled)


@dataclass
class ReviewSummary:
    households: int
    assessed: int
    qualified: int
    not_qualified: int
    missing_reasons: int

    @property
    def pending(self) -> int:
        return self.households - self.assessed


def review_summary(review: HouseholdReview) -> ReviewSummary:
    """The counts the page, the minutes and the finishing step read; two queries."""
    households = review_households(review).count()
    counts = review.assessments.aggregate(
        n_assessed=Count("pk"),
        n_qualified=Count("pk", filter=Q(qualified=True)),
        n_missing=Count("pk", filter=Q(qualified=False, reason="")),
    )
    return ReviewSummary(
        households=households,
        assessed=counts["n_assessed"],
        qualified=counts["n_qualified"],
        not_qualified=counts["n_assessed"] - counts["n_qualified"],
        missing_reasons=counts["n_missing"],
    )


def finish_blockers(review: HouseholdReview) -> list[str]:
    summary = review_summary(review)
    problems = []
    if summary.pending:
        problems.append(_("Còn %(n)s hộ chưa có kết quả bình xét.") % {"n": summary.pending})
    if summary.missing_reasons:
        problems.append(_("%(n)s hộ không đạt chưa ghi lý do.") % {"n": summary.missing_reasons})
    if not summary.assessed:
        problems.append(_("Chưa có kết quả bình xét nào."))
    return problems


def finish_review(*, review: HouseholdReview, user, version: int) -> HouseholdReview:
    """Close the minutes: every household has a result, every không đạt a reason; locked afterwards."""
    _require_keeper(user, review.unit)
    with transaction.atomic():
        review = (
            HouseholdReview.objects.select_for_update(of=("self",)).select_related("plan").get(pk=review.pk)
        )
        _require_draft(review)
        if review.version != version:
            raise ConflictError(_("Biên bản vừa được người khác sửa. Hãy xem lại rồi chốt lại."))
        problems = finish_blockers(review)
        if problems:
            raise AwardError(_("Chưa chốt được biên bản: %(list)s") % {"list": " ".join(problems)})
        review.status, review.finished_at = HouseholdReview.Status.FINISHED, timezone.now()
        review.version += 1
        review.save(update_fields=["status", "finished_at", "version", "updated_at"])
        summary = review_summary(review)
        log_action(
            review,
            "awards.household_review.finished",
            user,
            {"assessed": summary.assessed, "qualified": summary.qualified},
        )
    return review


def qualified_households(review: HouseholdReview):
    """The households that qualified at the meeting, in the order the lists print them."""
    return (
        Household.objects.filter(assessments__review=review, assessments__qualified=True)
        .select_related("unit")
        .order_by("head_name", "pk")
    )


# --- the public posting of the group's list ---------------------------------------------------------


def post_review(
    *, review: HouseholdReview, user, posted_on: date, days: int = 10, number: str = "", place: str = ""
) -> Posting:
    """The office posts the group's list of qualifying households at the group (10 days, comments
    recorded as for any posting: awards.services.record_posting_comment)."""
    from . import permissions

    if not permissions.can_manage_postings(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê lập đợt công khai."))
    if not POSTING_DAYS[0] <= days <= POSTING_DAYS[1]:
        raise AwardError(
            _("Thời gian công khai từ %(min)s đến %(max)s ngày.")
            % {"min": POSTING_DAYS[0], "max": POSTING_DAYS[1]}
        )
    if posted_on > timezone.localdate():
        raise AwardError(_("Ngày niêm yết không được sau hôm nay: ghi nhận khi danh sách đã được niêm yết."))
    with transaction.atomic():
        review = (
            HouseholdReview.objects.select_for_update(of=("self",))
            .select_related("plan", "unit", "title")
            .get(pk=review.pk)
        )
        if not review.is_finished:
            raise AwardError(_("Chốt biên bản họp bình xét trước khi niêm yết danh sách."))
        if posted_on < review.held_on:
            raise AwardError(_("Ngày niêm yết không được trước ngày họp bình xét."))
        count = qualified_households(review).count()
        if not count:
            raise AwardError(_("Không có hộ nào đạt để niêm yết."))
        posting = Posting.objects.create(
            plan=review.plan,
            title=review.title,
            unit=review.unit,
            review=review,
            number=(number or "").strip(),
            place=(place or "").strip() or review.place,
            posted_on=posted_on,
            days=days,
            created_by=user,
        )
        log_action(
            posting,
            "awards.posting.started",
            user,
            {
                "title": review.title.code,
                "unit": review.unit.code,
                "review": review.pk,
                "posted_on": posted_on.isoformat(),
                "days": days,
                "households": count,
            },
        )
    return posting
