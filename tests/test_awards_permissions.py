"""Every awards URL × every role, in one table (pretix's test_permissions style).

404: out of the user's scope (another unit's proposal, by URL); 403: in scope but not his to do;
302 on a POST: the step was let through to the service and done; 400/409: let through and refused,
the page answered again with the reason and what was typed.
Anonymous visitors are sent to the login page; an account without a role sees nothing.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import services, voting
from awards.law import LegalText, TitleAuthority
from awards.models import AwardRecord, Decision, Proposal
from awards.registry import next_register_number

from .test_awards_factories import ballot, checked_proposal, council_of, office_user, session_for, title, unit

pytestmark = pytest.mark.django_db
ROLES = ["anon", "norole", "leader", "other_leader", "official", "office", "leadership", "council", "admin"]
PDF = b"%PDF-1.4\n%%EOF\n"


def row(default, **overrides):
    """Expected status per role: anonymous → login, no role → 403, then `default` unless overridden."""
    return {"anon": 302, "norole": 403} | {r: default for r in ROLES[2:]} | overrides


EVERYONE = row(200)
SESSIONS = row(403, office=200, leadership=200, council=200, admin=200)
OFFICE_POST = row(404, leader=403, office=302, leadership=403, council=403, admin=403)
MANAGE = row(403, office=302)
DECIDE = row(403, leadership=302)
VISIBLE_FWD = row(404, leader=200, office=200, leadership=200, council=200, admin=200)
OWN_DRAFT = row(404, leader=200)

MATRIX = [
    ("GET", "awards-index", [], EVERYONE),
    ("GET", "awards-export", [], EVERYONE),
    ("GET", "awards-proposal-create", [], row(200, leadership=403, council=403, admin=403)),
    ("GET", "awards-proposal", ["fwd"], VISIBLE_FWD),
    ("GET", "awards-proposal", ["draft"], OWN_DRAFT),
    ("GET", "awards-proposal-edit", ["draft"], OWN_DRAFT),
    (
        "GET",
        "awards-proposal-edit",
        ["fwd"],
        row(404, leader=403, office=403, leadership=403, council=403, admin=403),
    ),
    ("POST", "awards-proposal-submit", ["draft"], row(404, leader=302)),
    ("POST", "awards-evidence-upload", ["draft"], row(404, leader=302)),
    (
        "GET",
        "awards-evidence",
        ["fwd", "file"],
        row(404, leader=200, office=200, leadership=200, council=200, admin=403),
    ),
    (
        "POST",
        "awards-evidence-delete",
        ["fwd", "file"],
        row(404, leader=403, office=403, leadership=403, council=403, admin=403),
    ),
    # The achievement report (issue 15 item 3): "report" is TDP-01's Tổ dân phố văn hóa before the
    # council (its people and the award staff read it, the administrator does not; nobody writes it
    # once sent), "report_draft" its draft for Tập thể lao động tiên tiến (an empty post carries no
    # version: past the permission check it is a conflict, 409).
    (
        "GET",
        "awards-achievement-report",
        ["report"],
        row(404, leader=200, office=200, leadership=200, council=200, admin=403),
    ),
    (
        "POST",
        "awards-achievement-report",
        ["report"],
        row(404, leader=403, office=403, leadership=403, council=403, admin=403),
    ),
    ("GET", "awards-achievement-report", ["report_draft"], OWN_DRAFT),
    ("POST", "awards-achievement-report", ["report_draft"], row(404, leader=409)),
    (
        "GET",
        "awards-achievement-report-pdf",
        ["report"],
        row(404, leader=200, office=200, leadership=200, council=200, admin=403),
    ),
    # Let through to the office, refused there: the page again with the reason (an empty check or
    # forward form: 400; a return of a proposal already forwarded: 409).
    ("POST", "awards-proposal-check", ["fwd"], OFFICE_POST | {"office": 400}),
    ("POST", "awards-proposal-return", ["fwd"], OFFICE_POST | {"office": 409}),
    ("POST", "awards-proposal-forward", ["fwd"], OFFICE_POST | {"office": 400}),
    ("POST", "awards-proposal-withdraw", ["fwd"], OFFICE_POST),
    ("GET", "awards-sessions", [], SESSIONS),
    ("POST", "awards-session-create", [], MANAGE),
    ("GET", "awards-session", ["closed"], SESSIONS),
    ("GET", "awards-session", ["planned"], SESSIONS),
    ("POST", "awards-session-attendance", ["planned"], MANAGE),
    ("POST", "awards-session-open", ["planned"], MANAGE),
    ("POST", "awards-session-vote", ["planned"], row(403, council=302)),
    ("POST", "awards-session-close", ["planned"], MANAGE),
    ("POST", "awards-session-decide", ["closed"], DECIDE),
    ("POST", "awards-session-letter", ["closed"], DECIDE),
    ("POST", "awards-session-draft", ["closed"], row(403, office=302, leadership=302)),
    ("POST", "awards-session-higher", ["closed"], row(403, office=302, leadership=302)),
    ("GET", "awards-minutes-pdf", ["closed"], SESSIONS),
    ("GET", "awards-decision-pdf", ["closed"], SESSIONS),
    ("GET", "awards-letter-pdf", ["closed"], SESSIONS),
    # The residential groups' Mẫu số 06 and 04 of a session that reviewed some; none before it closes.
    ("GET", "awards-group-minutes-pdf", ["closed"], SESSIONS),
    ("GET", "awards-group-proposal-pdf", ["closed"], SESSIONS),
    (
        "GET",
        "awards-group-minutes-pdf",
        ["planned"],
        row(403, office=404, leadership=404, council=404, admin=404),
    ),
    # TDP-01's list of Gia đình văn hóa: public to its people and the award staff, not to another group.
    ("GET", "awards-postings", [], EVERYONE),
    ("GET", "awards-posting-create", [], row(403, office=200)),
    ("POST", "awards-posting-create", [], row(403, office=200)),  # no title chosen: the page again
    (
        "GET",
        "awards-posting",
        ["posting"],
        row(404, leader=403, office=200, leadership=200, council=200, admin=200),
    ),
    ("GET", "awards-posting-public", ["posting"], VISIBLE_FWD),
    ("GET", "awards-posting-pdf", ["posting"], VISIBLE_FWD),
    ("POST", "awards-posting-comment", ["posting"], OFFICE_POST),
    ("POST", "awards-posting-response", ["posting", "comment"], OFFICE_POST),
    ("GET", "awards-registry", [], EVERYONE),
    ("GET", "awards-registry-export", [], EVERYONE),
    ("GET", "awards-unit", ["unit"], row(200, other_leader=404, official=404)),
    ("GET", "awards-titles", [], EVERYONE),
    ("GET", "awards-title-edit", ["title"], row(403, office=200)),
    # Certificates (issue 15 item 4): "record" is TDP-01's, "decision" its signed decision, "token" its
    # verification code. The office and leadership print; only the office revokes and sets the layout;
    # anyone, signed in or not, verifies a code.
    (
        "GET",
        "awards-record-certificate",
        ["record"],
        row(404, leader=403, office=200, leadership=200, council=403, admin=403),
    ),
    (
        "POST",
        "awards-record-revoke",
        ["record"],
        row(404, leader=403, office=302, leadership=403, council=403, admin=403),
    ),
    ("POST", "awards-decision-certificates", ["decision"], row(403, office=302, leadership=302)),
    ("GET", "awards-certificate-layout", [], row(403, office=200)),
    ("GET", "awards-verify", ["token"], row(200, anon=200, norole=200)),
    ("POST", "awards-session-hours", ["planned"], MANAGE),
    # The law as data: the office edits and confirms; those who see the sessions read.
    ("GET", "awards-law", [], SESSIONS),
    ("GET", "awards-law-text-create", [], row(403, office=200)),
    ("GET", "awards-law-text", ["text"], row(403, office=200)),
    ("GET", "awards-law-authority-create", [], row(403, office=200)),
    ("GET", "awards-law-authority", ["authority"], row(403, office=200)),
    ("POST", "awards-law-confirm", ["van-ban", "text"], row(403, office=302)),
    # Decisions of their own (drafts, one-off awards, corrections).
    ("GET", "awards-decisions", [], SESSIONS),
    ("POST", "awards-decision-create", [], row(403, office=302, leadership=302)),
    ("GET", "awards-decision", ["draft_decision"], SESSIONS),
    ("POST", "awards-decision-edit", ["draft_decision"], row(403, office=302, leadership=302)),
    ("POST", "awards-decision-sign", ["draft_decision"], DECIDE),
    ("POST", "awards-decision-correct", ["draft_decision"], row(403, office=302, leadership=302)),
    ("GET", "awards-decision-document", ["draft_decision"], SESSIONS),
]


@pytest.fixture
def world(plan, make_user, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    people = {
        "norole": make_user(None),
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("VH-XH")]),
        "office": office_user(),
        "leadership": make_user("leadership"),
        "council": make_user("council"),
        "admin": make_user("admin", is_staff=True),
    }
    # A closed session that passed a ward title and a higher one.
    council, members = council_of(3)
    ward = checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Ma Trận Khen")
    higher = checked_proposal(plan, unit_code="TDP-05", title_code="TDPVH")
    closed = session_for(plan, council, [ward, higher], present=members)
    voting.open_voting(session=closed, user=office_user())
    for m in members:
        voting.cast_ballot(session=closed, user=m, choices=ballot(closed, {ward: "agree", higher: "agree"}))
    voting.close_session(session=closed, user=office_user())
    # A session being prepared, on a council where the "council" user sits.
    council, members = council_of(3, chairman=people["council"])
    fwd = services.create_proposal(
        plan=plan,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=people["leader"],
        nominee_name="Hộ Ma Trận",
        achievements="x",
    )
    evidence = services.add_evidence(
        proposal=fwd, user=people["leader"], upload=SimpleUploadedFile("a.pdf", PDF)
    )
    services.submit_proposal(proposal=fwd, user=people["leader"])
    Proposal.objects.filter(pk=fwd.pk).update(status=Proposal.Status.CHECKED, office_eligible=True)
    planned = session_for(plan, council, [fwd], present=members)
    draft = services.create_proposal(
        plan=plan,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=people["leader"],
        nominee_name="Hộ Bản Nháp",
        achievements="x",
    )
    posting = services.start_posting(
        plan=plan,
        title=title("GDVH"),
        unit=unit("TDP-01"),
        user=people["office"],
        posted_on=date(2024, 12, 1),
    )
    comment = services.record_posting_comment(
        posting=posting, user=people["office"], received_on=date(2024, 12, 3), text="Góp ý thử"
    )
    decision = Decision.objects.create(
        plan=plan,
        kind=Decision.Kind.WARD,
        status=Decision.Status.SIGNED,
        number="90/QĐ-UBND",
        signed_on=date(2024, 12, 27),
        issuer="Chủ tịch UBND phường Phổ Minh",
        recorded_by=people["office"],
    )
    record = AwardRecord.objects.create(
        register_number=next_register_number(2024),
        year=2024,
        title=title("GDVH"),
        unit=unit("TDP-01"),
        nominee_name="Hộ Có Giấy Khen",
        decision_number=decision.number,
        decided_on=decision.signed_on,
        decided_by=decision.issuer,
        decision=decision,
    )
    report = Proposal.objects.get(plan=plan, unit=unit("TDP-01"), title=title("TDPVH"))  # the demo's
    Proposal.objects.filter(pk=report.pk).update(status=Proposal.Status.FORWARDED, office_eligible=True)
    report_draft = Proposal.objects.create(
        plan=plan, unit=unit("TDP-01"), title=title("TTLDTT"), achievements="x", created_by=people["leader"]
    )
    objects = {
        "report": report.pk,
        "report_draft": report_draft.pk,
        "record": record.pk,
        "decision": decision.pk,
        "token": record.verify_token,
        "posting": posting.pk,
        "comment": comment.pk,
        "fwd": fwd.pk,
        "draft": draft.pk,
        "file": evidence.pk,
        "closed": closed.pk,
        "planned": planned.pk,
        "unit": "TDP-01",
        "title": title("CSTDCS").pk,
        "text": LegalText.objects.get(number="152/2025/NĐ-CP").pk,
        "authority": TitleAuthority.objects.filter(confirmed=False).first().pk,
        "van-ban": "van-ban",
        "draft_decision": services.draft_decision(
            plan=plan,
            user=people["office"],
            proposals=[checked_proposal(plan, unit_code="TC-KT", title_code="GK-CT", name="Khen Đột Xuất")],
            subject="Về việc khen thưởng đột xuất",
        ).pk,
    }
    return people, objects


@pytest.mark.parametrize(
    "method, name, args, expected", MATRIX, ids=[f"{m} {n} {'/'.join(a)}" for m, n, a, _e in MATRIX]
)
def test_permission_matrix(client, world, method, name, args, expected):
    people, objects = world
    url = reverse(name, args=[objects[a] for a in args])
    data = {
        "awards-session-decide": {"number": "1/QĐ-UBND", "signed_on": "2024-12-27"},
        "awards-session-letter": {"number": "2/TTr-UBND", "signed_on": "2024-12-27"},
        "awards-session-higher": {"number": "3/QĐ-UBND", "signed_on": "2025-01-10"},
        "awards-session-create": {"name": "Phiên bổ sung", "held_on": "2024-12-30"},
        "awards-proposal-return": {"reason": "Bổ sung"},
        "awards-posting-comment": {"received_on": "2024-12-04", "text": "Ý kiến"},
        "awards-posting-response": {"response": "Đã xác minh"},
        "awards-evidence-upload": {"file": SimpleUploadedFile("b.pdf", PDF)},
    }.get(name, {})
    # Roles let through go last, so that a step they take does not change what the others meet.
    order = sorted(ROLES, key=lambda r: expected[r] in (200, 302) and r not in ("anon", "norole"))
    got = {}
    for role in order:
        client.logout()
        if role != "anon":
            client.force_login(people[role])
        if method == "GET":
            response = client.get(url)
        else:
            if "file" in data:
                data["file"].seek(0)
            response = client.post(url, data)
        got[role] = response.status_code
        if role == "anon" and expected["anon"] == 302:
            assert response["Location"].startswith(reverse("login"))
    assert got == expected


def test_the_matrix_covers_every_awards_url():
    """Each awards URL has rows here, or in the portal-wide table (the household register's pages are
    there: their roles are the reporting ones, a group's leader and the officials serving it)."""
    from awards.urls import urlpatterns

    from .test_access_matrix import MATRIX as PORTAL_MATRIX

    names = {p.name for p in urlpatterns}
    here = {name for _m, name, _a, _e in MATRIX}
    assert here <= names, here - names
    portal = {name for _m, name, _a, _e in PORTAL_MATRIX}
    assert names - here <= portal, sorted(names - here - portal)


def test_a_decision_taken_through_the_matrix_fixture_lands_in_the_registry(client, world):
    people, objects = world
    client.force_login(people["leadership"])
    client.post(
        reverse("awards-session-decide", args=[objects["closed"]]),
        {"number": "1/QĐ-UBND", "signed_on": "2024-12-27"},
    )
    from awards.models import AwardRecord

    record = AwardRecord.objects.get(nominee_name="Ma Trận Khen")
    assert record.decision_number == "1/QĐ-UBND" and record.decided_on == date(2024, 12, 27)
