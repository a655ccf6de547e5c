"""Excel workbooks: the exports (progress, a unit's quarter, completeness) and entry by spreadsheet.

Many units keep their figures in spreadsheets (issue 8). This module builds real .xlsx workbooks with
openpyxl and reads the entry template back; the views only check permissions and stream bytes.

Design choices, in one place:

- **Number formats.** Cells hold numbers and carry Excel's standard format codes (`#,##0`,
  `#,##0.00`). In a format code "," means "group thousands" and "." means "decimal point"; Excel and
  LibreOffice draw both with the reader's locale, so a Vietnamese Excel shows 4.176 and 2,57 while
  the cell stays a number that sorts and sums. A code with literal dots (`#.##0`) would look right in
  Vietnam only and turn figures into text everywhere else, so it is not used.
- **Formula injection.** Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
  written as a string cell with a leading apostrophe (and Excel's quote-prefix flag), so no
  spreadsheet program runs it as a formula. The reader strips that one apostrophe again, so that a
  comment such as "=> tăng do tách hộ" survives a round trip unchanged.
- **The entry template** has one sheet per unit (codes pre-filled, only the value and comment cells
  unlocked), the instructions on the next sheet, and a hidden sheet with a marker and a version, so
  that a wrong or old file is recognised before anything else is read. Protection has no password:
  it guards against slips, not against an attacker; every cell is checked again on upload.
- **An empty value cell keeps the saved figure.** A template downloaded last week must not wipe
  figures entered on the web since; deleting a figure is done on the entry form.
- **Uploads** are refused before openpyxl opens them when they are too large, are not a zip, carry
  macros, or would inflate beyond the limits in settings (a zip bomb). Python's zipfile never inflates
  an entry beyond its declared size, so checking the declared sizes is enough; the bundled expat
  refuses entity-expansion bombs in the XML. Formulas are detected, never evaluated
  (`data_only=False`).
- **Same rules as the web form**: text is read by `validation.parse_number`, numbers by
  `Decimal(str(value))` then the same checks, every figure by `check_value` and every unit's quarter
  by `check_report` against the previous quarter. Nothing is saved until the user confirms; then
  `services.save_values` writes every unit in one transaction with the file's name as the reason.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from . import permissions, services
from .forms import COMMENT_MAX
from .models import (
    Assignment,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    TargetTerm,
    Unit,
    ValueChange,
)
from .rollup import rollup
from .templatetags.vn import format_number, person_name
from .templatetags.vn import target_figure as chi_tieu
from .validation import check_report, check_value, parse_number

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- formats and styles -----------------------------------------------------------------------------

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
# An amount typed into the template shows up to four decimals (the most a figure may have) and at
# least one, so that "#,##0.####" never leaves a dangling separator after a whole number.
AMOUNT_INPUT_FORMAT = "#,##0.0###"
DATETIME_FORMAT = "hh:mm dd/mm/yyyy"

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
ITALIC = Font(italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)

# Excel's limits on sheet names: 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A text cell starting with one of these could be run as a formula by a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel keeps 15 significant digits; a figure with more is written as Vietnamese text instead.
_EXCEL_DIGITS = 15


def sheet_title(text: str) -> str:
    """A valid Excel sheet name: forbidden characters replaced, at most 31 characters."""
    title = _SHEET_FORBIDDEN.sub("-", text).strip().strip("'") or "Sheet"
    return title[:31]


def safe_text(text: str) -> str:
    """Text that no spreadsheet program will run as a formula (see the module docstring)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unescape_text(text: str) -> str:
    """The text `safe_text` was given: one leading apostrophe before a formula trigger is dropped."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def put_text(ws, row: int, column: int, text, *, font=None, fill=None, alignment=None):
    """Write text as a string cell, escaped against formula injection."""
    cell = ws.cell(row=row, column=column)
    value = safe_text(str(text)) if text is not None else None
    cell.value = value
    if value:
        cell.data_type = "s"
        if value != ILLEGAL_CHARACTERS_RE.sub("", str(text)):
            cell.quotePrefix = True
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    return cell


def number_format_for(value: Decimal, max_decimals: int = 4) -> str:
    """`#,##0` for a whole number, else `#,##0.0…` with as many decimals as the value has (≤ max)."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max_decimals, max(0, -exponent)) if isinstance(exponent, int) else 0
    return INTEGER_FORMAT if decimals == 0 else "#,##0." + "0" * decimals


def excel_number(value: Decimal, *, exact: bool = False):
    """The value as a cell holds it: an int or a float, or (exact) Vietnamese text beyond 15 digits.

    Exports for reading may lose digits beyond Excel's precision (rounding is for display). The entry
    template must give back exactly what it was given, so such a figure is written as text in
    Vietnamese notation, which `parse_number` reads back to the same Decimal.
    """
    if exact and len(value.normalize().as_tuple().digits) > _EXCEL_DIGITS:
        return format_number(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def put_number(ws, row: int, column: int, value: Decimal | None, *, number_format=None, exact=False):
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    cell.value = excel_number(value, exact=exact)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    else:
        cell.number_format = number_format or number_format_for(value)
    return cell


def _header(ws, row: int, columns: list[tuple[str, int]]) -> None:
    for index, (label, width) in enumerate(columns, start=1):
        put_text(ws, row, index, label, font=BOLD, fill=HEADER_FILL, alignment=WRAP).border = BORDER
        ws.column_dimensions[get_column_letter(index)].width = width


def _local_naive(moment: datetime) -> datetime:
    """Excel has no time zones: the local wall-clock time of the ward."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _issued_at() -> str:
    return timezone.localtime().strftime("%H:%M %d/%m/%Y")


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_file_part(text: str) -> str:
    """A piece of a download's file name: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


# --- export: progress table ------------------------------------------------------------------------


def progress_file_name(*, year: int, quarter: int) -> str:
    return f"tien-do-{year}-Q{quarter}.xlsx"


def _result_figure(target: Target, value: Decimal | None):
    """A roll-up figure for a cell: a number, or the words of a yes/no standard."""
    if value is None:
        return None
    if target.comparator == Target.Comparator.MAINTAIN and target.target_value is None:
        return _("Đạt chuẩn") if value >= 1 else _("Chưa đạt chuẩn")
    return value


def progress_workbook(*, plan, quarter: int, include_submitted: bool = False):
    """The targets × quarters table of `rollup()`: plan figure, value after each quarter, status.

    Every figure comes from the roll-up engine, as on the dashboard and in the PDF; nothing is added
    up here. Headings are kept as bold rows so the sheet reads like the plan.
    """
    results = rollup(plan=plan, up_to_quarter=quarter, include_submitted=include_submitted)
    wb = openpyxl.Workbook()
    ws = wb.active
    roman = ["I", "II", "III", "IV"]
    ws.title = sheet_title(_("Tiến độ đến quý %(q)s năm %(y)s") % {"q": roman[quarter - 1], "y": plan.year})
    put_text(ws, 1, 1, _("TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM %(y)s") % {"y": plan.year}, font=TITLE_FONT)
    counted = _("tính cả báo cáo đã gửi chưa duyệt") if include_submitted else _("chỉ tính báo cáo đã duyệt")
    put_text(
        ws,
        2,
        1,
        _("Số liệu đến hết quý %(q)s/%(y)s (%(counted)s), xuất lúc %(at)s. Kế hoạch số %(number)s.")
        % {
            "q": roman[quarter - 1],
            "y": plan.year,
            "counted": counted,
            "at": _issued_at(),
            "number": plan.number,
        },
        font=ITALIC,
    )
    columns = [
        (_("Mã"), 10),
        (_("Chỉ tiêu"), 56),
        (_("Đơn vị tính"), 12),
        (_("So sánh"), 8),
        (_("Kế hoạch"), 16),
    ]
    columns += [(_("Sau quý %(q)s") % {"q": roman[q - 1]}, 15) for q in range(1, quarter + 1)]
    columns += [
        (_("Thực hiện"), 16),
        (_("Tiến độ (%)"), 11),
        (_("Đánh giá"), 17),
        (_("Dự kiến cả năm"), 16),
    ]
    header_row = 4
    _header(ws, header_row, columns)
    first_quarter_col = 6
    after = first_quarter_col + quarter
    for row, result in enumerate(results, start=header_row + 1):
        target = result.target
        put_text(ws, row, 1, target.code, font=BOLD if target.is_heading else None)
        put_text(ws, row, 2, target.display_name, alignment=WRAP, font=BOLD if target.is_heading else None)
        if target.is_heading:
            for column in range(1, len(columns) + 1):
                ws.cell(row=row, column=column).fill = HEADING_FILL
            continue
        put_text(ws, row, 3, target.unit_of_measure)
        put_text(ws, row, 4, target.comparator_symbol)
        if target.target_value is not None:
            put_number(ws, row, 5, target.target_value)
        else:
            put_text(ws, row, 5, chi_tieu(target))
        cells = [(first_quarter_col + q - 1, result.by_quarter.get(q)) for q in range(1, quarter + 1)]
        cells += [(after, result.actual), (after + 3, result.projection)]
        for column, value in cells:
            figure = _result_figure(target, value)
            if isinstance(figure, Decimal):
                put_number(ws, row, column, figure, number_format=number_format_for(figure, 2))
            elif figure is not None:
                put_text(ws, row, column, figure)
        if result.progress is not None:
            put_number(ws, row, after + 1, result.progress, number_format="#,##0.0")
        put_text(ws, row, after + 2, result.status_label)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    return wb


# --- export: completeness --------------------------------------------------------------------------


def completeness_file_name(period: ReportingPeriod) -> str:
    return f"tinh-hinh-nop-{period.plan.year}-Q{period.quarter}.xlsx"


def completeness_rows(*, period: ReportingPeriod, today: date) -> list[dict]:
    """Each reporting unit with its report (or None), its state and whether it is late.

    The same reading as the completeness page: a unit without a report is "missing", lateness is
    `Report.is_late` or, without a report, the period's (extended) deadline.
    """
    units = list(
        Unit.objects.filter(assignments__element__plan=period.plan).distinct().order_by("order", "name")
    )
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period).select_related("submitted_by", "reviewed_by", "period")
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "report": report,
                "state": report.status if report else "missing",
                "late": report.is_late(today) if report else today > period.effective_deadline,
            }
        )
    return rows


def completeness_workbook(*, period: ReportingPeriod, today: date | None = None):
    """Who has submitted this quarter, who is late, who was returned (the office's follow-up list)."""
    today = today or timezone.localdate()
    rows = completeness_rows(period=period, today=today)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title(
        _("Tình hình nộp quý %(q)s-%(y)s") % {"q": period.roman_quarter, "y": period.plan.year}
    )
    put_text(ws, 1, 1, _("TÌNH HÌNH NỘP BÁO CÁO %(p)s") % {"p": str(period).upper()}, font=TITLE_FONT)
    put_text(
        ws,
        2,
        1,
        _("Hạn nộp %(deadline)s%(locked)s. Xuất lúc %(at)s.")
        % {
            "deadline": period.effective_deadline.strftime("%d/%m/%Y"),
            "locked": _(" (kỳ đã khóa)") if period.is_locked else "",
            "at": _issued_at(),
        },
        font=ITALIC,
    )
    columns = [
        (_("Mã đơn vị"), 12),
        (_("Đơn vị"), 36),
        (_("Trạng thái"), 14),
        (_("Quá hạn"), 9),
        (_("Gửi lúc"), 17),
        (_("Người gửi"), 22),
        (_("Duyệt/trả lại lúc"), 17),
        (_("Người duyệt/trả lại"), 22),
        (_("Lý do trả lại"), 40),
    ]
    header_row = 4
    _header(ws, header_row, columns)
    labels = dict(Report.Status.choices) | {"missing": _("Chưa nhập")}
    for row, item in enumerate(rows, start=header_row + 1):
        report = item["report"]
        put_text(ws, row, 1, item["unit"].code)
        put_text(ws, row, 2, item["unit"].name)
        put_text(ws, row, 3, labels[item["state"]])
        put_text(ws, row, 4, _("Có") if item["late"] else "")
        if report and report.submitted_at:
            cell = ws.cell(row=row, column=5, value=_local_naive(report.submitted_at))
            cell.number_format = DATETIME_FORMAT
            put_text(ws, row, 6, person_name(report.submitted_by) if report.submitted_by else "")
        if report and report.reviewed_at:
            cell = ws.cell(row=row, column=7, value=_local_naive(report.reviewed_at))
            cell.number_format = DATETIME_FORMAT
            put_text(ws, row, 8, person_name(report.reviewed_by) if report.reviewed_by else "")
        if report and report.status == Report.Status.RETURNED:
            put_text(ws, row, 9, report.return_reason, alignment=WRAP)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + len(rows)}"
    return wb


# --- entry template ---------------------------------------------------------------------------------

TEMPLATE_MARKER = "PHOMINH-THIDUA/MAU-NHAP-SO-LIEU"
# Raise when the layout below changes: files made from an older layout are then refused by name.
TEMPLATE_VERSION = 1
META_SHEET = "_mau"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
COL_CODE, COL_PREVIOUS, COL_VALUE, COL_COMMENT = 2, 5, 6, 7
# A unit reports a few dozen figures; more rows than this means the sheet is not ours.
MAX_DATA_ROWS = 5000


def guide_title() -> str:
    return _("Hướng dẫn")


def template_columns() -> list[tuple[str, int]]:
    return [
        (_("STT"), 6),
        (_("Mã số liệu"), 16),
        (_("Tên số liệu"), 58),
        (_("Đơn vị tính"), 12),
        (_("Quý trước"), 15),
        (_("Giá trị"), 17),
        (_("Ghi chú"), 42),
    ]


def entry_file_name(*, period: ReportingPeriod, units: list[Unit]) -> str:
    """so-lieu-TDP-01-2024-Q4.xlsx for one unit, so-lieu-2024-Q4-14-don-vi.xlsx for several."""
    when = f"{period.plan.year}-Q{period.quarter}"
    if len(units) == 1:
        return f"so-lieu-{safe_file_part(units[0].code)}-{when}.xlsx"
    return f"so-lieu-{when}-{len(units)}-don-vi.xlsx"


def unit_sheet_title(unit: Unit) -> str:
    return sheet_title(_("Số liệu %(code)s") % {"code": unit.code})


def previous_values_by_unit(*, units: list[Unit], period: ReportingPeriod) -> dict[int, dict[int, Decimal]]:
    """`services.previous_values` for many units in one query (the same rule: quarter I has none)."""
    found: dict[int, dict[int, Decimal]] = {unit.pk: {} for unit in units}
    if period.quarter == 1:
        return found
    rows = ReportedValue.objects.filter(
        report__unit__in=[u.pk for u in units],
        report__period__plan_id=period.plan_id,
        report__period__quarter=period.quarter - 1,
    ).values_list("report__unit_id", "element_id", "value")
    for unit_id, element_id, value in rows:
        found[unit_id][element_id] = value
    return found


def entry_workbook(*, period: ReportingPeriod, units: list[Unit]):
    """The entry template for `units`, filled with their saved figures (also a unit's export).

    Five queries whatever the number of units and figures.
    """
    plan = period.plan
    assigned: dict[int, list[DataElement]] = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(unit__in=units, element__plan=plan)
        .select_related("element")
        .order_by("element__order", "element__code")
    ):
        assigned[assignment.unit_id].append(assignment.element)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=units)}
    saved: dict[int, dict[int, ReportedValue]] = defaultdict(dict)
    for value in ReportedValue.objects.filter(report__in=list(reports.values())).select_related("report"):
        saved[value.report.unit_id][value.element_id] = value
    previous = previous_values_by_unit(units=units, period=period)

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for unit in units:
        _unit_sheet(
            wb.create_sheet(unit_sheet_title(unit)),
            unit=unit,
            period=period,
            report=reports.get(unit.pk),
            elements=assigned[unit.pk],
            saved=saved[unit.pk],
            previous=previous[unit.pk],
        )
    _guide_sheet(wb.create_sheet(guide_title()), period=period, units=units)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta["A1"], meta["B1"] = TEMPLATE_MARKER, TEMPLATE_VERSION
    meta["A2"], meta["B2"] = "year", plan.year
    meta["A3"], meta["B3"] = "quarter", period.quarter
    meta["A4"], meta["B4"] = "unit", "version"
    for row, unit in enumerate(units, start=5):
        put_text(meta, row, 1, unit.code)
        meta.cell(row=row, column=2, value=reports[unit.pk].version if unit.pk in reports else 0)
    meta.protection.sheet = True
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _unit_sheet(ws, *, unit, period, report, elements, saved, previous) -> None:
    status = report.get_status_display() if report else _("Chưa nhập")
    put_text(
        ws,
        1,
        1,
        _("SỐ LIỆU %(p)s — %(unit)s") % {"p": str(period).upper(), "unit": unit.name.upper()},
        font=TITLE_FONT,
    )
    put_text(ws, 2, 1, _("Đơn vị:"), font=BOLD)
    put_text(ws, 2, COL_CODE, unit.code, font=BOLD)
    put_text(ws, 2, 3, unit.name)
    put_text(ws, 3, 1, _("Kỳ:"), font=BOLD)
    put_text(ws, 3, COL_CODE, str(period))
    put_text(
        ws,
        3,
        3,
        _("Trạng thái: %(status)s · hạn nộp %(deadline)s · tải lúc %(at)s")
        % {"status": status, "deadline": period.effective_deadline.strftime("%d/%m/%Y"), "at": _issued_at()},
        font=ITALIC,
    )
    _header(ws, HEADER_ROW, template_columns())
    for index, element in enumerate(elements, start=1):
        row = HEADER_ROW + index
        ws.cell(row=row, column=1, value=index)
        put_text(ws, row, COL_CODE, element.code)
        put_text(ws, row, 3, element.name, alignment=WRAP)
        put_text(ws, row, 4, element.unit_of_measure)
        put_number(ws, row, COL_PREVIOUS, previous.get(element.pk))
        current = saved.get(element.pk)
        whole = element.value_type != DataElement.ValueType.AMOUNT
        value_cell = put_number(
            ws,
            row,
            COL_VALUE,
            current.value if current else None,
            number_format=INTEGER_FORMAT if whole else AMOUNT_INPUT_FORMAT,
            exact=True,
        )
        if current is None:
            value_cell.number_format = INTEGER_FORMAT if whole else AMOUNT_INPUT_FORMAT
        comment_cell = put_text(
            ws, row, COL_COMMENT, current.comment if current and current.comment else None
        )
        for cell in (value_cell, comment_cell):
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
            cell.border = BORDER
        comment_cell.alignment = WRAP
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=4)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column is harmless
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _guide_sheet(ws, *, period, units) -> None:
    limit_mb = upload_limit_text()
    lines = [
        (_("HƯỚNG DẪN NHẬP SỐ LIỆU BẰNG TỆP EXCEL"), TITLE_FONT),
        (_("Kỳ báo cáo: %(p)s. Tệp gồm %(n)s đơn vị.") % {"p": period, "n": len(units)}, None),
        ("", None),
        (_("1. Chỉ nhập vào hai cột có nền vàng: “Giá trị” và “Ghi chú”. Các cột khác đã khóa."), None),
        (
            _(
                "2. Số viết theo kiểu Việt Nam: 4.176 (bốn nghìn một trăm bảy mươi sáu), 2,57 "
                "(hai phẩy năm bảy). Số như 2.5 hay 1,234,567 có thể hiểu hai cách nên bị từ chối."
            ),
            None,
        ),
        (_("3. Số liệu đạt/không đạt: ghi 1 (đạt) hoặc 0 (chưa đạt). Mức độ: ghi số mức (1, 2, 3)."), None),
        (
            _(
                "4. Ô “Giá trị” để trống: giữ nguyên số đã lưu trên cổng. Muốn xóa một số liệu, "
                "hãy sửa trên trang nhập liệu."
            ),
            None,
        ),
        (_("5. Không dùng công thức, không gộp ô, không thêm, xóa hay đổi tên trang tính."), None),
        (
            _("6. Số bất thường so với quý trước cần ghi lý do ở cột “Ghi chú” trước khi gửi duyệt."),
            None,
        ),
        (
            _(
                "7. Tải tệp lên ở trang “Nhập từ Excel” (tối đa %(mb)s MB). Cổng kiểm tra toàn bộ tệp và "
                "cho xem trước mọi thay đổi; chỉ khi bạn bấm xác nhận số liệu mới được lưu (dạng nháp)."
            )
            % {"mb": limit_mb},
            None,
        ),
        ("", None),
        (_("Các trang tính trong tệp:"), BOLD),
    ]
    lines += [(f"• {unit_sheet_title(u)}: {u.name}", None) for u in units]
    lines += [
        ("", None),
        (
            _("Mẫu %(marker)s, phiên bản %(version)s. Tạo lúc %(at)s.")
            % {"marker": TEMPLATE_MARKER, "version": TEMPLATE_VERSION, "at": _issued_at()},
            ITALIC,
        ),
    ]
    ws.column_dimensions["A"].width = 110
    for row, (text, font) in enumerate(lines, start=1):
        put_text(ws, row, 1, text or None, font=font, alignment=Alignment(wrap_text=True))
    ws.protection.sheet = True


# --- upload: the file as a whole --------------------------------------------------------------------


class UploadRefused(Exception):
    """The file cannot be read at all; the message says why, in words for the user."""


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _megabytes(size: int) -> str:
    return format_number(Decimal(size) / (1024 * 1024), 1)


def upload_limit_text() -> str:
    """The upload limit as the user reads it ("2" for 2 MB)."""
    return _megabytes(settings.EXCEL_UPLOAD_MAX_BYTES)


def check_upload(upload) -> bytes:
    """The upload's bytes, once size and zip structure are safe for openpyxl to open.

    Raises UploadRefused.
    """
    data = check_size(upload)
    check_zip(data)
    return data


def check_size(upload) -> bytes:
    """The upload's bytes, or UploadRefused beyond settings.EXCEL_UPLOAD_MAX_BYTES.

    Reads at most one byte past the limit, whatever size the upload claims.
    """
    limit = settings.EXCEL_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise UploadRefused(
            _("Tệp quá lớn (%(size)s MB). Giới hạn là %(limit)s MB.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("Tệp quá lớn. Giới hạn là %(limit)s MB.") % {"limit": _megabytes(limit)})
    upload.seek(0)
    return data


def check_zip(data: bytes) -> None:
    """Refuse what is not an .xlsx zip, carries macros, or would inflate beyond the limits."""
    if data.startswith(_OLE_MAGIC):
        raise UploadRefused(
            _(
                "Tệp là bảng tính Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu. Hãy mở tệp, bỏ mật khẩu "
                "nếu có, rồi lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
        )
    not_xlsx = UploadRefused(
        _("Tệp không phải là bảng tính Excel (.xlsx). Hãy dùng tệp mẫu tải từ cổng và lưu dạng .xlsx.")
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise not_xlsx from error
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UploadRefused(_("Tệp có chứa macro. Hãy lưu lại dưới dạng “Excel Workbook (.xlsx)”."))
    if len(entries) > settings.EXCEL_MAX_ZIP_ENTRIES or any(e.flag_bits & 0x1 for e in entries):
        raise not_xlsx
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    bomb = UploadRefused(
        _(
            "Tệp bị từ chối: khi giải nén sẽ chiếm %(size)s MB (giới hạn %(limit)s MB, nén tối đa %(ratio)s "
            "lần). Đây không phải một bảng số liệu bình thường."
        )
        % {
            "size": _megabytes(unpacked),
            "limit": _megabytes(settings.EXCEL_UNZIPPED_MAX_BYTES),
            "ratio": settings.EXCEL_MAX_COMPRESSION_RATIO,
        }
    )
    if unpacked > settings.EXCEL_UNZIPPED_MAX_BYTES:
        raise bomb
    # Tiny files compress little; the ratio only means something once there is something to inflate.
    if unpacked > 1024 * 1024 and unpacked / packed > settings.EXCEL_MAX_COMPRESSION_RATIO:
        raise bomb


def open_workbook(data: bytes):
    """openpyxl's full reader (formulas kept as formulas, never evaluated), or UploadRefused."""
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=False, data_only=False, keep_links=False, keep_vba=False
        )
    except Exception as error:  # openpyxl raises many kinds on a damaged file; all mean the same here
        raise UploadRefused(
            _("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
        ) from error


# --- upload: reading and checking the figures -------------------------------------------------------


@dataclass
class Problem:
    """An error or a warning, located by sheet, row and column as the user sees them in Excel."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: int | None = None

    @property
    def column_text(self) -> str:
        if self.column is None:
            return ""
        labels = dict(enumerate((label for label, _w in template_columns()), start=1))
        letter = get_column_letter(self.column)
        return f"{letter} ({labels[self.column]})" if self.column in labels else letter

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("Trang tính “%(s)s”") % {"s": self.sheet})
        if self.row:
            where.append(_("dòng %(r)s") % {"r": self.row})
        if self.column:
            where.append(_("cột %(c)s") % {"c": self.column_text})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class RowChange:
    """One figure the file would change, as the preview shows it."""

    element: DataElement
    row: int
    old_value: Decimal | None
    new_value: Decimal
    old_comment: str
    new_comment: str

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value


@dataclass
class UnitImport:
    unit: Unit
    sheet: str
    version: int
    rows_read: int = 0
    changes: list[RowChange] = field(default_factory=list)


@dataclass
class ImportPreview:
    """Everything the upload would do, and every reason it cannot; nothing is saved yet."""

    file_name: str
    period: ReportingPeriod
    units: list[UnitImport] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def change_count(self) -> int:
        return sum(len(u.changes) for u in self.units)

    def pending(self, *, user) -> dict:
        """What confirming will write, JSON-safe for the session: ids, figures as text, versions.

        Only the changes are kept; the versions are those seen now, so that a report saved by
        someone else before the confirmation is a conflict, not an overwrite.
        """
        return {
            "period": self.period.pk,
            "user": user.pk,
            "file": self.file_name,
            "units_in_file": [item.unit.pk for item in self.units],
            "units": [
                {
                    "unit": item.unit.pk,
                    "version": item.version,
                    "entries": [[c.element.pk, str(c.new_value), c.new_comment] for c in item.changes],
                }
                for item in self.units
                if item.changes
            ],
        }


@dataclass
class _Row:
    row: int
    code: str
    value_cell: object
    comment_cell: object


@dataclass
class _Sheet:
    title: str
    unit_code: str
    rows: list[_Row]


def _cell_problem(cell) -> str | None:
    """A formula or an error value where a figure or a word is expected."""
    if cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula):
        text = cell.value.text if isinstance(cell.value, ArrayFormula) else str(cell.value)
        return _("Ô chứa công thức “%(f)s”. Hãy nhập con số, không dùng công thức.") % {"f": text[:60]}
    if cell.data_type == "e":
        return _("Ô đang báo lỗi %(e)s.") % {"e": cell.value}
    return None


def read_number(value) -> Decimal | None:
    """A value cell as a figure, by the web form's rules; raises ValidationError.

    Text goes through `parse_number`. A number Excel stored is taken as `Decimal(str(value))` and then
    written back in Vietnamese and read by `parse_number` too, so that the sign, the four decimals
    and the size are checked by the one function that checks typed figures.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Ô Đúng/Sai (TRUE/FALSE) không phải số: ghi 1 (đạt) hoặc 0 (chưa đạt)."))
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(_("Không đọc được số trong ô."))
        return parse_number(format_number(Decimal(str(value))))
    if isinstance(value, datetime | date | time | timedelta):
        raise ValidationError(
            _(
                "Ô đang ở dạng ngày giờ, không phải số (Excel tự đổi khi gõ kiểu 2/5). "
                "Hãy định dạng ô là số rồi gõ lại."
            )
        )
    return parse_number(unescape_text(str(value)))


def _read_comment(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_text(str(value)).strip()


def _read_sheets(workbook, period: ReportingPeriod) -> tuple[list[_Sheet], list[Problem], dict[str, int]]:
    """The template's sheets as rows of cells, after the checks that need no database."""
    if META_SHEET not in workbook.sheetnames or workbook[META_SHEET]["A1"].value != TEMPLATE_MARKER:
        raise UploadRefused(
            _(
                "Tệp không phải mẫu nhập số liệu của cổng thi đua. Hãy tải tệp mẫu ở trang "
                "nhập liệu, điền số vào đó rồi tải lên."
            )
        )
    meta = workbook[META_SHEET]
    version = meta["B1"].value
    if version != TEMPLATE_VERSION:
        raise UploadRefused(
            _(
                "Tệp được tạo từ mẫu cũ (phiên bản %(old)s; mẫu hiện hành là phiên bản %(new)s). "
                "Hãy tải mẫu mới rồi nhập lại số liệu."
            )
            % {"old": version, "new": TEMPLATE_VERSION}
        )
    year, quarter = meta["B2"].value, meta["B3"].value
    if (year, quarter) != (period.plan.year, period.quarter):
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
        raise UploadRefused(
            _("Tệp là mẫu của quý %(q)s/%(y)s, không phải của %(p)s. Hãy tải đúng mẫu của kỳ này.")
            % {"q": roman.get(quarter, quarter), "y": year, "p": period}
        )
    downloaded = {}
    for code, seen in meta.iter_rows(min_row=5, max_col=2, values_only=True):
        if isinstance(code, str) and isinstance(seen, int):
            downloaded[unescape_text(code)] = seen

    problems: list[Problem] = []
    sheets: list[_Sheet] = []
    header = [label for label, _w in template_columns()]
    for ws in workbook.worksheets:
        if ws.title in (META_SHEET, guide_title()):
            continue
        if ws.max_row == 1 and ws.max_column == 1 and ws["A1"].value is None:
            problems.append(
                Problem(_("Trang tính trống. Hãy xóa trang tính này hoặc dùng lại tệp mẫu."), sheet=ws.title)
            )
            continue
        for merged in ws.merged_cells.ranges:
            problems.append(
                Problem(
                    _("Có ô gộp (%(range)s). Hãy bỏ gộp ô: mỗi số liệu nằm trong một ô riêng.")
                    % {"range": merged.coord},
                    sheet=ws.title,
                )
            )
        found = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(header) + 1)]
        unit_cell = ws.cell(row=2, column=COL_CODE)
        if found != header or not isinstance(unit_cell.value, str):
            problems.append(
                Problem(
                    _(
                        "Trang tính không đúng mẫu (dòng tiêu đề hoặc mã đơn vị ở ô B2 đã bị sửa, "
                        "hoặc trang tính được thêm vào). Hãy dùng lại tệp mẫu."
                    ),
                    sheet=ws.title,
                )
            )
            continue
        if ws.max_row > HEADER_ROW + MAX_DATA_ROWS:
            problems.append(
                Problem(_("Trang tính có quá nhiều dòng (%(n)s).") % {"n": ws.max_row}, sheet=ws.title)
            )
            continue
        rows: list[_Row] = []
        seen_codes: dict[str, int] = {}
        for cells in ws.iter_rows(min_row=FIRST_ROW, max_row=ws.max_row, max_col=COL_COMMENT):
            code_cell, value_cell, comment_cell = (
                cells[COL_CODE - 1],
                cells[COL_VALUE - 1],
                cells[COL_COMMENT - 1],
            )
            row = code_cell.row
            if code_cell.value is None and value_cell.value is None and comment_cell.value is None:
                continue
            broken = False
            for column, cell in ((COL_CODE, code_cell), (COL_VALUE, value_cell), (COL_COMMENT, comment_cell)):
                message = _cell_problem(cell)
                if message:
                    problems.append(Problem(message, sheet=ws.title, row=row, column=column))
                    broken = True
            if broken:
                continue
            code = unescape_text(str(code_cell.value or "")).strip()
            if not code:
                problems.append(
                    Problem(_("Dòng có số nhưng thiếu mã số liệu."), sheet=ws.title, row=row, column=COL_CODE)
                )
                continue
            if code in seen_codes:
                problems.append(
                    Problem(
                        _(
                            "Mã số liệu “%(code)s” lặp lại (đã có ở dòng %(first)s). Mỗi số liệu chỉ ghi một dòng."
                        )
                        % {"code": code, "first": seen_codes[code]},
                        sheet=ws.title,
                        row=row,
                        column=COL_CODE,
                    )
                )
                continue
            seen_codes[code] = row
            rows.append(_Row(row=row, code=code, value_cell=value_cell, comment_cell=comment_cell))
        if not rows:
            problems.append(Problem(_("Trang tính không có dòng số liệu nào."), sheet=ws.title))
            continue
        sheets.append(_Sheet(title=ws.title, unit_code=unescape_text(unit_cell.value).strip(), rows=rows))
    if not sheets and not problems:
        problems.append(Problem(_("Tệp không có trang số liệu nào.")))
    return sheets, problems, downloaded


def read_upload(*, workbook, file_name: str, period: ReportingPeriod, user, today: date | None = None):
    """Check a filled template as a whole and say what it would change; writes nothing.

    Raises UploadRefused when the file is not a template of this period. Otherwise returns an
    ImportPreview whose errors (by sheet, row and column) block the import. A constant number of
    queries, whatever the number of units and rows: units, assignments, elements with their targets,
    reports, saved values and last quarter's values are each fetched once.
    """
    today = today or timezone.localdate()
    sheets, problems, downloaded = _read_sheets(workbook, period)
    preview = ImportPreview(file_name=file_name, period=period, errors=problems)
    plan = period.plan
    units = {u.code: u for u in Unit.objects.filter(code__in={s.unit_code for s in sheets})}
    if not units:
        for sheet in sheets:
            preview.errors.append(_unknown_unit(sheet))
        return preview
    elements = {
        e.pk: e
        for e in DataElement.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "terms",
                queryset=TargetTerm.objects.select_related("target").prefetch_related("target__terms"),
            )
        )
    }
    by_code = {e.code: e for e in elements.values()}
    assigned: dict[int, list[DataElement]] = defaultdict(list)
    for unit_id, element_id in (
        Assignment.objects.filter(unit__in=units.values(), element__plan=plan)
        .order_by("element__order")
        .values_list("unit_id", "element_id")
    ):
        assigned[unit_id].append(elements[element_id])
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=units.values())}
    saved: dict[int, dict[int, ReportedValue]] = defaultdict(dict)
    for value in ReportedValue.objects.filter(report__in=list(reports.values())):
        saved[value.report_id][value.element_id] = value
    previous = previous_values_by_unit(units=list(units.values()), period=period)

    seen_units: dict[str, str] = {}
    for sheet in sheets:
        unit = units.get(sheet.unit_code)
        if unit is None:
            preview.errors.append(_unknown_unit(sheet))
            continue
        if unit.code in seen_units:
            preview.errors.append(
                Problem(
                    _("Đơn vị %(code)s đã có ở trang tính “%(other)s”.")
                    % {"code": unit.code, "other": seen_units[unit.code]},
                    sheet=sheet.title,
                    row=2,
                    column=COL_CODE,
                )
            )
            continue
        seen_units[unit.code] = sheet.title
        report = reports.get(unit.pk) or Report(unit=unit, period=period, version=0)
        report.unit, report.period = unit, period
        if role_refused := _outside_scope(user, unit):
            # Nothing else is said about another unit's sheet, not even whether it would change.
            preview.errors.append(Problem(role_refused, sheet=sheet.title, row=2, column=COL_CODE))
            continue
        item = _check_unit_sheet(
            preview,
            sheet=sheet,
            unit=unit,
            report=report,
            elements=assigned[unit.pk],
            by_code=by_code,
            saved=saved.get(report.pk, {}) if report.pk else {},
            previous=previous[unit.pk],
        )
        if not permissions.can_edit_report(user, report, today=today):
            refusal = permissions.edit_refusal(user, report, today=today)
            if item.changes:
                preview.errors.append(Problem(refusal, sheet=sheet.title, row=2, column=COL_CODE))
            else:
                preview.warnings.append(
                    Problem(
                        _("%(refusal)s Trang tính không có thay đổi nên được bỏ qua.") % {"refusal": refusal},
                        sheet=sheet.title,
                    )
                )
            item.changes = []
        seen = downloaded.get(unit.code)
        if seen is not None and seen != report.version and item.changes:
            preview.warnings.append(
                Problem(
                    _(
                        "Báo cáo của %(unit)s đã được cập nhật sau khi tệp này được tải về. Hãy so kỹ cột "
                        "“Đã lưu” với “Trong tệp” bên dưới trước khi xác nhận."
                    )
                    % {"unit": unit.name},
                    sheet=sheet.title,
                )
            )
        preview.units.append(item)
    return preview


def _unknown_unit(sheet: _Sheet) -> Problem:
    return Problem(
        _("Không có đơn vị mã “%(code)s”.") % {"code": sheet.unit_code},
        sheet=sheet.title,
        row=2,
        column=COL_CODE,
    )


def _outside_scope(user, unit: Unit) -> str | None:
    """The refusal for a unit the user never enters figures for (whatever the report's state)."""
    if permissions.role_of(user) not in permissions.ENTERING_ROLES or unit.pk not in permissions.own_unit_ids(
        user
    ):
        return _("%(unit)s: bạn không được nhập số liệu cho đơn vị này.") % {"unit": unit.name}
    return None


def _check_unit_sheet(
    preview: ImportPreview, *, sheet, unit, report, elements, by_code, saved, previous
) -> UnitImport:
    """One unit's rows by the web form's rules; errors and warnings go to `preview`."""
    item = UnitImport(unit=unit, sheet=sheet.title, version=report.version)
    allowed = {e.pk for e in elements}
    read: dict[int, tuple[_Row, Decimal, str]] = {}
    for row in sheet.rows:
        element = by_code.get(row.code)
        if element is None or element.pk not in allowed:
            preview.errors.append(
                Problem(
                    _("Mã số liệu “%(code)s” không thuộc các số liệu %(unit)s báo cáo.")
                    % {"code": row.code, "unit": unit.name},
                    sheet=sheet.title,
                    row=row.row,
                    column=COL_CODE,
                )
            )
            continue
        comment = _read_comment(row.comment_cell.value)
        if len(comment) > COMMENT_MAX:
            preview.errors.append(
                Problem(
                    _("Ghi chú dài quá %(n)s ký tự.") % {"n": COMMENT_MAX},
                    sheet=sheet.title,
                    row=row.row,
                    column=COL_COMMENT,
                )
            )
            continue
        try:
            value = read_number(row.value_cell.value)
            if value is not None:
                check_value(element, value)
        except ValidationError as error:
            for message in error.messages:
                preview.errors.append(Problem(message, sheet=sheet.title, row=row.row, column=COL_VALUE))
            continue
        if value is None:
            continue  # an empty cell keeps the saved figure (module docstring)
        item.rows_read += 1
        read[element.pk] = (row, value, comment)

    values = {pk: v.value for pk, v in saved.items()} | {pk: value for pk, (_r, value, _c) in read.items()}
    issues = check_report(elements=elements, values=values, previous=previous)
    for kind, found in (("error", issues.errors), ("warning", issues.warnings)):
        for element_id, messages in found.items():
            if element_id not in read and kind == "warning":
                continue  # a figure the file leaves alone keeps its warning on the entry page
            row = read[element_id][0].row if element_id in read else None
            for message in messages:
                problem = Problem(message, sheet=sheet.title, row=row, column=COL_VALUE if row else None)
                (preview.errors if kind == "error" else preview.warnings).append(problem)

    for element in elements:
        if element.pk not in read:
            continue
        row, value, comment = read[element.pk]
        current = saved.get(element.pk)
        if current is not None and current.value == value and current.comment == comment:
            continue
        item.changes.append(
            RowChange(
                element=element,
                row=row.row,
                old_value=current.value if current else None,
                new_value=value,
                old_comment=current.comment if current else "",
                new_comment=comment,
            )
        )
    return item


# --- upload: confirming -----------------------------------------------------------------------------


class ImportConflict(services.ConflictError):
    """A report changed between the preview and the confirmation."""


def import_reason(file_name: str) -> str:
    return _("Tệp %(name)s") % {"name": file_name}


def save_import(*, pending: dict, user, today: date | None = None) -> tuple[int, int]:
    """Write what the preview showed, for every unit in one transaction; (units, figures changed).

    The figures come from the server-side `pending` record (`ImportPreview.pending`), never from the
    request. Each unit's report must still be at the version seen at preview time, else nothing is
    saved (ImportConflict). Everything else — permissions, the period's lock, the audit trail — is
    `services.save_values`, as for the web form, with source "import" and the file named as reason.
    """
    period = ReportingPeriod.objects.select_related("plan").get(pk=pending["period"])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[item["unit"] for item in pending["units"]])}
    # The plan's elements in one query (in_bulk by id would split a long list into batches).
    elements = {e.pk: e for e in DataElement.objects.filter(plan_id=period.plan_id)}
    reason = import_reason(pending["file"])
    changed = 0
    with transaction.atomic():
        for item in pending["units"]:
            unit = units[item["unit"]]
            entries = {
                elements[element_id]: services.Entry(Decimal(value), comment)
                for element_id, value, comment in item["entries"]
            }
            try:
                _report, count = services.save_values(
                    unit=unit,
                    period=period,
                    user=user,
                    entries=entries,
                    version=item["version"],
                    source=ValueChange.Source.IMPORT,
                    reason=reason,
                    today=today,
                )
            except services.ConflictError as error:
                raise ImportConflict(
                    _(
                        "Báo cáo của %(unit)s vừa được cập nhật sau khi bạn xem trước tệp. Chưa lưu số liệu "
                        "nào từ tệp: hãy tải tệp lên lại để xem các thay đổi mới nhất."
                    )
                    % {"unit": unit.name}
                ) from error
            except services.ReportError as error:
                raise services.ReportError(
                    _("%(unit)s: %(error)s Chưa lưu số liệu nào từ tệp.")
                    % {"unit": unit.name, "error": error}
                ) from error
            changed += count
    return len(pending["units"]), changed
