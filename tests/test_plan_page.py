"""The plan page reads like the plan and shows every target figure in Vietnamese format."""

import re
from html import unescape

import pytest
from django.urls import reverse

from indicators.models import Profile
from indicators.templatetags.vn import format_number

from . import seed

pytestmark = pytest.mark.django_db
ROLES = [choice.value for choice in Profile.Role]


def target_cells(html: str) -> dict[str, str]:
    """code → text of the figure cell, read from the targets tables."""
    rows = re.findall(r'<tr class="[^"]*" data-code="([^"]+)">(.*?)</tr>', html, flags=re.S)
    cells = {}
    for code, row in rows:
        figure = re.search(r'<td class="[^"]*\bnum"[^>]*>(.*?)</td>', row, flags=re.S).group(1)
        cells[code] = " ".join(unescape(re.sub(r"<[^>]+>", " ", figure)).split())
    return cells


def test_every_target_figure_is_on_the_page_in_vietnamese_format(client, plan, make_user):
    client.force_login(make_user("leadership"))
    response = client.get(reverse("plan-detail", args=[2024]))
    assert response.status_code == 200
    cells = target_cells(response.content.decode())
    assert set(cells) == set(plan.targets.values_list("code", flat=True))
    for target in plan.targets.all():
        if target.target_value is not None:
            assert format_number(target.target_value) in cells[target.code].split(), target.code
    assert cells["KT-07a"] == "≥ 4.176"
    assert cells["KT-04"] == "≥ 6.599.100.000"
    assert cells["XH-03"] == "≤ 2,57"
    assert cells["KT-01"] == "≥ 705,6"
    assert cells["XH-07"] == "Đạt chuẩn"
    assert cells["XH-08b"] == "Mức độ 3"


def test_every_seed_figure_is_in_the_targets_tables(client, plan, make_user):
    client.force_login(make_user("office"))
    html = client.get(reverse("plan-detail", args=[2024])).content.decode()
    shown = set()
    for text in target_cells(html).values():
        shown.update(text.split())
    for line in seed.targets_section():
        for figure in seed.figures(line):
            assert figure in shown, (figure, line)


def test_page_reads_like_the_plan(client, plan, make_user):
    client.force_login(make_user("group_leader"))
    response = client.get(reverse("plan-detail", args=[2024]))
    for text in [
        "UBND phường Phổ Minh",
        "Số: 05/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phổ Minh, ngày 04 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "I. MỤC TIÊU, CHỈ TIÊU",
        "II. NỘI DUNG PHÁT ĐỘNG THI ĐUA:",
        "II. Chỉ tiêu thi đua:",
        "1. Lĩnh vực kinh tế:",
        "3. Chỉ tiêu chủ yếu về quốc phòng, an ninh:",
        "III. TỔ CHỨC THỰC HIỆN:",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "Lê Duy Bảo",
        "8. Thi đua xây dựng Đảng, chính quyền, Mặt trận Tổ quốc",
        "Kế hoạch 2024",
    ]:
        assert text in response.content.decode(), text


def test_plan_page_query_count_is_constant(client, plan, make_user, django_assert_max_num_queries):
    client.force_login(make_user("leadership"))
    with django_assert_max_num_queries(10):
        client.get(reverse("plan-detail", args=[2024]))


def test_current_plan_redirects_to_the_latest_year(client, plan, make_user):
    client.force_login(make_user("council"))
    response = client.get(reverse("plan-current"))
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[2024])


def test_unknown_year_is_404(client, plan, make_user):
    client.force_login(make_user("office"))
    assert client.get(reverse("plan-detail", args=[2019])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_plan(client, plan, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("plan-detail", args=[2024])).status_code == 200


def test_account_without_role_is_refused(client, plan, make_user):
    client.force_login(make_user(None))
    assert client.get(reverse("plan-detail", args=[2024])).status_code == 403
    assert client.get(reverse("plan-current")).status_code == 403


def test_anonymous_is_sent_to_login(client, plan):
    url = reverse("plan-detail", args=[2024])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
