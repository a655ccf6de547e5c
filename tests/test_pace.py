"""A target's own pace profile (DOMAIN §2): rice has two harvests, so it is not behind in March.

The office sets the percent of a flow's yearly figure due by the end of quarters I-III on the target's
page; the statuses, the pace marks of the dashboard and the drill-down's expected figures follow it,
and the change is logged with its reason.
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.copying import copy_plan
from indicators import services
from indicators.models import ActionLog, Target
from indicators.progress import expected_by_quarter, expected_percent
from indicators.rollup import Status, compute_rollup, pace_share

pytestmark = pytest.mark.django_db

D = Decimal
RICE = "KT-07a"  # 4.176 tấn; the demo's rice is all cut in quarters II and III
HARVESTS = (D(0), D(50), D(100))


def rice(plan) -> Target:
    return Target.objects.get(plan=plan, code=RICE)


def status(plan, code: str, quarter: int) -> str:
    return next(r.status for r in compute_rollup(plan=plan, up_to_quarter=quarter) if r.target.code == code)


def pace_url(code: str = RICE) -> str:
    return reverse("target-pace", args=[2024, code])


@pytest.fixture
def office(client, make_user):
    user = make_user("office")
    client.force_login(user)
    return user


# --- the rule -------------------------------------------------------------------------------------------


def test_without_a_profile_the_pace_is_even(demo):
    target = rice(demo)
    assert target.pace_profile is None
    assert [pace_share(target, q) for q in (1, 2, 3, 4)] == [D("0.25"), D("0.5"), D("0.75"), D(1)]


def test_a_profile_sets_the_share_due_after_each_quarter(demo, make_user):
    target = services.set_pace(
        target=rice(demo), user=make_user("office"), percents=(D(10), D("37.5"), D(90)), reason="Hai vụ"
    )
    assert [pace_share(target, q) for q in (1, 2, 3, 4)] == [D("0.1"), D("0.375"), D("0.9"), D(1)]
    assert expected_percent(target, 2) == D("37.5")
    # 4.176 tấn × 37,5 % = 1.566 tấn due by the end of June.
    assert expected_by_quarter(target, 3) == {1: D("417.6"), 2: D(1566), 3: D("3758.4")}


def test_rice_is_not_behind_before_its_harvest_once_the_office_says_so(demo, make_user):
    assert status(demo, RICE, 1) == Status.BEHIND  # nothing cut by March: behind an even pace
    services.set_pace(target=rice(demo), user=make_user("office"), percents=HARVESTS, reason="Hai vụ")
    assert status(demo, RICE, 1) == Status.ON_TRACK
    # After quarter II the winter-spring crop (2.106,8 t) is ≥ 50 % of 4.176 t: on track either way.
    assert status(demo, RICE, 2) == Status.ON_TRACK


def test_a_steeper_profile_can_put_a_target_behind(demo, make_user):
    assert status(demo, RICE, 2) == Status.ON_TRACK  # 2.106,8 t ≥ 50 % of 4.176 t
    services.set_pace(target=rice(demo), user=make_user("office"), percents=(D(0), D(60), D(100)), reason="x")
    assert status(demo, RICE, 2) == Status.BEHIND  # 2.106,8 t < 60 % = 2.505,6 t


def test_other_targets_keep_the_even_pace(demo, make_user):
    before = {r.target.code: r.status for r in compute_rollup(plan=demo, up_to_quarter=1)}
    services.set_pace(target=rice(demo), user=make_user("office"), percents=HARVESTS, reason="Hai vụ")
    after = {r.target.code: r.status for r in compute_rollup(plan=demo, up_to_quarter=1)}
    assert {code for code in before if before[code] != after[code]} <= {RICE, "KT-07"}
    assert after[RICE] != before[RICE]


# --- the service ------------------------------------------------------------------------------------------


def test_setting_and_clearing_are_logged_with_the_reason(demo, make_user):
    office = make_user("office")
    target = services.set_pace(target=rice(demo), user=office, percents=HARVESTS, reason="Lúa hai vụ")
    assert target.revised_at is not None
    target = services.set_pace(target=target, user=office, percents=None, reason="Trở lại tiến độ đều")
    assert target.pace_profile is None
    logs = list(
        ActionLog.objects.filter(action="indicators.target.pace_set", object_id=target.pk).order_by("pk")
    )
    assert [(log.user, log.data) for log in logs] == [
        (office, {"reason": "Lúa hai vụ", "before": None, "after": ["0", "50", "100"]}),
        (office, {"reason": "Trở lại tiến độ đều", "before": ["0", "50", "100"], "after": None}),
    ]


@pytest.mark.parametrize(
    ("percents", "reason", "message"),
    [
        ((D(60), D(50), D(100)), "x", "không thể giảm"),
        ((D(0), D(50), D(101)), "x", "từ 0 đến 100"),
        ((D(-1), D(50), D(100)), "x", "từ 0 đến 100"),
        (HARVESTS, "  ", "lý do"),
    ],
)
def test_the_service_refuses_a_bad_profile(demo, make_user, percents, reason, message):
    with pytest.raises(services.PaceError, match=message):
        services.set_pace(target=rice(demo), user=make_user("office"), percents=percents, reason=reason)
    assert rice(demo).pace_profile is None
    assert not ActionLog.objects.filter(action="indicators.target.pace_set").exists()


@pytest.mark.parametrize("role", ["leadership", "official", "group_leader", "council", None])
def test_only_the_office_sets_a_pace(demo, make_user, role):
    with pytest.raises(services.PaceError):
        services.set_pace(target=rice(demo), user=make_user(role), percents=HARVESTS, reason="x")
    assert rice(demo).pace_profile is None


@pytest.mark.parametrize("code", ["XH-03", "KT-02", "KT-07a.2"])  # a rate, a heading, a derived yield
def test_only_flows_have_a_pace(demo, make_user, code):
    target = Target.objects.get(plan=demo, code=code)
    with pytest.raises(services.PaceError, match="cộng dồn"):
        services.set_pace(target=target, user=make_user("office"), percents=HARVESTS, reason="x")


@pytest.mark.parametrize(
    "values",
    [
        {"pace_q1": D(10), "pace_q2": None, "pace_q3": D(90)},  # half set: NULL must not slip through
        {"pace_q1": None, "pace_q2": D(10), "pace_q3": D(90)},
        {"pace_q1": D(50), "pace_q2": D(40), "pace_q3": D(90)},
        {"pace_q1": D(10), "pace_q2": D(40), "pace_q3": D(101)},
    ],
)
def test_the_database_refuses_an_incoherent_profile(demo, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(plan=demo, code=RICE).update(**values)


def test_the_database_refuses_a_profile_on_a_rate(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(plan=demo, code="XH-03").update(pace_q1=0, pace_q2=50, pace_q3=100)


def test_a_copied_plan_keeps_the_profile(demo, make_user):
    office = make_user("office")
    services.set_pace(target=rice(demo), user=office, percents=HARVESTS, reason="Hai vụ")
    plan_2025 = copy_plan(source=demo, year=2025, user=office)
    assert Target.objects.get(plan=plan_2025, code=RICE).pace_profile == (D(0), D(50), D(100), D(100))


def test_a_new_profile_shows_at_once_through_the_cache(demo, make_user, settings):
    settings.ROLLUP_CACHE_SECONDS = 60
    cache.clear()
    from indicators.rollup import rollup

    def cached_status():
        return next(r.status for r in rollup(plan=demo, up_to_quarter=1) if r.target.code == RICE)

    assert cached_status() == Status.BEHIND
    services.set_pace(target=rice(demo), user=make_user("office"), percents=HARVESTS, reason="Hai vụ")
    assert cached_status() == Status.ON_TRACK
    cache.clear()


# --- the pages --------------------------------------------------------------------------------------------


def test_the_office_sets_a_profile_in_vietnamese_notation(client, demo, office):
    response = client.post(pace_url(), {"q1": "0", "q2": "52,5", "q3": "100", "reason": "Lúa hai vụ"})
    assert response.status_code == 302
    assert response["Location"] == reverse("target-detail", args=[2024, RICE])
    assert rice(demo).pace_profile == (D(0), D("52.5"), D(100), D(100))
    page = client.get(response["Location"]).content.decode()
    assert "52,5 %" in page and "2.192,4" in page  # 4.176 × 52,5 % due by the end of June
    assert "0 – 52,5 – 100 %" in page and "Lúa hai vụ" in page  # the history with its reason


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q1": "0", "q2": "2.5", "q3": "100"}, "dấu chấm dùng để phân cách hàng nghìn"),
        ({"q1": "0", "q2": "50", "q3": "120"}, "Không quá 100 %"),
        ({"q1": "60", "q2": "50", "q3": "100"}, "không thể giảm"),
        ({"q1": "0", "q2": "", "q3": "100"}, "Ghi mức cần đạt"),
        ({"q1": "0", "q2": "nửa", "q3": "100"}, "không phải là một số"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, demo, office, data, message):
    response = client.post(pace_url(), data | {"reason": "x"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rice(demo).pace_profile is None
    assert not ActionLog.objects.filter(action="indicators.target.pace_set").exists()


def test_the_reason_is_required(client, demo, office):
    response = client.post(pace_url(), {"q1": "0", "q2": "50", "q3": "100", "reason": ""})
    assert response.status_code == 200
    assert rice(demo).pace_profile is None


def boxes(page: str) -> list[str]:
    """The values in the three percent boxes of the pace form."""
    tags = [re.search(rf'<input[^>]*name="q{q}"[^>]*>', page).group(0) for q in (1, 2, 3)]
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in tags]


def test_the_form_shows_the_pace_in_force(client, demo, office):
    form = client.get(pace_url()).content.decode()
    assert boxes(form) == ["25", "50", "75"]  # the even pace, to edit
    assert 'data-testid="pace-even"' not in form
    services.set_pace(target=rice(demo), user=office, percents=(D(0), D("52.5"), D(100)), reason="Hai vụ")
    form = client.get(pace_url()).content.decode()
    assert boxes(form) == ["0", "52,5", "100"]
    assert 'data-testid="pace-even"' in form  # a way back to the even pace, as its own button


def test_the_even_button_clears_the_profile_whatever_the_boxes_say(client, demo, office):
    services.set_pace(target=rice(demo), user=office, percents=HARVESTS, reason="Hai vụ")
    data = {"action": "even", "q1": "0", "q2": "50", "q3": "100", "reason": "Bỏ"}
    response = client.post(pace_url(), data)
    assert response.status_code == 302
    assert rice(demo).pace_profile is None
    assert 'data-testid="pace-even"' not in client.get(pace_url()).content.decode()


def test_saving_the_figures_never_clears_the_profile(client, demo, office):
    response = client.post(pace_url(), {"action": "save", "q1": "0", "q2": "", "q3": "100", "reason": "x"})
    assert response.status_code == 200 and "Ghi mức cần đạt" in response.content.decode()
    assert rice(demo).pace_profile is None


def test_the_target_page_shows_the_pace_and_the_edit_link_to_the_office_only(client, demo, office, make_user):
    page = client.get(reverse("target-detail", args=[2024, RICE])).content.decode()
    assert 'data-testid="pace"' in page and "Tiến độ đều theo quý" in page
    assert 'data-testid="edit-pace"' in page
    client.force_login(make_user("leadership"))
    page = client.get(reverse("target-detail", args=[2024, RICE])).content.decode()
    assert 'data-testid="pace"' in page and 'data-testid="edit-pace"' not in page
    rate = client.get(reverse("target-detail", args=[2024, "XH-03"])).content.decode()
    assert 'data-testid="pace"' not in rate


def test_the_drill_down_shows_the_figure_due_by_the_profile(client, demo, office):
    services.set_pace(target=rice(demo), user=office, percents=(D(10), D(60), D(100)), reason="x")
    page = client.get(reverse("dashboard-target", args=[2024, RICE]) + "?quarter=2").content.decode()
    assert "2.505,6" in page  # 60 % of 4.176 t, instead of the even 2.088
    assert "2.088" not in page


def test_the_demo_set_up_gives_grain_its_harvest_pace(demo, monkeypatch):
    """`manage.py setup_dev` (the README's first command) sets the profile through the service."""
    import io

    from django.core.management import call_command

    from campaigns.models import Plan

    monkeypatch.setattr(Plan.objects, "exists", lambda: False)  # as on a fresh database
    out = io.StringIO()
    call_command("setup_dev", stdout=out)
    assert "hai vụ" in out.getvalue()
    for code in ("KT-07", "KT-07a", "KT-07a.1", "KT-07b", "KT-07b.1"):
        assert Target.objects.get(plan=demo, code=code).pace_profile == (D(0), D(50), D(100), D(100)), code
    assert Target.objects.get(plan=demo, code="KT-01").pace_profile is None
    logs = ActionLog.objects.filter(action="indicators.target.pace_set")
    assert logs.count() == 5 and {log.user.username for log in logs} == {"vanphong"}


def test_a_post_refused_for_the_role_answers_the_form_with_what_was_typed(client, demo, office):
    """The office's account loses its role while the form is open: the answer is the form again, with
    the reason above it and the typed percents in their boxes, never a bare 403."""
    office.profile.role = "official"
    office.profile.save()
    response = client.post(pace_url(), {"q1": "0", "q2": "52,5", "q3": "100", "reason": "Lúa hai vụ"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Chỉ Văn phòng - Thống kê được đặt tiến độ theo quý" in page and 'data-testid="pace-form"' in page
    assert boxes(page) == ["0", "52,5", "100"] and "Lúa hai vụ" in page
    assert rice(demo).pace_profile is None
    assert client.get(pace_url()).status_code == 403  # and the form is not offered to him
