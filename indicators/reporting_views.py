"""Quarterly reporting pages: my reports, the entry form, review steps, history, completeness.

Every view starts from `_report_context`, which fetches and checks: a unit out of the user's scope is
404, in scope but read-only is 403 on POST. Workflow steps are small POST views calling the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Plan
from campaigns.selectors import current_plan

from . import permissions, services
from .audit import ACTION_LABELS, entries_for
from .forms import ReasonForm, ReopenForm, ReportEntryForm
from .models import DataElement, Report, ReportingPeriod, TargetTerm, Unit, ValueChange


def _period(year: int, quarter: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), plan__year=year, quarter=quarter)


def _report_context(request, year: int, quarter: int, unit_code: str):
    """(period, unit, report) for a unit the user may see; 404 for anything out of scope."""
    if not permissions.has_role(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or not permissions.can_view_unit_reports(request.user, unit):
        raise Http404
    if not unit.assignments.filter(element__plan=period.plan).exists():
        raise Http404
    report = services.get_report(unit=unit, period=period) or Report(unit=unit, period=period, version=0)
    report.period, report.unit = period, unit
    return period, unit, report


def _entry_url(period: ReportingPeriod, unit: Unit) -> str:
    return reverse("report-entry", args=[period.plan.year, period.quarter, unit.code])


def _elements(unit: Unit, period: ReportingPeriod) -> list[DataElement]:
    return list(
        DataElement.objects.filter(assignments__unit=unit, plan=period.plan)
        .prefetch_related(
            Prefetch(
                "terms",
                queryset=TargetTerm.objects.select_related("target").prefetch_related("target__terms"),
            )
        )
        .order_by("order")
    )


def report_list(request):
    """My units' quarters (to enter) and the reports waiting for my review."""
    if not permissions.has_role(request.user):
        raise PermissionDenied
    plans = list(Plan.objects.order_by("-year").only("pk", "year"))
    year = request.GET.get("year", "")
    plan = next((p for p in plans if str(p.year) == year), None) if year else current_plan()
    if plan is None:
        raise Http404
    today = timezone.localdate()
    periods = list(plan.periods.order_by("quarter"))
    # Quarter IV is reported in January, when the menus have moved on to the new year: say where
    # entry is open in another year's plan.
    open_elsewhere = [
        p for p in ReportingPeriod.objects.exclude(plan=plan).select_related("plan") if p.is_open_on(today)
    ]
    units = list(permissions.units_for_entry(request.user).filter(assignments__element__plan=plan).distinct())
    reports = {
        (r.unit_id, r.period_id): r
        for r in Report.objects.filter(unit__in=units, period__plan=plan).select_related("period")
    }
    rows = []
    for unit in units:
        cells = []
        for period in periods:
            report = reports.get((unit.pk, period.pk))
            cells.append(
                {
                    "period": period,
                    "report": report,
                    "open": permissions.report_is_open(report, today) if report else period.is_open_on(today),
                    "late": report.is_late(today) if report else today > period.effective_deadline,
                }
            )
        rows.append({"unit": unit, "cells": cells})
    queue = [
        r
        for r in permissions.reports_visible_to(request.user)
        .filter(status=Report.Status.SUBMITTED, period__plan=plan)
        .select_related("unit", "period__plan", "submitted_by")
        .order_by("submitted_at")
        if permissions.can_review_report(request.user, r)
    ]
    return render(
        request,
        "indicators/report_list.html",
        {
            "plan": plan,
            "periods": periods,
            "rows": rows,
            "queue": queue,
            "today": today,
            "years": [p.year for p in plans],
            "open_elsewhere": open_elsewhere if rows else [],
        },
    )


def report_entry(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    today = timezone.localdate()
    can_edit = permissions.can_edit_report(request.user, report, today=today)
    elements = _elements(unit, period)
    saved = {v.element_id: v for v in report.values.all()} if report.pk else {}
    previous = services.previous_values(unit=unit, period=period)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(permissions.edit_refusal(request.user, report, today=today))
        form = ReportEntryForm(request.POST, elements=elements, saved=saved, previous=previous)
        if form.is_valid():
            try:
                report, changed = services.save_values(
                    unit=unit,
                    period=period,
                    user=request.user,
                    entries=form.entries(),
                    version=form.cleaned_data["version"],
                    today=today,
                )
                if request.POST.get("action") == "submit":
                    services.submit_report(report=report, user=request.user, today=today)
                    messages.success(request, _("Đã lưu và gửi báo cáo %(p)s để duyệt.") % {"p": period})
                else:
                    messages.success(request, _("Đã lưu nháp (%(n)s số liệu thay đổi).") % {"n": changed})
                return redirect(_entry_url(period, unit))
            except services.ConflictError as error:
                messages.error(request, str(error))
                status = 409
                latest = services.get_report(unit=unit, period=period)
                saved = {v.element_id: v for v in latest.values.all()} if latest else {}
                form.saved = saved
            except services.ReportError as error:
                messages.error(request, str(error))
                return redirect(_entry_url(period, unit))
        else:
            messages.error(request, _("Chưa lưu: có số liệu không hợp lệ, xem các ô được đánh dấu đỏ."))
            status = 400
    else:
        form = ReportEntryForm(
            initial={"version": report.version}, elements=elements, saved=saved, previous=previous
        )
    context = {
        "period": period,
        "unit": unit,
        "report": report,
        "form": form,
        "groups": form.groups(),
        "can_edit": can_edit,
        "edit_refusal": None if can_edit else permissions.edit_refusal(request.user, report, today=today),
        "can_review": report.pk and permissions.can_review_report(request.user, report),
        "can_reopen": permissions.can_reopen(request.user),
        "reason_form": ReasonForm(),
        "reopen_form": ReopenForm(initial={"until": today + timezone.timedelta(days=7)}),
        "late": report.is_late(today) if report.pk else today > period.effective_deadline,
        "period_open": permissions.report_is_open(report, today),
    }
    return render(request, "indicators/report_entry.html", context, status=status)


@require_POST
def report_approve(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    if not report.pk or not permissions.can_review_report(request.user, report):
        raise PermissionDenied
    try:
        services.approve_report(report=report, user=request.user)
        messages.success(request, _("Đã duyệt báo cáo %(u)s, %(p)s.") % {"u": unit, "p": period})
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_entry_url(period, unit))


@require_POST
def report_return(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    if not report.pk or not permissions.can_review_report(request.user, report):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do trả lại."))
        return redirect(_entry_url(period, unit))
    try:
        services.return_report(report=report, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã trả lại báo cáo %(u)s để sửa.") % {"u": unit})
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_entry_url(period, unit))


@require_POST
def report_reopen(request, year: int, quarter: int, unit_code: str):
    period, unit, _report = _report_context(request, year, quarter, unit_code)
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do và ngày mở lại hợp lệ."))
        return redirect(_entry_url(period, unit))
    try:
        services.reopen_report(
            unit=unit,
            period=period,
            user=request.user,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
        )
        messages.success(request, _("Đã mở lại báo cáo %(u)s.") % {"u": unit})
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_entry_url(period, unit))


def report_history(request, year: int, quarter: int, unit_code: str, element_code: str | None = None):
    """Every change of every figure (or of one figure) and every workflow step, newest first."""
    period, unit, report = _report_context(request, year, quarter, unit_code)
    element = None
    changes = ValueChange.objects.none()
    actions = []
    if report.pk:
        changes = report.changes.select_related("element", "user")
        if element_code:
            element = get_object_or_404(DataElement, plan=period.plan, code=element_code)
            changes = changes.filter(element=element)
        else:
            actions = [
                {"entry": e, "label": ACTION_LABELS.get(e.action, e.action)} for e in entries_for(report)
            ]
    elif element_code:
        element = get_object_or_404(DataElement, plan=period.plan, code=element_code)
    return render(
        request,
        "indicators/report_history.html",
        {
            "period": period,
            "unit": unit,
            "report": report,
            "element": element,
            "changes": list(changes),
            "actions": actions,
        },
    )


def completeness(request, year: int, quarter: int):
    """Which units have submitted this quarter, which are late, which were returned."""
    if not permissions.can_follow_completeness(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(assignments__element__plan=period.plan).distinct().order_by("order", "name")
    )
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period).select_related("submitted_by", "reviewed_by", "period")
    }
    rows, counts = [], {"approved": 0, "submitted": 0, "returned": 0, "draft": 0, "missing": 0, "late": 0}
    for unit in units:
        report = reports.get(unit.pk)
        state = report.status if report else "missing"
        late = report.is_late(today) if report else today > period.effective_deadline
        counts[state] += 1
        counts["late"] += int(late)
        rows.append({"unit": unit, "report": report, "state": state, "late": late})
    return render(
        request,
        "indicators/completeness.html",
        {
            "period": period,
            "periods": period.plan.periods.order_by("quarter"),
            "rows": rows,
            "counts": counts,
            "total": len(units),
            "can_manage": permissions.can_reopen(request.user),
            "reason_form": ReasonForm(),
            "reopen_form": ReopenForm(initial={"until": today + timezone.timedelta(days=7)}),
        },
    )


def _completeness_url(period: ReportingPeriod) -> str:
    return reverse("completeness", args=[period.plan.year, period.quarter])


@require_POST
def period_remind(request, year: int, quarter: int):
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    done = set(
        Report.objects.filter(
            period=period, status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED]
        ).values_list("unit_id", flat=True)
    )
    pending = list(
        Unit.objects.filter(assignments__element__plan=period.plan).exclude(pk__in=done).distinct()
    )
    try:
        sent = services.send_reminders(period=period, user=request.user, units=pending)
        messages.success(
            request, _("Đã gửi %(n)s thư nhắc tới %(u)s đơn vị chưa nộp.") % {"n": sent, "u": len(pending)}
        )
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_completeness_url(period))


@require_POST
def period_lock(request, year: int, quarter: int):
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    lock = request.POST.get("lock") == "1"
    try:
        services.set_period_lock(
            period=period, user=request.user, locked=lock, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Đã khóa kỳ báo cáo.") if lock else _("Đã mở khóa kỳ báo cáo."))
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_completeness_url(period))


@require_POST
def period_extend(request, year: int, quarter: int):
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do và ngày gia hạn hợp lệ."))
        return redirect(_completeness_url(period))
    try:
        services.extend_period(
            period=period,
            user=request.user,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Đã gia hạn nhập liệu."))
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_completeness_url(period))


def completeness_current(request):
    """The quarter whose deadline is nearest: what the office follows up today."""
    if not permissions.can_follow_completeness(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    periods = list(ReportingPeriod.objects.select_related("plan").order_by("-plan__year", "quarter"))
    if not periods:
        raise Http404
    latest_year = periods[0].plan.year
    this_year = [p for p in periods if p.plan.year == latest_year]
    current = next((p for p in this_year if p.effective_deadline >= today), this_year[-1])
    return redirect("completeness", year=current.plan.year, quarter=current.quarter)
