from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import permissions
from phominh.fields import AsciiIntegerField
from phominh.pdf import pdf_filename, pdf_response

from .copying import PlanCopyError, copy_plan
from .models import Plan
from .selectors import current_plan as plan_for_menus
from .selectors import plan_document
from .tasks import empty_reasons, tasks_for


def home(request):
    """The user's own tasks with their deadlines, then the role's shortcuts; an account without a role
    is told so and sees nothing."""
    role = permissions.role_of(request.user)
    plan = plan_for_menus() if role else None
    units = list(permissions.units_visible_to(request.user)) if role in {"official", "group_leader"} else []
    unread = request.user.notifications.filter(read_at__isnull=True).count() if role else 0
    today = timezone.localdate()
    tasks = tasks_for(request.user, today=today) if role else []
    return render(
        request,
        "campaigns/home.html",
        {
            "role": role,
            "plan": plan,
            "my_units": units,
            "unread": unread,
            "tasks": tasks,
            "empty_reasons": empty_reasons(request.user, today=today) if role and not tasks else [],
            "today": today,
        },
    )


def current_plan(request):
    if not permissions.can_view_plan(request.user):
        raise PermissionDenied
    plan = plan_for_menus()
    if plan is None:
        return render(request, "campaigns/no_plan.html", status=404)
    return redirect("plan-detail", year=plan.year)


def plan_detail(request, year: int):
    if not permissions.can_view_plan(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan, year=year)
    return render(request, "campaigns/plan_detail.html", {"plan": plan, "blocks": plan_document(plan=plan)})


def plan_pdf(request, year: int):
    """The plan as the ward's official document (Decree 30 layout), to print or send on.

    Built from the same plan_document() tree as the plan page, walked in reading order with the same two
    levels of headings, so that the page and the printed plan cannot disagree; readable by the same
    people as the page.
    """
    if not permissions.can_view_plan(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan, year=year)
    outline = []
    for root in plan_document(plan=plan):
        outline += [(root, 1)] + [(child, 2) for child in root.children]
    return pdf_response(
        template="pdf/plan.html",
        context={"document": plan, "plan": plan, "outline": outline},
        filename=pdf_filename(plan.document_type.lower(), plan.number, str(plan.year)),
        request=request,
    )


class PlanCopyForm(forms.Form):
    year = AsciiIntegerField(label=gettext_lazy("Năm của kế hoạch mới"), min_value=2000, max_value=2100)


def plan_copy(request, year: int):
    """The office makes next year's plan from this one (campaigns.copying.copy_plan), then edits it."""
    if not permissions.can_manage_plan(request.user):
        raise PermissionDenied
    source = get_object_or_404(Plan, year=year)
    form = PlanCopyForm(request.POST or None, initial={"year": source.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            plan = copy_plan(source=source, year=form.cleaned_data["year"], user=request.user)
        except PlanCopyError as error:
            form.add_error("year", str(error))
        else:
            counts = {
                "targets": plan.targets.count(),
                "baselines": plan.targets.filter(baseline__isnull=False).count(),
            }
            messages.success(
                request,
                _(
                    "Đã tạo kế hoạch năm %(year)d từ kế hoạch năm %(source)d: %(targets)d chỉ tiêu, "
                    "%(baselines)d chỉ tiêu có kết quả năm %(source)d làm số liệu năm trước. Số, ngày ban "
                    "hành và nội dung là bản nháp: Văn phòng sửa trong trang Quản trị trước khi ban hành."
                )
                % {"year": plan.year, "source": source.year, **counts},
            )
            return redirect("plan-detail", year=plan.year)
    return render(request, "campaigns/plan_copy.html", {"source": source, "form": form})
