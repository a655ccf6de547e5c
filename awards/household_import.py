"""A residential group's household register from Excel: the template, the preview, the import.

It follows the figures' import (indicators/excel.py): the upload is checked as a file by the same
functions (size, zip structure, macros, zip bombs), read without evaluating formulas, and every row
is checked before anything is written; a row's problems are shown next to that row, in Vietnamese.
Confirming writes everything or nothing: what is written is kept on the server at preview time, with
the version of every household the file would change, so that a register edited in between is a
conflict, not an overwrite.

The columns are found by their headings, so a leader's own list works as well as the template when its
headings read "Họ và tên chủ hộ", "Địa chỉ", "Số nhân khẩu", "Ghi chú". A household already in the
register (the same head's name and address, case and spacing ignored) is updated; a new one is added;
households of the register missing from the file are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from indicators import excel
from indicators.audit import log_action
from indicators.models import Unit

from .households import _require_keeper
from .models import Household, normalise_name
from .services import ConflictError

TEMPLATE_MARKER = "PHOMINH-THIDUA/MAU-SO-HO-GIA-DINH"
META_SHEET = "_mau"
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000
COLUMNS = {
    "head_name": ("họ và tên chủ hộ", "chủ hộ", "họ tên chủ hộ"),
    "address": ("địa chỉ",),
    "members": ("số nhân khẩu", "nhân khẩu", "số người"),
    "note": ("ghi chú",),
}
LIMITS = {"head_name": 160, "address": 200, "note": 300}


def template_headers() -> list[tuple[str, int]]:
    return [
        (_("STT"), 6),
        (_("Họ và tên chủ hộ"), 28),
        (_("Địa chỉ"), 36),
        (_("Số nhân khẩu"), 12),
        (_("Ghi chú"), 30),
    ]


def template_file_name(unit: Unit) -> str:
    return f"so-ho-gia-dinh-{excel.safe_file_part(unit.code)}.xlsx"


def template_workbook(unit: Unit, households: list[Household] | None = None):
    """The register's template for one group, filled with its households when given (a round trip:
    download, correct, upload)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = excel.sheet_title(_("Sổ hộ gia đình"))
    excel.put_text(
        ws, 1, 1, _("SỔ HỘ GIA ĐÌNH — %(unit)s") % {"unit": unit.name.upper()}, font=excel.TITLE_FONT
    )
    excel.put_text(
        ws,
        2,
        1,
        _(
            "Mỗi dòng một hộ. Bắt buộc: họ và tên chủ hộ. Hộ đã có trong sổ (cùng chủ hộ và địa chỉ) được "
            "cập nhật; hộ mới được thêm vào."
        ),
        font=excel.ITALIC,
    )
    for column, (label, width) in enumerate(template_headers(), start=1):
        excel.put_text(ws, 4, column, label, font=excel.BOLD, fill=excel.HEADER_FILL)
        ws.cell(row=4, column=column).border = excel.BORDER
        ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    for i, household in enumerate(households or [], start=1):
        row = 4 + i
        ws.cell(row=row, column=1, value=i)
        excel.put_text(ws, row, 2, household.head_name)
        excel.put_text(ws, row, 3, household.address)
        if household.members is not None:
            ws.cell(row=row, column=4, value=household.members)
        excel.put_text(ws, row, 5, household.note, alignment=Alignment(wrap_text=True))
    ws.freeze_panes = "A5"
    meta = workbook.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = TEMPLATE_MARKER, unit.code
    meta.sheet_state = "hidden"
    return workbook


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the file as the preview shows it, with its problems next to it."""

    row: int
    head_name: str = ""
    address: str = ""
    members: int | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)
    household: Household | None = None
    action: str = ""  # "new", "update", "same", "reactivate"

    @property
    def key(self) -> tuple[str, str]:
        return normalise_name(self.head_name), normalise_name(self.address)

    @property
    def action_label(self) -> str:
        return {
            "new": _("Thêm mới"),
            "update": _("Cập nhật"),
            "same": _("Không đổi"),
            "reactivate": _("Cư trú trở lại"),
        }.get(self.action, "")


@dataclass
class Preview:
    unit: Unit
    file_name: str
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    untouched: int = 0  # households of the register not in the file

    @property
    def row_errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors and any(r.action != "same" for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    def pending(self, *, user) -> dict:
        """What confirming writes, JSON-safe for the session: the rows that change, with versions."""
        return {
            "unit": self.unit.pk,
            "user": user.pk,
            "file": self.file_name,
            "rows": [
                [
                    r.household.pk if r.household else None,
                    r.household.version if r.household else None,
                    r.head_name,
                    r.address,
                    r.members,
                    r.note,
                ]
                for r in self.rows
                if r.action != "same"
            ],
        }


def _heading(value) -> str | None:
    if not isinstance(value, str):
        return None
    text = normalise_name(value).rstrip(" *:")
    for name, labels in COLUMNS.items():
        if text in labels:
            return name
    return None


def _text(cell, name: str, row: Row) -> str:
    message = excel._cell_problem(cell)
    if message:
        row.errors.append(message)
        return ""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(excel.unescape_text(str(value)).split())
    if len(text) > LIMITS[name]:
        row.errors.append(
            _("%(col)s dài quá %(n)s ký tự.") % {"col": dict(_labels())[name], "n": LIMITS[name]}
        )
    return text


def _labels() -> list[tuple[str, str]]:
    return [
        ("head_name", _("Họ và tên chủ hộ")),
        ("address", _("Địa chỉ")),
        ("members", _("Số nhân khẩu")),
        ("note", _("Ghi chú")),
    ]


def _members(cell, row: Row) -> int | None:
    message = excel._cell_problem(cell)
    if message:
        row.errors.append(message)
        return None
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        row.errors.append(_("Số nhân khẩu phải là số nguyên từ 1 đến 99."))
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= 99:
        row.errors.append(_("Số nhân khẩu phải là số nguyên từ 1 đến 99."))
        return None
    return value


def read_upload(*, workbook, file_name: str, unit: Unit) -> Preview:
    """Check a filled register as a whole; writes nothing. Two queries, whatever the rows."""
    preview = Preview(unit=unit, file_name=file_name)
    if META_SHEET in workbook.sheetnames:
        meta = workbook[META_SHEET]
        if meta["A1"].value == TEMPLATE_MARKER and meta["B1"].value not in (None, unit.code):
            preview.errors.append(
                _("Tệp là sổ hộ của tổ có mã %(code)s, không phải của %(unit)s. Hãy tải đúng mẫu của tổ.")
                % {"code": meta["B1"].value, "unit": unit.name}
            )
            return preview
    sheets = [ws for ws in workbook.worksheets if ws.title != META_SHEET]
    ws = sheets[0] if sheets else None
    columns, header_row = {}, None
    if ws is not None:
        for cells in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
            found = {_heading(c.value): c.column for c in cells if _heading(c.value)}
            if "head_name" in found:
                columns, header_row = found, cells[0].row
                break
    if header_row is None:
        preview.errors.append(
            _(
                "Không tìm thấy cột “Họ và tên chủ hộ” trong %(n)s dòng đầu của trang tính đầu tiên. Hãy dùng "
                "tệp mẫu tải từ trang sổ hộ."
            )
            % {"n": HEADER_SEARCH_ROWS}
        )
        return preview
    if ws.merged_cells.ranges:
        preview.errors.append(
            _("Có ô gộp (%(range)s). Hãy bỏ gộp ô: mỗi hộ nằm trên một dòng riêng.")
            % {"range": ", ".join(r.coord for r in list(ws.merged_cells.ranges)[:3])}
        )
    if ws.max_row - header_row > MAX_ROWS:
        preview.errors.append(_("Trang tính có quá nhiều dòng (%(n)s).") % {"n": ws.max_row - header_row})
        return preview
    existing = list(Household.objects.filter(unit=unit))
    by_key = {h.key: h for h in existing}
    seen: dict[tuple[str, str], int] = {}
    last = max(columns.values())
    for cells in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=last):
        picked = {name: cells[col - 1] for name, col in columns.items()}
        if all(
            c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in picked.values()
        ):
            continue
        row = Row(row=cells[0].row)
        row.head_name = _text(picked["head_name"], "head_name", row)
        if "address" in picked:
            row.address = _text(picked["address"], "address", row)
        if "note" in picked:
            row.note = _text(picked["note"], "note", row)
        if "members" in picked:
            row.members = _members(picked["members"], row)
        if not row.head_name and not row.errors:
            row.errors.append(_("Thiếu họ và tên chủ hộ."))
        if row.head_name:
            first = seen.get(row.key)
            if first:
                row.errors.append(
                    _("Trùng với dòng %(first)s (cùng chủ hộ và địa chỉ). Mỗi hộ chỉ ghi một dòng.")
                    % {"first": first}
                )
            else:
                seen[row.key] = row.row
            household = by_key.get(row.key)
            row.household = household
            if household is None:
                row.action = "new"
            elif not household.is_active:
                row.action = "reactivate"
            elif (household.members, household.note) == (row.members, row.note) and (
                household.head_name,
                household.address,
            ) == (row.head_name, row.address):
                row.action = "same"
            else:
                row.action = "update"
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("Tệp không có dòng hộ gia đình nào."))
    matched = {r.household.pk for r in preview.rows if r.household}
    preview.untouched = sum(1 for h in existing if h.is_active and h.pk not in matched)
    return preview


class ImportConflict(ConflictError):
    """The register changed between the preview and the confirmation."""


def save_import(*, pending: dict, user) -> tuple[int, int]:
    """Write what the preview showed, all or nothing; (added, updated)."""
    unit = Unit.objects.get(pk=pending["unit"])
    _require_keeper(user, unit)
    conflict = ImportConflict(
        _(
            "Sổ hộ của %(unit)s vừa được cập nhật sau khi bạn xem trước tệp. Chưa lưu hộ nào từ tệp: hãy "
            "tải tệp lên lại để xem các thay đổi mới nhất."
        )
        % {"unit": unit.name}
    )
    now = timezone.now()
    with transaction.atomic():
        current = {h.pk: h for h in Household.objects.select_for_update().filter(unit=unit)}
        keys = {h.key for h in current.values()}
        new, changed = [], []
        for pk, version, head, address, members, note in pending["rows"]:
            if pk is None:
                household = Household(
                    unit=unit, head_name=head, address=address, members=members, note=note, created_at=now
                )
                if household.key in keys:
                    raise conflict
                keys.add(household.key)
                new.append(household)
                continue
            household = current.get(pk)
            if household is None or household.version != version:
                raise conflict
            household.head_name, household.address = head, address
            household.members, household.note, household.is_active = members, note, True
            household.version += 1
            household.updated_at = now
            changed.append(household)
        Household.objects.bulk_create(new, batch_size=500)
        Household.objects.bulk_update(
            changed,
            ["head_name", "address", "members", "note", "is_active", "version", "updated_at"],
            batch_size=500,
        )
        log_action(
            unit,
            "awards.household.imported",
            user,
            {"file": pending["file"], "added": len(new), "updated": len(changed)},
        )
    return len(new), len(changed)
