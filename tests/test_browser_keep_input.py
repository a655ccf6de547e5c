"""Nothing typed is lost (issue 16): a group leader's quarter on a 390 px phone survives an expired
session, a cut network, the office's lock and another person's save (static/js/keep-input.js)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators import services
from indicators.models import DataElement, Report, ReportingPeriod, Unit

from .conftest import DEMO_PASSWORD, PHONE, login, screenshot_sizes
from .reporting import GROUP_FIGURES as FIGURES
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('phominh-keep:'))"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def field(page, code: str):
    return page.locator(f"div[data-element='{code}'] input[name^='v_']")


def typed(page) -> dict[str, str]:
    return {code: field(page, code).input_value() for code in FIGURES}


def fill_all(page, **overrides) -> None:
    for code, text in (FIGURES | overrides).items():
        field(page, code).fill(text)


def saved_figures() -> dict[str, object]:
    report = Report.objects.filter(unit__code="TDP-01", period__quarter=4, period__plan__year=2024).first()
    return {v.element.code: v.value for v in report.values.select_related("element")} if report else {}


def serious_in_main(page, live) -> list[str]:
    """axe-core's serious and critical findings in <main> (where the kept-input notices are), with the
    portal's CSP in force: axe is served as if from the portal itself."""
    page.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=f"{live.url}/__axe__.js")
    result = page.evaluate("async () => await axe.run('main', {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_expired_session_and_cut_network_keep_the_leaders_figures(page, live):
    url = f"{live.url}/so-lieu/2024/q4/TDP-01/"
    page.set_viewport_size(PHONE)
    login(page, live, "totruong1")
    page.goto(url)
    # On a phone: the number-format hint above the first box; the target links are 44 px tap targets.
    hint = page.locator("[data-testid=number-hint]").bounding_box()
    assert hint["y"] < field(page, "SO_HO").bounding_box()["y"]
    link = page.locator("div[data-element='SO_HO'] a[href*='/chi-tieu/']").first.bounding_box()
    assert link["height"] >= 44 and link["width"] >= 44
    fill_all(page)

    # Tapping a link beside the inputs asks before leaving the typed figures.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("div[data-element='SO_HO'] a[href*='/chi-tieu/']").first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"] and page.url == url

    # The session ends while he types (the server forgets it): saving leads to the login page, which
    # says his figures are kept, and back to the same form, which offers them again.
    page.context.clear_cookies(name="sessionid")
    page.click("button[value=save]")
    page.wait_for_selector("#id_username")
    assert "Phiên làm việc đã hết hạn. Đăng nhập lại để tiếp tục; số liệu bạn vừa nhập vẫn được giữ." in (
        page.inner_text("main")
    )
    screenshot_sizes(page, "keep-input-session-expired-login")
    page.fill("#id_username", "totruong1")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=keep-input-offer]")
    assert page.url == url and saved_figures() == {}
    offer = page.inner_text("[data-testid=keep-input-offer]")
    assert re.search(r"Khôi phục số liệu chưa lưu, nhập lúc \d\d:\d\d\?", offer), offer
    assert field(page, "DAN_SO").input_value() == ""
    assert serious_in_main(page, live) == []
    screenshot_sizes(page, "keep-input-restore-offer")
    page.click("[data-keep-input-restore]")
    assert typed(page) == FIGURES
    assert page.locator("[data-testid=keep-input-offer]").count() == 0

    # The network drops: the save says so beside the buttons and nothing leaves the page.
    page.context.set_offline(True)
    page.click("button[value=save]")
    message = page.locator("[data-testid=keep-input-offline]")
    message.wait_for()
    assert message.inner_text() == (
        "Không gửi được: mất kết nối mạng. Số liệu vẫn được giữ trên máy này; hãy thử lại khi có mạng."
    )
    assert page.url == url and typed(page) == FIGURES and saved_figures() == {}
    assert len(page.evaluate(DRAFTS)) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.set_offline(False)
    screenshot_sizes(page, "keep-input-network-cut")

    # Online again, the same button saves; the draft kept in the browser is gone once saved.
    page.click("button[value=save]")
    page.wait_for_selector("text=Đã lưu nháp")
    assert saved_figures()["DAN_SO"] == 2420 and len(saved_figures()) == len(FIGURES)
    assert page.evaluate(DRAFTS) == []
    assert page.locator("[data-testid=keep-input-offer]").count() == 0


def test_lock_and_conflict_show_why_and_keep_what_he_typed(page, live):
    url = f"{live.url}/so-lieu/2024/q4/TDP-01/"
    page.set_viewport_size(PHONE)
    login(page, live, "totruong1")
    page.goto(url)

    # A wrong figure: focus goes to the error summary at the top, whose link leads to the box.
    fill_all(page, HO_NGHEO="2.5")
    page.click("button[value=save]")
    summary = page.locator("[data-testid=error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert serious_in_main(page, live) == []
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == field(page, "HO_NGHEO").get_attribute("name")
    field(page, "HO_NGHEO").fill("15")

    # The office locks the quarter meanwhile: the refusal says why, the boxes keep his figures.
    User = get_user_model()
    office = User.objects.get(username="vanphong")
    period = ReportingPeriod.objects.get(plan__year=2024, quarter=4)
    services.set_period_lock(period=period, user=office, locked=True)
    page.click("button[value=save]")
    page.wait_for_selector("text=Số liệu CHƯA được lưu")
    assert "Kỳ báo cáo đã khóa" in page.inner_text("main")
    assert typed(page) == FIGURES and saved_figures() == {}
    assert len(page.evaluate(DRAFTS)) == 1
    screenshot_sizes(page, "keep-input-locked")

    # Unlocked, but the group's official saves the quarter first: his save is a conflict, and beside
    # each of his figures is the one the official saved, marked where they differ.
    services.set_period_lock(period=period, user=office, locked=False, reason="Tổ 1 đang nhập dở")
    unit = Unit.objects.get(code="TDP-01")
    elements = {e.code: e for e in DataElement.objects.filter(plan=period.plan, code__in=FIGURES)}
    official = {code: services.Entry(int(text.replace(".", ""))) for code, text in FIGURES.items()}
    official["DAN_SO"] = services.Entry(2500)
    services.save_values(
        unit=unit,
        period=period,
        user=User.objects.get(username="canbo_vhxh"),
        entries={elements[code]: entry for code, entry in official.items()},
        version=0,
    )
    page.click("button[value=save]")
    page.wait_for_selector("[data-testid=conflict-note]")
    note = page.inner_text("[data-testid=conflict-note]")
    assert "đã lưu báo cáo này lúc" in note and "1 số khác số bạn nhập" in note
    dan_so = page.inner_text("div[data-element='DAN_SO'] [data-testid=saved-figure]")
    assert "Bản vừa lưu: 2.500" in dan_so and "khác số bạn nhập" in dan_so
    so_ho = page.inner_text("div[data-element='SO_HO'] [data-testid=saved-figure]")
    assert "Bản vừa lưu: 612" in so_ho and "khác" not in so_ho
    assert typed(page) == FIGURES and saved_figures()["DAN_SO"] == 2500
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_in_main(page, live) == []
    screenshot_sizes(page, "keep-input-conflict")

    # Saving again, knowingly, saves his figure and clears the draft.
    page.click("button[value=save]")
    page.wait_for_selector("text=Đã lưu nháp")
    assert saved_figures()["DAN_SO"] == 2420
    assert page.evaluate(DRAFTS) == []
