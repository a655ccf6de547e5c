"""Who may see and do what with awards, in one place (DOMAIN.md §3–4).

Units propose for themselves only; the office checks, forwards and runs the council's sessions;
council members read proposals, evidence and figures and vote; leadership decides. Querysets are
scoped with `proposals_visible_to`, so that a forgotten check shows nothing rather than everything.
"""

from django.db.models import Q, QuerySet

from indicators.models import Profile, Unit
from indicators.permissions import ENTERING_ROLES, has_role, own_unit_ids, role_of

from .models import AwardRecord, CouncilMember, CouncilSession, Posting, Proposal

Role = Profile.Role
ALL_SEEING = {Role.LEADERSHIP, Role.OFFICE, Role.ADMIN, Role.COUNCIL}
# What the council and leadership see: what the office has let through, not a unit's working copies.
PAST_THE_OFFICE = [
    Proposal.Status.FORWARDED,
    Proposal.Status.PASSED,
    Proposal.Status.REJECTED,
    Proposal.Status.PROPOSED_UP,
    Proposal.Status.AWARDED,
    Proposal.Status.NOT_AWARDED,
]
EDITABLE = (Proposal.Status.DRAFT, Proposal.Status.RETURNED)


def council_membership(user) -> CouncilMember | None:
    """The user's active seat on the active council (cached per request), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_council_membership"):
        user._council_membership = (
            CouncilMember.objects.filter(user=user, is_active=True, council__is_active=True)
            .select_related("council")
            .first()
        )
    return user._council_membership


def is_council(user) -> bool:
    """A council member: by portal role, or by a seat on the council (the chairman is leadership)."""
    return has_role(user) and (role_of(user) == Role.COUNCIL or council_membership(user) is not None)


def can_view_awards(user) -> bool:
    return has_role(user)


def sees_all_proposals(user) -> bool:
    return role_of(user) in {Role.LEADERSHIP, Role.OFFICE, Role.ADMIN}


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Office, leadership and the administrator: every proposal sent in; council members: those put
    before the council; a unit's people: their own units' proposals, drafts included."""
    if not has_role(user):
        return Proposal.objects.none()
    own = Proposal.objects.filter(unit_id__in=own_unit_ids(user))
    if sees_all_proposals(user):
        return Proposal.objects.exclude(status=Proposal.Status.DRAFT) | own
    if is_council(user):
        return Proposal.objects.filter(status__in=PAST_THE_OFFICE) | own
    return own


def units_with_proposals_visible_to(user) -> QuerySet[Unit]:
    """The units whose proposals the user may list (for filters)."""
    if sees_all_proposals(user) or is_council(user):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=own_unit_ids(user))


def records_visible_to(user) -> QuerySet[AwardRecord]:
    if not has_role(user):
        return AwardRecord.objects.none()
    if sees_all_proposals(user) or is_council(user):
        return AwardRecord.objects.all()
    return AwardRecord.objects.filter(unit_id__in=own_unit_ids(user))


def can_view_unit_history(user, unit) -> bool:
    return has_role(user) and (sees_all_proposals(user) or is_council(user) or unit.pk in own_unit_ids(user))


def can_propose_for(user, unit) -> bool:
    """Group leaders and officials (and the office for its own unit) propose for their own units."""
    return role_of(user) in ENTERING_ROLES and unit.pk in own_unit_ids(user)


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return can_propose_for(user, proposal.unit) and proposal.status in EDITABLE


def can_view_evidence(user, proposal: Proposal) -> bool:
    """The proposing unit's people, the office, leadership and council members; not the administrator."""
    if not has_role(user):
        return False
    if proposal.unit_id in own_unit_ids(user):
        return True
    if role_of(user) in {Role.OFFICE, Role.LEADERSHIP}:
        return proposal.status != Proposal.Status.DRAFT
    return is_council(user) and proposal.status in PAST_THE_OFFICE


def can_view_achievement_report(user, proposal: Proposal) -> bool:
    """The achievement report is part of the dossier: read by whoever reads the evidence (the unit's
    people, the office, leadership and the council once it reaches them), not by the administrator."""
    return can_view_evidence(user, proposal)


def can_edit_achievement_report(user, proposal: Proposal) -> bool:
    """The proposing unit's people write it while the proposal is a draft or returned."""
    return can_edit_proposal(user, proposal)


def can_check(user, proposal: Proposal | None = None) -> bool:
    """The office checks, returns and forwards; never a proposal it sent in itself."""
    if role_of(user) != Role.OFFICE:
        return False
    return proposal is None or proposal.submitted_by_id != user.pk


def can_manage_sessions(user) -> bool:
    return role_of(user) == Role.OFFICE


def can_view_sessions(user) -> bool:
    return role_of(user) in {Role.OFFICE, Role.LEADERSHIP, Role.ADMIN} or is_council(user)


def sessions_visible_to(user) -> QuerySet[CouncilSession]:
    return CouncilSession.objects.all() if can_view_sessions(user) else CouncilSession.objects.none()


def can_vote(user, session: CouncilSession) -> bool:
    member = council_membership(user)
    return member is not None and member.council_id == session.council_id


def can_decide(user) -> bool:
    """The ward chairman (leadership) signs decisions and proposal letters."""
    return role_of(user) == Role.LEADERSHIP


def can_draft_decisions(user) -> bool:
    """The office prepares draft decisions (number, date, list) for the chairman to sign."""
    return role_of(user) == Role.OFFICE


def can_record_higher_decision(user) -> bool:
    return role_of(user) in {Role.LEADERSHIP, Role.OFFICE}


def can_view_law(user) -> bool:
    """The law's data (texts in force, who decides what): those who see the council's sessions (the
    office, the leadership, the council, the administrator)."""
    return can_view_sessions(user)


def can_edit_law(user) -> bool:
    """Only the office edits, adds and confirms the legal texts and the deciding rules."""
    return role_of(user) == Role.OFFICE


def can_edit_titles(user) -> bool:
    return role_of(user) == Role.OFFICE


def can_manage_postings(user) -> bool:
    """The office posts the lists, records the comments received and how each was settled."""
    return role_of(user) == Role.OFFICE


def can_print_certificates(user) -> bool:
    """The office prints certificates (giấy khen) for the records it may see; leadership too."""
    return role_of(user) in {Role.OFFICE, Role.LEADERSHIP}


def can_revoke_records(user) -> bool:
    """The office revokes an award (thu hồi) and sets how certificates are printed."""
    return role_of(user) == Role.OFFICE


def can_view_posting_files(user) -> bool:
    """The management pages, with who commented and how it was settled: the ward's award staff."""
    return can_view_sessions(user)


def postings_visible_to(user) -> QuerySet[Posting]:
    """Posted lists are public: the award staff see every one; a unit's people see the ward-wide lists
    and their own groups' lists, not another group's (404 there, as for any other unit's page)."""
    if not has_role(user):
        return Posting.objects.none()
    if can_view_posting_files(user):
        return Posting.objects.all()
    return Posting.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=own_unit_ids(user)))
