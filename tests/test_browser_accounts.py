"""The office resets a forgotten password; its owner signs in with the temporary one, is made to choose
his own and reaches the portal (issue 14, item 14)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import ActionLog

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Tổ-dân-phố-1@Phổ-Minh"


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", verbosity=0)
    return live_server


def test_the_office_resets_and_the_leader_chooses_his_own_on_a_phone(page, live, screenshot):
    login(page, live, "vanphong")
    page.click("[data-testid=current-user]")
    page.click("[data-testid=user-menu] a:has-text('Đặt lại mật khẩu người dùng')")
    page.wait_for_selector("[data-testid=people]")
    assert page.locator("[data-testid=people] tr[data-user=chutich]").count() == 0
    page.click("[data-testid=people] tr[data-user=totruong1] button")
    temporary = page.inner_text("[data-testid=temporary-password]").strip()
    assert len(temporary) == 12
    screenshot(page, "password-reset-temporary")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live, "totruong1", temporary)
    page.wait_for_selector("[data-testid=password-change]")
    assert "mật khẩu tạm" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    screenshot(page, "password-change-phone")
    page.click("[data-testid=password-change] button[type=submit]")
    page.wait_for_selector("text=Đã đổi mật khẩu.")
    page.goto(f"{live.url}/so-lieu/")
    assert page.url == f"{live.url}/so-lieu/"

    leader = get_user_model().objects.get(username="totruong1")
    assert leader.check_password(NEW_PASSWORD) and not leader.profile.must_change_password
    actions = set(ActionLog.objects.filter(object_id=leader.pk).values_list("action", flat=True))
    assert {"accounts.password.reset", "accounts.password.changed"} <= actions
