"""Excel exports of the award lists (openpyxl).

Every text cell is written as text: openpyxl would store "=HYPERLINK(…)" typed into an achievement or a
name as a formula, which Excel runs on opening (CSV/formula injection). Text starting with = + - @ (or
a tab or carriage return) is also marked with Excel's quote prefix, so that it stays text even when
somebody edits the cell.
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import AwardRecord, Proposal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def put(ws, row: int, column: int, value) -> None:
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never "f": a text cell that Excel cannot run as a formula
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value


def _sheet(title: str, heading: str, headers: list[str], rows: list[list], widths: list[int]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    put(ws, 1, 1, heading)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, f"Xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}")
    for column, header in enumerate(headers, start=1):
        put(ws, 4, column, header)
        ws.cell(row=4, column=column).font = Font(bold=True)
        ws.cell(row=4, column=column).alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for r, values in enumerate(rows, start=5):
        for column, value in enumerate(values, start=1):
            put(ws, r, column, value)
    ws.freeze_panes = "A5"
    return wb


def proposals_workbook(proposals: list[Proposal], *, year: int) -> Workbook:
    headers = [
        "STT",
        "Năm",
        "Đơn vị đề nghị",
        "Danh hiệu",
        "Được đề nghị",
        "Chức vụ, địa chỉ",
        "Trạng thái",
        "Văn phòng kiểm tra",
        "Phiên họp",
        "Đồng ý",
        "Không đồng ý",
        "Không có ý kiến",
        "Kết quả biểu quyết",
        "Tóm tắt thành tích",
    ]
    rows = []
    for n, p in enumerate(proposals, start=1):
        item = getattr(p, "agenda_item", None)
        closed = item is not None and item.session.is_closed
        verdict = {True: "Đủ điều kiện", False: "Không đủ điều kiện", None: ""}[p.office_eligible]
        rows.append(
            [
                n,
                p.plan.year,
                p.unit.name,
                p.title.name,
                p.nominee,
                p.nominee_position,
                p.get_status_display(),
                verdict,
                str(item.session) if item else "",
                item.agree if closed else None,
                item.disagree if closed else None,
                item.abstain if closed else None,
                ("Thông qua" if item.passed else "Không thông qua") if closed else "",
                p.achievements,
            ]
        )
    return _sheet(
        "De nghi",
        f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}",
        headers,
        rows,
        [5, 6, 28, 30, 26, 24, 22, 18, 30, 8, 8, 8, 16, 60],
    )


def registry_workbook(records: list[AwardRecord]) -> Workbook:
    headers = [
        "STT",
        "Năm",
        "Danh hiệu",
        "Được khen thưởng",
        "Chức vụ, địa chỉ",
        "Đơn vị",
        "Số quyết định",
        "Ngày",
        "Cấp quyết định",
    ]
    rows = [
        [
            n,
            r.year,
            r.title.name,
            r.nominee,
            r.nominee_position,
            r.unit.name,
            r.decision_number,
            f"{r.decided_on:%d/%m/%Y}",
            r.decided_by,
        ]
        for n, r in enumerate(records, start=1)
    ]
    return _sheet("So khen thuong", "SỔ KHEN THƯỞNG", headers, rows, [5, 6, 30, 28, 24, 28, 16, 12, 34])


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )
