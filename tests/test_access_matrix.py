"""Every URL of the portal × every role, with the expected outcome written down here (issue 9).

The table covers the portal's own pages; the awards URLs have their table in
tests/test_awards_permissions.py and the API (token clients, never sessions) in tests/test_api.py.
`test_every_url_has_a_row` fails when a URL is added without a row in one of those tables.

Reading a status: 302 for anonymous = sent to the login page; 403 = in scope but not allowed;
404 = out of the user's scope (another unit, another person's notification), so it is not even
confirmed to exist; 302 on a POST = the step was let through to its service; 405 = wrong method.
Each cell runs in its own test, on the demo data, in a rolled-back transaction.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards import households
from awards.models import CouncilMember, Decision, Household, HouseholdReview
from indicators.models import Notification
from jobs.models import DocumentJob

from .pledging import open_window
from .reporting import open_quarter, unit

pytestmark = pytest.mark.django_db

ROLES = ["anon", "norole", "leader", "other_leader", "official", "office", "leadership", "council", "admin"]


def row(default, **overrides):
    """Anonymous → login page, no role → 403 (the home page and own notifications excepted)."""
    return {"anon": 302, "norole": 403} | {r: default for r in ROLES[2:]} | overrides


EVERYONE = row(200)
SCOPED = row(200, other_leader=404)  # TDP-01's pages: his leader and the official serving it; all who see all
OFFICE_AND_LEADERSHIP = row(403, office=200, leadership=200)
OFFICE_STEP = row(403, office=302)
OFFICE_STEP_SCOPED = row(403, office=302, other_leader=404)
ENTERING = row(200, leadership=403, council=403, admin=403)
KEEPER = row(403, other_leader=404, leader=200, office=200)  # a group's register: its leader, the office
KEEPER_STEP = row(403, other_leader=404, leader=302, office=302)

# (method, url name, args, expected by role). "NOTE" stands for a notification of the leader.
MATRIX = [
    ("GET", "home", [], row(200, norole=200)),
    ("GET", "plan-current", [], row(302)),
    ("GET", "plan-detail", [2024], EVERYONE),
    ("GET", "plan-pdf", [2024], EVERYONE),
    ("GET", "plan-copy", [2024], row(403, office=200, admin=200)),
    ("GET", "identity-edit", [], row(403, office=200, admin=200)),
    ("POST", "identity-edit", [], row(403, office=200, admin=200)),  # empty: the form refuses it
    ("GET", "target-detail", [2024, "XH-03"], EVERYONE),
    ("GET", "target-pace", [2024, "KT-07a"], row(403, office=200, admin=200)),
    ("POST", "target-pace", [2024, "KT-07a"], row(403, office=200, admin=200)),  # empty: the form refuses it
    ("GET", "target-pace", [2024, "XH-03"], row(403, office=404, admin=404)),  # a rate has no pace
    ("GET", "report-list", [], EVERYONE),
    ("GET", "report-entry", [2024, 4, "TDP-01"], SCOPED),
    ("POST", "report-entry", [2024, 4, "TDP-01"], row(403, other_leader=404, leader=400, official=400)),
    # An empty post carries no version of the report: past the permission check, it is a conflict
    # (409) for the reviewers and an invalid form (400) for the office's reopen.
    (
        "POST",
        "report-approve",
        [2024, 3, "TDP-01"],
        row(403, other_leader=404, official=409, office=409, leadership=409),
    ),
    (
        "POST",
        "report-return",
        [2024, 3, "TDP-01"],
        row(403, other_leader=404, official=409, office=409, leadership=409),
    ),
    ("POST", "report-reopen", [2024, 3, "TDP-01"], row(403, office=400, other_leader=404)),
    ("GET", "report-approve", [2024, 3, "TDP-01"], row(405, norole=405)),
    ("GET", "report-history", [2024, 3, "TDP-01"], SCOPED),
    ("GET", "value-history", [2024, 3, "TDP-01", "SO_HO"], SCOPED),
    ("GET", "report-entry", [2024, 4, "TDP-02"], row(200, leader=404, official=404, other_leader=200)),
    ("GET", "completeness-current", [], row(403, office=302, leadership=302)),
    ("GET", "completeness", [2024, 4], OFFICE_AND_LEADERSHIP),
    ("POST", "period-remind", [2024, 4], OFFICE_STEP),
    # Empty: unlocking without a reason, extending without a date; the page answers with its form.
    ("POST", "period-lock", [2024, 4], row(403, office=400)),
    ("POST", "period-extend", [2024, 4], row(403, office=400)),
    ("GET", "dashboard-current", [], row(302)),
    ("GET", "dashboard", [2024], EVERYONE),
    ("GET", "dashboard-target", [2024, "XH-03"], EVERYONE),
    ("GET", "dashboard-unit", [2024, "TDP-01"], SCOPED),
    ("GET", "dashboard-pdf", [2024], EVERYONE),
    ("GET", "dashboard-unit-pdf", [2024, "TDP-01"], SCOPED),
    ("GET", "excel-progress", [2024, 2], EVERYONE),
    ("GET", "excel-unit", [2024, 3, "TDP-01"], SCOPED),
    ("GET", "excel-completeness", [2024, 4], OFFICE_AND_LEADERSHIP),
    ("GET", "excel-template", [2024, 4], ENTERING),
    ("GET", "excel-import", [2024, 4], ENTERING),
    ("POST", "excel-import-confirm", [2024, 4], row(302, leadership=403, council=403, admin=403)),
    ("GET", "pledge-list", [], EVERYONE),
    ("POST", "pledge-remind", [], OFFICE_STEP),
    ("GET", "pledge-detail", [2024, "TDP-01"], SCOPED),
    # TDP-01's pledge is acknowledged in the demo: nobody changes it until the office reopens it.
    ("POST", "pledge-detail", [2024, "TDP-01"], row(403, other_leader=404)),
    ("POST", "pledge-detail", [2024, "TDP-07"], row(403, other_leader=404, leader=404, official=404)),
    # Past the permission check the office's empty posts are refused with the page answered again:
    # TDP-01's pledge is no longer waiting (409), a return or reopen without its reason is 400.
    ("POST", "pledge-acknowledge", [2024, "TDP-01"], OFFICE_STEP_SCOPED | {"office": 409}),
    ("POST", "pledge-return", [2024, "TDP-01"], OFFICE_STEP_SCOPED | {"office": 400}),
    ("POST", "pledge-reopen", [2024, "TDP-01"], OFFICE_STEP_SCOPED | {"office": 400}),
    ("GET", "covenant-list", [], EVERYONE),
    ("GET", "covenant-create", [], row(200, leadership=403, council=403, admin=403)),
    ("GET", "covenant-detail", [1], EVERYONE),
    ("GET", "covenant-detail", [999], row(404)),
    ("GET", "covenant-pdf", [1], EVERYONE),
    # TDP-01 leads the demo covenant: its leader and the official serving it may manage it.
    # Already open for confirmation: refused, the page answered again with the reason (409).
    ("POST", "covenant-open", [1], row(403, leader=409, official=409, office=409)),
    ("POST", "covenant-confirm", [1], row(404)),
    ("POST", "set-language", [], row(400, norole=400)),  # an empty post names no language
    ("GET", "set-language", [], row(405, norole=405)),
    ("GET", "notifications", [], row(200, norole=200)),
    ("POST", "notifications-read-all", [], row(302, norole=302)),
    ("POST", "notification-read", ["NOTE"], row(404, norole=404, leader=302)),
    ("GET", "password-change", [], row(200, norole=200)),
    ("POST", "password-change", [], row(200, norole=200)),  # empty: the form refuses it
    ("GET", "password-reset-list", [], row(403, office=200)),
    # The office resets a group leader's password (shown at once, 200), never the chairman's (404).
    ("POST", "password-reset", ["totruong1"], row(403, office=200)),
    ("POST", "password-reset", ["chutich"], row(403, office=404)),
    ("GET", "password-reset", ["totruong1"], row(405, norole=405)),
    # The operations page is the server administrator's: staff accounts only (tests/test_operations.py),
    # no portal role, the portal's "admin" role included.
    ("GET", "operations", [], row(403)),
    ("POST", "operations-ping", [], row(403)),
    # A document job (jobs/) is its requester's alone: "JOB" stands for a finished job of the leader.
    ("GET", "jobs", [], row(200, norole=200)),
    ("GET", "job", ["JOB"], row(404, norole=404, leader=200)),
    ("GET", "job-status", ["JOB"], row(404, norole=404, leader=200)),
    ("GET", "job-download", ["JOB"], row(404, norole=404, leader=200)),
    # The household register (Gia đình văn hóa): TDP-01's leader and the office keep it; the official
    # serving TDP-01 and those who see every unit read it. "HOUSEHOLD" is a household of TDP-01,
    # "REVIEW" TDP-01's review meeting of 2024 (a draft). A user who sees one group only goes straight
    # to it from the list of groups.
    ("GET", "awards-household-groups", [], row(200, leader=302, other_leader=302, official=302)),
    ("GET", "awards-households", ["TDP-01"], SCOPED),
    ("POST", "awards-households", ["TDP-01"], row(403, other_leader=404, leader=400, office=400)),
    ("GET", "awards-household-edit", ["TDP-01", "HOUSEHOLD"], KEEPER),
    (
        "POST",
        "awards-household-edit",
        ["TDP-01", "HOUSEHOLD"],
        row(403, other_leader=404, leader=400, office=400),
    ),
    ("POST", "awards-household-active", ["TDP-01", "HOUSEHOLD"], KEEPER_STEP),
    ("GET", "awards-household-active", ["TDP-01", "HOUSEHOLD"], row(405, norole=405)),
    ("GET", "awards-household-template", ["TDP-01"], SCOPED),
    ("GET", "awards-household-import", ["TDP-01"], KEEPER),
    ("POST", "awards-household-import", ["TDP-01"], row(403, other_leader=404, leader=400, office=400)),
    ("POST", "awards-household-import-confirm", ["TDP-01"], KEEPER_STEP),
    ("GET", "awards-household-review-create", ["TDP-01"], KEEPER_STEP),  # a review exists: to it
    ("GET", "awards-household-review", ["REVIEW"], SCOPED),
    ("POST", "awards-household-review", ["REVIEW"], row(403, other_leader=404, leader=400, office=400)),
    ("GET", "awards-household-results", ["REVIEW"], SCOPED),
    # An empty post carries no version: past the permission check it is a conflict (409).
    ("POST", "awards-household-results", ["REVIEW"], row(403, other_leader=404, leader=409, office=409)),
    ("POST", "awards-household-review-finish", ["REVIEW"], KEEPER_STEP),
    ("POST", "awards-household-review-post", ["REVIEW"], row(403, other_leader=404, office=302)),
    ("GET", "awards-household-minutes-pdf", ["REVIEW"], SCOPED),
    # The chairman's decision on the groups' lists: the office drafts, the chairman signs; "DECISION" is
    # a draft with TDP-01's review.
    ("GET", "awards-household-decisions", [], OFFICE_AND_LEADERSHIP),
    ("POST", "awards-household-decisions", [], row(403, office=400, leadership=400)),
    ("GET", "awards-household-decision", ["DECISION"], OFFICE_AND_LEADERSHIP),
    ("POST", "awards-household-decision-edit", ["DECISION"], row(403, office=302, leadership=302)),
    ("POST", "awards-household-decision-sign", ["DECISION"], row(403, leadership=302)),
    # Withdrawing a draft is the office's; an empty post carries no version: refused back to the page.
    ("POST", "awards-household-decision-withdraw", ["DECISION"], row(403, office=302)),
    ("GET", "awards-household-decision-pdf", ["DECISION"], OFFICE_AND_LEADERSHIP),
    # The achievement report of the demo's proposal 4, TDP-01's Tổ dân phố văn hóa, sent in: its people
    # and the office and leadership read it; the council not before the office forwards it; the
    # administrator is in scope but not a reader of the dossier; nobody writes it once sent.
    ("GET", "awards-achievement-report", [4], row(200, other_leader=404, council=404, admin=403)),
    ("GET", "awards-achievement-report-pdf", [4], row(200, other_leader=404, council=404, admin=403)),
    ("POST", "awards-achievement-report", [4], row(403, other_leader=404, council=404)),
    # Setting up a year (issue 17): the office writes, the leadership reads the checklist. Empty posts
    # reach the forms (400); the matrix without the version it showed is a conflict (409). Only a
    # superuser without a role may take the office's role: nobody in this table. "MEMBER" is a member
    # of the demo council.
    ("GET", "setup-current", [], row(403, office=302, leadership=302)),
    ("POST", "setup-claim-office", [], row(403)),
    ("GET", "setup-year", [2024], OFFICE_AND_LEADERSHIP),
    ("GET", "setup-year", [2031], row(403, office=404, leadership=404)),
    ("GET", "setup-units", [], row(403, office=200)),
    ("POST", "setup-units", [], row(403, office=400)),
    ("GET", "setup-unit-edit", ["TDP-01"], row(403, office=200)),
    ("GET", "setup-unit-edit", ["KHONG-CO"], row(403, office=404)),
    ("POST", "setup-unit-edit", ["TDP-01"], row(403, office=400)),
    ("GET", "setup-accounts", [], row(403, office=200)),
    ("GET", "setup-account-create", [], row(403, office=200)),
    ("POST", "setup-account-create", [], row(403, office=400)),
    ("GET", "setup-account-edit", ["totruong1"], row(403, office=200)),
    ("GET", "setup-account-edit", ["chutich"], row(403, office=404)),  # the administrator's to change
    ("POST", "setup-account-edit", ["totruong1"], row(403, office=400)),
    ("GET", "setup-account-import", [], row(403, office=200)),
    ("GET", "setup-account-template", [], row(403, office=200)),
    ("POST", "setup-account-import", [], row(403, office=400)),
    ("POST", "setup-account-import-confirm", [], row(403, office=302)),
    ("GET", "setup-assignments", [2024], row(403, office=200)),
    ("POST", "setup-assignments", [2024], row(403, office=409)),
    ("GET", "setup-periods", [2024], row(403, office=200)),
    ("POST", "setup-periods", [2024], row(403, office=400)),
    ("GET", "setup-pledge-window", [2024], row(403, office=200)),
    ("POST", "setup-pledge-window", [2024], row(403, office=400)),
    ("GET", "setup-council", [], row(403, office=200)),
    ("POST", "setup-council", [], row(403, office=400)),
    ("POST", "setup-council-remove", ["MEMBER"], row(403, office=302)),
    ("POST", "setup-council-remove", [999999], row(403, office=404)),
    ("GET", "setup-council-remove", ["MEMBER"], row(405, norole=405)),
]


@pytest.fixture
def users(demo, make_user):
    open_quarter(demo)
    open_window(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")])
    office = make_user("office", units=[unit("VP-TK")])
    review, decision = household_review_and_decision(demo, leader, office)
    return {
        "anon": None,
        "norole": make_user(None),
        "leader": leader,
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("TDP-01")]),
        "office": office,
        "leadership": make_user("leadership"),
        "council": make_user("council"),
        "admin": make_user("admin"),
        "NOTE": Notification.objects.create(user=leader, kind="deadline", text="Hạn nộp", key="matrix"),
        "JOB": finished_job(leader),
        "HOUSEHOLD": Household.objects.create(unit=unit("TDP-01"), head_name="Nguyễn Văn An"),
        "DECISION": decision,
        "REVIEW": review,
        "MEMBER": CouncilMember.objects.filter(is_active=True).first(),
    }


def household_review_and_decision(plan, leader, office):
    """TDP-01's review meeting of 2024 (a draft) and a draft decision that lists it."""
    review = households.create_review(
        plan=plan, unit=unit("TDP-01"), user=leader, data={"held_on": date(2024, 11, 20), "chaired_by": "An"}
    )
    decision = Decision.objects.create(
        plan=plan, kind=Decision.Kind.WARD, issuer="Chủ tịch UBND phường Phổ Minh", recorded_by=office
    )
    HouseholdReview.objects.filter(pk=review.pk).update(decision=decision)
    return review, decision


def finished_job(user) -> DocumentJob:
    job = DocumentJob.objects.create(
        requested_by=user,
        kind=DocumentJob.Kind.DECISION_CERTIFICATES,
        label="Giấy khen",
        result_name="gk.pdf",
    )
    job.result.save("gk.pdf", ContentFile(b"%PDF-1.7"), save=False)
    job.status = DocumentJob.Status.DONE
    job.save()
    return job


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "name", "args", "expected"),
    MATRIX,
    ids=[f"{m} {n} {'/'.join(str(a) for a in args)}" for m, n, args, _e in MATRIX],
)
def test_access(client, users, method, name, args, expected, role):
    keys = ("NOTE", "JOB", "HOUSEHOLD", "REVIEW", "DECISION", "MEMBER")
    args = [users[a].pk if a in keys else a for a in args]
    url = reverse(name, args=args)
    if users[role] is not None:
        client.force_login(users[role])
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert response.status_code == expected[role], f"{method} {url} as {role}"
    if role == "anon":
        assert response["Location"].startswith(reverse("login"))


def url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


# Reached without a session on purpose: logging in and out, and the token-only API.
OUTSIDE_THE_MATRIX = {"login", "logout"}


def test_every_url_has_a_row():
    from django.urls import resolve

    from .test_api import ENDPOINTS as API_ENDPOINTS
    from .test_awards_permissions import MATRIX as AWARDS_MATRIX

    covered = {name for _m, name, _a, _e in MATRIX} | {name for _m, name, _a, _e in AWARDS_MATRIX}
    covered |= OUTSIDE_THE_MATRIX | {resolve(url.split("?")[0]).url_name for url in API_ENDPOINTS}
    missing = sorted(set(url_names(get_resolver().url_patterns)) - covered)
    assert not missing, f"URLs without a row in the access matrix: {missing}"
