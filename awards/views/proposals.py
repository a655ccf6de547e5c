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


def proposal_edit(request, pk: int):
    proposal = get_proposal(request, pk)
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
                return proposal_redirect(proposal)
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
    proposal = get_proposal(request, pk)
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
    proposal = get_proposal(request, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    try:
        services.submit_proposal(proposal=proposal, user=request.user)
        messages.success(request, _("Đã gửi đề nghị tới Văn phòng - Thống kê."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return proposal_redirect(proposal)


@require_POST
def evidence_upload(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp minh chứng."))
        return proposal_redirect(proposal)
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
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
        messages.success(request, _("Đã xóa minh chứng."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return proposal_redirect(proposal)


@require_POST
def proposal_check(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải chọn kết quả kiểm tra."))
        return proposal_redirect(proposal)
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
    return proposal_redirect(proposal)


@require_POST
def proposal_return(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    try:
        services.return_proposal(proposal=proposal, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã trả lại đề nghị cho đơn vị."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return proposal_redirect(proposal)


@require_POST
def proposal_forward(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    form = ForwardForm(request.POST, plan=proposal.plan)
    if not form.is_valid():
        messages.error(request, _("Phải chọn một phiên họp đang chuẩn bị."))
        return proposal_redirect(proposal)
    try:
        services.forward_proposal(proposal=proposal, session=form.cleaned_data["session"], user=request.user)
        messages.success(request, _("Đã chuyển đề nghị vào chương trình phiên họp."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return proposal_redirect(proposal)


@require_POST
def proposal_withdraw(request, pk: int):
    proposal = get_proposal(request, pk)
    if not permissions.can_check(request.user, proposal):
        raise PermissionDenied
    try:
        services.withdraw_from_agenda(proposal=proposal, user=request.user)
        messages.success(request, _("Đã rút đề nghị khỏi chương trình phiên họp."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return proposal_redirect(proposal)
