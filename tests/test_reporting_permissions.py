"""Permission matrix for the quarterly reporting views: every URL × role × expected status."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Report, ReportedValue

from .reporting import group_payload, open_quarter, shown_version, unit

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "leadership",
    "office",
    "official",
    "official_other",
    "leader",
    "leader_other",
    "council",
    "admin",
]


@pytest.fixture
def users(demo, make_user):
    open_quarter(demo)
    return {
        "anonymous": None,
        "no_role": make_user(None),
        "leadership": make_user("leadership"),
        "office": make_user("office", units=[unit("VP-TK")]),
        "official": make_user("official", units=[unit("TDP-01")]),
        "official_other": make_user("official", units=[unit("DC-NN")]),
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "leader_other": make_user("group_leader", units=[unit("TDP-02")]),
        "council": make_user("council"),
        "admin": make_user("admin"),
    }


def entry(name="report-entry"):
    return reverse(name, args=[2024, 4, "TDP-01"])


# (method, url, {role: status}); missing roles default to the row's "*" value.
GET_MATRIX = [
    ("report-list", lambda: reverse("report-list"), {"*": 200, "anonymous": 302, "no_role": 403}),
    (
        "report-entry",
        entry,
        {"*": 200, "anonymous": 302, "no_role": 403, "official_other": 404, "leader_other": 404},
    ),
    (
        "report-history",
        lambda: entry("report-history"),
        {"*": 200, "anonymous": 302, "no_role": 403, "official_other": 404, "leader_other": 404},
    ),
    (
        "value-history",
        lambda: reverse("value-history", args=[2024, 4, "TDP-01", "SO_HO"]),
        {"*": 200, "anonymous": 302, "no_role": 403, "official_other": 404, "leader_other": 404},
    ),
    (
        "completeness",
        lambda: reverse("completeness", args=[2024, 4]),
        {"*": 403, "anonymous": 302, "leadership": 200, "office": 200},
    ),
    (
        "completeness-current",
        lambda: reverse("completeness-current"),
        {"*": 403, "anonymous": 302, "leadership": 302, "office": 302},
    ),
    (
        "unknown-unit",
        lambda: reverse("report-entry", args=[2024, 4, "KHONG-CO"]),
        {"*": 404, "anonymous": 302, "no_role": 403},
    ),
    (
        "unknown-quarter",
        lambda: reverse("report-entry", args=[2024, 7, "TDP-01"]),
        {"*": 404, "anonymous": 302, "no_role": 403},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", GET_MATRIX, ids=[r[0] for r in GET_MATRIX])
def test_get(client, users, row, role):
    _name, url, expected = row
    if users[role]:
        client.force_login(users[role])
    response = client.get(url())
    assert response.status_code == expected.get(role, expected["*"])
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


SAVE_EXPECTED = {
    "*": 403,
    "anonymous": 302,
    "official_other": 404,
    "leader_other": 404,
    "official": 302,
    "leader": 302,
    "no_role": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_post_save(client, users, role):
    if users[role]:
        client.force_login(users[role])
    response = client.post(entry(), group_payload(0) | {"action": "save"})
    assert response.status_code == SAVE_EXPECTED.get(role, SAVE_EXPECTED["*"])
    saved = ReportedValue.objects.filter(report__unit__code="TDP-01", report__period__quarter=4).exists()
    assert saved == (response.status_code == 302 and role != "anonymous")


@pytest.fixture
def submitted(users, client):
    client.force_login(users["leader"])
    client.post(entry(), group_payload(0) | {"action": "submit"})
    client.logout()
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.SUBMITTED
    return report


REVIEW_EXPECTED = {
    "*": 403,
    "anonymous": 302,
    "official_other": 404,
    "leader_other": 404,
    "leadership": 302,
    "office": 302,
    "official": 302,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", ["report-approve", "report-return"])
def test_review_steps(client, users, submitted, role, step):
    if users[role]:
        client.force_login(users[role])
    response = client.post(entry(step), {"reason": "Thiếu số liệu", "version": shown_version("TDP-01")})
    expected = REVIEW_EXPECTED.get(role, REVIEW_EXPECTED["*"])
    assert response.status_code == expected
    submitted.refresh_from_db()
    changed = submitted.status != Report.Status.SUBMITTED
    assert changed == (expected == 302 and role != "anonymous")
    assert (
        client.get(entry(step)).status_code in (302, 405)
        if role == "anonymous"
        else client.get(entry(step)).status_code == 405
    )


OFFICE_ONLY = {"*": 403, "anonymous": 302, "office": 302, "official_other": 404, "leader_other": 404}


@pytest.mark.parametrize("role", ROLES)
def test_reopen_report(client, users, submitted, role):
    if users[role]:
        client.force_login(users[role])
    until = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        entry("report-reopen"), {"reason": "Sửa", "until": until, "version": shown_version("TDP-01")}
    )
    assert response.status_code == OFFICE_ONLY.get(role, OFFICE_ONLY["*"])
    submitted.refresh_from_db()
    assert (submitted.status == Report.Status.DRAFT) == (role == "office")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", ["period-lock", "period-extend", "period-remind"])
def test_period_steps(client, users, demo, role, step):
    if users[role]:
        client.force_login(users[role])
    until = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(reverse(step, args=[2024, 4]), {"lock": "1", "reason": "Hết hạn", "until": until})
    expected = 302 if role in ("office", "anonymous") else 403
    assert response.status_code == expected
    period = demo.periods.get(quarter=4)
    if step == "period-lock":
        assert period.is_locked == (role == "office")
    if step == "period-extend":
        assert (period.reopened_until is not None) == (role == "office")
