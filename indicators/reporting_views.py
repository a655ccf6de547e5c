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
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns.models import Plan
from campaigns.selectors import current_plan

from . import notifications, permissions, selectors, services
from .audit import ACTION_LABELS, entries_for
from .forms import ReasonForm, ReopenForm, ReportEntryForm, VersionForm
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
    """My units' quarters (the one to act on first) and the reports waiting for my review."""
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
    cards = selectors.unit_cards(user=request.user, plan=plan, today=today)
    reviewer = permissions.reviews_reports(request.user)
    filters = selectors.queue_filters(request.GET)
    queue = selectors.review_queue(user=request.user, plan=plan, filters=filters) if reviewer else []
    return render(
        request,
        "indicators/report_list.html",
        {
            "plan": plan,
            "periods": periods,
            "cards": cards,
            "reviewer": reviewer,
            "queue": [e.report for e in queue],
            "queue_entries": queue,
            "filters": filters,
            "queue_query": filters.query(),
            "statuses": selectors.QUEUE_STATUSES,
            "filter_units": _filter_units(request.user, plan) if reviewer else [],
            "empty_reasons": _queue_empty_reasons(request.user, plan, periods, today)
            if reviewer and not queue and not filters.active
            else [],
            "today": today,
            "years": [p.year for p in plans],
            "open_elsewhere": open_elsewhere if cards else [],
        },
    )


def _filter_units(user, plan) -> list[Unit]:
    """The units a reviewer can pick in the queue's filter: those of his scope that report this plan."""
    units = Unit.objects.filter(assignments__element__plan=plan).distinct().order_by("order", "name")
    if not permissions.sees_all_units(user):
        units = units.filter(pk__in=permissions.own_unit_ids(user))
    return list(units)


def _queue_empty_reasons(user, plan, periods, today) -> list[str]:
    """Why nothing waits for this reviewer: reports waiting for someone else (four eyes), units that
    have not sent the open quarter yet; or that everything is reviewed."""
    reasons = []
    waiting = [
        r
        for r in permissions.reports_visible_to(user)
        .filter(status=Report.Status.SUBMITTED, period__plan=plan)
        .select_related("period")
        if permissions.may_review_unit(user, r)
    ]
    if waiting:
        reasons.append(
            ngettext(
                "%(n)s báo cáo đang chờ người khác duyệt: bạn đã gửi hoặc đã nhập số liệu của báo cáo đó.",
                "%(n)s báo cáo đang chờ người khác duyệt: bạn đã gửi hoặc đã nhập số liệu của các báo cáo đó.",
                len(waiting),
            )
            % {"n": len(waiting)}
        )
    scope = Unit.objects.filter(assignments__element__plan=plan).distinct()
    if not permissions.sees_all_units(user):
        scope = scope.filter(pk__in=permissions.own_unit_ids(user))
    scope_ids = set(scope.values_list("pk", flat=True))
    for period in periods:
        if not period.is_open_on(today):
            continue
        sent = set(
            Report.objects.filter(
                period=period,
                unit_id__in=scope_ids,
                status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED],
            ).values_list("unit_id", flat=True)
        )
        missing = len(scope_ids - sent)
        if missing:
            reasons.append(
                ngettext(
                    "%(period)s: %(n)s đơn vị chưa gửi báo cáo (hạn nộp %(d)s).",
                    "%(period)s: %(n)s đơn vị chưa gửi báo cáo (hạn nộp %(d)s).",
                    missing,
                )
                % {"period": period, "n": missing, "d": period.effective_deadline.strftime("%d/%m/%Y")}
            )
    if not reasons:
        reasons.append(
            _("Mọi báo cáo đã gửi của năm %(year)s đều đã được duyệt hoặc trả lại.") % {"year": plan.year}
        )
    return reasons


def _entry_form(report: Report, unit: Unit, period: ReportingPeriod, data=None) -> ReportEntryForm:
    """The entry form, bound to what was posted or showing the saved figures."""
    elements = _elements(unit, period)
    saved = {v.element_id: v for v in report.values.all()} if report.pk else {}
    previous = services.previous_values(unit=unit, period=period)
    if data is not None:
        return ReportEntryForm(data, elements=elements, saved=saved, previous=previous)
    return ReportEntryForm(
        initial={"version": report.version}, elements=elements, saved=saved, previous=previous
    )


def _entry_page(
    request,
    period: ReportingPeriod,
    unit: Unit,
    report: Report,
    *,
    form: ReportEntryForm | None = None,
    reason_form: ReasonForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
):
    """The entry page. A refused post passes its bound form back, so that what was typed stays in its
    boxes under the reason (issue 14): a figure typed while the office locked the quarter is not lost."""
    today = timezone.localdate()
    can_edit = permissions.can_edit_report(request.user, report, today=today)
    can_review = permissions.can_review_report(request.user, report)
    # The reviewer's queue filters, carried from the queue through the review to the next report.
    filters = selectors.queue_filters(request.POST if request.method == "POST" else request.GET)
    form = form or _entry_form(report, unit, period)
    if form.is_bound:
        form.is_valid()  # field errors and readings of what was typed, also when the save was refused
    context = {
        "period": period,
        "unit": unit,
        "report": report,
        "form": form,
        "groups": form.groups(),
        "can_edit": can_edit,
        # The boxes stay on the page after a refused save, with the figures as typed.
        "show_inputs": can_edit or form.is_bound,
        "edit_refusal": None if can_edit else _read_only_note(request.user, report, today),
        "can_review": can_review,
        "queue_filters": filters,
        "next_step": _next_step(request, period, filters) if request.GET.get("sau_duyet") else None,
        "can_reopen": permissions.can_reopen(request.user),
        "reason_form": reason_form or ReasonForm(),
        "reopen_form": reopen_form or ReopenForm(initial={"until": today + timezone.timedelta(days=7)}),
        "late": report.is_late(today) if report.pk else today > period.effective_deadline,
        "period_open": permissions.report_is_open(report, today),
    }
    if form.is_bound and form.conflict:
        context["conflict"] = _conflict_summary(report, context["groups"])
    return render(request, "indicators/report_entry.html", context, status=status)


def _conflict_summary(report: Report, groups) -> dict:
    """Who saved the report after this user opened it, when, and how many of his figures differ."""
    last = report.changes.select_related("user").order_by("-changed_at", "-pk").first() if report.pk else None
    return {
        "by": last.user if last else None,
        "at": last.changed_at if last else report.updated_at,
        "differs": sum(row.differs for group in groups for row in group.rows),
    }


def _read_only_note(user, report: Report, today) -> str:
    """What a person who does not type this unit's figures is told above them: a reviewer what she
    can do here, anyone else why the boxes are closed."""
    if permissions.can_edit_report(user, report, today=today):
        return ""
    if permissions.can_review_report(user, report):
        return _("Bạn xem xét báo cáo này: Duyệt hoặc Trả lại (ở cuối trang).")
    enters = report.unit_id in permissions.own_unit_ids(user) and permissions.role_of(user) in (
        permissions.ENTERING_ROLES
    )
    if enters or not permissions.reviews_reports(user) or not permissions.may_review_unit(user, report):
        return permissions.edit_refusal(user, report, today=today)
    if report.status == Report.Status.SUBMITTED:
        return permissions.review_refusal(user, report)
    if report.status == Report.Status.APPROVED:
        return _("Báo cáo đã được duyệt.")
    if report.status == Report.Status.RETURNED:
        return _("Báo cáo đã được trả lại: chờ đơn vị sửa và gửi lại, rồi bạn xem xét tiếp.")
    return _("Đơn vị chưa gửi báo cáo này. Khi đơn vị gửi, bạn duyệt hoặc trả lại ngay trên trang này.")


def _next_step(request, period: ReportingPeriod, filters) -> dict:
    """After a review: the next report waiting in the reviewer's queue (same filters), or none."""
    following = selectors.next_in_queue(user=request.user, plan=period.plan, filters=filters)
    query = filters.query()
    if following is None:
        return {"report": None, "list_url": reverse("report-list") + (f"?{query}" if query else "")}
    url = _entry_url(following.period, following.unit) + (f"?{query}" if query else "")
    return {
        "report": following,
        "url": url,
        "waited": selectors.waited(following.submitted_at),
        "list_url": reverse("report-list") + (f"?{query}" if query else ""),
    }


def _after_review(period: ReportingPeriod, unit: Unit, filters) -> str:
    query = filters.query()
    return _entry_url(period, unit) + "?sau_duyet=1" + (f"&{query}" if query else "")


def _not_saved(reason: str) -> str:
    return _("Số liệu CHƯA được lưu. %(reason)s Các số bạn vừa nhập vẫn còn trong các ô bên dưới.") % {
        "reason": reason
    }


def _latest(unit: Unit, period: ReportingPeriod) -> Report:
    report = services.get_report(unit=unit, period=period) or Report(unit=unit, period=period, version=0)
    report.period, report.unit = period, unit
    return report


def report_entry(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    if request.method != "POST":
        return _entry_page(request, period, unit, report)
    today = timezone.localdate()
    form = _entry_form(report, unit, period, data=request.POST)
    if not permissions.can_edit_report(request.user, report, today=today):
        messages.error(request, _not_saved(permissions.edit_refusal(request.user, report, today=today)))
        return _entry_page(request, period, unit, report, form=form, status=403)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: có số liệu không hợp lệ, xem các ô được đánh dấu đỏ."))
        return _entry_page(request, period, unit, report, form=form, status=400)
    try:
        report, changed = services.save_values(
            unit=unit,
            period=period,
            user=request.user,
            entries=form.entries(),
            version=form.cleaned_data["version"],
            today=today,
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        # The page now shows the latest saved figures beside the typed ones, and carries the latest
        # version: saving again is a decision taken with both in view.
        report = _latest(unit, period)
        form.saved = {v.element_id: v for v in report.values.all()} if report.pk else {}
        form.conflict = True
        form.data = form.data.copy()
        form.data["version"] = str(report.version)
        return _entry_page(request, period, unit, report, form=form, status=409)
    except services.ReportError as error:
        messages.error(request, _not_saved(str(error)))
        return _entry_page(request, period, unit, _latest(unit, period), form=form, status=403)
    if request.POST.get("action") == "submit":
        try:
            services.submit_report(report=report, user=request.user, today=today)
        except services.ReportError as error:
            # The figures are saved as a draft; only the submission waits.
            messages.error(request, str(error))
            return redirect(_entry_url(period, unit))
        messages.success(request, _("Đã lưu và gửi báo cáo %(p)s để duyệt.") % {"p": period})
    else:
        messages.success(request, _("Đã lưu nháp (%(n)s số liệu thay đổi).") % {"n": changed})
    return redirect(_entry_url(period, unit))


def _review_refused(request, period, unit, report, *, reason_form=None):
    """The entry page again when a review step is refused or stale; None when it may go ahead.

    Out of the reviewer's reach (wrong unit, wrong state, his own figures): 403 with the reason. A page
    opened before the figures changed (or posted without its version): 409, with the latest figures.
    """
    if not permissions.can_review_report(request.user, report):
        refusal = permissions.review_refusal(request.user, report)
        typed = (reason_form.data.get("reason") or "").strip() if reason_form is not None else ""
        if typed:
            refusal += " " + _("Lý do bạn đã ghi (chưa lưu): “%(text)s”.") % {"text": typed}
        messages.error(request, refusal)
        return _entry_page(request, period, unit, report, status=403)
    if VersionForm(request.POST).version_or_none() != report.version:
        messages.error(request, services.stale_message(report))
        return _entry_page(request, period, unit, report, reason_form=reason_form, status=409)
    return None


@require_POST
def report_approve(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    refused = _review_refused(request, period, unit, report)
    if refused:
        return refused
    try:
        services.approve_report(report=report, user=request.user, version=report.version)
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), status=409)
    except services.ReportError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), status=403)
    messages.success(request, _("Đã duyệt báo cáo %(u)s, %(p)s.") % {"u": unit, "p": period})
    return redirect(_after_review(period, unit, selectors.queue_filters(request.POST)))


@require_POST
def report_return(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    form = ReasonForm(request.POST)
    refused = _review_refused(request, period, unit, report, reason_form=form)
    if refused:
        return refused
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do trả lại."))
        return _entry_page(request, period, unit, report, reason_form=form, status=400)
    try:
        services.return_report(
            report=report, user=request.user, reason=form.cleaned_data["reason"], version=report.version
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), reason_form=form, status=409)
    except services.ReportError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), reason_form=form, status=403)
    messages.success(request, _("Đã trả lại báo cáo %(u)s để sửa.") % {"u": unit})
    return redirect(_after_review(period, unit, selectors.queue_filters(request.POST)))


@require_POST
def report_reopen(request, year: int, quarter: int, unit_code: str):
    period, unit, report = _report_context(request, year, quarter, unit_code)
    form = ReopenForm(request.POST)
    if not permissions.can_reopen(request.user):
        messages.error(request, _("Chỉ Văn phòng - Thống kê được mở lại báo cáo."))
        return _entry_page(request, period, unit, report, status=403)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do và ngày mở lại hợp lệ."))
        return _entry_page(request, period, unit, report, reopen_form=form, status=400)
    version = VersionForm(request.POST).version_or_none()
    if version is None:
        messages.error(request, services.stale_message(report))
        return _entry_page(request, period, unit, report, reopen_form=form, status=409)
    try:
        services.reopen_report(
            unit=unit,
            period=period,
            user=request.user,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
            version=version,
        )
    except services.ConflictError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), reopen_form=form, status=409)
    except services.ReportError as error:
        messages.error(request, str(error))
        return _entry_page(request, period, unit, _latest(unit, period), reopen_form=form, status=403)
    messages.success(request, _("Đã mở lại báo cáo %(u)s.") % {"u": unit})
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
    return _completeness_page(request, _period(year, quarter))


def _completeness_page(
    request, period: ReportingPeriod, *, reason_form=None, reopen_form=None, confirm_again=False, status=200
):
    """The completeness page; a refused lock or extension passes its bound form back (typed text kept).
    It says when each unit was last reminded, and whom the reminder button would remind now."""
    today = timezone.localdate()
    last = notifications.last_reminded(period)
    to_remind = notifications.units_to_remind(period, today)
    reminded_before = [last[u.code] for u in to_remind if u.code in last]
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
        rows.append(
            {"unit": unit, "report": report, "state": state, "late": late, "reminded": last.get(unit.code)}
        )
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
            "to_remind": to_remind,
            "last_reminded": max(reminded_before) if reminded_before else None,
            "remind_closed": _remind_closed(period, today) if not to_remind else "",
            "confirm_again": confirm_again,
            "reason_form": reason_form or ReasonForm(),
            "reopen_form": reopen_form or ReopenForm(initial={"until": today + timezone.timedelta(days=7)}),
        },
        status=status,
    )


def _remind_closed(period: ReportingPeriod, today) -> str:
    """Why the reminder button is not offered: nobody can or needs to send the quarter now."""
    if period.is_locked:
        return _("Kỳ báo cáo đã khóa: không gửi nhắc nhở.")
    if today < period.opens_on:
        return _("Kỳ báo cáo chưa mở (mở từ %(d)s).") % {"d": period.opens_on.strftime("%d/%m/%Y")}
    if today > period.effective_deadline:
        return _("Đã quá hạn nộp (%(d)s) và chưa gia hạn: không gửi nhắc nhở.") % {
            "d": period.effective_deadline.strftime("%d/%m/%Y")
        }
    return _("Mọi đơn vị đã gửi báo cáo: không còn ai để nhắc.")


def _completeness_url(period: ReportingPeriod) -> str:
    return reverse("completeness", args=[period.plan.year, period.quarter])


@require_POST
def period_remind(request, year: int, quarter: int):
    """Remind the units that still owe the quarter; once they were reminded, only after the office
    confirms that it means to remind them again (the page says when they last were)."""
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    today = timezone.localdate()
    last = notifications.last_reminded(period)
    reminded = [u for u in notifications.units_to_remind(period, today) if u.code in last]
    if reminded and request.POST.get("again") != "1":
        # A page opened before someone else reminded them, or a post without the page's confirmation.
        messages.warning(
            request,
            _("%(n)s đơn vị đã được nhắc, lần cuối lúc %(at)s. Xác nhận bên dưới nếu muốn nhắc lại.")
            % {
                "n": len(reminded),
                "at": timezone.localtime(max(last[u.code] for u in reminded)).strftime("%H:%M %d/%m/%Y"),
            },
        )
        return _completeness_page(request, period, confirm_again=True, status=409)
    try:
        people, units = services.send_reminders(period=period, user=request.user, today=today)
    except services.ReportError as error:
        messages.error(request, str(error))
        return _completeness_page(request, period, status=409)
    messages.success(
        request,
        _("Đã nhắc %(u)s đơn vị chưa nộp: %(n)s người nhận thông báo trên cổng và thư điện tử.")
        % {"u": units, "n": people},
    )
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
        return _completeness_page(request, period, reason_form=ReasonForm(request.POST), status=400)
    return redirect(_completeness_url(period))


@require_POST
def period_extend(request, year: int, quarter: int):
    if not permissions.can_reopen(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi lý do và ngày gia hạn hợp lệ."))
        return _completeness_page(request, period, reopen_form=form, status=400)
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
        return _completeness_page(request, period, reopen_form=form, status=400)
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
