"""The council's sessions and its secret ballot (bỏ phiếu kín, DOMAIN.md §4).

How the secret is kept: a member's ballot writes one BallotCast row per agenda item (THAT he voted,
whether in writing) and, in the same transaction, adds one to the item's agree / disagree / abstain
counter. Nothing stores the choice next to the member — no choice column on the cast row, no anonymous
row with a time or an insertion order, no log entry with the choice — so neither a page nor an
administrator reading the database can link a choice back to a member. The counters are shown only
once the session is closed, so that nobody can watch them move as each member votes; the admin refuses
to filter, sort or search on them (awards/admin.py). Every ballot updates the three counters of each
item in one statement of the same shape (adding 1 to the chosen one and 0 to the others), so that even
the database's own statistics of statements (pg_stat_statements) do not count the choices.

What the close publishes, and why it cannot name a voter (the rule):
- Closing is refused until every member present at the meeting has handed in his ballot. "Không có ý
  kiến" is a ballot: a present member who will not choose hands in that. Absent members may add a
  written opinion (ý kiến bằng văn bản) before the close; it counts as a ballot.
- Closing is refused with fewer than MIN_BALLOTS (3) ballots. With one ballot the tally is that member's
  choice; with two, each of the two reads the other's by taking his own away. From three on, a member
  learns only how the others voted together, which is what the counting committee (ban kiểm phiếu)
  announces for the whole session at every secret ballot.
- The minutes state how many ballots were counted (at the meeting and in writing), and each proposal's
  tally adds up to that number: the council sees that nobody's ballot is missing or counted twice.
What no rule can hide, as with paper ballots: a unanimous tally tells every member's choice, and members
who pool their own choices learn the rest's together. And a copy of the database taken while voting is
open holds the running tally: two copies taken either side of one ballot give that ballot away, so such
copies (backups made during a session) are to be kept like the ballot box.

A session: planned (agenda and attendance prepared by the office) → open for voting, only with a
quorum of the whole membership present → closed, which freezes the tally and the result. A proposal
passes when its agree votes reach the title's threshold of the council's TOTAL membership.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.identity import ward_text
from indicators.audit import log_action
from indicators.templatetags.vn import person_name

from . import permissions
from .models import AgendaItem, BallotCast, Council, CouncilSession, Proposal, SessionMember
from .services import AwardError

AGREE, DISAGREE, ABSTAIN = "agree", "disagree", "abstain"
CHOICES = [
    (AGREE, gettext_lazy("Đồng ý")),
    (DISAGREE, gettext_lazy("Không đồng ý")),
    (ABSTAIN, gettext_lazy("Không có ý kiến")),
]
# Fewer ballots than this would let a voter read another's choice from the tally (see the module's doc).
MIN_BALLOTS = 3


def quorum_needed(*, members: int, numerator: int, denominator: int) -> int:
    """The smallest number present that makes the quorum: ⌈members × numerator ÷ denominator⌉."""
    return -(-members * numerator // denominator)


def has_quorum(*, present: int, members: int, numerator: int, denominator: int) -> bool:
    return members > 0 and present >= quorum_needed(
        members=members, numerator=numerator, denominator=denominator
    )


def passes(*, agree: int, members: int, percent: Decimal, strict: bool) -> bool:
    """Agree votes measured against the council's total membership, never against those present."""
    votes, needed = Decimal(agree) * 100, Decimal(percent) * members
    return votes > needed if strict else votes >= needed


def close_problems(*, present_waiting: int, ballots: int) -> list[str]:
    """Why the vote cannot close yet (empty: it can): `present_waiting` members present at the meeting
    have not handed in their ballot; `ballots` have been cast in all (at the meeting and in writing)."""
    problems = []
    if present_waiting:
        problems.append(
            ngettext(
                "Còn %(n)s thành viên có mặt chưa bỏ phiếu. Mọi thành viên có mặt phải nộp phiếu "
                "(“Không có ý kiến” cũng là một phiếu) trước khi kết thúc.",
                "Còn %(n)s thành viên có mặt chưa bỏ phiếu. Mọi thành viên có mặt phải nộp phiếu "
                "(“Không có ý kiến” cũng là một phiếu) trước khi kết thúc.",
                present_waiting,
            )
            % {"n": present_waiting}
        )
    if ballots < MIN_BALLOTS:
        problems.append(
            _(
                "Mới có %(n)s phiếu: cần ít nhất %(min)s phiếu để kết quả kiểm phiếu không cho biết ý kiến "
                "của từng thành viên. Thành viên vắng mặt có thể gửi ý kiến bằng văn bản."
            )
            % {"n": ballots, "min": MIN_BALLOTS}
        )
    return problems


def present_waiting(attendance, voted) -> int:
    """Members present at the meeting (and still members) who have not voted yet."""
    return sum(1 for r in attendance if r.present and r.member.is_active and r.pk not in voted)


def _locked(session: CouncilSession) -> CouncilSession:
    return (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("council", "plan")
        .get(pk=session.pk)
    )


def _require_manager(user) -> None:
    if not permissions.can_manage_sessions(user):
        raise AwardError(_("Chỉ Văn phòng - Thống kê chuẩn bị và điều hành phiên họp."))


def _require_status(session: CouncilSession, status: str) -> None:
    if session.status == status:
        return
    if session.status == CouncilSession.Status.CLOSED:
        raise AwardError(_("Phiên họp đã kết thúc: kết quả đã chốt, không thay đổi được nữa."))
    if session.status == CouncilSession.Status.OPEN:
        raise AwardError(_("Phiên họp đang biểu quyết: không thay đổi chương trình, thành phần được nữa."))
    raise AwardError(_("Phiên họp chưa bắt đầu biểu quyết."))


def default_session_place() -> str:
    """Where the council meets when the office writes nothing: the People's Committee's hall."""
    ward = ward_text("committee_short_name")
    return f"Hội trường {ward}" if ward else "Hội trường Ủy ban nhân dân"


def create_session(
    *,
    council: Council,
    plan,
    name: str,
    held_on,
    user,
    place: str = "",
    minutes_number: str = "",
    secretary_name: str = "",
    starts_at=None,
    ends_at=None,
) -> CouncilSession:
    """A planned session listing every active member of the council, nobody marked present yet."""
    _require_manager(user)
    _check_hours(starts_at, ends_at)
    if not council.is_active:
        raise AwardError(_("Hội đồng này không còn hoạt động."))
    with transaction.atomic():
        session = CouncilSession.objects.create(
            council=council,
            plan=plan,
            name=name.strip(),
            held_on=held_on,
            place=place.strip() or default_session_place(),
            minutes_number=minutes_number.strip(),
            secretary_name=secretary_name.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            quorum_numerator=council.quorum_numerator,
            quorum_denominator=council.quorum_denominator,
            created_by=user,
        )
        _sync_members(session)
        log_action(
            session, "awards.session.created", user, {"name": session.name, "held_on": held_on.isoformat()}
        )
        _notify_members(session)
        return session


def _check_hours(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise AwardError(_("Giờ kết thúc họp phải sau giờ bắt đầu."))


def set_meeting_hours(*, session: CouncilSession, user, starts_at, ends_at) -> CouncilSession:
    """The office records when the meeting began and ended, as the minutes print them (the moment the
    vote was opened or closed in the portal is kept apart, in opened_at and closed_at)."""
    _require_manager(user)
    _check_hours(starts_at, ends_at)
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        before = {"starts_at": _hour(session.starts_at), "ends_at": _hour(session.ends_at)}
        after = {"starts_at": _hour(starts_at), "ends_at": _hour(ends_at)}
        if before != after:
            session.starts_at, session.ends_at = starts_at, ends_at
            session.save(update_fields=["starts_at", "ends_at"])
            log_action(session, "awards.session.hours_set", user, {"old": before, "new": after})
        return session


def _hour(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _notify_members(session: CouncilSession) -> None:
    """Every active member is reminded of the session (in the portal and by e-mail)."""
    from django.urls import reverse

    from indicators.models import Notification
    from indicators.notifications import notify

    members = [m.user for m in session.council.members.filter(is_active=True).select_related("user")]
    notify(
        members,
        kind=Notification.Kind.COUNCIL_SESSION,
        text=_("Phiên họp Hội đồng Thi đua - Khen thưởng “%(name)s” ngày %(day)s.")
        % {"name": session.name, "day": session.held_on.strftime("%d/%m/%Y")},
        url=reverse("awards-session", args=[session.pk]),
        key=f"council-session:{session.pk}",
    )


def _sync_members(session: CouncilSession) -> None:
    """The session lists exactly the council's active members (while it is being prepared)."""
    active = set(session.council.members.filter(is_active=True).values_list("pk", flat=True))
    listed = set(session.attendance.values_list("member_id", flat=True))
    session.attendance.filter(member_id__in=listed - active).delete()
    SessionMember.objects.bulk_create(
        [SessionMember(session=session, member_id=pk) for pk in active - listed]
    )


def set_attendance(*, session: CouncilSession, user, present_member_ids: set[int]) -> CouncilSession:
    """Mark who is present; only before voting opens (presence decides who votes in writing)."""
    _require_manager(user)
    with transaction.atomic():
        session = _locked(session)
        _require_status(session, CouncilSession.Status.PLANNED)
        _sync_members(session)
        rows = list(session.attendance.select_related("member__user"))
        for row in rows:
            row.present = row.member_id in present_member_ids
        SessionMember.objects.bulk_update(rows, ["present"])
        log_action(
            session,
            "awards.session.attendance",
            user,
            {"present": sorted(person_name(r.member.user) for r in rows if r.present), "members": len(rows)},
        )
        return session


def open_voting(*, session: CouncilSession, user) -> CouncilSession:
    """Planned → open; refused without a quorum of the total membership present or without an agenda."""
    _require_manager(user)
    with transaction.atomic():
        session = _locked(session)
        _require_status(session, CouncilSession.Status.PLANNED)
        if not session.agenda.exists():
            raise AwardError(_("Chương trình phiên họp chưa có đề nghị nào."))
        _sync_members(session)
        members = session.attendance.count()
        present = session.attendance.filter(present=True).count()
        needed = quorum_needed(
            members=members, numerator=session.quorum_numerator, denominator=session.quorum_denominator
        )
        if not has_quorum(
            present=present,
            members=members,
            numerator=session.quorum_numerator,
            denominator=session.quorum_denominator,
        ):
            raise AwardError(
                _(
                    "Không đủ số thành viên dự họp: có mặt %(present)s/%(members)s, cần ít nhất %(needed)s "
                    "(%(num)s/%(den)s tổng số thành viên). Chưa thể biểu quyết."
                )
                % {
                    "present": present,
                    "members": members,
                    "needed": needed,
                    "num": session.quorum_numerator,
                    "den": session.quorum_denominator,
                }
            )
        session.status = CouncilSession.Status.OPEN
        session.member_count, session.present_count = members, present
        session.opened_at = timezone.now()
        session.save(update_fields=["status", "member_count", "present_count", "opened_at"])
        log_action(session, "awards.session.opened", user, {"members": members, "present": present})
        return session


def member_row(session: CouncilSession, user) -> SessionMember | None:
    """The user's line in the session's member list, or None."""
    return (
        session.attendance.filter(member__user=user, member__is_active=True).select_related("member").first()
    )


def has_voted(session: CouncilSession, user) -> bool:
    return BallotCast.objects.filter(item__session=session, member__member__user=user).exists()


def cast_ballot(*, session: CouncilSession, user, choices: dict[int, str]) -> int:
    """One member's ballot paper: a choice for every item on the agenda, recorded once, secretly.

    Present members vote at the meeting; a member marked absent votes in writing (ý kiến bằng văn
    bản), which is recorded as such. Returns the number of items voted on.
    """
    with transaction.atomic():
        session = _locked(session)
        if session.status != CouncilSession.Status.OPEN:
            if session.status == CouncilSession.Status.CLOSED:
                raise AwardError(_("Phiên họp đã kết thúc: không nhận thêm phiếu."))
            raise AwardError(_("Phiên họp chưa bắt đầu biểu quyết (chưa đủ điều kiện hoặc chưa khai mạc)."))
        row = member_row(session, user) if permissions.can_vote(user, session) else None
        if row is None:
            raise AwardError(_("Bạn không phải thành viên Hội đồng của phiên họp này."))
        items = list(AgendaItem.objects.select_for_update().filter(session=session).order_by("pk"))
        if BallotCast.objects.filter(item__session=session, member=row).exists():
            raise AwardError(_("Bạn đã bỏ phiếu tại phiên họp này; mỗi thành viên chỉ bỏ phiếu một lần."))
        valid = {value for value, _label in CHOICES}
        if set(choices) != {item.pk for item in items} or not set(choices.values()) <= valid:
            raise AwardError(
                _("Phiếu chưa hợp lệ: phải chọn một ý kiến cho từng đề nghị trong chương trình.")
            )
        written = not row.present
        try:
            BallotCast.objects.bulk_create(
                [BallotCast(item=item, member=row, written=written) for item in items]
            )
        except IntegrityError as error:
            raise AwardError(
                _("Bạn đã bỏ phiếu tại phiên họp này; mỗi thành viên chỉ bỏ phiếu một lần.")
            ) from error
        for item in items:
            # The same statement whatever the choice: only the added values (1 and two 0s) differ.
            AgendaItem.objects.filter(pk=item.pk).update(
                **{c: F(c) + Value(int(choices[item.pk] == c)) for c in (AGREE, DISAGREE, ABSTAIN)}
            )
        # Who voted and how (in writing or not) — never the choice.
        log_action(session, "awards.ballot.cast", user, {"written": written, "items": len(items)})
        return len(items)


def close_session(*, session: CouncilSession, user) -> CouncilSession:
    """Open → closed: the tally is frozen with the thresholds in force, and each proposal's fate set.

    Refused until every present member has voted and at least MIN_BALLOTS ballots are in (the rule in
    the module's doc): a tally must never identify a voter.
    """
    _require_manager(user)
    with transaction.atomic():
        session = _locked(session)
        _require_status(session, CouncilSession.Status.OPEN)
        voted = voters(session)
        attendance = list(session.attendance.select_related("member"))
        problems = close_problems(present_waiting=present_waiting(attendance, voted), ballots=len(voted))
        if problems:
            raise AwardError(" ".join(problems))
        items = list(
            AgendaItem.objects.select_for_update(of=("self",))
            .filter(session=session)
            .select_related("proposal__title", "proposal__unit")
            .order_by("order", "pk")
        )
        casts = {row["item"]: row["n"] for row in _cast_counts(session)}
        results = []
        for item in items:
            if item.ballots != casts.get(item.pk, 0):
                raise AwardError(
                    _("Số phiếu không khớp số thành viên đã bỏ phiếu; liên hệ quản trị hệ thống.")
                )
            title = item.proposal.title
            item.threshold_percent, item.threshold_strict = (
                title.vote_threshold_percent,
                title.vote_threshold_strict,
            )
            item.passed = passes(
                agree=item.agree,
                members=session.member_count,
                percent=item.threshold_percent,
                strict=item.threshold_strict,
            )
            item.save(update_fields=["threshold_percent", "threshold_strict", "passed"])
            proposal = item.proposal
            proposal.status = Proposal.Status.PASSED if item.passed else Proposal.Status.REJECTED
            proposal.version += 1
            proposal.save(update_fields=["status", "version", "updated_at"])
            results.append(
                {
                    "proposal": proposal.pk,
                    "agree": item.agree,
                    "disagree": item.disagree,
                    "abstain": item.abstain,
                    "passed": item.passed,
                }
            )
            log_action(
                proposal,
                "awards.proposal.voted",
                user,
                {
                    "session": session.pk,
                    "agree": item.agree,
                    "members": session.member_count,
                    "passed": item.passed,
                },
            )
        session.status = CouncilSession.Status.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["status", "closed_at"])
        log_action(
            session,
            "awards.session.closed",
            user,
            {"members": session.member_count, "ballots": len(voted), "results": results},
        )
        return session


def _cast_counts(session: CouncilSession):
    return BallotCast.objects.filter(item__session=session).values("item").annotate(n=Count("pk")).order_by()


def voters(session: CouncilSession) -> dict[int, bool]:
    """session member id → voted in writing? (who voted; the choice is nowhere to be had)."""
    out = {}
    for member_id, written in (
        BallotCast.objects.filter(item__session=session)
        .values_list("member_id", "written")
        .distinct()
        .order_by()
    ):
        out[member_id] = written
    return out
