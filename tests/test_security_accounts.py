"""Accounts: login throttling, password rules, session expiry, the login audit, the admin for staff only."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from .conftest import DEMO_PASSWORD
from .reporting import unit

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client, username: str, password: str, url: str = LOGIN, address: str = "127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, **kwargs):
    return [attempt(client, username, "sai-mat-khau", **kwargs).status_code for _ in range(times)]


# --- throttling --------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_name_out_from_that_address(client, demo):
    assert fail(client, "totruong1", 4) == [200, 200, 200, 200]
    response = attempt(client, "totruong1", "sai-mat-khau")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "5 lần" in page and "15 phút" in page
    # Locked out: even the right password does not let him in from this address...
    assert attempt(client, "totruong1", DEMO_PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_lockout_is_per_name_and_address(client, demo):
    fail(client, "totruong1", 5)
    # ...but a guesser at one computer cannot lock him out of another, nor lock out his neighbours.
    assert attempt(client, "totruong1", DEMO_PASSWORD, address="10.1.2.3").status_code == 302
    client.logout()
    assert attempt(client, "totruong2", DEMO_PASSWORD).status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, demo):
    fail(client, "totruong1", 5)
    assert attempt(client, "totruong1", DEMO_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "totruong1", DEMO_PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_count(client, demo):
    fail(client, "totruong1", 4)
    assert attempt(client, "totruong1", DEMO_PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "totruong1", 4) == [200, 200, 200, 200]


def test_the_admin_login_is_throttled_too(client, demo):
    fail(client, "quantri", 4, url=ADMIN_LOGIN)
    assert attempt(client, "quantri", "sai-mat-khau", url=ADMIN_LOGIN).status_code == 429
    assert attempt(client, "quantri", DEMO_PASSWORD, url=ADMIN_LOGIN).status_code == 429


def test_logging_in_from_code_without_a_request_still_works(demo):
    """authenticate() without a request (shell, scripts) is not counted and not refused."""
    from django.contrib.auth import authenticate

    assert authenticate(username="totruong1", password=DEMO_PASSWORD) is not None


# --- audit -------------------------------------------------------------------------------------------


def test_every_login_logout_and_failure_is_recorded(client, demo):
    attempt(client, "canbo", "sai-mat-khau", address="10.0.0.7")
    failure = AccessFailureLog.objects.get(username="canbo")
    assert failure.ip_address == "10.0.0.7" and not failure.locked_out
    assert "sai-mat-khau" not in str(AccessAttempt.objects.get(username="canbo").post_data)

    assert attempt(client, "canbo", DEMO_PASSWORD, address="10.0.0.7").status_code == 302
    access = AccessLog.objects.get(username="canbo")
    assert access.ip_address == "10.0.0.7" and access.logout_time is None
    client.post(reverse("logout"))
    access.refresh_from_db()
    assert access.logout_time is not None


def test_the_login_audit_is_in_the_admin(client, demo):
    attempt(client, "canbo", "sai-mat-khau")
    attempt(client, "quantri", DEMO_PASSWORD, url=ADMIN_LOGIN)
    for name in ["accessattempt", "accessfailurelog", "accesslog"]:
        response = client.get(reverse(f"admin:axes_{name}_changelist"))
        assert response.status_code == 200, name
    assert "canbo" in client.get(reverse("admin:axes_accessfailurelog_changelist")).content.decode()


# --- passwords and sessions --------------------------------------------------------------------------


def test_password_rules(settings):
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
    for weak in ["12345678", "password", "abc"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Tổ-dân-phố-7@Phổ-Minh")


def test_the_session_ends_with_the_browser_and_after_eight_hours(client, demo):
    response = attempt(client, "totruong1", DEMO_PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    assert abs(session.expire_date - (timezone.now() + timedelta(hours=8))) < timedelta(minutes=1)

    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("report-list"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# --- the admin belongs to staff ----------------------------------------------------------------------


def test_the_admin_is_for_staff_only(client, demo, make_user):
    office = make_user("office", units=[unit("VP-TK")])
    assert client.get(reverse("admin:index")).status_code == 302  # anonymous
    client.force_login(office)
    for url in [reverse("admin:index"), reverse("admin:indicators_report_changelist")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(ADMIN_LOGIN), url
    client.logout()
    # The right password of a non-staff account does not open the admin either.
    response = attempt(client, office.username, DEMO_PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 200 and not logged_in(client)

    staff = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:indicators_report_changelist")).status_code == 200
