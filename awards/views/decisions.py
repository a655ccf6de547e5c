"""After the vote: the ward's decision, the letter to the higher level and its decision; the registry
of awards and a unit's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.models import Unit
from phominh.fields import ascii_int
from phominh.pdf import pdf_filename, pdf_response

from .. import exports, permissions, services
from ..documents import decision_context
from ..forms import (
    CorrectionForm,
    DecisionForm,
    DraftDecisionForm,
    HigherDecisionForm,
    OneOffDecisionForm,
)
from ..models import Decision, Proposal, Title
from ..selectors import (
    registry_for,
)
from ._helpers import award_plan, get_session, require_role, session_redirect


def _decision_step(request, pk: int, step):
    session = get_session(request, pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi số, ký hiệu và ngày ký hợp lệ."))
        return session_redirect(session)
    try:
        step(session=session, user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã ghi nhận. Tải văn bản để trình ký, đóng dấu."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return session_redirect(session)


@require_POST
def session_decide(request, pk: int):
    return _decision_step(request, pk, services.record_decision)


@require_POST
def session_draft(request, pk: int):
    """The office drafts the session's decision for the chairman to sign on the decision's page."""
    session = get_session(request, pk)
    if not (permissions.can_draft_decisions(request.user) or permissions.can_decide(request.user)):
        raise PermissionDenied
    try:
        decision = services.draft_decision(plan=session.plan, session=session, user=request.user)
        messages.success(request, _("Đã lập dự thảo quyết định. Ghi số, ngày rồi trình Chủ tịch ký."))
        return redirect("awards-decision", pk=decision.pk)
    except services.AwardError as error:
        messages.error(request, str(error))
        return session_redirect(session)


@require_POST
def session_letter(request, pk: int):
    return _decision_step(request, pk, services.record_letter)


@require_POST
def session_higher(request, pk: int):
    session = get_session(request, pk)
    if not permissions.can_record_higher_decision(request.user):
        raise PermissionDenied
    letter = session.decisions.filter(kind=Decision.Kind.LETTER).first()
    proposals = list(Proposal.objects.filter(letter=letter)) if letter else []
    form = HigherDecisionForm(request.POST, proposals=proposals)
    if not form.is_valid():
        messages.error(request, _("Phải ghi số, ngày quyết định của cấp trên hợp lệ."))
        return session_redirect(session)
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
    return session_redirect(session)


def _registry_filters(request):
    year = request.GET.get("nam", "")
    code = request.GET.get("danh-hieu", "")
    return {
        "year": ascii_int(year),
        "title": Title.objects.filter(code=code).first() if code else None,
    }


def registry(request):
    require_role(request)
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
    require_role(request)
    records = list(registry_for(user=request.user, **_registry_filters(request)))
    return exports.xlsx_response(exports.registry_workbook(records), "so-khen-thuong.xlsx")


def unit_history(request, code: str):
    require_role(request)
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


# --- Decisions as documents of their own: drafts, signing, corrections, one-off awards ------------------


def _decisions_reader(request) -> None:
    require_role(request)
    if not permissions.can_view_sessions(request.user):
        raise PermissionDenied


def _may_draft(user) -> bool:
    return permissions.can_draft_decisions(user) or permissions.can_decide(user)


def _eligible_without_session(plan):
    """What the office may put in a decision without a session: found eligible, in no decision yet."""
    return (
        Proposal.objects.filter(
            plan=plan, status=Proposal.Status.CHECKED, office_eligible=True, decisions=None
        )
        .select_related("title", "unit")
        .order_by("title__order", "unit__order", "nominee_name")
    )


def decision_list(request):
    _decisions_reader(request)
    plan = award_plan(request)
    decisions = list(
        Decision.objects.filter(plan=plan)
        .select_related("session", "corrects")
        .annotate(listed=Count("proposals"))
        .order_by("-signed_on", "-pk")
    )
    may_draft = _may_draft(request.user)
    return render(
        request,
        "awards/decision_list.html",
        {
            "plan": plan,
            "decisions": decisions,
            "may_draft": may_draft,
            "form": OneOffDecisionForm(proposals=_eligible_without_session(plan)) if may_draft else None,
        },
    )


@require_POST
def decision_create(request):
    _decisions_reader(request)
    if not _may_draft(request.user):
        raise PermissionDenied
    plan = award_plan(request)
    form = OneOffDecisionForm(request.POST, proposals=_eligible_without_session(plan))
    if not form.is_valid():
        messages.error(request, _("Chọn ít nhất một trường hợp đủ điều kiện."))
        return redirect("awards-decisions")
    try:
        decision = services.draft_decision(
            plan=plan,
            user=request.user,
            proposals=list(form.cleaned_data["proposals"]),
            subject=form.cleaned_data["subject"],
        )
        messages.success(request, _("Đã lập dự thảo quyết định. Ghi số, ngày rồi trình Chủ tịch ký."))
        return redirect("awards-decision", pk=decision.pk)
    except services.AwardError as error:
        messages.error(request, str(error))
        return redirect("awards-decisions")


def _get_decision(request, pk: int) -> Decision:
    _decisions_reader(request)
    return get_object_or_404(Decision.objects.select_related("plan", "session", "corrects"), pk=pk)


def decision_detail(request, pk: int):
    decision = _get_decision(request, pk)
    user = request.user
    proposals = list(
        decision.proposals.select_related("title", "unit").order_by("title__order", "nominee_name")
    )
    editable = not decision.is_signed and _may_draft(user)
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "proposals": proposals,
            "corrections": list(decision.correcting_decisions.order_by("pk")),
            "draft_form": DraftDecisionForm(
                initial={
                    "version": decision.version,
                    "number": decision.number,
                    "signed_on": decision.signed_on,
                    "subject": decision.subject,
                    "recipients": decision.recipients,
                }
            )
            if editable
            else None,
            "can_sign": not decision.is_signed and permissions.can_decide(user),
            "correction_form": CorrectionForm()
            if decision.is_signed and decision.kind != Decision.Kind.HIGHER and _may_draft(user)
            else None,
        },
    )


@require_POST
def decision_edit(request, pk: int):
    decision = _get_decision(request, pk)
    if not _may_draft(request.user):
        raise PermissionDenied
    form = DraftDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Số, ngày hoặc trích yếu không hợp lệ."))
        return redirect("awards-decision", pk=decision.pk)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.update_draft(decision=decision, user=request.user, version=version, **data)
        messages.success(request, _("Đã lưu dự thảo."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-decision", pk=decision.pk)


@require_POST
def decision_sign(request, pk: int):
    decision = _get_decision(request, pk)
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    try:
        services.sign_decision(decision=decision, user=request.user)
        messages.success(request, _("Đã ký: các trường hợp trong quyết định đã vào sổ khen thưởng."))
    except services.AwardError as error:
        messages.error(request, str(error))
    return redirect("awards-decision", pk=decision.pk)


@require_POST
def decision_correct(request, pk: int):
    decision = _get_decision(request, pk)
    if not _may_draft(request.user):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nội dung đính chính không hợp lệ."))
        return redirect("awards-decision", pk=decision.pk)
    data = form.cleaned_data
    changes = {"number": data["new_number"], "signed_on": data["new_signed_on"]}
    if data["new_subject"]:
        changes["subject"] = data["new_subject"]
    try:
        correction = services.correct_decision(
            decision=decision,
            user=request.user,
            number=data["number"],
            signed_on=data["signed_on"],
            changes=changes,
        )
        messages.success(request, _("Đã lập dự thảo quyết định đính chính; trình Chủ tịch ký."))
        return redirect("awards-decision", pk=correction.pk)
    except services.AwardError as error:
        messages.error(request, str(error))
        return redirect("awards-decision", pk=decision.pk)


def decision_pdf(request, pk: int):
    decision = _get_decision(request, pk)
    if decision.kind != Decision.Kind.WARD:
        raise Http404  # the letter prints from its session; the higher level's decision is its own paper
    return pdf_response(
        template="pdf/awards_decision.html",
        context=decision_context(decision=decision),
        filename=pdf_filename(
            "quyet-dinh-khen-thuong", decision.number or "du-thao", str(decision.plan.year)
        ),
        request=request,
    )
