"""Accounts from an Excel list, with a row-by-row preview and an all-or-nothing confirmation.

As the household register's import (awards/household_import.py): the file is checked as a file by
indicators.excel, read without formulas, every row is checked before anything is written, and
confirming writes every account or none. Columns are found by their headings: họ tên, tên đăng nhập,
email, vai trò (the role's name or its code), đơn vị (unit codes separated by commas).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import openpyxl
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from indicators import excel
from indicators.models import Profile, Unit

from .permissions import creatable_roles
from .services import NewAccount, account_problems

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 2000
COLUMNS = {
    "full_name": ("họ tên", "họ và tên"),
    "username": ("tên đăng nhập", "tài khoản"),
    "email": ("email", "thư điện tử", "e-mail"),
    "role": ("vai trò",),
    "units": ("đơn vị", "mã đơn vị", "đơn vị phụ trách"),
}


def _norm(text) -> str:
    return " ".join(str(text).split()).lower().rstrip(" *:")


# The template's headings, in the source language; the import also reads them as the user's language
# writes them (an English user downloads "Name", "User name", "Role").
HEADINGS = {
    "full_name": gettext_noop("Họ tên"),
    "username": gettext_noop("Tên đăng nhập"),
    "email": gettext_noop("Email"),
    "role": gettext_noop("Vai trò"),
    "units": gettext_noop("Đơn vị"),
}


def _column_labels() -> dict[str, set[str]]:
    """Each column's accepted headings: the Vietnamese ones and the template's in the active language."""
    return {name: set(labels) | {_norm(_(HEADINGS[name]))} for name, labels in COLUMNS.items()}


def _roles() -> dict[str, str]:
    """A role by its code or its name, in Vietnamese or in the user's language."""
    names = {}
    for language in {"vi", translation.get_language() or "vi"}:
        with translation.override(language):
            for value, label in Profile.Role.choices:
                names[_norm(value)] = value
                names[_norm(label)] = value
    return names


def template_workbook(*, user):
    """An empty list with the headings the import reads, and the roles and unit codes to write."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = excel.sheet_title(_("Tài khoản"))
    excel.put_text(ws, 1, 1, _("DANH SÁCH TÀI KHOẢN"), font=excel.TITLE_FONT)
    widths = {"full_name": 28, "username": 18, "email": 28, "role": 30, "units": 24}
    headers = [(_(HEADINGS[name]), width) for name, width in widths.items()]
    for column, (label, width) in enumerate(headers, start=1):
        excel.put_text(ws, 3, column, label, font=excel.BOLD, fill=excel.HEADER_FILL)
        ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    guide = workbook.create_sheet(excel.sheet_title(_("Hướng dẫn")))
    excel.put_text(guide, 1, 1, _("Vai trò (ghi đúng một trong các tên sau)"), font=excel.BOLD)
    for row, (_value, label) in enumerate(creatable_roles(user), start=2):
        excel.put_text(guide, row, 1, str(label))
    excel.put_text(guide, 1, 3, _("Mã đơn vị (nhiều mã cách nhau bởi dấu phẩy)"), font=excel.BOLD)
    for row, unit in enumerate(Unit.objects.filter(is_active=True).order_by("order", "name"), start=2):
        excel.put_text(guide, row, 3, unit.code)
        excel.put_text(guide, row, 4, unit.name)
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 20
    guide.column_dimensions["D"].width = 40
    return workbook


@dataclass
class Row:
    row: int
    full_name: str = ""
    username: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    unit_codes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    file_name: str
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def row_errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and not self.row_errors

    def pending(self, *, user) -> dict:
        """What confirming makes, JSON-safe for the session (no password: they are made at confirmation)."""
        return {
            "user": user.pk,
            "file": self.file_name,
            "rows": [[r.full_name, r.username, r.email, r.role, r.unit_codes] for r in self.rows],
        }


def _cell_text(cell, row: Row) -> str:
    problem = excel._cell_problem(cell)
    if problem:
        row.errors.append(problem)
        return ""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(excel.unescape_text(str(value)).split())


def read_upload(*, workbook, file_name: str, user) -> Preview:
    preview = Preview(file_name=file_name)
    ws = workbook.worksheets[0] if workbook.worksheets else None
    columns, header_row = {}, None
    accepted = _column_labels()
    if ws is not None:
        for cells in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
            found = {}
            for c in cells:
                if isinstance(c.value, str):
                    for name, labels in accepted.items():
                        if _norm(c.value) in labels:
                            found[name] = c.column
            if {"full_name", "username", "role"} <= found.keys():
                columns, header_row = found, cells[0].row
                break
    if header_row is None:
        preview.errors.append(
            _("Không tìm thấy các cột “Họ tên”, “Tên đăng nhập”, “Vai trò” trong %(n)s dòng đầu.")
            % {"n": HEADER_SEARCH_ROWS}
        )
        return preview
    if ws.max_row - header_row > MAX_ROWS:
        preview.errors.append(_("Trang tính có quá nhiều dòng (%(n)s).") % {"n": ws.max_row - header_row})
        return preview
    units = {u.code.upper(): u for u in Unit.objects.filter(is_active=True)}
    taken = {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    roles, labels, allowed = _roles(), dict(Profile.Role.choices), dict(creatable_roles(user))
    seen: dict[str, int] = {}
    last = max(columns.values())
    for cells in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=last):
        picked = {name: cells[col - 1] for name, col in columns.items()}
        if all(
            c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in picked.values()
        ):
            continue
        row = Row(row=cells[0].row)
        row.full_name = _cell_text(picked["full_name"], row)[:150]
        row.username = _cell_text(picked["username"], row)
        if "email" in picked:
            row.email = _cell_text(picked["email"], row)
        role_text = _cell_text(picked["role"], row)
        if "units" in picked:
            row.unit_codes = [
                c.strip().upper()
                for c in _cell_text(picked["units"], row).replace(";", ",").split(",")
                if c.strip()
            ]
        if not row.full_name:
            row.errors.append(_("Thiếu họ tên."))
        if not row.username:
            row.errors.append(_("Thiếu tên đăng nhập."))
        elif not (row.username.isascii() and all(c.isalnum() or c in "._-" for c in row.username)):
            row.errors.append(_("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ -."))
        elif row.username.lower() in taken:
            row.errors.append(_("Tên đăng nhập %(u)s đã có.") % {"u": row.username})
        elif row.username.lower() in seen:
            row.errors.append(_("Trùng tên đăng nhập với dòng %(r)s.") % {"r": seen[row.username.lower()]})
        else:
            seen[row.username.lower()] = row.row
        if row.email and ("@" not in row.email or " " in row.email or len(row.email) > 254):
            row.errors.append(_("Thư điện tử không hợp lệ."))
        row.role = roles.get(_norm(role_text), "")
        if not row.role:
            row.errors.append(
                _("Vai trò “%(r)s” không có. Ghi một trong: %(all)s.")
                % {"r": role_text, "all": ", ".join(str(v) for v in allowed.values())}
            )
        else:
            row.role_label = str(labels[row.role])
            if row.role not in allowed:
                row.errors.append(
                    _("Tài khoản vai trò “%(r)s” do quản trị hệ thống tạo.") % {"r": row.role_label}
                )
        unknown = [c for c in row.unit_codes if c not in units]
        if unknown:
            row.errors.append(_("Không có đơn vị mã %(codes)s.") % {"codes": ", ".join(unknown)})
        elif row.role:
            row.errors += account_problems(as_account(row, units))
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("Tệp không có dòng tài khoản nào."))
    return preview


def as_account(row: Row, units: dict[str, Unit]) -> NewAccount:
    return NewAccount(
        full_name=row.full_name,
        username=row.username,
        email=row.email,
        role=row.role,
        units=[units[c] for c in row.unit_codes],
    )


def accounts_from_pending(pending: dict) -> list[NewAccount]:
    """The previewed rows again; a unit deactivated since the preview refuses the whole import."""
    from .services import SetupConflict

    units = {u.code.upper(): u for u in Unit.objects.filter(is_active=True)}
    accounts = []
    for full_name, username, email, role, codes in pending["rows"]:
        missing = [c for c in codes if c not in units]
        if missing:
            raise SetupConflict(_("Không có đơn vị mã %(codes)s.") % {"codes": ", ".join(missing)})
        accounts.append(
            NewAccount(
                full_name=full_name,
                username=username,
                email=email,
                role=role,
                units=[units[c] for c in codes],
            )
        )
    return accounts
