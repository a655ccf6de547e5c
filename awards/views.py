"""Award pages: the overview, proposals with their criteria and evidence, the council's sessions and
ballot, the documents, the registry and the titles.

Each object view starts from one helper that fetches and checks: out of the user's scope is 404 (a
proposal of another unit, by URL or by posted id), in scope but not his to do is 403. Workflow steps
are small POST views that call the services and show a domain error with `messages.error`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.models import Plan
from campaigns.selectors import choose_current
from indicators.audit import entries_for
from indicators.models import Unit
from indicators.permissions import has_role, units_for_entry
from phominh.pdf import pdf_filename, pdf_response

from . import exports, permissions, services, voting
from .documents import (
    decision_context,
    letter_context,
    minutes_context,
    posting_notice_context,
    posting_rows,
)
from .eligibility import assess, nominee_history
from .forms import (
    AttendanceForm,
    BallotForm,
    CheckForm,
    CommentResponseForm,
    DecisionForm,
    EvidenceForm,
    ForwardForm,
    HigherDecisionForm,
    OverviewFilter,
    PostingChoiceForm,
    PostingCommentForm,
    PostingForm,
    ProposalForm,
    ReasonForm,
    SessionForm,
    TitleForm,
)
from .models import Council, CouncilSession, Decision, Posting, Proposal, Title
from .selectors import (
    counts_by_title_and_status,
    posting_status,
    postings_for,
    proposals_for,
    registry_for,
    session_view,
)

ACTION_LABELS = {
    "awards.proposal.created": gettext_lazy("Tạo đề nghị"),
    "awards.proposal.edited": gettext_lazy("Sửa đề nghị"),
    "awards.proposal.submitted": gettext_lazy("Gửi đề nghị"),
    "awards.proposal.checked": gettext_lazy("Văn phòng kiểm tra"),
    "awards.proposal.returned": gettext_lazy("Trả lại đề nghị"),
    "awards.proposal.forwarded": gettext_lazy("Chuyển Hội đồng"),
    "awards.proposal.withdrawn": gettext_lazy("Rút khỏi chương trình họp"),
    "awards.proposal.voted": gettext_lazy("Hội đồng biểu quyết"),
    "awards.proposal.awarded": gettext_lazy("Quyết định khen thưởng"),
    "awards.proposal.proposed_up": gettext_lazy("Trình cấp trên"),
    "awards.proposal.not_awarded": gettext_lazy("Cấp trên không khen thưởng"),
    "awards.evidence.added": gettext_lazy("Thêm minh chứng"),
    "awards.evidence.removed": gettext_lazy("Xóa minh chứng"),
    "awards.posting.started": gettext_lazy("Niêm yết công khai danh sách"),
    "awards.posting.comment_recorded": gettext_lazy("Ghi nhận ý kiến"),
    "awards.posting.comment_answered": gettext_lazy("Ghi cách giải quyết ý kiến"),
}


def _require_role(request) -> None:
    if not has_role(request.user):
        raise PermissionDenied


AWARDS_YEAR = "awards_year"


def _plan(request) -> Plan:
    """The year the award pages work on: `?year=` (remembered in the session), else the one chosen
    before, else the current plan. The year-end review may run into January, after the calendar (and
    so the menus' plan) has moved on: the office switches back to last year with one click."""
    everything = list(Plan.objects.all())
    plans = {p.year: p for p in everything}
    request.award_years = sorted(plans, reverse=True)  # for the year switch in awards/_nav.html
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in plans:
        request.session[AWARDS_YEAR] = int(asked)
        return plans[int(asked)]
    remembered = request.session.get(AWARDS_YEAR)
    if remembered in plans:
        return plans[remembered]
    plan = choose_current(everything)
    if plan is None:
        raise Http404
    return plan


def _proposal(request, pk: int) -> Proposal:
    """A proposal the user may see; 404 for anything out of his scope."""
    _require_role(request)
    proposal = (
        permissions.proposals_visible_to(request.user)
        .select_related("plan", "unit", "title__prerequisite", "title__quota_base", "title__earlier_title")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _session(request, pk: int) -> CouncilSession:
    _require_role(request)
    if not permissions.can_view_sessions(request.user):
        raise PermissionDenied
    return get_object_or_404(CouncilSession.objects.select_related("council", "plan"), pk=pk)


def _detail(proposal: Proposal):
    return redirect("awards-proposal", pk=proposal.pk)


def _session_url(session: CouncilSession):
    return redirect("awards-session", pk=session.pk)


def _filters(request):
    form = OverviewFilter(
        request.GET or None, units=permissions.units_with_proposals_visible_to(request.user)
    )
    values = form.cleaned_data if form.is_valid() else {}
    return form, {
        "status": values.get("status") or "",
        "title": values.get("title"),
        "unit": values.get("unit"),
    }


def index(request):
    """Proposals by status and title, the list (filtered), and what waits for the user."""
    _require_role(request)
    plan = _plan(request)
    form, filters = _filters(request)
    proposals = list(proposals_for(user=request.user, plan=plan, **filters))
    statuses, counts = counts_by_title_and_status(user=request.user, plan=plan)
    open_sessions = []
    if permissions.can_view_sessions(request.user):
        open_sessions = list(
            CouncilSession.objects.filter(plan=plan)
            .exclude(status=CouncilSession.Status.CLOSED)
            .order_by("held_on")
        )
    return render(
        request,
        "awards/index.html",
        {
            "plan": plan,
            "form": form,
            "proposals": proposals,
            "statuses": statuses,
            "counts": counts,
            "can_propose": units_for_entry(request.user).exists(),
            "can_check": permissions.can_check(request.user),
            "waiting": sum(1 for p in proposals if p.status == Proposal.Status.SUBMITTED),
            "open_sessions": open_sessions,
            "query": request.GET.urlencode(),
        },
    )


def export_proposals(request):
    _require_role(request)
    plan = _plan(request)
    _form, filters = _filters(request)
    proposals = list(proposals_for(user=request.user, plan=plan, **filters).select_related("plan"))
    return exports.xlsx_response(
        exports.proposals_workbook(proposals, year=plan.year), f"de-nghi-khen-thuong-{plan.year}.xlsx"
    )


def proposal_create(request):
    _require_role(request)
    plan = _plan(request)
    units = units_for_entry(request.user)
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST":
        raw = request.POST.get("unit", "")
        if not raw.isdigit() or not units.filter(pk=int(raw)).exists():
            raise Http404  # another unit's id, posted: as if it did not exist
        form = ProposalForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.create_proposal(
                    plan=plan,
                    unit=data["unit"],
                    title=data["title"],
                    user=request.user,
                    nominee_name=data["nominee_name"],
                    nominee_position=data["nominee_position"],
                    achievements=data["achievements"],
                )
                messages.success(
                    request, _("Đã tạo đề nghị. Bổ sung minh chứng rồi gửi Văn phòng - Thống kê.")
                )
                return _detail(proposal)
            except services.AwardError as error:
                messages.error(request, str(error))
    else:
        initial = {}
        code = request.GET.get("don-vi")
        if code:
            unit = units.filter(code=code).first()
            if unit is None:
                raise Http404
            initial["unit"] = unit
        form = ProposalForm(units=units, initial=initial)
    return render(request, "awards/proposal_form.html", {"form": form, "plan": plan, "proposal": None})


def proposal_edit(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    units = Unit.objects.filter(pk=proposal.unit_id)
    if request.method == "POST":
        form = ProposalForm(request.POST, units=units, lock_unit=True, initial={"unit": proposal.unit})
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_proposal(
                    proposal=proposal,
                    user=request.user,
                    version=data["version"],
                    title=data["title"],
                    nominee_name=data["nominee_name"],
                    nominee_position=data["nominee_position"],
                    achievements=data["achievements"],
                )
                messages.success(request, _("Đã lưu đề nghị."))
                return _detail(proposal)
            except services.AwardError as error:
                messages.error(request, str(error))
    else:
        form = ProposalForm(
            units=units,
            lock_unit=True,
            initial={
                "unit": proposal.unit,
                "title": proposal.title,
                "nominee_name": proposal.nominee_name,
                "nominee_position": proposal.nominee_position,
                "achievements": proposal.achievements,
                "version": proposal.version,
            },
        )
    return render(
        request, "awards/proposal_form.html", {"form": form, "plan": proposal.plan, "proposal": proposal}
    )


def _posting_query(proposal: Proposal) -> str:
    """The posting form's choice for this proposal: its group's list for people and households
    proposed by a residential group, the ward-wide list otherwise."""
    query = {"title": proposal.title_id}
    group = proposal.unit.kind == Unit.Kind.RESIDENTIAL_GROUP
    if group and proposal.title.for_whom != Title.ForWhom.RESIDENTIAL_GROUP:
        query["unit"] = proposal.unit_id
    return urlencode(query)


def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    user = request.user
    assessment = assess(proposal)
    item = getattr(proposal, "agenda_item", None)
    can_check = permissions.can_check(user, proposal)
    history = [
        {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)}
        for e in entries_for(proposal).order_by("at", "pk")
    ]
    return render(
        request,
        "awards/proposal_detail.html",
        {
            "proposal": proposal,
            "posting": posting_status(user=user, proposal=proposal, today=timezone.localdate()),
            "can_post": permissions.can_manage_postings(user) and proposal.status in services.POSTABLE,
            "post_query": _posting_query(proposal),
            "assessment": assessment,
            "earlier": nominee_history(unit=proposal.unit, nominee_name=proposal.nominee_name),
            "evidence": list(proposal.evidence.all())
            if permissions.can_view_evidence(user, proposal)
            else None,
            "can_edit": permissions.can_edit_proposal(user, proposal),
            "can_check": can_check
            and proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.CHECKED),
            "can_forward": can_check
            and proposal.status == Proposal.Status.CHECKED
            and proposal.office_eligible,
            "can_withdraw": can_check
            and item is not None
            and item.session.status == CouncilSession.Status.PLANNED
            and proposal.status == Proposal.Status.FORWARDED,
            "item": item,
            "tally_visible": item is not None and item.session.is_closed,
            "evidence_form": EvidenceForm(),
            "check_form": CheckForm(
                initial={
                    "eligible": "1" if proposal.office_eligible is not False else "0",
                    "note": proposal.office_note,
                }
            ),
            "reason_form": ReasonForm(),
            "forward_form": ForwardForm(plan=proposal.plan),
            "history": history,
        },
    )


@require_POST
def proposal_submit(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    try:
        services.submit_proposal(proposal=proposal, user=request.user)
        messages.success(request, _("Đã gửi đề nghị tới Văn phòng - Thống kê."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


@require_POST
def evidence_upload(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp minh chứng."))
        return _detail(proposal)
    try:
        services.add_evidence(
            proposal=proposal,
            user=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Đã thêm minh chứng."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


def _evidence(request, pk: int, file_pk: int):
    proposal = _proposal(request, pk)
    evidence = get_object_or_404(proposal.evidence, pk=file_pk)
    if not permissions.can_view_evidence(request.user, proposal):
        raise PermissionDenied
    return proposal, evidence


def evidence_download(request, pk: int, file_pk: int):
    """The file itself, only through here: to the unit's people, the office, leadership, the council."""
    _proposal_obj, evidence = _evidence(request, pk, file_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def evidence_delete(request, pk: int, file_pk: int):
    proposal, evidence = _evidence(request, pk, file_pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
        messages.success(request, _("Đã xóa minh chứng."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


@require_POST
def proposal_check(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải chọn kết quả kiểm tra."))
        return _detail(proposal)
    try:
        services.check_proposal(
            proposal=proposal,
            user=request.user,
            eligible=form.cleaned_data["eligible"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Đã ghi kết quả kiểm tra."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


@require_POST
def proposal_return(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    try:
        services.return_proposal(proposal=proposal, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã trả lại đề nghị cho đơn vị."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


@require_POST
def proposal_forward(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = ForwardForm(request.POST, plan=proposal.plan)
    if not form.is_valid():
        messages.error(request, _("Phải chọn một phiên họp đang chuẩn bị."))
        return _detail(proposal)
    try:
        services.forward_proposal(proposal=proposal, session=form.cleaned_data["session"], user=request.user)
        messages.success(request, _("Đã chuyển đề nghị vào chương trình phiên họp."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


@require_POST
def proposal_withdraw(request, pk: int):
    proposal = _proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    try:
        services.withdraw_from_agenda(proposal=proposal, user=request.user)
        messages.success(request, _("Đã rút đề nghị khỏi chương trình phiên họp."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _detail(proposal)


# --- The council and its sessions -----------------------------------------------------------------


def session_list(request):
    _require_role(request)
    if not permissions.can_view_sessions(request.user):
        raise PermissionDenied
    plan = _plan(request)
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
            "form": SessionForm(
                initial={
                    "name": f"Phiên họp xét khen thưởng tổng kết năm {plan.year}",
                    "held_on": timezone.localdate(),
                }
            ),
        },
    )


@require_POST
def session_create(request):
    _require_role(request)
    if not permissions.can_manage_sessions(request.user):
        raise PermissionDenied
    plan = _plan(request)
    council = Council.objects.filter(is_active=True).first()
    form = SessionForm(request.POST)
    if council is None or not form.is_valid():
        messages.error(request, _("Chưa tạo được phiên họp: kiểm tra tên và ngày họp."))
        return redirect("awards-sessions")
    try:
        session = voting.create_session(council=council, plan=plan, user=request.user, **form.cleaned_data)
        messages.success(
            request, _("Đã tạo phiên họp. Chuyển đề nghị vào chương trình và điểm danh thành viên.")
        )
        return _session_url(session)
    except services.AwardError as error:
        messages.error(request, str(error))
        return redirect("awards-sessions")


def session_detail(request, pk: int):
    session = _session(request, pk)
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
            "attendance_form": AttendanceForm(rows=view.attendance),
            "quorum_needed": voting.quorum_needed(
                members=len(view.attendance),
                numerator=session.quorum_numerator,
                denominator=session.quorum_denominator,
            ),
            "can_decide": permissions.can_decide(user) and closed,
            "ward_passed": ward,
            "higher_passed": higher,
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
    )


def _manager_session(request, pk: int) -> CouncilSession:
    session = _session(request, pk)
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
        return _session_url(session)
    try:
        voting.set_attendance(
            session=session,
            user=request.user,
            present_member_ids={int(v) for v in form.cleaned_data["present"]},
        )
        messages.success(request, _("Đã ghi danh sách thành viên có mặt."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


@require_POST
def session_open(request, pk: int):
    session = _manager_session(request, pk)
    try:
        voting.open_voting(session=session, user=request.user)
        messages.success(request, _("Đủ số thành viên dự họp: bắt đầu bỏ phiếu kín."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


@require_POST
def session_vote(request, pk: int):
    """A member's ballot paper. The answer never repeats the choices made."""
    session = _session(request, pk)
    if not permissions.can_vote(request.user, session):
        raise PermissionDenied
    view = session_view(session)
    form = BallotForm(request.POST, items=view.items)
    if not form.is_valid():
        messages.error(request, _("Phiếu chưa hợp lệ: phải chọn một ý kiến cho từng đề nghị."))
        return _session_url(session)
    try:
        count = voting.cast_ballot(session=session, user=request.user, choices=form.choices())
        messages.success(
            request,
            _("Đã nhận phiếu của bạn cho %(n)s đề nghị. Phiếu kín: chỉ ghi nhận bạn đã bỏ phiếu.")
            % {"n": count},
        )
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


@require_POST
def session_close(request, pk: int):
    session = _manager_session(request, pk)
    try:
        voting.close_session(session=session, user=request.user)
        messages.success(request, _("Đã kết thúc biểu quyết; kết quả đã được chốt."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


def _decision_step(request, pk: int, step):
    session = _session(request, pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi số, ký hiệu và ngày ký hợp lệ."))
        return _session_url(session)
    try:
        step(session=session, user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã ghi nhận. Tải văn bản để trình ký, đóng dấu."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


@require_POST
def session_decide(request, pk: int):
    return _decision_step(request, pk, services.record_decision)


@require_POST
def session_letter(request, pk: int):
    return _decision_step(request, pk, services.record_letter)


@require_POST
def session_higher(request, pk: int):
    session = _session(request, pk)
    if not permissions.can_record_higher_decision(request.user):
        raise PermissionDenied
    letter = session.decisions.filter(kind=Decision.Kind.LETTER).first()
    proposals = list(Proposal.objects.filter(letter=letter)) if letter else []
    form = HigherDecisionForm(request.POST, proposals=proposals)
    if not form.is_valid():
        messages.error(request, _("Phải ghi số, ngày quyết định của cấp trên hợp lệ."))
        return _session_url(session)
    try:
        services.record_higher_decision(
            session=session,
            user=request.user,
            number=form.cleaned_data["number"],
            signed_on=form.cleaned_data["signed_on"],
            issuer=form.cleaned_data["issuer"],
            awarded_ids={int(v) for v in form.cleaned_data["awarded"]},
        )
        messages.success(request, _("Đã ghi nhận quyết định của cấp trên vào sổ khen thưởng."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _session_url(session)


def _closed_session(request, pk: int) -> CouncilSession:
    session = _session(request, pk)
    if not session.is_closed:
        raise Http404  # the documents exist only once the tally is frozen
    return session


def session_minutes_pdf(request, pk: int):
    session = _closed_session(request, pk)
    return pdf_response(
        template="pdf/awards_minutes.html",
        context=minutes_context(session),
        filename=pdf_filename("bien-ban-hoi-dong", str(session.plan.year), str(session.pk)),
        request=request,
    )


def session_decision_pdf(request, pk: int):
    session = _closed_session(request, pk)
    context = decision_context(session)
    if not context["proposals"]:
        raise Http404
    number = context["decision"].number if context["decision"] else "du-thao"
    return pdf_response(
        template="pdf/awards_decision.html",
        context=context,
        filename=pdf_filename("quyet-dinh-khen-thuong", number, str(session.plan.year)),
        request=request,
    )


def session_letter_pdf(request, pk: int):
    session = _closed_session(request, pk)
    context = letter_context(session)
    if not context["rows"]:
        raise Http404
    number = context["letter"].number if context["letter"] else "du-thao"
    return pdf_response(
        template="pdf/awards_letter.html",
        context=context,
        filename=pdf_filename("to-trinh-khen-thuong", number, str(session.plan.year)),
        request=request,
    )


# --- Public posting of the lists (công khai) ---------------------------------------------------------


def _posting(request, pk: int) -> Posting:
    """A posting the user may see (the award staff: all; a group's people: their group's and the
    ward-wide lists); 404 for another group's."""
    _require_role(request)
    posting = (
        permissions.postings_visible_to(request.user)
        .select_related("plan", "title", "unit", "created_by")
        .filter(pk=pk)
        .first()
    )
    if posting is None:
        raise Http404
    return posting


def _posting_file(request, pk: int) -> Posting:
    """The management page of a posting (who commented, how it was settled): the award staff only."""
    posting = _posting(request, pk)
    if not permissions.can_view_posting_files(request.user):
        raise PermissionDenied
    return posting


def _managed_posting(request, pk: int) -> Posting:
    posting = _posting(request, pk)
    if not permissions.can_manage_postings(request.user):
        raise PermissionDenied
    return posting


def _posting_url(posting: Posting):
    return redirect("awards-posting", pk=posting.pk)


def posting_list(request):
    _require_role(request)
    plan = _plan(request)
    return render(
        request,
        "awards/posting_list.html",
        {
            "plan": plan,
            "postings": list(postings_for(user=request.user, plan=plan)),
            "today": timezone.localdate(),
            "sees_files": permissions.can_view_posting_files(request.user),
            "can_manage": permissions.can_manage_postings(request.user),
        },
    )


def posting_create(request):
    """Choose the title and the group (a GET form), then the names, the date and the period (POST)."""
    _require_role(request)
    if not permissions.can_manage_postings(request.user):
        raise PermissionDenied
    plan = _plan(request)
    choice = PostingChoiceForm(request.GET or None)
    form = None
    if choice.is_valid():
        title, unit = choice.cleaned_data["title"], choice.cleaned_data["unit"]
        proposals = services.postable_proposals(plan=plan, title=title, unit=unit)
        if request.method == "POST":
            form = PostingForm(request.POST, proposals=proposals)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    posting = services.start_posting(
                        plan=plan,
                        title=title,
                        unit=unit,
                        user=request.user,
                        posted_on=data["posted_on"],
                        days=data["days"],
                        proposals=list(data["proposals"]),
                        number=data["number"],
                        place=data["place"],
                    )
                    messages.success(
                        request, _("Đã ghi nhận đợt công khai. In thông báo để niêm yết và đóng dấu.")
                    )
                    return _posting_url(posting)
                except services.AwardError as error:
                    messages.error(request, str(error))
        else:
            form = PostingForm(
                proposals=proposals,
                initial={"posted_on": timezone.localdate(), "place": unit.name if unit else ""},
            )
    elif request.method == "POST":
        messages.error(request, _("Chọn danh hiệu và tổ dân phố trước khi lập đợt công khai."))
    return render(
        request,
        "awards/posting_form.html",
        {"plan": plan, "choice": choice, "form": form, "query": request.GET.urlencode()},
    )


def posting_detail(request, pk: int):
    posting = _posting_file(request, pk)
    user = request.user
    today = timezone.localdate()
    rows = posting_rows(posting)
    visible = set(
        permissions.proposals_visible_to(user)
        .filter(pk__in=[p.pk for p in rows])
        .values_list("pk", flat=True)
    )
    comments = list(posting.comments.select_related("proposal__unit", "recorded_by", "responded_by"))
    can_manage = permissions.can_manage_postings(user)
    history = [
        {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)}
        for e in entries_for(posting).order_by("at", "pk")
    ]
    return render(
        request,
        "awards/posting_detail.html",
        {
            "posting": posting,
            "rows": rows,
            "visible": visible,
            "today": today,
            "over": posting.is_over(today),
            "days_left": posting.days_left(today),
            "comments": [
                {
                    "comment": c,
                    "form": CommentResponseForm(
                        auto_id=f"id_response_{c.pk}_%s", initial={"response": c.response}
                    )
                    if can_manage
                    else None,
                }
                for c in comments
            ],
            "open_count": sum(1 for c in comments if not c.answered),
            "can_manage": can_manage,
            "comment_form": PostingCommentForm(
                posting=posting, initial={"received_on": min(today, posting.ends_on)}
            )
            if can_manage
            else None,
            "history": history,
        },
    )


def posting_public(request, pk: int):
    """The list as posted at the group, read-only: the names, the dates, where to send a comment."""
    posting = _posting(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "awards/posting_public.html",
        {
            "posting": posting,
            "rows": posting_rows(posting),
            "today": today,
            "over": posting.is_over(today),
            "days_left": posting.days_left(today),
            "sees_files": permissions.can_view_posting_files(request.user),
        },
    )


def posting_pdf(request, pk: int):
    posting = _posting(request, pk)
    return pdf_response(
        template="pdf/awards_posting_notice.html",
        context=posting_notice_context(posting),
        filename=pdf_filename(
            "thong-bao-cong-khai",
            posting.title.code,
            posting.unit.code if posting.unit_id else "toan-phuong",
            str(posting.plan.year),
        ),
        request=request,
    )


@require_POST
def posting_comment(request, pk: int):
    posting = _managed_posting(request, pk)
    form = PostingCommentForm(request.POST, posting=posting)
    if not form.is_valid():
        messages.error(request, _("Phải ghi ngày nhận và nội dung ý kiến hợp lệ."))
        return _posting_url(posting)
    data = form.cleaned_data
    try:
        services.record_posting_comment(
            posting=posting,
            user=request.user,
            received_on=data["received_on"],
            from_name=data["from_name"],
            proposal=data["proposal"],
            text=data["text"],
        )
        messages.success(request, _("Đã ghi nhận ý kiến. Ghi cách giải quyết trước khi quyết định."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _posting_url(posting)


@require_POST
def posting_response(request, pk: int, comment_pk: int):
    posting = _managed_posting(request, pk)
    comment = get_object_or_404(posting.comments, pk=comment_pk)
    form = CommentResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi cách giải quyết ý kiến."))
        return _posting_url(posting)
    try:
        services.record_comment_response(
            comment=comment, user=request.user, response=form.cleaned_data["response"]
        )
        messages.success(request, _("Đã ghi cách giải quyết ý kiến."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return _posting_url(posting)


# --- Registry, unit history, titles ------------------------------------------------------------------


def _registry_filters(request):
    year = request.GET.get("nam", "")
    code = request.GET.get("danh-hieu", "")
    return {
        "year": int(year) if year.isdigit() else None,
        "title": Title.objects.filter(code=code).first() if code else None,
    }


def registry(request):
    _require_role(request)
    filters = _registry_filters(request)
    records = list(registry_for(user=request.user, **filters))
    years = sorted(
        set(permissions.records_visible_to(request.user).values_list("year", flat=True)), reverse=True
    )
    return render(
        request,
        "awards/registry.html",
        {
            "records": records,
            "years": years,
            "titles": Title.objects.all(),
            "filters": filters,
            "query": request.GET.urlencode(),
        },
    )


def registry_export(request):
    _require_role(request)
    records = list(registry_for(user=request.user, **_registry_filters(request)))
    return exports.xlsx_response(exports.registry_workbook(records), "so-khen-thuong.xlsx")


def unit_history(request, code: str):
    _require_role(request)
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not permissions.can_view_unit_history(request.user, unit):
        raise Http404
    records = list(registry_for(user=request.user, unit=unit))
    years: dict[int, list] = {}
    for r in records:
        years.setdefault(r.year, []).append(r)
    proposals = list(
        permissions.proposals_visible_to(request.user)
        .filter(unit=unit)
        .select_related("title", "plan")
        .order_by("-plan__year", "title__order", "nominee_name")
    )
    return render(
        request,
        "awards/unit_history.html",
        {"unit": unit, "years": sorted(years.items(), reverse=True), "proposals": proposals},
    )


def title_list(request):
    _require_role(request)
    titles = list(Title.objects.select_related("prerequisite", "quota_base", "earlier_title"))
    return render(
        request,
        "awards/title_list.html",
        {"titles": titles, "can_edit": permissions.can_edit_titles(request.user)},
    )


def title_edit(request, pk: int):
    _require_role(request)
    if not permissions.can_edit_titles(request.user):
        raise PermissionDenied
    title = get_object_or_404(Title, pk=pk)
    form = TitleForm(request.POST or None, instance=Title.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_title(title=title, user=request.user, data=form.cleaned_data)
            messages.success(request, _("Đã lưu danh hiệu %(t)s.") % {"t": title.name})
            return redirect(reverse("awards-titles"))
        except services.AwardError as error:
            messages.error(request, str(error))
    return render(request, "awards/title_form.html", {"form": form, "title": title})
