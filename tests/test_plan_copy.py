"""Copying a plan into next year: what is copied, the baselines from last year's results, history
left untouched, and the office's page that does it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from awards.models import AwardRecord, Proposal, Title
from campaigns.copying import PlanCopyError, copy_plan, shift_year, year_end_results
from campaigns.models import (
    CampaignContent,
    Commitment,
    Covenant,
    CovenantMember,
    Plan,
    PlanParagraph,
    PlanSection,
    Pledge,
    PledgedPerson,
    PledgeWindow,
)
from indicators.models import (
    ActionLog,
    Assignment,
    Baseline,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    TargetTerm,
    Unit,
)
from indicators.rollup import rollup

pytestmark = pytest.mark.django_db

D = Decimal
COPY_URL = "/ke-hoach/2024/sao-chep/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def snapshot(plan: Plan) -> dict:
    """Every row that belongs to the plan's year, with every column: what must not change."""

    def rows(queryset):
        return list(queryset.order_by("pk").values())

    return {
        "plan": rows(Plan.objects.filter(pk=plan.pk)),
        "sections": rows(PlanSection.objects.filter(plan=plan)),
        "paragraphs": rows(PlanParagraph.objects.filter(section__plan=plan)),
        "contents": rows(CampaignContent.objects.filter(plan=plan)),
        "window": rows(PledgeWindow.objects.filter(plan=plan)),
        "elements": rows(DataElement.objects.filter(plan=plan)),
        "assignments": rows(Assignment.objects.filter(element__plan=plan)),
        "targets": rows(Target.objects.filter(plan=plan)),
        "terms": rows(TargetTerm.objects.filter(target__plan=plan)),
        "baselines": rows(Baseline.objects.filter(target__plan=plan)),
        "periods": rows(ReportingPeriod.objects.filter(plan=plan)),
        "reports": rows(Report.objects.filter(period__plan=plan)),
        "values": rows(ReportedValue.objects.filter(report__period__plan=plan)),
        "pledges": rows(Pledge.objects.filter(plan=plan)),
        "people": rows(PledgedPerson.objects.filter(pledge__plan=plan)),
        "commitments": rows(Commitment.objects.filter(Q(pledge__plan=plan) | Q(covenant__plan=plan))),
        "covenants": rows(Covenant.objects.filter(plan=plan)),
        "members": rows(CovenantMember.objects.filter(covenant__plan=plan)),
        "proposals": rows(Proposal.objects.filter(plan=plan)),
        "awards": rows(AwardRecord.objects.filter(year=plan.year)),
    }


def add_approved(plan, unit_code: str, quarter: int, values: dict[str, str]) -> Report:
    report = Report.objects.create(
        unit=Unit.objects.get(code=unit_code),
        period=ReportingPeriod.objects.get(plan=plan, quarter=quarter),
        status=Report.Status.APPROVED,
    )
    for code, value in values.items():
        ReportedValue.objects.create(
            report=report, element=DataElement.objects.get(plan=plan, code=code), value=D(value)
        )
    return report


def award_2024(demo) -> AwardRecord:
    return AwardRecord.objects.create(
        year=2024,
        title=Title.objects.order_by("order").first(),
        unit=Unit.objects.get(code="TDP-01"),
        decision_number="15/QĐ-UBND",
        decided_on=date(2024, 12, 20),
        decided_by="Chủ tịch UBND phường",
    )


@pytest.fixture
def office(demo):
    return user("vanphong")


# --- the service ----------------------------------------------------------------------------------


def test_the_new_year_has_the_whole_plan_linked_to_its_own_rows(demo, office):
    new = copy_plan(source=demo, year=2025, user=office)

    assert (new.year, new.number, new.issued_on) == (2025, "…/KH-UBND", date(2025, 1, 1))
    assert new.title.endswith("của phường năm 2025") and "2024" not in new.title
    assert (new.place, new.issuer, new.signer_name) == (demo.place, demo.issuer, demo.signer_name)
    for model, by_plan in [
        (PlanSection, "plan"),
        (PlanParagraph, "section__plan"),
        (CampaignContent, "plan"),
        (DataElement, "plan"),
        (Assignment, "element__plan"),
        (Target, "plan"),
        (TargetTerm, "target__plan"),
        (ReportingPeriod, "plan"),
        (PledgeWindow, "plan"),
    ]:
        old, copied = (model.objects.filter(**{by_plan: p}).count() for p in (demo, new))
        assert copied == old > 0, model.__name__

    # Every link of the copy stays inside 2025 and points at the copy of what the original pointed at.
    for target in Target.objects.filter(plan=new).select_related("parent", "content"):
        original = Target.objects.get(plan=demo, code=target.code)
        assert (target.parent.code if target.parent else None) == (
            original.parent.code if original.parent else None
        )
        assert target.relation == original.relation and target.target_value == original.target_value
        assert target.parent is None or target.parent.plan_id == new.pk
        assert target.content is None or (target.content.plan_id, target.content.number) == (
            new.pk,
            original.content.number,
        )
    terms = TargetTerm.objects.filter(target__plan=new).select_related("element", "source_target")
    for term in terms:
        source = term.element or term.source_target
        assert source.plan_id == new.pk
    assert sorted(
        (t.target.code, t.role, t.coefficient, (t.element or t.source_target).code)
        for t in terms.select_related("target")
    ) == sorted(
        (t.target.code, t.role, t.coefficient, (t.element or t.source_target).code)
        for t in TargetTerm.objects.filter(target__plan=demo).select_related(
            "target", "element", "source_target"
        )
    )
    for section in PlanSection.objects.filter(plan=new, parent__isnull=False).select_related("parent"):
        assert section.parent.plan_id == new.pk
    assert not PlanParagraph.objects.filter(section__plan=new, text__contains="năm 2024").exists()
    assert CampaignContent.objects.get(plan=new, number=2).short_title.endswith("năm 2025")
    assert CampaignContent.objects.get(plan=new, number=1).short_title.endswith("năm 2021-2025")

    entry = ActionLog.objects.get(action="campaigns.plan.copied")
    assert (entry.object_id, entry.user, entry.data["source_year"]) == (new.pk, office, 2024)


def test_periods_and_the_pledge_window_move_to_the_same_days_of_the_new_year(demo, office):
    ReportingPeriod.objects.filter(plan=demo, quarter=3).update(reopened_until=date(2024, 11, 1))
    new = copy_plan(source=demo, year=2025, user=office)
    for old in ReportingPeriod.objects.filter(plan=demo):
        copied = ReportingPeriod.objects.get(plan=new, quarter=old.quarter)
        for name in ("starts_on", "ends_on", "opens_on", "deadline"):
            assert getattr(copied, name) == getattr(old, name).replace(year=getattr(old, name).year + 1)
        assert copied.is_locked is False and copied.reopened_until is None
    assert ReportingPeriod.objects.get(plan=new, quarter=4).deadline == date(2026, 1, 10)
    old_window, new_window = demo.pledge_window, PledgeWindow.objects.get(plan=new)
    assert new_window.opens_on == shift_year(old_window.opens_on, 1)
    assert new_window.closes_on == shift_year(old_window.closes_on, 1)
    assert shift_year(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_inactive_units_are_not_assigned_the_new_year(demo, office):
    Unit.objects.filter(code="TDP-08").update(is_active=False)
    new = copy_plan(source=demo, year=2025, user=office)
    assert Assignment.objects.filter(element__plan=demo, unit__code="TDP-08").exists()
    assert not Assignment.objects.filter(element__plan=new, unit__code="TDP-08").exists()


def test_last_years_plan_figures_pledges_and_awards_stay_as_they_were(demo, office):
    award_2024(demo)
    before = snapshot(demo)
    assert before["reports"] and before["values"] and before["pledges"] and before["baselines"]
    results_before = [(r.target.code, r.actual, r.status) for r in rollup(plan=demo, up_to_quarter=2)]

    copy_plan(source=demo, year=2025, user=office)

    assert snapshot(demo) == before
    assert [(r.target.code, r.actual, r.status) for r in rollup(plan=demo, up_to_quarter=2)] == results_before


# --- baselines ------------------------------------------------------------------------------------


def test_point_in_time_figures_carry_the_latest_approved_quarter_and_sums_wait_for_quarter_iv(demo, office):
    """The demo has quarters I–II approved: herds and rates of households are known, output is not."""
    new = copy_plan(source=demo, year=2025, user=office)
    baselines = {b.target.code: b for b in Baseline.objects.filter(target__plan=new).select_related("target")}

    poor = ReportedValue.objects.filter(
        element__plan=demo, element__code="HO_NGHEO", report__period__quarter=2, report__status="approved"
    )
    households = ReportedValue.objects.filter(
        element__plan=demo, element__code="SO_HO", report__period__quarter=2, report__status="approved"
    )
    assert (sum(v.value for v in poor), sum(v.value for v in households)) == (133, 4742)
    assert baselines["XH-03"].value == (D(133) * 100 / D(4742)).quantize(D("0.0001"))
    assert baselines["XH-03"].note == (
        "Kết quả năm 2024 đến hết quý II (tổng hợp từ số liệu đã duyệt; chưa có số liệu quý IV)"
    )
    for code in ("KT-08", "KT-10", "XH-07"):  # stocks and a standard
        assert code in baselines, code
    # Sums over quarters, rates built on one (births), and headings: no half-year "result".
    for code in ("KT-01", "KT-07", "KT-07a", "KT-07a.2", "XH-01", "XH-05", "CC-01", "KT-02", "XH-08"):
        assert code not in baselines, code
    # Last year's own baselines (the 2023 results) are not carried over: a 2025 baseline is a 2024 result.
    assert all(b.note.startswith("Kết quả năm 2024") for b in baselines.values())


def test_a_quarter_iv_result_is_the_years_result(demo, office):
    lua = Assignment.objects.filter(element__plan=demo, element__code="SL_LUA").first().unit.code
    add_approved(demo, lua, 4, {"SL_LUA": "1000"})
    expected = {r.target.code: r.actual for r in rollup(plan=demo, up_to_quarter=4)}

    new = copy_plan(source=demo, year=2025, user=office)

    baseline = Baseline.objects.get(target__plan=new, target__code="KT-07a")
    assert baseline.value == expected["KT-07a"]  # quarters I + II + IV of rice, approved
    assert baseline.note == "Kết quả năm 2024 (tổng hợp từ số liệu đã duyệt)"
    assert Baseline.objects.filter(target__plan=new, target__code="KT-07").exists()  # rice + maize


def test_targets_without_an_approved_result_get_no_baseline(demo, office):
    Report.objects.filter(period__plan=demo).update(status=Report.Status.SUBMITTED)
    assert year_end_results(plan=demo) == {}
    new = copy_plan(source=demo, year=2025, user=office)
    assert not Baseline.objects.filter(target__plan=new).exists()


def test_the_baselines_are_the_year_end_roll_up(demo, office):
    expected = {r.target.code: r.actual for r in rollup(plan=demo, up_to_quarter=4)}
    new = copy_plan(source=demo, year=2025, user=office)
    baselines = Baseline.objects.filter(target__plan=new).select_related("target")
    assert baselines.exists()
    for baseline in baselines:
        assert baseline.value == expected[baseline.target.code].quantize(D("0.0001")), baseline.target.code


# --- refusals -------------------------------------------------------------------------------------


def test_a_year_that_has_a_plan_is_refused_and_nothing_is_written(demo, office):
    copy_plan(source=demo, year=2025, user=office)
    counts = (Plan.objects.count(), Target.objects.count(), ActionLog.objects.count())
    with pytest.raises(PlanCopyError, match="Đã có kế hoạch năm 2025"):
        copy_plan(source=demo, year=2025, user=office)
    with pytest.raises(PlanCopyError, match="sau năm 2024"):
        copy_plan(source=demo, year=2023, user=office)
    assert (Plan.objects.count(), Target.objects.count(), ActionLog.objects.count()) == counts


def test_the_copy_runs_a_bounded_number_of_queries(demo, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        copy_plan(source=demo, year=2025, user=office)


# --- the office's page ----------------------------------------------------------------------------


def test_the_office_copies_the_plan_from_the_plan_page(client, demo, office):
    client.force_login(office)
    page = client.get("/ke-hoach/2024/").content.decode()
    assert f'href="{COPY_URL}"' in page

    form = client.get(COPY_URL)
    assert form.status_code == 200
    assert 'name="year"' in form.content.decode() and 'value="2025"' in form.content.decode()

    response = client.post(COPY_URL, {"year": "2025"}, follow=True)
    assert response.redirect_chain == [(reverse("plan-detail", args=[2025]), 302)]
    page = response.content.decode()
    assert "Đã tạo kế hoạch năm 2025 từ kế hoạch năm 2024" in page
    assert "…/KH-UBND" in page and "năm 2025" in page
    assert Plan.objects.filter(year=2025).exists()


def test_the_page_refuses_a_year_that_exists_in_vietnamese(client, demo, office):
    client.force_login(office)
    assert client.post(COPY_URL, {"year": "2025"}).status_code == 302
    response = client.post(COPY_URL, {"year": "2025"})
    assert response.status_code == 200
    assert "Đã có kế hoạch năm 2025: không tạo lại, không ghi đè." in response.content.decode()
    assert Plan.objects.filter(year=2025).count() == 1


@pytest.mark.parametrize("username", ["chutich", "canbo", "totruong1", "hoidong", None])
def test_only_the_office_may_copy(client, demo, make_user, username):
    client.force_login(user(username) if username else make_user(None))
    assert client.get(COPY_URL).status_code == 403
    assert client.post(COPY_URL, {"year": "2025"}).status_code == 403
    assert not Plan.objects.filter(year=2025).exists()
    if username:
        assert f'href="{COPY_URL}"' not in client.get("/ke-hoach/2024/").content.decode()


def test_anonymous_users_are_sent_to_log_in(client, demo):
    response = client.post(COPY_URL, {"year": "2025"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert not Plan.objects.filter(year=2025).exists()


def test_a_copy_of_an_unknown_year_is_404(client, demo, office):
    client.force_login(office)
    assert client.post("/ke-hoach/2019/sao-chep/", {"year": "2025"}).status_code == 404


# --- the new year in the portal -------------------------------------------------------------------


def test_dashboard_and_admin_work_on_the_new_year(client, demo, office, make_user):
    copy_plan(source=demo, year=2025, user=office)
    client.force_login(user("chutich"))
    assert client.get("/tien-do/2025/").status_code == 200
    assert client.get("/ke-hoach/2025/").status_code == 200

    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    target = Target.objects.get(plan__year=2025, code="KT-01")
    response = client.get(reverse("admin:indicators_target_change", args=[target.pk]))
    assert response.status_code == 200 and 'name="target_value"' in response.content.decode()


# --- which year the menus open once next year's plan exists ---------------------------------------


def test_menus_open_the_plan_of_this_calendar_year_not_one_copied_ahead(demo, office):
    from campaigns.selectors import current_plan

    copy_plan(source=demo, year=2025, user=office)
    assert current_plan(today=date(2024, 12, 15)).year == 2024  # copied in December: 2024 is still current
    assert current_plan(today=date(2025, 1, 2)).year == 2025
    assert current_plan(today=date(2031, 6, 1)).year == 2025  # no newer plan: the newest
    assert current_plan(today=date(2023, 6, 1)).year == 2024  # only future plans: the earliest


def test_menu_links_follow_the_current_plan(client, demo, office, monkeypatch):
    copy_plan(source=demo, year=2025, user=office)
    client.force_login(user("chutich"))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2024, 12, 15))
    assert client.get(reverse("plan-current"))["Location"] == reverse("plan-detail", args=[2024])
    assert client.get(reverse("dashboard-current"))["Location"] == reverse("dashboard", args=[2024])
    assert "Đề nghị khen thưởng năm 2024" in client.get(reverse("awards-index")).content.decode()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 1, 5))
    assert client.get(reverse("plan-current"))["Location"] == reverse("plan-detail", args=[2025])
    assert client.get(reverse("dashboard-current"))["Location"] == reverse("dashboard", args=[2025])


def test_the_report_list_switches_years_and_points_to_quarter_iv_still_open(client, demo, office):
    from .reporting import open_quarter

    open_quarter(demo, 4)  # last year's quarter IV, open today as it is in January
    plan_2025 = copy_plan(source=demo, year=2025, user=office)
    ReportingPeriod.objects.filter(plan=plan_2025).update(is_locked=True)  # nothing open there
    client.force_login(user("totruong1"))
    page = client.get(reverse("report-list") + "?year=2025").content.decode()
    assert "Số liệu thực hiện năm 2025" in page
    assert 'data-testid="open-elsewhere"' in page and "Quý IV/2024 đang mở nhập liệu" in page
    assert f'href="{reverse("report-list")}?year=2024"' in page
    page = client.get(reverse("report-list") + "?year=2024").content.decode()
    assert "Số liệu thực hiện năm 2024" in page and 'data-testid="open-elsewhere"' not in page
    assert client.get(reverse("report-list") + "?year=1999").status_code == 404


def test_the_award_pages_switch_years_and_remember_the_choice(client, demo, office, monkeypatch):
    """A year-end review held in January works on last year's plan with one click, on every award page."""
    copy_plan(source=demo, year=2025, user=office)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 1, 8))
    client.force_login(office)
    page = client.get(reverse("awards-index")).content.decode()
    assert "Đề nghị khen thưởng năm 2025" in page  # the calendar has turned
    assert 'data-testid="award-years"' in page and f'href="{reverse("awards-index")}?year=2024"' in page
    page = client.get(reverse("awards-index") + "?year=2024").content.decode()
    assert "Đề nghị khen thưởng năm 2024" in page
    # Remembered for the other award pages of this session, and for creating proposals and postings.
    assert "năm 2024" in client.get(reverse("awards-postings")).content.decode()
    assert client.get(reverse("awards-sessions")).context["plan"].year == 2024
    assert client.get(reverse("awards-proposal-create")).context["plan"].year == 2024
    # A year without a plan is ignored, not an error.
    assert client.get(reverse("awards-index") + "?year=1999").context["plan"].year == 2024
    assert client.get(reverse("awards-index") + "?year=2025").context["plan"].year == 2025
