from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigns.models import Plan

from . import charts, permissions, services
from .audit import entries_for
from .forms import PaceForm
from .models import Assignment, Baseline, Target, TargetTerm
from .rollup import QUARTERS, pace_share
from .templatetags.vn import format_number


def target_detail(request, year: int, code: str):
    """What a target measures, how it is computed and who reports the figures behind it."""
    if not permissions.can_view_plan(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan, year=year)
    target = get_object_or_404(
        Target.objects.select_related("content", "parent", "plan"), plan=plan, code=code
    )
    terms = list(
        TargetTerm.objects.filter(target=target)
        .select_related("element", "source_target")
        .prefetch_related(
            Prefetch(
                "element__assignments",
                queryset=Assignment.objects.select_related("unit").order_by("unit__order"),
            )
        )
        .order_by("role", "pk")
    )
    baseline = Baseline.objects.filter(target=target).first()
    context = {
        "plan": plan,
        "target": target,
        "numerator": [t for t in terms if t.role == TargetTerm.Role.NUMERATOR],
        "denominator": [t for t in terms if t.role == TargetTerm.Role.DENOMINATOR],
        "children": list(target.children.order_by("order")),
        "used_in": list(Target.objects.filter(terms__source_target=target).distinct().order_by("order")),
        "baseline": baseline,
        "pace": _pace(target),
        "can_set_pace": permissions.can_manage_plan(request.user),
    }
    return render(request, "indicators/target_detail.html", context)


def _pace(target: Target) -> dict | None:
    """A flow's expected share after each quarter, and who changed it when (newest first)."""
    if target.kind != Target.Kind.FLOW or target.target_value is None:
        return None
    return {
        "quarters": [
            {
                "label": charts.quarter_label(q),
                "percent": pace_share(target, q) * 100,
                "amount": target.target_value * pace_share(target, q),
            }
            for q in QUARTERS
        ],
        "is_even": target.pace_profile is None,
        "changes": [
            {
                "at": entry.at,
                "user": entry.user,
                "reason": entry.data.get("reason", ""),
                "text": _profile_text(entry.data.get("after")),
            }
            for entry in entries_for(target).filter(action="indicators.target.pace_set").order_by("-pk")
        ],
    }


def _profile_text(percents: list[str] | None) -> str:
    """A logged profile as the office typed it: "0 – 50,5 – 100 %", or "even" when it was cleared."""
    if not percents:
        return _("tiến độ đều")
    return " – ".join(format_number(Decimal(p)) for p in percents) + " %"


def target_pace(request, year: int, code: str):
    """The office sets how much of a flow's yearly figure is due by the end of each quarter.

    A post refused because the user is not (or no longer) of the office answers the form again with
    the reason above it and the typed figures in their boxes (403), as the entry form does.
    """
    may_set = permissions.can_manage_plan(request.user)
    if not may_set and not (request.method == "POST" and permissions.can_view_plan(request.user)):
        raise PermissionDenied
    plan = get_object_or_404(Plan, year=year)
    target = get_object_or_404(
        Target, plan=plan, code=code, kind=Target.Kind.FLOW, target_value__isnull=False
    )
    posted = request.POST if request.method == "POST" else None
    form = PaceForm(posted, target=target, even=request.POST.get("action") == "even")
    if not may_set:
        form.is_valid()  # the typed percents' own errors too, under the reason
        form.add_error(None, _("Chỉ Văn phòng - Thống kê được đặt tiến độ theo quý. Tiến độ chưa được lưu."))
        context = {"plan": plan, "target": target, "form": form, "pace": _pace(target)}
        return render(request, "indicators/target_pace.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_pace(
                target=target,
                user=request.user,
                percents=form.cleaned_data["percents"],
                reason=form.cleaned_data["reason"],
            )
        except services.PaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã lưu tiến độ theo quý của chỉ tiêu %(code)s.") % {"code": target.code}
            )
            return redirect("target-detail", year=plan.year, code=target.code)
    context = {"plan": plan, "target": target, "form": form, "pace": _pace(target)}
    return render(request, "indicators/target_pace.html", context)
