"""Log in, log out, and a home page that sends each role to what it does."""

import pytest
from django.urls import reverse

from indicators.models import Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_demo_account_lands_on_home(client, demo):
    response = client.post(
        reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "Tổ trưởng tổ dân phố" in html
    assert "Tổ dân phố 1" in html and "Tổ dân phố 2<" not in html


def test_wrong_password_is_refused_in_vietnamese(client, demo):
    response = client.post(reverse("login"), {"username": "totruong1", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, demo, make_user):
    client.force_login(make_user("office"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("leadership", "Theo dõi tiến độ"),
        ("office", "Quản lý kế hoạch và kỳ báo cáo"),
        ("official", "Đơn vị tôi phụ trách"),
        ("group_leader", "Tổ dân phố của tôi"),
        ("council", "Hội đồng Thi đua - Khen thưởng"),
        ("admin", "Quản trị hệ thống"),
    ],
)
def test_home_per_role(client, demo, make_user, role, text):
    client.force_login(make_user(role, units=list(Unit.objects.filter(code="TDP-03"))))
    html = client.get(reverse("home")).content.decode()
    assert text in html
    assert reverse("plan-detail", args=[2024]) in html


def test_home_without_role_shows_nothing_but_a_notice(client, demo, make_user):
    client.force_login(make_user(None))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="no-role"' in html
    assert reverse("plan-detail", args=[2024]) not in html


def test_anonymous_home_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
