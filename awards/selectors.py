"""Read-side of awards: the overview, a session as its pages and documents show it, the registry.

The overview page and its Excel export, the session page and its PDFs read the same functions, so that
they cannot disagree.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from campaigns.models import Plan

from . import permissions
from .models import (
    AgendaItem,
    AwardRecord,
    CouncilMember,
    CouncilSession,
    Posting,
    Proposal,
    SessionMember,
    Title,
)
from .voting import voters


def proposals_for(
    *, user, plan: Plan, status: str = "", title: Title | None = None, unit=None
) -> QuerySet[Proposal]:
    rows = permissions.proposals_visible_to(user).filter(plan=plan)
    if status:
        rows = rows.filter(status=status)
    if title:
        rows = rows.filter(title=title)
    if unit:
        rows = rows.filter(unit=unit)
    return rows.select_related("unit", "title", "agenda_item__session").order_by(
        "title__order", "unit__order", "nominee_name", "pk"
    )


@dataclass
class CountRow:
    title: Title
    counts: list[int]
    total: int


def counts_by_title_and_status(*, user, plan: Plan) -> tuple[list[tuple[str, str]], list[CountRow]]:
    """Proposals the user may see, counted by title and status (one query)."""
    found = {
        (row["title"], row["status"]): row["n"]
        for row in permissions.proposals_visible_to(user)
        .filter(plan=plan)
        .values("title", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    statuses = [
        (value, label) for value, label in Proposal.Status.choices if any(s == value for _t, s in found)
    ]
    rows = []
    for title in Title.objects.order_by("order", "name"):
        counts = [found.get((title.pk, value), 0) for value, _label in statuses]
        if sum(counts):
            rows.append(CountRow(title=title, counts=counts, total=sum(counts)))
    return statuses, rows


@dataclass
class SessionView:
    session: CouncilSession
    items: list[AgendaItem]
    attendance: list[SessionMember]
    voted: dict[int, bool]  # session member id -> in writing?
    chairman: CouncilMember | None

    @property
    def present(self) -> list[SessionMember]:
        return [r for r in self.attendance if r.present]

    @property
    def absent(self) -> list[SessionMember]:
        return [r for r in self.attendance if not r.present]

    @property
    def written_ids(self) -> set[int]:
        return {pk for pk, written in self.voted.items() if written}

    @property
    def ballots_received(self) -> int:
        return len(self.voted)

    @property
    def tally_visible(self) -> bool:
        """Counts are shown only once frozen: nobody may watch them move as each member votes."""
        return self.session.is_closed


def session_view(session: CouncilSession) -> SessionView:
    items = list(
        session.agenda.select_related("proposal__title", "proposal__unit", "proposal__plan").order_by(
            "order", "pk"
        )
    )
    attendance = list(
        session.attendance.select_related("member__user").order_by("member__order", "member__pk")
    )
    chairman = (
        session.council.members.filter(role=CouncilMember.Role.CHAIRMAN, is_active=True)
        .select_related("user")
        .first()
    )
    return SessionView(
        session=session, items=items, attendance=attendance, voted=voters(session), chairman=chairman
    )


def registry_for(
    *, user, year: int | None = None, title: Title | None = None, unit=None
) -> QuerySet[AwardRecord]:
    rows = permissions.records_visible_to(user)
    if year:
        rows = rows.filter(year=year)
    if title:
        rows = rows.filter(title=title)
    if unit:
        rows = rows.filter(unit=unit)
    return rows.select_related("title", "unit").order_by(
        "-year", "title__order", "unit__order", "nominee_name"
    )


def postings_for(*, user, plan: Plan) -> QuerySet[Posting]:
    """The postings the user may see, with how many names and comments (answered or not) each has."""
    return (
        permissions.postings_visible_to(user)
        .filter(plan=plan)
        .select_related("title", "unit")
        .annotate(
            # A group's review posting lists the households that qualified, not proposals.
            names=Count("proposals", distinct=True)
            + Count("review__assessments", filter=Q(review__assessments__qualified=True), distinct=True),
            comment_count=Count("comments", distinct=True),
            open_count=Count("comments", filter=Q(comments__response=""), distinct=True),
        )
        .order_by("-posted_on", "-pk")
    )


@dataclass
class PostingStatus:
    """Where a proposal stands with the public posting, as its page shows it."""

    required: bool
    postings: list[Posting]
    today: date

    @property
    def completed(self) -> bool:
        return any(p.is_over(self.today) for p in self.postings)

    @property
    def running(self) -> Posting | None:
        return next((p for p in self.postings if not p.is_over(self.today)), None)


def posting_status(*, user, proposal: Proposal, today: date) -> PostingStatus:
    postings = list(
        permissions.postings_visible_to(user)
        .filter(proposals=proposal)
        .select_related("title", "unit")
        .order_by("-posted_on", "-pk")
    )
    return PostingStatus(required=proposal.title.requires_posting, postings=postings, today=today)


def why_no_proposals(*, user, plan: Plan, filtered: bool) -> list[str]:
    """Why the user's list of proposals is empty (issue 16): where the year's proposals stand that he
    does not see yet, counted by stage over the whole ward (one query; counts only, never names)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if filtered:
        return [_("Không có đề nghị nào khớp bộ lọc.")]
    counts = dict(Proposal.objects.filter(plan=plan).values_list("status").annotate(n=Count("pk")).order_by())

    def stage(status: str, n: int) -> str:
        if status == Proposal.Status.DRAFT:
            text = ngettext(
                "%(n)s đề nghị các đơn vị đang soạn, chưa gửi.",
                "%(n)s đề nghị các đơn vị đang soạn, chưa gửi.",
                n,
            )
        elif status == Proposal.Status.SUBMITTED:
            text = ngettext(
                "%(n)s đề nghị đang chờ Văn phòng kiểm tra.", "%(n)s đề nghị đang chờ Văn phòng kiểm tra.", n
            )
        elif status == Proposal.Status.RETURNED:
            text = ngettext(
                "%(n)s đề nghị bị trả lại, chờ đơn vị sửa.", "%(n)s đề nghị bị trả lại, chờ đơn vị sửa.", n
            )
        else:
            text = ngettext(
                "%(n)s đề nghị Văn phòng đã kiểm tra, chưa chuyển Hội đồng.",
                "%(n)s đề nghị Văn phòng đã kiểm tra, chưa chuyển Hội đồng.",
                n,
            )
        return text % {"n": n}

    if permissions.sees_all_proposals(user):
        head = _("Chưa đơn vị nào gửi đề nghị khen thưởng năm %(y)s.") % {"y": plan.year}
        shown = [Proposal.Status.DRAFT]
    elif permissions.is_council(user):
        head = _("Chưa có đề nghị nào được chuyển Hội đồng năm %(y)s.") % {"y": plan.year}
        shown = [Proposal.Status.SUBMITTED, Proposal.Status.RETURNED, Proposal.Status.CHECKED]
    else:
        head = _("Đơn vị của bạn chưa lập đề nghị khen thưởng nào năm %(y)s.") % {"y": plan.year}
        shown = []
    return [head] + [stage(s, counts[s]) for s in shown if counts.get(s)]
