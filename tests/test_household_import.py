"""The household register from Excel: the template round trip, the row errors next to their row, and
all-or-nothing on confirm (a register changed since the preview is a conflict)."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from awards import household_import as imp
from awards.models import Household
from indicators.models import ActionLog, Unit

pytestmark = pytest.mark.django_db


def group(code="TDP-01"):
    return Unit.objects.get(code=code)


def leader():
    return get_user_model().objects.get(username="totruong1")


def workbook(rows, *, headers=("STT", "Họ và tên chủ hộ", "Địa chỉ", "Số nhân khẩu", "Ghi chú"), start=1):
    book = openpyxl.Workbook()
    ws = book.active
    ws.cell(row=start, column=1, value="Danh sách hộ tổ 1")
    for c, h in enumerate(headers, start=1):
        ws.cell(row=start + 1, column=c, value=h)
    for r, values in enumerate(rows, start=start + 2):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
    return book


def reopen(book):
    data = io.BytesIO()
    book.save(data)
    return openpyxl.load_workbook(io.BytesIO(data.getvalue()))


def test_template_round_trip_finds_nothing_to_change(demo):
    unit = group()
    Household.objects.create(unit=unit, head_name="Trần Văn An", address="Số 1", members=4)
    book = reopen(imp.template_workbook(unit, list(Household.objects.filter(unit=unit))))
    preview = imp.read_upload(workbook=book, file_name="so-ho.xlsx", unit=unit)
    assert not preview.errors and [r.action for r in preview.rows] == ["same"]
    assert not preview.ok  # nothing to import


def test_rows_are_checked_and_errors_stay_next_to_their_row(demo):
    book = workbook(
        [
            (1, "Trần Văn An", "Số 1", 4, ""),
            (2, "", "Số 2", 3, ""),
            (3, "Lê Thị Ba", "Số 3", "bốn", ""),
            (4, "trần  văn an", "số 1", 2, "trùng"),
            (5, "Phạm Văn Năm", "Số 5", 120, ""),
            (6, "=A1", "Số 6", None, ""),
        ]
    )
    preview = imp.read_upload(workbook=book, file_name="a.xlsx", unit=group())
    by_row = {r.row: r for r in preview.rows}
    assert by_row[3].errors == []
    assert by_row[4].errors == ["Thiếu họ và tên chủ hộ."]
    assert "Số nhân khẩu" in by_row[5].errors[0]
    assert "Trùng với dòng 3" in by_row[6].errors[0]
    assert "1 đến 99" in by_row[7].errors[0]
    assert "công thức" in by_row[8].errors[0]
    assert preview.row_errors == 5 and not preview.ok


def test_a_file_without_the_heading_is_refused(demo):
    preview = imp.read_upload(
        workbook=workbook([("x", "y")], headers=("Tên", "Nhà")), file_name="a.xlsx", unit=group()
    )
    assert "Họ và tên chủ hộ" in preview.errors[0]


def test_another_groups_template_is_refused(demo):
    book = reopen(imp.template_workbook(group("TDP-02")))
    preview = imp.read_upload(workbook=book, file_name="a.xlsx", unit=group())
    assert "TDP-02" in preview.errors[0]


def test_import_adds_updates_and_logs_once(demo):
    unit = group()
    old = Household.objects.create(unit=unit, head_name="Trần Văn An", address="Số 1", members=4)
    moved = Household.objects.create(unit=unit, head_name="Võ Văn Bảy", address="Số 7", is_active=False)
    book = workbook(
        [(1, "Trần Văn An", "Số 1", 5, "")]
        + [(1, "Võ Văn Bảy", "Số 7", None, "")]
        + [(i, f"Nguyễn Văn {i:03d}", f"Số {i}", 3, "") for i in range(10, 410)],
        start=3,
    )
    preview = imp.read_upload(workbook=book, file_name="to1.xlsx", unit=unit)
    assert preview.ok and (preview.count("new"), preview.count("update"), preview.count("reactivate")) == (
        400,
        1,
        1,
    )
    added, updated = imp.save_import(pending=preview.pending(user=leader()), user=leader())
    assert (added, updated) == (400, 2)
    old.refresh_from_db()
    moved.refresh_from_db()
    assert (old.members, old.version, moved.is_active) == (5, 1, True)
    assert Household.objects.filter(unit=unit, is_active=True).count() == 402
    assert ActionLog.objects.filter(action="awards.household.imported").count() == 1


def test_confirm_after_a_change_saves_nothing(demo):
    unit = group()
    old = Household.objects.create(unit=unit, head_name="Trần Văn An", address="Số 1", members=4)
    book = workbook([(1, "Trần Văn An", "Số 1", 5, ""), (2, "Lê Văn Hai", "Số 2", 2, "")])
    pending = imp.read_upload(workbook=book, file_name="a.xlsx", unit=unit).pending(user=leader())
    Household.objects.filter(pk=old.pk).update(version=1, members=6)  # edited on the page meanwhile
    with pytest.raises(imp.ImportConflict):
        imp.save_import(pending=pending, user=leader())
    assert Household.objects.filter(unit=unit).count() == 1
    old.refresh_from_db()
    assert old.members == 6


def test_a_household_added_meanwhile_is_a_conflict_too(demo):
    unit = group()
    pending = imp.read_upload(
        workbook=workbook([(1, "Lê Văn Hai", "Số 2", 2, "")]), file_name="a.xlsx", unit=unit
    ).pending(user=leader())
    Household.objects.create(unit=unit, head_name="Lê Văn Hai", address="Số 2")
    with pytest.raises(imp.ImportConflict):
        imp.save_import(pending=pending, user=leader())
    assert Household.objects.filter(unit=unit).count() == 1


def test_another_groups_leader_cannot_import(demo):
    from awards.services import AwardError

    pending = imp.read_upload(
        workbook=workbook([(1, "Lê Văn Hai", "Số 2", 2, "")]), file_name="a.xlsx", unit=group()
    ).pending(user=leader())
    with pytest.raises(AwardError):
        imp.save_import(pending=pending, user=get_user_model().objects.get(username="totruong2"))
    assert not Household.objects.exists()
