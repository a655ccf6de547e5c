"""The council's sessions: the list, a new session, attendance, opening the secret ballot, the ballot
paper and closing the vote."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import group_documents, permissions, services, voting
from ..forms import (
    AttendanceForm,
    BallotForm,
    DecisionForm,
    HigherDecisionForm,
    MeetingHoursForm,
    SessionForm,
)
from ..models import Council, CouncilSession, Decision, Proposal, Title
from ..selectors import (
    session_view,
)
from ._helpers import award_plan, get_session, require_role, session_redirect


def session_list(request):
    require_role(request)
    if not permissions.can_view_sessions(request.user):
        raise PermissionDenied
    return _session_list_page(request, award_plan(request))


def _session_list_page(request, plan, *, form=None, status: int = 200):
    """The sessions of the year; a refused new session passes its bound form back (what was typed kept)."""
    council = Council.objects.filter(is_active=True).first()
    members = list(council.members.filter(is_active=True).select_related("user")) if council else []
    sessions = list(
        CouncilSession.objects.filter(plan=plan).select_related("council").order_by("-held_on", "-pk")
    )
    return render(
        request,
        "awards/session_list.html",
        {
            "plan": plan,
            "council": council,
            "members": members,
            "sessions": sessions,
            "can_manage": permissions.can_manage_sessions(request.user) and council is not None,
            "form": form
            or SessionForm(
                initial={
                    "name": f"Phiên họp xét khen thưởng tổng kết năm {plan.year}",
                    "held_on": timezone.localdate(),
                }
            ),
        },
        status=status,
    )


@require_POST
def session_create(request):
    require_role(request)
    if not permissions.can_manage_sessions(request.user):
        raise PermissionDenied
    plan = award_plan(request)
    council = Council.objects.filter(is_active=True).first()
    form = SessionForm(request.POST)
    if council is None or not form.is_valid():
        messages.error(request, _("Chưa tạo được phiên họp: kiểm tra tên và ngày họp."))
        return _session_list_page(request, plan, form=form, status=400)
    try:
        session = voting.create_session(council=council, plan=plan, user=request.user, **form.cleaned_data)
    except services.AwardError as error:
        messages.error(request, str(error))
        return _session_list_page(request, plan, form=form, status=409)
    messages.success(request, _("Đã tạo phiên họp. Chuyển đề nghị vào chương trình và điểm danh thành viên."))
    return session_redirect(session)


def session_detail(request, pk: int):
    return _session_page(request, get_session(request, pk))


def _session_page(request, session, *, attendance_form=None, status: int = 200):
    """The session page; a refused attendance list passes its bound form back (the ticks kept). A
    refused ballot is never answered with its choices (secret ballot): it goes back to the page."""
    user = request.user
    view = session_view(session)
    row = voting.member_row(session, user) if permissions.can_vote(user, session) else None
    voted = row is not None and row.pk in view.voted
    closed = session.is_closed
    decided = {d.kind: d for d in session.decisions.all()}
    ward = services.passed_proposals(session, ward=True) if closed else []
    higher = services.passed_proposals(session, ward=False) if closed else []
    letter = decided.get(Decision.Kind.LETTER)
    letter_proposals = (
        list(Proposal.objects.filter(letter=letter).select_related("title", "unit")) if letter else []
    )
    return render(
        request,
        "awards/session_detail.html",
        {
            "session": session,
            "view": view,
            "my_row": row,
            "voted": voted,
            "ballot_form": BallotForm(items=view.items)
            if row and not voted and session.status == CouncilSession.Status.OPEN
            else None,
            "can_manage": permissions.can_manage_sessions(user),
            # What stops the close (a present member's ballot missing, too few ballots), shown before trying.
            "close_problems": voting.close_problems(
                present_waiting=voting.present_waiting(view.attendance, view.voted),
                ballots=view.ballots_received,
            )
            if session.status == CouncilSession.Status.OPEN
            else [],
            "attendance_form": attendance_form or AttendanceForm(rows=view.attendance),
            "hours_form": MeetingHoursForm(
                initial={"starts_at": session.starts_at, "ends_at": session.ends_at}
            ),
            "quorum_needed": voting.quorum_needed(
                members=len(view.attendance),
                numerator=session.quorum_numerator,
                denominator=session.quorum_denominator,
            ),
            "can_decide": permissions.can_decide(user) and closed,
            "can_draft": permissions.can_draft_decisions(user) and closed,
            "ward_passed": ward,
            "higher_passed": higher,
            # The residential groups' documents (Tổ dân phố văn hóa, Mẫu số 06 and 04).
            "group_review": closed and group_documents.has_group_review(session),
            "group_passed": any(p.title.for_whom == Title.ForWhom.RESIDENTIAL_GROUP for p in ward + higher),
            # What would stop the decision (a quota exceeded, a prerequisite not obtained), shown before trying.
            "ward_blockers": services.decision_blockers(
                [p for p in ward if p.status == Proposal.Status.PASSED]
            ),
            "higher_blockers": services.decision_blockers(
                [p for p in higher if p.status == Proposal.Status.PASSED]
            ),
            "decision": decided.get(Decision.Kind.WARD),
            "letter": letter,
            "higher_decision": decided.get(Decision.Kind.HIGHER),
            "decision_form": DecisionForm(initial={"signed_on": timezone.localdate()}),
            "can_record_higher": permissions.can_record_higher_decision(user)
            and letter is not None
            and Decision.Kind.HIGHER not in decided,
            "higher_form": HigherDecisionForm(
                proposals=letter_proposals,
                initial={"signed_on": timezone.localdate(), "issuer": session.council.higher_authority},
            ),
        },
        status=status,
    )


def _manager_session(request, pk: int) -> CouncilSession:
    session = get_session(request, pk)
    if not permissions.can_manage_sessions(request.user):
        raise PermissionDenied
    return session


@require_POST
def session_attendance(request, pk: int):
    session = _manager_session(request, pk)
    view = session_view(session)
    form = AttendanceForm(request.POST, rows=view.attendance)
    if not form.is_valid():
        messages.error(request, _("Danh sách có mặt không hợp lệ."))
        return _session_page(request, session, attendance_form=form, status=400)
    try:
        voting.set_attendance(
            session=session,
            user=request.user,
            present_member_ids={int(v) for v in form.cleaned_data["present"]},
        )
    except services.AwardError as error:
        # Refused now (voting opened meanwhile): the page, read afresh, with the ticks as he left them.
        messages.error(request, str(error))
        return _session_page(request, get_session(request, pk), attendance_form=form, status=409)
    messages.success(request, _("Đã ghi danh sách thành viên có mặt."))
    return session_redirect(session)


@require_POST
def session_hours(request, pk: int):
    """The office records the meeting's start and end for the minutes."""
    session = _manager_session(request, pk)
    form = MeetingHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Giờ họp không hợp lệ (ví dụ 14:00)."))
        return session_redirect(session)
    try:
        voting.set_meeting_hours(session=session, user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã ghi giờ họp."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return session_redirect(session)


@require_POST
def session_open(request, pk: int):
    session = _manager_session(request, pk)
    try:
        voting.open_voting(session=session, user=request.user)
        messages.success(request, _("Đủ số thành viên dự họp: bắt đầu bỏ phiếu kín."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return session_redirect(session)


@require_POST
def session_vote(request, pk: int):
    """A member's ballot paper. The answer never repeats the choices made."""
    session = get_session(request, pk)
    if not permissions.can_vote(request.user, session):
        raise PermissionDenied
    view = session_view(session)
    form = BallotForm(request.POST, items=view.items)
    if not form.is_valid():
        messages.error(request, _("Phiếu chưa hợp lệ: phải chọn một ý kiến cho từng đề nghị."))
        return session_redirect(session)
    try:
        count = voting.cast_ballot(session=session, user=request.user, choices=form.choices())
        messages.success(
            request,
            _("Đã nhận phiếu của bạn cho %(n)s đề nghị. Phiếu kín: chỉ ghi nhận bạn đã bỏ phiếu.")
            % {"n": count},
        )
    except services.AwardError as error:
        messages.error(request, str(error))
    return session_redirect(session)


@require_POST
def session_close(request, pk: int):
    session = _manager_session(request, pk)
    try:
        voting.close_session(session=session, user=request.user)
        messages.success(request, _("Đã kết thúc biểu quyết; kết quả đã được chốt."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return session_redirect(session)
