"""After the vote: the ward's decision, the letter to the higher level and its decision; the registry
of awards and a unit's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.models import Unit
from phominh.fields import ascii_int

from .. import exports, permissions, services
from ..forms import (
    DecisionForm,
    HigherDecisionForm,
)
from ..models import Decision, Proposal, Title
from ..selectors import (
    registry_for,
)
from ._helpers import get_session, require_role, session_redirect


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
