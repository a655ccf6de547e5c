"""The dashboard tells the truth at a glance (issue 16, part 6): a unit against its own goals, one
meaning of a unit's progress, reports waiting for approval, status and projection in agreement, the
projection on the target's pace, money without decimals of a đồng, a busy PDF button."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from indicators.models import Report, Target, Unit
from indicators.progress import unit_goals, unit_results
from indicators.rollup import Status, rollup

pytestmark = pytest.mark.django_db
DASHBOARD = "/tien-do/2024/"


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def row(page: str, code: str) -> str:
    match = re.search(rf'<tr[^>]*data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, code
    return match.group(1)


def text(markup: str) -> str:
    return " ".join(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", markup, flags=re.S).split())


def test_a_group_is_measured_against_its_share_not_the_wards_target(client, demo):
    tdp6 = Unit.objects.get(code="TDP-06")
    page = login(client, "chutich").get(DASHBOARD, {"unit": tdp6.pk}).content.decode()
    cattle = text(row(page, "KT-08"))
    # 800 head of cattle over the 8 groups that report herds: 100 for TDP-06, which has 92.
    assert "92 con" in cattle and "≥ 100 con" in cattle and "92 %" in cattle
    assert "≥ 800 con" not in cattle and "11,5 %" not in cattle
    assert "1/8 chỉ tiêu của phường" in cattle
    assert 'data-testid="unit-goals-note"' in page and "Mục tiêu của đơn vị" in page


def test_a_pledged_figure_is_the_units_goal(client, demo):
    tdp1 = Unit.objects.get(code="TDP-01")
    page = login(client, "chutich").get(DASHBOARD, {"unit": tdp1.pk}).content.decode()
    culture = text(row(page, "XH-09b"))
    assert "≥ 94 %" in culture and "theo đăng ký thi đua của đơn vị" in culture
    goals, _reported = unit_goals(plan=demo, unit=tdp1, targets=list(Target.objects.filter(plan=demo)))
    rate = Target.objects.get(plan=demo, code="XH-11")  # not pledged by TDP-01: the ward's own rate
    assert goals[rate.pk].value == rate.target_value and goals[rate.pk].basis == "ward"


def test_one_meaning_of_a_units_progress_on_the_filter_and_the_unit_page(client, demo):
    tdp6 = Unit.objects.get(code="TDP-06")
    login(client, "chutich")
    page = client.get(DASHBOARD, {"unit": tdp6.pk}).content.decode()
    on_filter = dict(re.findall(r'<tr class="depth-\d+" data-code="([^"]+)" data-status="([^"]+)">', page))
    unit_page = client.get("/tien-do/2024/don-vi/TDP-06/").content.decode()
    on_unit_page = {
        code: Status(status_label_to_value(label))
        for code, label in re.findall(
            r'<tr data-code="([^"]+)">.*?data-testid="unit-status">([^<]+)<', unit_page, re.S
        )
    }
    assert on_filter and on_filter == {code: str(s) for code, s in on_unit_page.items()}
    judged = {
        u.result.target.code: u.result.status
        for u in unit_results(plan=demo, unit=tdp6, quarter=2, include_submitted=False)
        if not u.result.target.is_heading
    }
    assert judged == on_filter


def status_label_to_value(label: str) -> str:
    return next(s.value for s in Status if str(s.label) == label.strip())


def test_reports_waiting_for_approval_are_counted_and_linked(client, demo):
    waiting = Report.objects.filter(
        period__plan=demo, period__quarter=3, status=Report.Status.SUBMITTED
    ).count()
    assert waiting
    page = login(client, "chutich").get(DASHBOARD).content.decode()
    box = re.search(r'data-testid="waiting">(.*?)</div>', page, re.S).group(1)
    assert f"quý III/2024: {waiting} báo cáo đang chờ duyệt, chưa được tính vào số liệu chính thức." in text(
        box
    )
    assert 'href="/tien-do-nop/2024/q3/"' in box
    switched = login(client, "chutich").get(DASHBOARD, {"quarter": 3, "submitted": 1}).content.decode()
    assert "đang được tính tạm trên trang này" in switched


def test_a_group_leader_is_not_shown_the_wards_queue(client, demo):
    page = login(client, "totruong1").get(DASHBOARD).content.decode()
    assert 'data-testid="waiting"' not in page


def test_the_drill_down_says_not_approved_for_a_waiting_quarter(client, demo):
    login(client, "chutich")
    page = client.get("/tien-do/2024/chi-tieu/XH-01/", {"quarter": 3}).content.decode()
    q3 = re.search(r'<tr data-quarter="3">(.*?)</tr>', page, re.S).group(1)
    assert "chưa duyệt" in q3 and ">0<" not in q3.replace(" ", "")
    # Nor does the chart draw quarter III as a bar repeating quarter II.
    assert page.count('<rect class="bar-quarter"') == 2
    counted = client.get("/tien-do/2024/chi-tieu/XH-01/", {"quarter": 3, "submitted": 1}).content.decode()
    assert "chưa duyệt" not in re.search(r'<tr data-quarter="3">(.*?)</tr>', counted, re.S).group(1)


def test_status_and_projection_are_worded_together(client, demo):
    page = login(client, "chutich").get(DASHBOARD, {"quarter": 3}).content.decode()
    kt01 = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=3)}["KT-01"]
    assert kt01.status == Status.BEHIND
    note = text(re.search(r'data-testid="projection-note">(.*?)</div>', row(page, "KT-01"), re.S).group(1))
    percent = round(kt01.projection * 100 / kt01.target.target_value)
    assert note.startswith("Chậm so với tiến độ quý") and f"dự kiến cả năm đạt {percent} % chỉ tiêu" in note


def test_the_projection_follows_the_pace_profile(demo):
    rice = Target.objects.get(plan=demo, code="KT-07a")
    even = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2)}["KT-07a"]
    Target.objects.filter(pk=rice.pk).update(pace_q1=0, pace_q2=Decimal(50), pace_q3=Decimal(100))
    seasonal = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2)}["KT-07a"]
    assert even.projection == even.actual * 4 / 2
    assert seasonal.projection == seasonal.actual / Decimal("0.5")
    first = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=1)}["KT-07a"]
    assert first.actual is None or first.projection is None  # nothing expected in quarter I


def test_money_is_shown_without_decimals_of_a_dong(client, demo):
    page = login(client, "chutich").get(DASHBOARD, {"quarter": 3, "submitted": 1}).content.decode()
    for code in ("KT-03", "KT-04", "KT-05"):
        cells = text(row(page, code))
        amounts = re.findall(r"([\d.,]+) đồng", cells)
        assert amounts, code
        assert all("," not in amount for amount in amounts), (code, amounts)


def test_the_pdf_buttons_say_that_the_file_is_being_made(client, demo):
    page = login(client, "chutich").get(DASHBOARD).content.decode()
    link = re.search(r'<a [^>]*data-testid="progress-pdf"[^>]*>', page).group(0)
    assert "data-busy-download" in link and "Đang tạo báo cáo PDF" in link
    assert '<script src="/static/js/busy-download.js" defer></script>' in page
