"""A target page says what the target measures, how it is computed and who reports it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return reverse("target-detail", args=[2024, code])


def test_ratio_target_shows_numerator_denominator_reporters_and_baseline(client, demo, make_user):
    client.force_login(make_user("official"))
    response = client.get(url("XH-03"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "≤ 2,57" in html
    assert "Tỷ lệ: tổng tử số ÷ tổng mẫu số" in html
    assert "Số hộ nghèo" in html and "Tổng số hộ dân" in html
    assert "Tổ dân phố 1" in html and "Tổ dân phố 8" in html
    assert "3,12" in html  # the demo's 2023 result
    assert "Tỷ lệ hộ nghèo cuối năm giảm còn 2,57%" in html


def test_subset_target_names_its_parent(client, demo, make_user):
    client.force_login(make_user("leadership"))
    html = client.get(url("KT-08a")).content.decode()
    assert "Trong đó, không cộng thêm" in html
    assert "KT-08 — Đàn trâu, bò" in html
    assert "Số con trâu hiện có" in html


def test_derived_target_links_its_source_targets(client, plan, make_user):
    client.force_login(make_user("office"))
    html = client.get(url("KT-07a.2")).content.decode()
    assert "≥ 58" in html and "tạ/ha" in html
    assert url("KT-07a") in html and url("KT-07a.1") in html
    assert "nhân hệ số 10" in html


def test_unknown_code_is_404_and_no_role_is_403(client, plan, make_user):
    client.force_login(make_user("office"))
    assert client.get(url("KT-99")).status_code == 404
    client.force_login(make_user(None))
    assert client.get(url("KT-01")).status_code == 403


def test_target_page_query_count(client, demo, make_user, django_assert_max_num_queries):
    client.force_login(make_user("leadership"))
    with django_assert_max_num_queries(13):  # 12, and the ward's identity for the navbar (issue 17)
        assert client.get(url("KT-01")).status_code == 200
