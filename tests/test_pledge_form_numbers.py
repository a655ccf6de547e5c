"""The pledge form agrees with the quarterly form (issue 16, part 5): numbers read the Vietnamese way,
errors in Vietnamese beside the field, no ward figures pre-filled, the unit's own last year offered."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.copying import copy_plan
from campaigns.forms import PledgeForm
from campaigns.models import Pledge, PledgeWindow
from indicators.models import Target

from .pledging import group_pledge, open_window, pledge_url
from .reporting import unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client, demo, make_user):
    open_window(demo)
    client.force_login(make_user("group_leader", units=[unit("TDP-07")]))
    return client


def field_error(html: str, name: str) -> str:
    """The error text shown beside the field `name` (crispy's invalid-feedback), tags stripped."""
    match = re.search(
        rf'name="{name}".*?<(?:div|span)[^>]*invalid-feedback[^>]*>(.*?)</(?:div|span)>', html, re.S
    )
    assert match, f"no error beside {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_household_count_and_commitments_read_like_the_entry_form(leader):
    data = group_pledge(0, XH_09b="95,5", KT_10="2.500") | {"household_count": "1.250", "action": "save"}
    response = leader.post(pledge_url("TDP-07"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pledge = Pledge.objects.get(unit__code="TDP-07")
    assert pledge.household_count == 1250
    values = {
        c.target.code: c.committed_value for c in pledge.commitments.select_related("target") if c.target
    }
    assert values == {"XH-09b": Decimal("95.5"), "KT-10": Decimal("2500")}
    # Shown again as typed: 1.250, not 1250.
    assert 'value="1.250"' in leader.get(pledge_url("TDP-07")).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "“abc” không phải là một số. Ví dụ hợp lệ: 4.176 hoặc 2,57."),
        ("12,5", "Số hộ phải là số nguyên (đang là 12,5)."),
        ("1.25", "dấu chấm dùng để phân cách hàng nghìn"),
    ],
)
def test_household_count_errors_are_vietnamese_beside_the_field(leader, typed, message):
    data = group_pledge(0, XH_09b="95") | {"household_count": typed, "action": "save"}
    response = leader.post(pledge_url("TDP-07"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in field_error(html, "household_count")
    assert "Nhập một số tổng thể" not in html and "Enter a whole number" not in html
    assert f'value="{typed}"' in html  # what he typed stays in its box
    assert not Pledge.objects.filter(unit__code="TDP-07").exists()


def test_a_commitment_typed_wrong_says_so_beside_its_box(leader):
    target = Target.objects.get(plan__year=2024, code="XH-09b")
    data = group_pledge(0, XH_09b="9.5") | {"action": "save"}
    html = leader.post(pledge_url("TDP-07"), data).content.decode()
    assert "dấu chấm dùng để phân cách hàng nghìn" in field_error(html, f"v_{target.pk}")


def test_the_hint_is_the_units_own_last_year_never_the_wards(demo, make_user):
    """2025's form for TDP-01 offers TDP-01's own 2024 figures (approved through quarter II) and its
    2024 pledge where it reported nothing; 2024's form, with no 2023 plan in the portal, offers none."""
    office = make_user("office", units=[unit("VP-TK")])
    plan_2025 = copy_plan(source=demo, year=2025, user=office)
    tdp1 = unit("TDP-01")
    rows = {r.target.code: r for r in PledgeForm(plan=plan_2025, unit=tdp1).commitment_rows()}
    # 15 poor households of 582: 2,577… %, its own figure, not the ward's 2,57 % target.
    assert rows["XH-03"].last_year == Decimal(15) * 100 / Decimal(582)
    assert rows["KT-10"].last_year is not None and rows["KT-10"].last_year < Decimal(20000)
    assert all(not r.value.value() for r in rows.values())  # nothing pre-filled
    assert all(r.last_year is None for r in PledgeForm(plan=demo, unit=tdp1).commitment_rows())


def test_the_hint_is_shown_beside_the_box(client, demo, make_user):
    office = make_user("office", units=[unit("VP-TK")])
    plan_2025 = copy_plan(source=demo, year=2025, user=office)
    today = timezone.localdate()
    PledgeWindow.objects.update_or_create(
        plan=plan_2025,
        defaults={"opens_on": today - timedelta(days=3), "closes_on": today + timedelta(days=10)},
    )
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    html = client.get(pledge_url("TDP-01").replace("2024", "2025")).content.decode()
    row = html[html.index('data-code="XH-03"') :]
    row = row[: row.index("data-code=", 10)]
    assert "năm trước của đơn vị: 2,58" in row
    assert 'value="2,57"' not in html and 'value="20.000"' not in html


def test_acknowledged_is_said_once(client, demo, make_user):
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    html = client.get(pledge_url("TDP-01")).content.decode()
    status = re.search(r'data-testid="pledge-status">(.*?)</p>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", status).split())
    assert text == "Văn phòng đã tiếp nhận ngày 02/02/2024"


def test_target_names_show_their_figure_not_an_ellipsis(client, demo, make_user):
    client.force_login(make_user("leadership"))
    for url in ["/ke-hoach/2024/", "/tien-do/2024/", "/ke-hoach/2024/chi-tieu/KT-11/"]:
        html = client.get(url).content.decode()
        assert "từ … trở lên" not in html, url
    assert "Sản lượng thủy sản (từ 180 tấn trở lên)" in html
    assert Target.objects.get(plan=demo, code="XH-09b").display_name == (
        "Hộ gia đình đạt chuẩn văn hóa (từ 93% trở lên)"
    )
