"""Small factories shared by the award tests (this module holds no tests of its own).

Each test builds just what it needs: a council of n members (the demo council is set aside inside the
test's transaction), proposals already checked by the office, a session with its agenda and attendance.
"""

from datetime import date

from django.contrib.auth import get_user_model

from awards import services, voting
from awards.models import Council, CouncilMember, CouncilSession, Proposal, Title
from indicators.models import Profile, Unit

from .conftest import DEMO_PASSWORD

FIRST_NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lâm", "Minh", "Nga", "Oanh"]


def title(code: str) -> Title:
    return Title.objects.get(code=code)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def user_with(role: str | None, *, username: str, first_name: str = "", last_name: str = "", units=()):
    user = get_user_model().objects.create_user(
        username=username, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
    )
    if role:
        profile = Profile.objects.create(user=user, role=role)
        if units:
            profile.units.set(units)
    return user


def council_of(size: int, *, quorum: tuple[int, int] = (2, 3), chairman=None) -> tuple[Council, list]:
    """A new active council of `size` members (the first is chairman); other councils set aside."""
    Council.objects.update(is_active=False)
    council = Council.objects.create(
        name="Hội đồng thử nghiệm", quorum_numerator=quorum[0], quorum_denominator=quorum[1]
    )
    users = []
    for i in range(size):
        if i == 0 and chairman is not None:
            user = chairman
        else:
            user = user_with(
                "council",
                username=f"tv{council.pk}_{i + 1}",
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=f"Thành Viên Số{i + 1}",
            )
        role = CouncilMember.Role.CHAIRMAN if i == 0 else CouncilMember.Role.MEMBER
        CouncilMember.objects.create(council=council, user=user, role=role, order=i + 1)
        users.append(user)
    return council, users


def checked_proposal(plan, *, unit_code: str, title_code: str, name: str = "", by=None) -> Proposal:
    """A proposal the office has already found eligible (the check itself is tested elsewhere)."""
    creator = by or get_user_model().objects.get(username="canbo_vhxh")
    return Proposal.objects.create(
        plan=plan,
        unit=unit(unit_code),
        title=title(title_code),
        nominee_name=name,
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
        status=Proposal.Status.CHECKED,
        office_eligible=True,
        created_by=creator,
        submitted_by=creator,
    )


def posted(plan, proposals, *, on: date = date(2024, 12, 1), unit=None):
    """The proposals' list posted publicly by the office from `on` for 10 days (over by 12/12/2024)."""
    return services.start_posting(
        plan=plan,
        title=proposals[0].title,
        unit=unit,
        user=office_user(),
        posted_on=on,
        proposals=proposals,
    )


def office_user():
    return get_user_model().objects.get(username="vanphong")


def session_for(plan, council, proposals, *, present: list, office=None) -> CouncilSession:
    """A session with `proposals` on its agenda and `present` (users) marked present, still planned."""
    office = office or office_user()
    session = voting.create_session(
        council=council, plan=plan, name="Phiên họp thử", held_on=date(2024, 12, 20), user=office
    )
    for proposal in proposals:
        services.forward_proposal(proposal=proposal, session=session, user=office)
    ids = set(CouncilMember.objects.filter(council=council, user__in=present).values_list("pk", flat=True))
    voting.set_attendance(session=session, user=office, present_member_ids=ids)
    return session


def ballot(session, choice_by_proposal: dict) -> dict[int, str]:
    """{proposal: choice} → {agenda item id: choice} as the ballot form posts it."""
    items = {item.proposal_id: item.pk for item in session.agenda.all()}
    return {items[p.pk]: choice for p, choice in choice_by_proposal.items()}
