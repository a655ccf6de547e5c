"""A session ends 8 hours after the login however busy it is: the limit does not slide (issue 14, item 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phominh import middleware

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Time for the whole portal (Django's session expiry included), moved by `clock.shift(hours=...)`."""

    class Clock:
        offset = timedelta()

        def shift(self, **kwargs):
            self.offset += timedelta(**kwargs)

        def now(self):
            return real_now() + self.offset

    real_now = timezone.now
    instance = Clock()
    monkeypatch.setattr(timezone, "now", instance.now)
    return instance


def log_in(client):
    response = client.post(reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def keep_busy(client, clock, *, minutes: int, every: int = 20):
    """Work for `minutes`, changing the session every `every` minutes (the award pages' year switch
    writes it), which pushes Django's own expiry forward each time."""
    for _ in range(minutes // every):
        clock.shift(minutes=every)
        assert client.get(reverse("awards-index"), {"year": 2024}).status_code == 200


def test_a_busy_session_still_ends_eight_hours_after_the_login(client, demo, clock):
    log_in(client)
    keep_busy(client, clock, minutes=7 * 60 + 40)
    clock.shift(minutes=19)
    assert client.get(reverse("home")).status_code == 200
    clock.shift(minutes=1)
    response = client.get(reverse("report-list"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={reverse('report-list')}"
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Phiên làm việc đã hết hạn (8 giờ kể từ khi đăng nhập)" in page


def test_a_post_after_the_limit_is_not_carried_out(client, demo, clock, make_user):
    log_in(client)
    keep_busy(client, clock, minutes=7 * 60 + 40)
    clock.shift(minutes=20)
    response = client.post(reverse("notifications-read-all"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logging_in_again_starts_a_new_eight_hours(client, demo, clock):
    log_in(client)
    keep_busy(client, clock, minutes=7 * 60 + 40)
    clock.shift(minutes=20)
    assert client.get(reverse("home")).status_code == 302
    log_in(client)
    keep_busy(client, clock, minutes=7 * 60)
    assert client.get(reverse("report-list")).status_code == 200


def test_a_session_from_before_the_limit_existed_gets_its_eight_hours_from_now(
    client, demo, make_user, clock
):
    client.force_login(make_user("office"))
    session = client.session
    session.pop(middleware.LOGIN_AT, None)
    session.save()
    assert client.get(reverse("home")).status_code == 200
    keep_busy(client, clock, minutes=7 * 60 + 40)
    clock.shift(minutes=19)
    assert client.get(reverse("home")).status_code == 200
    clock.shift(minutes=2)
    assert client.get(reverse("home")).status_code == 302


def test_the_limit_follows_the_setting(client, demo, clock, settings):
    settings.SESSION_COOKIE_AGE = 1800
    log_in(client)
    keep_busy(client, clock, minutes=20, every=10)
    clock.shift(minutes=10)
    response = client.get(reverse("home"), follow=True)
    assert "Phiên làm việc đã hết hạn (0,5 giờ kể từ khi đăng nhập)" in response.content.decode()


# --- a form sent after the session ended (issue 16): back to the same form after the login -------------


def entry_form() -> str:
    return reverse("report-entry", args=[2024, 4, "TDP-01"])


def test_a_form_sent_after_the_session_was_forgotten_comes_back_after_the_login(client, demo):
    from django.conf import settings as django_settings

    from indicators.models import Report

    log_in(client)
    del client.cookies[django_settings.SESSION_COOKIE_NAME]  # the session the server no longer knows
    form = entry_form()
    response = client.post(
        form, {"version": "0", "action": "save", "keep_input": "1"}, HTTP_REFERER=f"http://testserver{form}"
    )
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={form}"
    page = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục; số liệu bạn vừa nhập vẫn được giữ." in page
    assert f'name="next" value="{form}"' in page
    response = client.post(
        reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD, "next": form}
    )
    assert response.status_code == 302 and response["Location"] == form  # the form again, by GET
    assert not Report.objects.filter(unit__code="TDP-01", period__quarter=4, values__isnull=False).exists()


def test_a_step_posted_to_its_own_url_comes_back_to_the_page_it_was_sent_from(client, demo):
    log_in(client)
    client.logout()
    page = reverse("notifications")
    response = client.post(reverse("notifications-read-all"), HTTP_REFERER=f"http://testserver{page}?trang=2")
    assert response["Location"] == f"{reverse('login')}?next={page}%3Ftrang%3D2"
    # Without a form kept by the script, the message promises nothing about typed input.
    html = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục." in html and "vẫn được giữ" not in html


@pytest.mark.parametrize(
    "referer", ["https://evil.example/so-lieu/", "//evil.example/so-lieu/", "javascript:alert(1)", ""]
)
def test_the_page_to_come_back_to_is_on_this_host_only(client, demo, referer):
    response = client.post(entry_form(), {"keep_input": "1"}, HTTP_REFERER=referer)
    assert response.status_code == 302 and response["Location"] == reverse("login")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http://testserver.evil/"])
def test_the_login_never_sends_anyone_to_another_host(client, demo, target):
    html = client.get(reverse("login"), {"next": target}).content.decode()
    assert 'name="next" value=""' in html
    response = client.post(
        reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_form_sent_after_the_eight_hours_comes_back_after_the_login(client, demo, clock):
    log_in(client)
    keep_busy(client, clock, minutes=7 * 60 + 40)
    clock.shift(minutes=20)
    form = entry_form()
    response = client.post(
        form, {"version": "0", "action": "save", "keep_input": "1"}, HTTP_REFERER=f"http://testserver{form}"
    )
    assert response["Location"] == f"{reverse('login')}?next={form}"
    assert "_auth_user_id" not in client.session
    html = client.get(response["Location"]).content.decode()
    assert (
        "Phiên làm việc đã hết hạn (8 giờ kể từ khi đăng nhập). Hãy đăng nhập lại. Số liệu bạn vừa nhập vẫn được giữ."
        in html
    )
