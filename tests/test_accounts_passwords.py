"""Passwords: everyone changes his own; the office resets a forgotten one, audited (issue 14, item 14)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import ActionLog, Profile

from .conftest import DEMO_PASSWORD
from .reporting import unit

pytestmark = pytest.mark.django_db

CHANGE = reverse("password-change")
RESET_LIST = reverse("password-reset-list")
NEW_PASSWORD = "Tổ-dân-phố-7@Phổ-Minh"


def reset_url(user) -> str:
    return reverse("password-reset", args=[user.username])


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    )


def log_in(client, user, password: str):
    return client.post(reverse("login"), {"username": user.username, "password": password})


@pytest.fixture
def people(demo, make_user):
    User = get_user_model()
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")], first_name="Ba", last_name="Nguyễn Văn"),
        "official": make_user("official", units=[unit("VH-XH")]),
        "council": make_user("council"),
        "office": make_user("office", units=[unit("VP-TK")]),
        "other_office": make_user("office"),
        "leadership": make_user("leadership"),
        "admin": make_user("admin"),
        "staff_leader": make_user("group_leader", units=[unit("TDP-02")], is_staff=True),
        "inactive": make_user("group_leader", units=[unit("TDP-03")], is_active=False),
        "norole": make_user(None),
        "superuser": User.objects.create_superuser("sieu_quan_tri", password=DEMO_PASSWORD),
    }


# --- changing one's own password ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "official", "council", "office", "leadership", "admin", "norole"])
def test_everyone_signed_in_changes_his_password(client, people, who):
    user = people[who]
    client.force_login(user)
    page = client.get(CHANGE).content.decode()
    assert 'data-testid="password-change"' in page and 'name="new_password2"' in page
    assert "Mật khẩu cũ" in page and "Đổi mật khẩu" in page
    response = change(client, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("notifications")).status_code == 200  # still signed in
    entry = ActionLog.objects.get(action="accounts.password.changed", object_id=user.pk)
    assert entry.user == user and NEW_PASSWORD not in str(entry.data)


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("sai-mat-khau", NEW_PASSWORD, None, "Mật khẩu cũ không chính xác"),
        (DEMO_PASSWORD, "12345678", None, "Mật khẩu này quá phổ biến"),
        (DEMO_PASSWORD, "Ab1-", None, "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự"),
        (DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "Hai trường mật khẩu không giống nhau"),
        (DEMO_PASSWORD, DEMO_PASSWORD, None, "Mật khẩu mới phải khác mật khẩu hiện tại"),
    ],
)
def test_the_password_rules_apply(client, people, old, new, again, message):
    client.force_login(people["leader"])
    response = change(client, old, new, again)
    assert response.status_code == 200 and message in response.content.decode()
    people["leader"].refresh_from_db()
    assert people["leader"].check_password(DEMO_PASSWORD)


def test_the_user_menu_links_to_the_password_pages(client, people):
    client.force_login(people["leader"])
    page = client.get(reverse("home")).content.decode()
    assert f'href="{CHANGE}"' in page and f'href="{RESET_LIST}"' not in page
    client.force_login(people["office"])
    page = client.get(reverse("home")).content.decode()
    assert f'href="{CHANGE}"' in page and f'href="{RESET_LIST}"' in page


# --- the office resets a forgotten password -------------------------------------------------------------


def test_the_office_lists_only_the_accounts_it_may_reset(client, people):
    client.force_login(people["office"])
    response = client.get(RESET_LIST)
    assert response.status_code == 200
    page = response.content.decode()
    for who in ["leader", "official", "council"]:
        assert f'data-user="{people[who].username}"' in page, who
    for who in [
        "office",
        "other_office",
        "leadership",
        "admin",
        "staff_leader",
        "inactive",
        "norole",
        "superuser",
    ]:
        assert f'data-user="{people[who].username}"' not in page, who
    assert "no-store" in response["Cache-Control"]


def test_a_reset_gives_a_temporary_password_shown_once_to_change_at_the_next_login(client, people):
    from django.test import Client

    leader = people["leader"]
    leaders_browser = Client()
    leaders_browser.force_login(leader)
    assert leaders_browser.get(reverse("home")).status_code == 200

    client.force_login(people["office"])
    response = client.post(reset_url(leader))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    temporary = response.context["password"]
    assert f'data-testid="temporary-password">{temporary}<' in response.content.decode()
    leader.refresh_from_db()
    assert leader.check_password(temporary) and not leader.check_password(DEMO_PASSWORD)
    assert leader.profile.must_change_password
    entry = ActionLog.objects.get(action="accounts.password.reset", object_id=leader.pk)
    assert entry.user == people["office"] and temporary not in str(entry.data)
    # Shown once: the list page does not show it again.
    assert temporary not in client.get(RESET_LIST).content.decode()
    # The leader's open session ended with the reset.
    assert leaders_browser.get(reverse("home")).status_code == 302

    # Next login: every page sends him to change it first.
    assert log_in(leaders_browser, leader, temporary).status_code == 302
    for url in [reverse("home"), reverse("report-list"), reverse("awards-index")]:
        response = leaders_browser.get(url)
        assert response.status_code == 302 and response["Location"] == CHANGE, url
    assert leaders_browser.get(CHANGE).status_code == 200
    assert change(leaders_browser, temporary, NEW_PASSWORD).status_code == 302
    leader.refresh_from_db()
    assert not leader.profile.must_change_password and leader.check_password(NEW_PASSWORD)
    assert leaders_browser.get(reverse("report-list")).status_code == 200


def test_a_temporary_password_passes_the_password_rules(people):
    from django.contrib.auth.password_validation import validate_password

    from phominh.accounts import temporary_password

    for _ in range(20):
        password = temporary_password(people["leader"])
        validate_password(password, people["leader"])
        assert len(password) == 12


def test_a_reset_lifts_the_lockout_of_that_name(client, people):
    leader = people["leader"]
    for _ in range(5):
        log_in(client, leader, "sai-mat-khau")
    assert AccessAttempt.objects.filter(username=leader.username).exists()
    client.force_login(people["office"])
    temporary = client.post(reset_url(leader)).context["password"]
    client.logout()
    assert not AccessAttempt.objects.filter(username=leader.username).exists()
    assert log_in(client, leader, temporary).status_code == 302


@pytest.mark.parametrize(
    "who",
    ["other_office", "leadership", "admin", "staff_leader", "inactive", "norole", "superuser", "office"],
)
def test_the_office_cannot_reset_accounts_outside_its_reach(client, people, who):
    client.force_login(people["office"])
    assert client.post(reset_url(people[who])).status_code == 404
    people[who].refresh_from_db()
    assert people[who].check_password(DEMO_PASSWORD)
    assert not ActionLog.objects.filter(action="accounts.password.reset").exists()


@pytest.mark.parametrize(
    "who", ["leader", "official", "council", "leadership", "admin", "norole", "superuser"]
)
def test_nobody_but_the_office_resets_a_password(client, people, who):
    client.force_login(people[who])
    assert client.get(RESET_LIST).status_code == 403
    target = people["official"] if who != "official" else people["council"]
    assert client.post(reset_url(target)).status_code == 403
    target.refresh_from_db()
    assert target.check_password(DEMO_PASSWORD)
    assert not Profile.objects.filter(must_change_password=True).exists()


def test_the_reset_page_takes_posts_only(client, people):
    client.force_login(people["office"])
    assert client.get(reset_url(people["leader"])).status_code == 405
