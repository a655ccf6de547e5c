"""The overview and the proposals: create, edit, send, the evidence files, the office's check, return,
forward to a session and withdraw from its agenda."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.audit import entries_for
from indicators.models import Unit
from indicators.permissions import units_for_entry
from phominh.fields import ascii_int

from .. import exports, permissions, services
from ..eligibility import assess, nominee_history
from ..forms import (
    CheckForm,
    EvidenceForm,
    ForwardForm,
    OverviewFilter,
    ProposalForm,
    ReasonForm,
)
from ..models import CouncilSession, Proposal, Title
from ..selectors import (
    counts_by_title_and_status,
    posting_status,
    proposals_for,
    why_no_proposals,
)
from ._helpers import ACTION_LABELS, award_plan, get_proposal, proposal_redirect, require_role


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
    require_role(request)
    plan = award_plan(request)
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
            "empty_reasons": why_no_proposals(
                user=request.user, plan=plan, filtered=any(v for v in filters.values())
            )
            if not proposals
            else [],
        },
    )


def export_proposals(request):
    require_role(request)
    plan = award_plan(request)
    _form, filters = _filters(request)
    proposals = list(proposals_for(user=request.user, plan=plan, **filters).select_related("plan"))
    return exports.xlsx_response(
        exports.proposals_workbook(proposals, year=plan.year), f"de-nghi-khen-thuong-{plan.year}.xlsx"
    )


def proposal_create(request):
    require_role(request)
    plan = award_plan(request)
    units = units_for_entry(request.user)
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST":
        unit_pk = ascii_int(request.POST.get("unit", ""))
        if unit_pk is None or not units.filter(pk=unit_pk).exists():
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
                return proposal_redirect(proposal)
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


def _edit_refusal(proposal: Proposal) -> str:
    return _("Đề nghị đang ở trạng thái “%(s)s”: chỉ sửa được đề nghị đang soạn hoặc bị trả lại.") % {
        "s": proposal.get_status_display()
    }


def _not_saved(reason: str) -> str:
    return _("Đề nghị CHƯA được lưu. %(reason)s Nội dung bạn vừa nhập vẫn còn trong các ô bên dưới.") % {
        "reason": reason
    }


def _edit_page(request, proposal: Proposal, form: ProposalForm, *, status: int = 200):
    return render(
        request,
        "awards/proposal_form.html",
        {"form": form, "plan": proposal.plan, "proposal": proposal},
        status=status,
    )


def proposal_edit(request, pk: int):
    """The unit's own people edit a draft or returned proposal. A save refused because the proposal moved
    on while he typed (a colleague sent it, the office returned or checked it) answers the form again with
    the reason above it and what he typed (403; 409 for a stale version); anyone else's post is a 403."""
    proposal = get_proposal(request, pk)
    units = Unit.objects.filter(pk=proposal.unit_id)
    if request.method != "POST":
        if not permissions.can_edit_proposal(request.user, proposal):
            raise PermissionDenied
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
        return _edit_page(request, proposal, form)
    if not permissions.can_propose_for(request.user, proposal.unit):
        raise PermissionDenied
    form = ProposalForm(request.POST, units=units, lock_unit=True, initial={"unit": proposal.unit})
    if not permissions.can_edit_proposal(request.user, proposal):
        form.is_valid()  # field errors and what was typed, also when the save is refused
        messages.error(request, _not_saved(_edit_refusal(proposal)))
        return _edit_page(request, proposal, form, status=403)
    if not form.is_valid():
        return _edit_page(request, proposal, form)
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
    except services.ConflictError as error:
        messages.error(request, _not_saved(str(error)))
        # The form carries the latest version: saving again is a decision taken with the latest in view.
        proposal = get_proposal(request, pk)
        form.data = form.data.copy()
        form.data["version"] = str(proposal.version)
        return _edit_page(request, proposal, form, status=409)
    except services.AwardError as error:
        proposal = get_proposal(request, pk)
        if not permissions.can_edit_proposal(request.user, proposal):  # it moved on meanwhile
            messages.error(request, _not_saved(_edit_refusal(proposal)))
            return _edit_page(request, proposal, form, status=403)
        messages.error(request, str(error))
        return _edit_page(request, proposal, form)
    messages.success(request, _("Đã lưu đề nghị."))
    return proposal_redirect(proposal)


def _posting_query(proposal: Proposal) -> str:
    """The posting form's choice for this proposal: its group's list for people and households
    proposed by a residential group, the ward-wide list otherwise."""
    query = {"title": proposal.title_id}
    group = proposal.unit.kind == Unit.Kind.RESIDENTIAL_GROUP
    if group and proposal.title.for_whom != Title.ForWhom.RESIDENTIAL_GROUP:
        query["unit"] = proposal.unit_id
    return urlencode(query)


def proposal_detail(request, pk: int):
    return _detail_page(request, get_proposal(request, pk))


def _detail_page(request, proposal: Proposal, *, status: int = 200, **bound):
    """The proposal page. A refused step answers it again, read afresh, with the reason above and the
    step's bound form (evidence_form, check_form, reason_form, forward_form) keeping what was typed."""
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
            "earlier": nominee_history(
                unit=proposal.unit, nominee_name=proposal.nominee_name, household=proposal.household
            ),
            "evidence": list(proposal.evidence.all())
            if permissions.can_view_evidence(user, proposal)
            else None,
            "can_edit": permissions.can_edit_proposal(user, proposal),
            "achievement_report": proposal.title.requires_achievement_report
            and permissions.can_view_achievement_report(user, proposal),
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
            # A residential group's proposal links the council's Mẫu số 06 and Mẫu số 04 of its session.
            "group_documents": item is not None
            and item.session.is_closed
            and proposal.title.for_whom == Title.ForWhom.RESIDENTIAL_GROUP
            and permissions.can_view_sessions(user),
            "evidence_form": bound.get("evidence_form") or EvidenceForm(),
            "check_form": bound.get("check_form")
            or CheckForm(
                initial={
                    # Nothing chosen until the office has checked (issue 16): an unread proposal is
                    # never one click from "Đủ hồ sơ, đủ điều kiện".
                    "eligible": {True: "1", False: "0"}.get(proposal.office_eligible),
                    "note": proposal.office_note,
                }
            ),
            "reason_form": bound.get("reason_form") or ReasonForm(),
            "forward_form": bound.get("forward_form") or ForwardForm(plan=proposal.plan),
            "history": history,
        },
        status=status,
    )


def _refused(request, pk: int, message: str, *, status: int = 409, **bound):
    """A step refused after the page was opened (the proposal moved on, or the form was incomplete): the
    page again, read afresh, the reason above it and what was typed kept (issue 14)."""
    text = ""
    for form in bound.values():
        text = (
            text or " ".join(str(form.data.get(k) or "") for k in ("reason", "note", "description")).strip()
        )
    if text and status != 400:
        # The box it was typed in may be gone from the page answered (nothing left to return or check).
        message += " " + _("Nội dung bạn đã ghi (chưa lưu): “%(text)s”.") % {"text": text}
    messages.error(request, message)
    return _detail_page(request, get_proposal(request, pk), status=status, **bound)


def _own_proposal_refused(request, proposal: Proposal, pk: int, **bound):
    """None when the user may change the proposal now; his own unit's proposal that moved on: the page
    with the reason (403); anyone else's: a plain 403."""
    if permissions.can_edit_proposal(request.user, proposal):
        return None
    if not permissions.can_propose_for(request.user, proposal.unit):
        raise PermissionDenied
    return _refused(request, pk, _edit_refusal(proposal), status=403, **bound)


@require_POST
def proposal_submit(request, pk: int):
    proposal = get_proposal(request, pk)
    refused = _own_proposal_refused(request, proposal, pk)
    if refused:
        return refused
    try:
        services.submit_proposal(proposal=proposal, user=request.user)
    except services.AwardError as error:
        return _refused(request, pk, str(error))
    messages.success(request, _("Đã gửi đề nghị tới Văn phòng - Thống kê."))
    return proposal_redirect(proposal)


@require_POST
def evidence_upload(request, pk: int):
    proposal = get_proposal(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    refused = _own_proposal_refused(request, proposal, pk, evidence_form=form)
    if refused:
        return refused
    if not form.is_valid():
        return _refused(request, pk, _("Chưa chọn tệp minh chứng."), status=400, evidence_form=form)
    try:
        services.add_evidence(
            proposal=proposal,
            user=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except services.AwardError as error:
        return _refused(request, pk, str(error), status=400, evidence_form=form)
    messages.success(request, _("Đã thêm minh chứng."))
    return proposal_redirect(proposal)


def _evidence(request, pk: int, file_pk: int):
    proposal = get_proposal(request, pk)
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
    refused = _own_proposal_refused(request, proposal, pk)
    if refused:
        return refused
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
    except services.AwardError as error:
        return _refused(request, pk, str(error))
    messages.success(request, _("Đã xóa minh chứng."))
    return proposal_redirect(proposal)


@require_POST
def proposal_check(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, _("Phải chọn kết quả kiểm tra."), status=400, check_form=form)
    try:
        services.check_proposal(
            proposal=proposal,
            user=request.user,
            eligible=form.cleaned_data["eligible"],
            note=form.cleaned_data["note"],
        )
    except services.AwardError as error:
        return _refused(request, pk, str(error), check_form=form)
    messages.success(request, _("Đã ghi kết quả kiểm tra."))
    return proposal_redirect(proposal)


@require_POST
def proposal_return(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    try:
        services.return_proposal(proposal=proposal, user=request.user, reason=request.POST.get("reason", ""))
    except services.AwardError as error:
        status = 400 if not (request.POST.get("reason") or "").strip() else 409
        return _refused(request, pk, str(error), status=status, reason_form=form)
    messages.success(request, _("Đã trả lại đề nghị cho đơn vị."))
    return proposal_redirect(proposal)


@require_POST
def proposal_forward(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = ForwardForm(request.POST, plan=proposal.plan)
    if not form.is_valid():
        return _refused(
            request, pk, _("Phải chọn một phiên họp đang chuẩn bị."), status=400, forward_form=form
        )
    try:
        services.forward_proposal(proposal=proposal, session=form.cleaned_data["session"], user=request.user)
    except services.AwardError as error:
        return _refused(request, pk, str(error), forward_form=form)
    messages.success(request, _("Đã chuyển đề nghị vào chương trình phiên họp."))
    return proposal_redirect(proposal)


@require_POST
def proposal_withdraw(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    try:
        services.withdraw_from_agenda(proposal=proposal, user=request.user)
    except services.AwardError as error:
        return _refused(request, pk, str(error))
    messages.success(request, _("Đã rút đề nghị khỏi chương trình phiên họp."))
    return proposal_redirect(proposal)
