from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from campaigns.models import Plan

from . import permissions
from .models import Assignment, Baseline, Target, TargetTerm


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
    }
    return render(request, "indicators/target_detail.html", context)
