"""Eligibility from the data: registration, pledge fulfilment, the prerequisite title this year,
the same title in earlier years (registry), and the quota warning."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from awards import services
from awards.eligibility import MET, NOT_MET, TO_CHECK, assess
from awards.models import AwardRecord, Proposal, Title
from campaigns.models import Commitment, Pledge, PledgedPerson
from indicators.models import DataElement, Report, ReportedValue, ReportingPeriod, Target

from .test_awards_factories import office_user, title, unit

pytestmark = pytest.mark.django_db


def pledge_for(plan, unit_code: str, *, status="acknowledged", collective: str | None = None) -> Pledge:
    """The unit's pledge as the test wants it (whatever the demo set holds for that unit)."""
    pledge, _ = Pledge.objects.update_or_create(
        plan=plan,
        unit=unit(unit_code),
        defaults={
            "status": status,
            "collective_title": title(collective) if collective else None,
            "households": "",
            "household_count": None,
        },
    )
    pledge.commitments.all().delete()
    pledge.people.all().delete()
    return pledge


def year_end(plan, unit_code: str, **values) -> None:
    """An approved quarter-IV report of the unit with these figures (element code → value)."""
    period = ReportingPeriod.objects.get(plan=plan, quarter=4)
    report, _ = Report.objects.update_or_create(
        unit=unit(unit_code), period=period, defaults={"status": Report.Status.APPROVED}
    )
    for code, value in values.items():
        ReportedValue.objects.update_or_create(
            report=report,
            element=DataElement.objects.get(plan=plan, code=code),
            defaults={"value": Decimal(value)},
        )


def proposal(
    plan, unit_code: str, title_code: str, name: str = "", status=Proposal.Status.SUBMITTED
) -> Proposal:
    leader = get_user_model().objects.get(username="totruong1")
    return Proposal.objects.create(
        plan=plan,
        unit=unit(unit_code),
        title=title(title_code),
        nominee_name=name,
        achievements="Thành tích.",
        status=status,
        created_by=leader,
        submitted_by=leader,
    )


def criterion(p: Proposal, code: str):
    found = [c for c in assess(p).criteria if c.code == code]
    return found[0] if found else None


def test_registration_of_a_residential_group(plan):
    p = proposal(plan, "TDP-03", "TDPVH")
    Pledge.objects.filter(plan=plan, unit=p.unit).delete()
    c = criterion(p, "registered")
    assert c.state == NOT_MET and "không có bản đăng ký" in c.reason and c.blocking
    pledge = pledge_for(plan, "TDP-03", status="draft", collective="TDPVH")
    assert criterion(p, "registered").state == NOT_MET
    pledge.status = "acknowledged"
    pledge.save()
    assert criterion(p, "registered").state == MET
    pledge.collective_title = title("GK-TT")
    pledge.save()
    c = criterion(p, "registered")
    assert c.state == NOT_MET and "không phải Tổ dân phố văn hóa" in c.reason


def test_registration_of_a_person_by_name_and_title(plan):
    pledge = pledge_for(plan, "VH-XH", collective="TTLDTT")
    PledgedPerson.objects.create(pledge=pledge, full_name="Võ  Văn Đăng", title=title("LDTT"))
    assert criterion(proposal(plan, "VH-XH", "LDTT", "võ văn đăng"), "registered").state == MET
    c = criterion(proposal(plan, "VH-XH", "CSTDCS", "Võ Văn Đăng"), "registered")
    assert c.state == NOT_MET and "đăng ký Lao động tiên tiến" in c.reason
    assert criterion(proposal(plan, "VH-XH", "LDTT", "Người Lạ"), "registered").state == NOT_MET
    # Registering for Chiến sĩ thi đua cơ sở is registering for its prerequisite, Lao động tiên tiến.
    PledgedPerson.objects.create(pledge=pledge, full_name="Đỗ Thị Cao", title=title("CSTDCS"))
    c = criterion(proposal(plan, "VH-XH", "LDTT", "Đỗ Thị Cao"), "registered")
    assert c.state == MET and "bao gồm Lao động tiên tiến" in c.reason
    # A title that does not require registration only asks to look.
    c = criterion(proposal(plan, "VH-XH", "GK-CT", "Người Lạ"), "registered")
    assert c.state == TO_CHECK and not c.blocking


def test_household_registration_by_list(plan):
    pledge = pledge_for(plan, "TDP-04", collective="TDPVH")
    pledge.households = "Hộ ông Trần Văn Bốn\nHộ bà Lê Thị Năm"
    pledge.save()
    assert criterion(proposal(plan, "TDP-04", "GDVH", "Trần Văn Bốn"), "registered").state == MET
    assert criterion(proposal(plan, "TDP-04", "GDVH", "Đỗ Văn Sáu"), "registered").state == NOT_MET
    pledge.households, pledge.household_count = "", 120
    pledge.save()
    assert criterion(proposal(plan, "TDP-04", "GDVH", "Đỗ Văn Bảy"), "registered").state == TO_CHECK


def test_pledge_fulfilment_is_read_from_the_reported_figures(plan):
    pledge = pledge_for(plan, "TDP-03", collective="TDPVH")
    Commitment.objects.create(
        pledge=pledge, target=Target.objects.get(plan=plan, code="XH-09b"), committed_value=95
    )
    p = proposal(plan, "TDP-03", "TDPVH")
    Report.objects.filter(unit=p.unit, period__quarter=4).delete()
    c = criterion(p, "pledge_kept")
    assert c.state == TO_CHECK and "quý IV" in c.reason
    year_end(plan, "TDP-03", SO_HO=600, HO_VAN_HOA=580)  # 96,7 % ≥ 95 %
    assert criterion(p, "pledge_kept").state == MET
    year_end(plan, "TDP-03", SO_HO=600, HO_VAN_HOA=560)  # 93,3 % < 95 %
    c = criterion(p, "pledge_kept")
    assert c.state == NOT_MET and "XH-09b" in c.reason
    # The office cannot find it eligible while a commitment is not kept …
    with pytest.raises(services.AwardError, match="XH-09b"):
        services.check_proposal(proposal=p, user=office_user(), eligible=True)
    # … and the page shows the figures behind it.
    year_end(plan, "TDP-03", SO_HO=600, HO_VAN_HOA=580)
    services.check_proposal(proposal=p, user=office_user(), eligible=True, note="Đủ hồ sơ")
    p.refresh_from_db()
    assert p.status == Proposal.Status.CHECKED and p.office_eligible


def test_fulfilment_figures_on_the_proposal_page(client, plan):
    pledge = pledge_for(plan, "TDP-03", collective="TDPVH")
    Commitment.objects.create(
        pledge=pledge, target=Target.objects.get(plan=plan, code="XH-09b"), committed_value=95
    )
    year_end(plan, "TDP-03", SO_HO=600, HO_VAN_HOA=560)
    p = proposal(plan, "TDP-03", "TDPVH")
    client.force_login(office_user())
    html = client.get(reverse("awards-proposal", args=[p.pk])).content.decode()
    assert 'data-criterion="pledge_kept" data-state="not_met"' in html
    assert 'data-testid="fulfilment"' in html and "XH-09b" in html and "93,33" in html


def test_prerequisite_title_this_year_from_the_registry_or_the_passed_proposals(plan):
    cstd = proposal(plan, "MOT-CUA", "CSTDCS", "Lê Thị Hồng")
    c = criterion(cstd, "prerequisite")
    assert c.state == NOT_MET and "Lao động tiên tiến năm 2024" in c.label
    ldtt = proposal(plan, "MOT-CUA", "LDTT", "Lê Thị Hồng")
    assert criterion(cstd, "prerequisite").state == TO_CHECK  # being decided in the same round
    ldtt.status = Proposal.Status.PASSED
    ldtt.save()
    assert criterion(cstd, "prerequisite").state == MET
    ldtt.status = Proposal.Status.REJECTED
    ldtt.save()
    assert criterion(cstd, "prerequisite").state == NOT_MET
    AwardRecord.objects.create(
        year=2024,
        title=title("LDTT"),
        unit=unit("MOT-CUA"),
        nominee_name="LÊ THỊ HỒNG",
        decision_number="5/QĐ-UBND",
        decided_on=date(2024, 12, 20),
        decided_by="Chủ tịch UBND phường Phổ Minh",
    )
    c = criterion(cstd, "prerequisite")
    assert c.state == MET and "5/QĐ-UBND" in c.reason
    # Last year's title is not this year's.
    AwardRecord.objects.create(
        year=2023,
        title=title("LDTT"),
        unit=unit("MOT-CUA"),
        nominee_name="Hồ Văn Cũ",
        decision_number="96/QĐ-UBND",
        decided_on=date(2023, 12, 27),
        decided_by="Chủ tịch UBND phường Phổ Minh",
    )
    assert criterion(proposal(plan, "MOT-CUA", "CSTDCS", "Hồ Văn Cũ"), "prerequisite").state == NOT_MET


def test_earlier_years_from_the_registry(plan):
    Title.objects.filter(code="TDPVH").update(earlier_title=title("TDPVH"), earlier_years=2)
    for year in (2022, 2023):
        AwardRecord.objects.create(
            year=year,
            title=title("TDPVH"),
            unit=unit("TDP-05"),
            decision_number=f"{year}/QĐ-UBND",
            decided_on=date(year + 1, 1, 15),
            decided_by="Chủ tịch UBND thị xã Đức Phổ",
        )
    c = criterion(proposal(plan, "TDP-05", "TDPVH"), "earlier")
    assert c.state == MET and "2022" in c.reason and "2023" in c.reason
    AwardRecord.objects.filter(unit=unit("TDP-05"), year=2022).delete()
    c = criterion(Proposal.objects.get(unit__code="TDP-05", title__code="TDPVH"), "earlier")
    assert c.state == NOT_MET and "2022" in c.reason
    Title.objects.filter(code="TDPVH").update(earlier_title=None, earlier_years=0)
    assert criterion(Proposal.objects.get(unit__code="TDP-05", title__code="TDPVH"), "earlier") is None


def test_quota_is_a_warning_while_checking(plan):
    """15 % of the unit's Lao động tiên tiến: with 6 of them, not even one Chiến sĩ thi đua cơ sở."""
    for i in range(6):
        proposal(plan, "TC-KT", "LDTT", f"Người Số {i}")
    first = proposal(plan, "TC-KT", "CSTDCS", "Người Số 0")
    c = criterion(first, "quota")
    assert c.state == NOT_MET and not c.blocking and "tối đa 0" in c.reason
    for i in range(6, 7):
        proposal(plan, "TC-KT", "LDTT", f"Người Số {i}")
    c = criterion(first, "quota")
    assert c.state == MET and "tối đa 1" in c.reason


def test_checklist_lines_are_to_be_checked(plan):
    p = proposal(plan, "VH-XH", "LDTT", "Ai Đó")
    lines = [c for c in assess(p).criteria if c.code == "checklist"]
    assert [c.label for c in lines] == title("LDTT").criteria_lines()
    assert all(c.state == TO_CHECK for c in lines)


def test_earlier_years_read_the_registrys_identity_not_the_name(plan):
    """Two heads of household of TDP-01 share a name: the register tells their households apart, and the
    earlier years are read by household. Two people of the same name in two units: by the unit."""
    from awards.models import Household

    Title.objects.filter(code="GDVH").update(earlier_title=title("GDVH"), earlier_years=2)
    Title.objects.filter(code="LDTT").update(earlier_title=title("LDTT"), earlier_years=2)
    group = unit("TDP-01")
    first = Household.objects.create(unit=group, head_name="Nguyễn Văn An", address="Số 1 Lê Lợi")
    Household.objects.create(unit=group, head_name="Nguyễn  văn An", address="Số 9 Hùng Vương")
    person_unit = {"TC-KT": "Trần Thị Bình", "VH-XH": "Trần Thị Bình"}
    for year in (2022, 2023):
        common = {"year": year, "decided_on": date(year, 12, 20), "decided_by": "Chủ tịch UBND phường"}
        AwardRecord.objects.create(
            title=title("GDVH"), unit=group, household=first, nominee_name=first.head_name,
            decision_number=f"{year}/QĐ-GĐVH", **common,
        )  # fmt: skip
        AwardRecord.objects.create(
            title=title("LDTT"), unit=unit("TC-KT"), nominee_name=person_unit["TC-KT"],
            decision_number=f"{year}/QĐ-LĐTT", **common,
        )  # fmt: skip
    leader = get_user_model().objects.get(username="totruong1")

    def household_proposal(address: str) -> Proposal:
        Proposal.objects.filter(plan=plan, unit=group, title=title("GDVH")).delete()
        return services.create_proposal(
            plan=plan, unit=group, title=title("GDVH"), user=leader, nominee_name="Nguyễn Văn An",
            nominee_position=address, achievements="x",
        )  # fmt: skip

    own = household_proposal("Số 1 Lê Lợi")
    assert own.household == first
    assert criterion(own, "earlier").state == MET
    other = household_proposal("Số 9 Hùng Vương")
    assert other.household is not None and other.household != first
    c = criterion(other, "earlier")
    assert c.state == NOT_MET and "2022" in c.reason and "2023" in c.reason  # same name, not its years
    from awards.eligibility import nominee_history

    assert nominee_history(unit=group, nominee_name="Nguyễn Văn An", household=other.household) == []
    assert len(nominee_history(unit=group, nominee_name="Nguyễn Văn An", household=first)) == 2
    unknown = household_proposal("")
    assert unknown.household is None  # two households of that name: the name alone cannot tell
    assert criterion(unknown, "earlier").state == TO_CHECK
    # People: the same name in another unit is another person.
    assert criterion(proposal(plan, "TC-KT", "LDTT", "Trần Thị Bình"), "earlier").state == MET
    assert criterion(proposal(plan, "VH-XH", "LDTT", "Trần Thị Bình"), "earlier").state == NOT_MET
    # A revoked award is no longer held.
    AwardRecord.objects.filter(household=first, year=2023).update(revoked=True, revoked_reason="Sai")
    assert criterion(own, "earlier").state == NOT_MET
