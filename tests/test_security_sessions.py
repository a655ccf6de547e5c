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
