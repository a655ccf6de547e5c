"""The portal's own error pages (issue 14): Vietnamese, in the portal's layout, readable on a phone.

400 and 500 are rendered by Django without a request context (no context processors, no user, no
database): they extend the standalone `_error_layout.html`, which has base.html's look. 403, 404 and
the CSRF failure page extend base.html.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from indicators.models import ReportedValue

from .reporting import entry_url, group_payload, open_quarter, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def assert_portal_page(html: str) -> None:
    """The layout's head and bar, for a phone, without an inline style."""
    assert '<html lang="vi">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "css/portal.css" in html and "bg-portal" in html
    assert "style=" not in html


def test_404_is_vietnamese_and_extends_the_layout(client, demo, make_user):
    client.force_login(make_user("group_leader", units=[unit("TDP-02")]))
    for url in ["/khong-co-trang-nay/", entry_url("TDP-01")]:  # no such page; another group's quarter
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404, url
        assert {"404.html", "base.html"} <= set(template_names(response))
        assert "Không tìm thấy trang" in html and "Not Found" not in html
        assert 'data-testid="current-user"' in html
        assert_portal_page(html)
    client.logout()
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Không tìm thấy trang" in html and reverse("login") in html


def test_403_is_vietnamese_with_the_reason(client, demo, make_user):
    client.force_login(make_user(None))
    response = client.get(reverse("report-list"))
    assert response.status_code == 403 and {"403.html", "base.html"} <= set(template_names(response))
    html = response.content.decode()
    assert "Bạn không có quyền thực hiện thao tác này" in html and "Forbidden" not in html
    assert_portal_page(html)
    client.force_login(make_user("leadership"))
    response = client.get(reverse("excel-import", args=[2024, 4]))
    assert response.status_code == 403
    assert "Chỉ người nhập số liệu được nhập từ tệp Excel." in response.content.decode()


def test_400_is_vietnamese_in_the_standalone_layout(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="khong-phai-cong-thong-tin.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert {"400.html", "_error_layout.html"} <= set(template_names(response))
    assert "Yêu cầu không hợp lệ" in html and "Bad Request" not in html
    assert_portal_page(html)


def test_500_needs_no_context_processor_and_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/so-lieu/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in html and "Server Error" not in html
    assert_portal_page(html)


def test_a_failing_view_answers_the_500_page(demo, make_user, monkeypatch):
    def broken():
        raise RuntimeError("hỏng")

    monkeypatch.setattr("indicators.reporting_views.current_plan", broken)
    client = Client(raise_request_exception=False)
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    response = client.get(reverse("report-list"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_a_csrf_failure_shows_the_vietnamese_page(demo, make_user):
    open_quarter(demo)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    response = client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    html = response.content.decode()
    assert response.status_code == 403 and {"403_csrf.html", "base.html"} <= set(template_names(response))
    assert "Trang đã hết hiệu lực" in html and "CSRF" not in html
    assert 'data-testid="current-user"' in html
    assert_portal_page(html)
    assert not ReportedValue.objects.filter(report__unit__code="TDP-01", report__period__quarter=4).exists()
    # Signed out, on the login form, too.
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and "Trang đã hết hiệu lực" in response.content.decode()


def test_a_csrf_failure_of_a_kept_form_says_the_input_is_kept_and_leads_back_to_it(demo, make_user):
    """Issue 16: the form's input is still in the browser (static/js/keep-input.js posts its flag)."""
    open_quarter(demo)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("group_leader", units=[unit("TDP-01")]))
    form = entry_url("TDP-01")
    payload = group_payload(0) | {"action": "save", "keep_input": "1"}
    html = client.post(form, payload, HTTP_REFERER=f"http://testserver{form}").content.decode()
    assert "Số liệu bạn vừa nhập vẫn được giữ trên máy này" in html and "chép lại" not in html
    assert f'href="{form}" data-testid="back-to-form"' in html
    html = client.post(form, payload, HTTP_REFERER="https://evil.example/").content.decode()
    assert 'data-testid="back-to-form"' not in html
