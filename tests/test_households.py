"""The household register and the group's review meeting (Gia đình văn hóa, Nghị định 86/2023/NĐ-CP):
who keeps which register, versions, the results entered as a list, finishing the minutes, posting the
group's list."""

from datetime import date, time

import pytest
from django.contrib.auth import get_user_model

from awards import households as hh
from awards.models import Household, HouseholdAssessment, HouseholdReview, Posting
from awards.services import AwardError, ConflictError
from indicators.models import ActionLog, Unit

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def group(code: str = "TDP-01") -> Unit:
    return Unit.objects.get(code=code)


def register(code: str = "TDP-01", n: int = 5) -> list[Household]:
    unit = group(code)
    return [
        Household.objects.create(unit=unit, head_name=f"Nguyễn Văn {i:03d}", address=f"Số {i}, {unit.name}")
        for i in range(1, n + 1)
    ]


def meeting(plan, code: str = "TDP-01", **extra) -> HouseholdReview:
    data = {
        "held_on": date(2024, 11, 20),
        "starts_at": time(19, 30),
        "ends_at": time(21, 0),
        "place": "Nhà văn hóa tổ",
        "chaired_by": "Trần Văn Bình",
        "front_head_name": "Lê Thị Hoa",
        "secretary_name": "Phạm Văn Cường",
        "attendance": 48,
        "notes": "",
    } | extra
    return hh.create_review(plan=plan, unit=group(code), user=user(f"totruong{int(code[-2:])}"), data=data)


def test_leader_keeps_his_own_register_only(demo):
    leader = user("totruong1")
    added = hh.add_household(
        unit=group("TDP-01"), user=leader, data={"head_name": "  Võ   Thị Mai ", "members": 4}
    )
    assert (added.head_name, added.members, added.version) == ("Võ Thị Mai", 4, 0)
    assert ActionLog.objects.filter(action="awards.household.added", object_id=added.pk).exists()
    with pytest.raises(AwardError):
        hh.add_household(unit=group("TDP-02"), user=leader, data={"head_name": "Lê Văn Tám"})
    with pytest.raises(AwardError):  # an official serving the group reads it, does not keep it
        hh.add_household(unit=group("TDP-01"), user=user("canbo_vhxh"), data={"head_name": "Lê Văn Tám"})
    office = hh.add_household(unit=group("TDP-02"), user=user("vanphong"), data={"head_name": "Lê Văn Tám"})
    assert office.unit.code == "TDP-02"


def test_for_user_scopes_the_register(demo):
    register("TDP-01", 3)
    register("TDP-02", 2)
    assert Household.objects.for_user(user("totruong1")).count() == 3
    assert Household.objects.for_user(user("vanphong")).count() == 5
    assert Household.objects.for_user(user("totruong2")).filter(unit__code="TDP-01").count() == 0
    from django.contrib.auth.models import AnonymousUser

    assert Household.objects.for_user(AnonymousUser()).count() == 0


def test_household_edit_with_a_stale_version_is_a_conflict(demo):
    household = register(n=1)[0]
    leader = user("totruong1")
    hh.update_household(household=household, user=leader, data={"head_name": "Nguyễn Văn Một"}, version=0)
    with pytest.raises(ConflictError):
        hh.update_household(household=household, user=leader, data={"head_name": "Khác"}, version=0)
    household.refresh_from_db()
    assert (household.head_name, household.version) == ("Nguyễn Văn Một", 1)
    hh.set_household_active(household=household, user=leader, active=False, version=1)
    household.refresh_from_db()
    assert not household.is_active and household.version == 2


def test_review_rules(demo):
    with pytest.raises(AwardError, match="chủ trì"):
        meeting(demo, chaired_by=" ")
    with pytest.raises(AwardError, match="năm 2024"):
        meeting(demo, held_on=date(2023, 11, 20))
    with pytest.raises(AwardError, match="Giờ kết thúc"):
        meeting(demo, starts_at=time(20, 0), ends_at=time(19, 0))
    review = meeting(demo)
    assert hh.late_warning(review) == ""
    with pytest.raises(AwardError, match="đã có cuộc họp"):
        meeting(demo)
    with pytest.raises(AwardError):  # another group's meeting
        hh.create_review(
            plan=demo, unit=group("TDP-02"), user=user("totruong1"), data={"held_on": date(2024, 11, 1)}
        )


def test_meeting_after_25_november_is_warned(demo):
    review = meeting(demo, held_on=date(2024, 11, 26))
    assert "25/11/2024" in hh.late_warning(review)
    on_the_day = meeting(demo, code="TDP-02", held_on=date(2024, 11, 25))
    assert hh.late_warning(on_the_day) == ""


def test_all_qualify_except_the_unticked_ones(demo, django_assert_max_num_queries):
    households = register(n=30)
    review = meeting(demo)
    page = [h.pk for h in households[:10]]
    failing = households[3].pk
    with django_assert_max_num_queries(15):
        result = hh.save_results(
            review=review,
            user=user("totruong1"),
            shown=page,
            qualified=set(page) - {failing},
            reasons={failing: "Vi phạm quy định về vệ sinh môi trường"},
            version=0,
            rest_qualify=True,
        )
    assert (result.saved, result.filled) == (10, 20)
    summary = hh.review_summary(review)
    assert (summary.households, summary.assessed, summary.qualified, summary.not_qualified) == (30, 30, 29, 1)
    assert HouseholdAssessment.objects.get(household_id=failing).reason.startswith("Vi phạm")
    assert ActionLog.objects.filter(action="awards.household_review.results_saved").count() == 1


def test_a_stale_results_page_saves_nothing(demo):
    households = register(n=4)
    review = meeting(demo)
    leader = user("totruong1")
    shown = [h.pk for h in households]
    hh.save_results(review=review, user=leader, shown=shown, qualified=set(shown), reasons={}, version=0)
    with pytest.raises(ConflictError):
        hh.save_results(review=review, user=leader, shown=shown, qualified=set(), reasons={}, version=0)
    assert HouseholdAssessment.objects.filter(review=review, qualified=True).count() == 4


def test_results_refuse_another_groups_household(demo):
    mine = register(n=2)
    other = register("TDP-02", n=1)
    review = meeting(demo)
    shown = [mine[0].pk, other[0].pk]
    with pytest.raises(AwardError):
        hh.save_results(
            review=review, user=user("totruong1"), shown=shown, qualified=set(shown), reasons={}, version=0
        )
    assert not HouseholdAssessment.objects.exists()
    with pytest.raises(AwardError):  # another group's leader
        hh.save_results(
            review=review, user=user("totruong2"), shown=[mine[0].pk], qualified=set(), reasons={}, version=0
        )


def test_finishing_needs_every_result_and_every_reason(demo):
    households = register(n=3)
    review = meeting(demo)
    leader = user("totruong1")
    pks = [h.pk for h in households]
    hh.save_results(review=review, user=leader, shown=pks[:2], qualified={pks[0]}, reasons={}, version=0)
    with pytest.raises(AwardError) as error:
        hh.finish_review(review=review, user=leader, version=1)
    assert "1 hộ chưa có kết quả" in str(error.value) and "chưa ghi lý do" in str(error.value)
    hh.save_results(
        review=review,
        user=leader,
        shown=pks,
        qualified={pks[0], pks[2]},
        reasons={pks[1]: "Chưa đạt"},
        version=1,
    )
    hh.finish_review(review=review, user=leader, version=2)
    review.refresh_from_db()
    assert review.is_finished and review.finished_at
    with pytest.raises(AwardError, match="đã chốt"):
        hh.save_results(review=review, user=leader, shown=pks, qualified=set(), reasons={}, version=3)
    assert [h.pk for h in hh.qualified_households(review)] == [pks[0], pks[2]]


def test_the_office_posts_a_finished_review(demo):
    households = register(n=3)
    review = meeting(demo)
    leader, office = user("totruong1"), user("vanphong")
    pks = [h.pk for h in households]
    with pytest.raises(AwardError, match="Chốt biên bản"):
        hh.post_review(review=review, user=office, posted_on=date(2024, 11, 22))
    hh.save_results(review=review, user=leader, shown=pks, qualified=set(pks), reasons={}, version=0)
    hh.finish_review(review=review, user=leader, version=1)
    with pytest.raises(AwardError, match="Văn phòng"):
        hh.post_review(review=review, user=leader, posted_on=date(2024, 11, 22))
    posting = hh.post_review(review=review, user=office, posted_on=date(2024, 11, 22))
    assert (posting.review, posting.unit, posting.title.code, posting.days) == (review, group(), "GDVH", 10)
    assert Posting.objects.filter(review=review).count() == 1


def test_the_demo_set_up_fills_every_groups_register(demo, monkeypatch):
    """`manage.py setup_dev` gives each group the households it pledged (3.285 for the six that did),
    the same ones on every run."""
    import io

    from django.core.management import call_command

    from awards.demo_households import households_for
    from campaigns.models import Plan, Pledge

    monkeypatch.setattr(Plan.objects, "exists", lambda: False)  # as on a fresh database
    out = io.StringIO()
    call_command("setup_dev", stdout=out)
    pledged = dict(
        Pledge.objects.filter(household_count__isnull=False).values_list("unit__code", "household_count")
    )
    assert sum(pledged.values()) == 3285
    for code, count in pledged.items():
        assert Household.objects.filter(unit__code=code, is_active=True).count() == count, code
    total = Household.objects.count()
    assert total >= 3285 and f"{total:,} hộ".replace(",", ".") in out.getvalue()
    first = Household.objects.filter(unit__code="TDP-03").order_by("pk").first()
    again = households_for(group("TDP-03"), 1)[0]
    assert (first.head_name, first.address) == (again.head_name, again.address)
    assert first.address.endswith(", Tổ dân phố 3, phường Phổ Minh")
    # The demo's registry rows (a fixture) get their register numbers, as certificates print them.
    from awards.models import AwardRecord

    assert (
        AwardRecord.objects.exists() and not AwardRecord.objects.filter(register_number__isnull=True).exists()
    )


def test_the_minutes_are_corrected_with_a_version_and_locked_once_closed(demo):
    households = register(n=1)
    review = meeting(demo)
    leader = user("totruong1")
    hh.update_review(
        review=review, user=leader, data={"attendance": 52, "held_on": date(2024, 11, 21)}, version=0
    )
    review.refresh_from_db()
    assert (review.attendance, review.held_on, review.version) == (52, date(2024, 11, 21), 1)
    with pytest.raises(ConflictError):
        hh.update_review(review=review, user=leader, data={"attendance": 60}, version=0)
    with pytest.raises(AwardError):  # another group's leader
        hh.update_review(review=review, user=user("totruong2"), data={"attendance": 60}, version=1)
    pks = [h.pk for h in households]
    hh.save_results(review=review, user=leader, shown=pks, qualified=set(pks), reasons={}, version=1)
    hh.finish_review(review=review, user=leader, version=2)
    with pytest.raises(AwardError, match="đã chốt"):
        hh.update_review(review=review, user=leader, data={"attendance": 60}, version=3)
    changed = ActionLog.objects.get(action="awards.household_review.changed")
    assert changed.data["changes"]["attendance"] == {"old": "48", "new": "52"}
