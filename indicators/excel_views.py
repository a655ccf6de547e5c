"""Excel downloads and entry by spreadsheet (issue 8).

Each view checks permissions first, with the same rules as the page it mirrors: the progress table
for every role, a unit's quarter for whoever may see that unit (else 404), the completeness list for
the office and leadership. Workbooks are built by `indicators.excel`; figures are written by
`services.save_values` through `excel.save_import`.

The upload is two steps. The POST of the file checks it as a whole and shows a preview; what would be
saved is kept on the server, in the session under a random token, with the report versions seen then.
The confirmation posts only that token, so figures are never taken from a re-posted form, and a report
changed in between is a conflict, not an overwrite.
"""

import secrets
import time
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.models import Plan

from . import excel, permissions, services
from .models import ReportingPeriod, Unit
from .reporting_views import _period, _report_context

SESSION_KEY = "excel_imports"
# A preview waits this long for its confirmation; a few can wait at once (several browser tabs).
PENDING_SECONDS = 3600
PENDING_MAX = 3


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _xlsx_response(workbook, file_name: str) -> HttpResponse:
    response = HttpResponse(excel.to_bytes(workbook), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _check_entering(request) -> None:
    if not permissions.has_role(request.user):
        raise PermissionDenied
    if permissions.role_of(request.user) not in permissions.ENTERING_ROLES:
        raise PermissionDenied(_("Chỉ người nhập số liệu được nhập từ tệp Excel."))


def _entry_units(user, period: ReportingPeriod) -> list[Unit]:
    return list(
        permissions.units_for_entry(user)
        .filter(assignments__element__plan=period.plan)
        .distinct()
        .order_by("order", "name")
    )


# --- downloads --------------------------------------------------------------------------------------


def progress_export(request, year: int, quarter: int):
    """The progress table up to a quarter; ?submitted=1 counts submitted reports as the dashboard does."""
    if not permissions.has_role(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan, year=year)
    if quarter not in (1, 2, 3, 4):
        raise Http404
    include_submitted = request.GET.get("submitted") == "1"
    workbook = excel.progress_workbook(plan=plan, quarter=quarter, include_submitted=include_submitted)
    return _xlsx_response(workbook, excel.progress_file_name(year=year, quarter=quarter))


def unit_export(request, year: int, quarter: int, unit_code: str):
    """A unit's quarter: its figures, in the entry template's layout so that it can be filled back."""
    period, unit, _report = _report_context(request, year, quarter, unit_code)
    workbook = excel.entry_workbook(period=period, units=[unit])
    return _xlsx_response(workbook, excel.entry_file_name(period=period, units=[unit]))


def entry_template(request, year: int, quarter: int):
    """One template for every unit the user enters figures for (the office, an official's units)."""
    _check_entering(request)
    period = _period(year, quarter)
    units = _entry_units(request.user, period)
    if not units:
        raise Http404
    workbook = excel.entry_workbook(period=period, units=units)
    return _xlsx_response(workbook, excel.entry_file_name(period=period, units=units))


def completeness_export(request, year: int, quarter: int):
    if not permissions.can_follow_completeness(request.user):
        raise PermissionDenied
    period = _period(year, quarter)
    workbook = excel.completeness_workbook(period=period, today=timezone.localdate())
    return _xlsx_response(workbook, excel.completeness_file_name(period))


# --- upload, preview, confirm -----------------------------------------------------------------------


def _store_pending(request, pending: dict) -> str:
    """Keep a preview's changes in the session; the oldest are dropped beyond PENDING_MAX."""
    now = time.time()
    stored = {
        token: item
        for token, item in request.session.get(SESSION_KEY, {}).items()
        if now - item["at"] < PENDING_SECONDS
    }
    for token in sorted(stored, key=lambda t: stored[t]["at"])[: max(0, len(stored) - PENDING_MAX + 1)]:
        del stored[token]
    token = secrets.token_urlsafe(24)
    stored[token] = pending | {"at": now}
    request.session[SESSION_KEY] = stored
    return token


def _take_pending(request, token: str, period: ReportingPeriod) -> dict | None:
    """The preview's changes for this user and period, removed so that a second click saves nothing."""
    stored = request.session.get(SESSION_KEY, {})
    pending = stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    if (
        pending is None
        or time.time() - pending["at"] >= PENDING_SECONDS
        or pending["period"] != period.pk
        or pending["user"] != request.user.pk
    ):
        return None
    return pending


def _upload_page(request, period, form, *, status=200):
    units = _entry_units(request.user, period)
    context = {
        "period": period,
        "form": form,
        "units": units,
        "max_mb": excel.upload_limit_text(),
    }
    return render(request, "indicators/excel_import.html", context, status=status)


def import_upload(request, year: int, quarter: int):
    """GET: the upload form and the templates to download. POST: check the file, show the preview."""
    _check_entering(request)
    period = _period(year, quarter)
    if request.method != "POST":
        return _upload_page(request, period, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, period, form, status=400)
    upload = form.cleaned_data["file"]
    file_name = PurePath(upload.name).name[:200]
    try:
        workbook = excel.open_workbook(excel.check_upload(upload))
        preview = excel.read_upload(
            workbook=workbook,
            file_name=file_name,
            period=period,
            user=request.user,
            today=timezone.localdate(),
        )
    except excel.UploadRefused as refusal:
        form.add_error("file", str(refusal))
        return _upload_page(request, period, form, status=400)
    confirm_form = None
    if preview.ok:
        confirm_form = ConfirmForm(
            initial={"token": _store_pending(request, preview.pending(user=request.user))}
        )
    context = {
        "period": period,
        "preview": preview,
        "confirm_form": confirm_form,
        "upload_form": UploadForm(),
    }
    return render(request, "indicators/excel_preview.html", context, status=200 if preview.ok else 400)


@require_POST
def import_confirm(request, year: int, quarter: int):
    """Save what the preview showed, all units in one transaction, as drafts."""
    _check_entering(request)
    period = _period(year, quarter)
    form = ConfirmForm(request.POST)
    pending = _take_pending(request, form.cleaned_data["token"], period) if form.is_valid() else None
    upload_url = reverse("excel-import", args=[year, quarter])
    if pending is None:
        messages.error(
            request,
            _("Không tìm thấy tệp đang chờ xác nhận (có thể đã lưu hoặc đã quá 1 giờ). Hãy tải tệp lên lại."),
        )
        return redirect(upload_url)
    try:
        units, changed = excel.save_import(pending=pending, user=request.user, today=timezone.localdate())
    except excel.ImportConflict as error:
        messages.error(request, str(error))
        return _upload_page(request, period, UploadForm(), status=409)
    except services.ReportError as error:
        messages.error(request, str(error))
        return _upload_page(request, period, UploadForm(), status=403)
    if changed:
        messages.success(
            request,
            _("Đã lưu nháp %(n)s số liệu của %(u)s đơn vị từ tệp %(file)s.")
            % {"n": changed, "u": units, "file": pending["file"]},
        )
    else:
        messages.info(request, _("Không có số liệu nào thay đổi so với số đã lưu."))
    if len(pending["units_in_file"]) == 1:
        unit = Unit.objects.get(pk=pending["units_in_file"][0])
        return redirect("report-entry", year, quarter, unit.code)
    return redirect("report-list")
