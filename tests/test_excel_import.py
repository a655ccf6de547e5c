"""Entry by spreadsheet: upload, preview, confirm; bad files; conflicts; master data in the admin (issue 8)."""

import io
import os
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import excel, services
from indicators.models import DataElement, Profile, Report, ReportingPeriod, Target, Unit, ValueChange

from .reporting import comment, entry_url, group_payload, open_quarter, unit, value_of

pytestmark = pytest.mark.django_db

FIGURES = {
    "SO_HO": 600,
    "HO_NGHEO": 15,
    "HO_CAN_NGHEO": 17,
    "HO_VAN_HOA": 560,
    "HO_NUOC_SACH": 570,
    "DAN_SO": "2.400",  # typed as text, in Vietnamese notation
    "NGUOI_BHYT": 2150,
    "DAN_TRAU": 7,
    "DAN_BO": 95.0,  # a number Excel stored as a float
    "DAN_LON": 12,
    "DAN_GA": 620,
    "DAN_VIT": "1.900",
}


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("TDP-01"), unit("TDP-02"), unit("DC-NN")]),
        "office": make_user("office", units=[unit("VP-TK")]),
    }


# --- helpers --------------------------------------------------------------------------------------------


def download(client, unit_code: str = "TDP-01", quarter: int = 4) -> bytes:
    response = client.get(reverse("excel-unit", args=[2024, quarter, unit_code]))
    assert response.status_code == 200
    return response.content


def edit(data: bytes, change) -> bytes:
    """Open a downloaded file with openpyxl, let `change(wb)` edit it, save it again."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(ws, code: str) -> int:
    return next(r for r in range(excel.FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=2).value == code)


def fill(data: bytes, figures: dict, comments: dict | None = None, sheet: str | None = None) -> bytes:
    def change(wb):
        ws = wb[sheet] if sheet else wb.worksheets[0]
        for code, value in figures.items():
            ws.cell(row=row_of(ws, code), column=6, value=value)
        for code, text in (comments or {}).items():
            ws.cell(row=row_of(ws, code), column=7, value=text)

    return edit(data, change)


def upload(client, data: bytes, name: str = "so-lieu-TDP-01-2024-Q4.xlsx", quarter: int = 4):
    return client.post(
        reverse("excel-import", args=[2024, quarter]),
        {"file": SimpleUploadedFile(name, data, content_type=excel.XLSX_CONTENT_TYPE)},
    )


def confirm(client, preview, quarter: int = 4, **extra):
    token = preview.context["confirm_form"].initial["token"]
    return client.post(reverse("excel-import-confirm", args=[2024, quarter]), {"token": token} | extra)


def errors(response) -> list[str]:
    if "preview" in response.context:
        return [str(p) for p in response.context["preview"].errors]
    return [str(e) for e in response.context["form"].errors["file"]]


def nothing_saved(unit_code: str = "TDP-01", quarter: int = 4):
    assert not ValueChange.objects.filter(
        report__unit__code=unit_code, report__period__quarter=quarter
    ).exists()
    assert not Report.objects.filter(
        unit__code=unit_code, period__quarter=quarter, values__isnull=False
    ).exists()


def refused(response, *fragments: str):
    """The upload was refused with every fragment in one message, no confirmation offered."""
    assert response.status_code == 400
    assert response.context.get("confirm_form") is None
    messages = errors(response)
    assert any(all(f in m for f in fragments) for m in messages), messages
    html = response.content.decode()
    assert all(f in html for f in fragments[:1])


# --- the happy paths ------------------------------------------------------------------------------------


def test_filled_template_is_previewed_then_saved_as_draft_with_the_file_in_the_audit(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), FIGURES, comments={"SO_HO": "Theo sổ hộ khẩu"})
    response = upload(client, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok and preview.change_count == 12
    html = response.content.decode()
    assert "Đọc được 12 số liệu, 12 thay đổi" in html and "2.400" in html and "Theo sổ hộ khẩu" in html
    nothing_saved()  # a preview writes nothing

    response = confirm(client, response)
    assert response.status_code == 302 and response["Location"] == entry_url("TDP-01")
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.DRAFT
    assert value_of("TDP-01", "DAN_SO") == 2400 and value_of("TDP-01", "DAN_BO") == 95
    assert value_of("TDP-01", "DAN_VIT") == 1900
    assert report.values.get(element__code="SO_HO").comment == "Theo sổ hộ khẩu"
    changes = ValueChange.objects.filter(report=report)
    assert changes.count() == 12
    assert set(changes.values_list("source", "reason", "user")) == {
        ("import", "Tệp so-lieu-TDP-01-2024-Q4.xlsx", people["leader"].pk)
    }
    page = client.get(entry_url("TDP-01")).content.decode()
    assert "Đã lưu nháp 12 số liệu của 1 đơn vị từ tệp so-lieu-TDP-01-2024-Q4.xlsx" in page


def test_round_trip_of_a_saved_quarter_changes_nothing(client, people):
    """Export a unit's quarter, import it back: no change shown, none saved, no audit row added."""
    client.force_login(people["leader"])
    payload = comment(group_payload(0), "SO_HO", "=> tách 3 hộ")  # formula-like text survives too
    client.post(entry_url("TDP-01"), payload | {"action": "save"})
    client.force_login(people["official"])
    elements = {e.code: e.pk for e in DataElement.objects.filter(code__in=["DT_LUA", "SL_LUA", "DT_NGO"])}
    dcnn = {
        f"v_{pk}": text for pk, text in zip(elements.values(), ["360,5", "2.106,8", "12,25"], strict=True)
    }
    dcnn |= {f"c_{pk}": "" for pk in elements.values()}
    client.post(entry_url("DC-NN"), {"version": "0", "action": "save"} | dcnn)
    assert value_of("DC-NN", "SL_LUA") == Decimal("2106.8")
    audit_rows = ValueChange.objects.count()
    versions = dict(Report.objects.filter(period__quarter=4).values_list("unit__code", "version"))

    for code in ("TDP-01", "DC-NN"):
        response = upload(client, download(client, code), name=f"so-lieu-{code}-2024-Q4.xlsx")
        assert response.status_code == 200, errors(response)
        preview = response.context["preview"]
        assert preview.ok and preview.change_count == 0 and preview.units[0].rows_read > 0
        assert "không có thay đổi nào" in response.content.decode()
        response = confirm(client, response)
        assert response.status_code == 302 and response["Location"] == entry_url(code)

    assert ValueChange.objects.count() == audit_rows
    assert dict(Report.objects.filter(period__quarter=4).values_list("unit__code", "version")) == versions
    assert (
        Report.objects.get(unit__code="TDP-01", period__quarter=4).values.get(element__code="SO_HO").comment
        == "=> tách 3 hộ"
    )


def test_an_empty_value_cell_keeps_the_saved_figure(client, people):
    client.force_login(people["leader"])
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    data = fill(download(client), {"DAN_SO": None, "DAN_GA": 630})
    response = upload(client, data)
    assert [c.element.code for c in response.context["preview"].units[0].changes] == ["DAN_GA"]
    confirm(client, response)
    assert value_of("TDP-01", "DAN_SO") == 2400 and value_of("TDP-01", "DAN_GA") == 630


def test_one_file_for_several_units_is_saved_in_one_transaction(client, people):
    client.force_login(people["official"])
    response = client.get(reverse("excel-template", args=[2024, 4]))
    data = response.content
    data = fill(data, FIGURES, sheet="Số liệu TDP-01")
    data = fill(data, FIGURES | {"SO_HO": 700}, sheet="Số liệu TDP-02")
    response = upload(client, data, name="so-lieu-2024-Q4-3-don-vi.xlsx")
    assert response.status_code == 200, errors(response)
    assert response.context["preview"].change_count == 24
    response = confirm(client, response)
    assert response.status_code == 302 and response["Location"] == reverse("report-list")
    assert value_of("TDP-01", "SO_HO") == 600 and value_of("TDP-02", "SO_HO") == 700
    assert (
        ValueChange.objects.filter(source="import", reason="Tệp so-lieu-2024-Q4-3-don-vi.xlsx").count() == 24
    )


# --- conflicts, scope, locks ----------------------------------------------------------------------------


def test_a_report_changed_between_preview_and_confirm_is_a_conflict(client, people):
    client.force_login(people["official"])
    data = client.get(reverse("excel-template", args=[2024, 4])).content
    data = fill(data, FIGURES, sheet="Số liệu TDP-01")
    data = fill(data, FIGURES, sheet="Số liệu TDP-02")
    preview = upload(client, data)
    assert preview.context["preview"].ok
    # Meanwhile the leader of TDP-02 saves his group's figures on the web form.
    services.save_values(
        unit=unit("TDP-02"),
        period=ReportingPeriod.objects.get(plan__year=2024, quarter=4),
        user=people["other_leader"],
        entries={DataElement.objects.get(code="SO_HO"): services.Entry(Decimal(650))},
        version=0,
    )
    response = confirm(client, preview)
    assert response.status_code == 409
    assert "Tổ dân phố 2 vừa được cập nhật sau khi bạn xem trước tệp" in response.content.decode()
    # Nothing from the file, for either unit: the whole file is one transaction.
    assert value_of("TDP-02", "SO_HO") == 650 and value_of("TDP-01", "SO_HO") is None
    assert not ValueChange.objects.filter(source="import").exists()
    # The token is spent: confirming again saves nothing either.
    again = confirm(client, preview)
    assert again.status_code == 302 and again["Location"] == reverse("excel-import", args=[2024, 4])
    assert not ValueChange.objects.filter(source="import").exists()


def test_confirm_takes_figures_from_the_server_never_from_the_request(client, people):
    client.force_login(people["leader"])
    preview = upload(client, fill(download(client), {"SO_HO": 600}))
    so_ho = DataElement.objects.get(code="SO_HO").pk
    response = confirm(client, preview, **{f"v_{so_ho}": "999", "entries": "[[1, 999]]"})
    assert response.status_code == 302
    assert value_of("TDP-01", "SO_HO") == 600
    forged = client.post(reverse("excel-import-confirm", args=[2024, 4]), {"token": "x" * 32})
    assert forged.status_code == 302 and forged["Location"] == reverse("excel-import", args=[2024, 4])


def test_another_users_token_is_refused(client, people):
    client.force_login(people["leader"])
    preview = upload(client, fill(download(client), {"SO_HO": 600}))
    token = preview.context["confirm_form"].initial["token"]
    client.force_login(people["official"])  # a new session: the token is not there
    response = client.post(reverse("excel-import-confirm", args=[2024, 4]), {"token": token})
    assert response.status_code == 302
    nothing_saved()


def test_another_units_sheet_is_refused(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), {"SO_HO": 600})
    client.force_login(people["other_leader"])
    response = upload(client, data)
    refused(response, "Tổ dân phố 1: bạn không được nhập số liệu cho đơn vị này")
    problem = response.context["preview"].errors[0]
    assert (problem.sheet, problem.row, problem.column_text) == ("Số liệu TDP-01", 2, "B (Mã số liệu)")
    nothing_saved()


def test_a_figure_the_unit_does_not_report_is_refused(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), {"SO_HO": 600})
    data = edit(
        data,
        lambda wb: wb.worksheets[0].cell(row=row_of(wb.worksheets[0], "DAN_VIT"), column=2, value="SL_LUA"),
    )
    refused(upload(client, data), "Mã số liệu “SL_LUA” không thuộc các số liệu Tổ dân phố 1 báo cáo")
    nothing_saved()


def test_locked_period_is_refused(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), {"SO_HO": 600})
    ReportingPeriod.objects.filter(plan__year=2024, quarter=4).update(is_locked=True)
    refused(upload(client, data), "Kỳ báo cáo đã khóa")
    nothing_saved()


def test_period_closed_after_the_preview_is_refused_at_confirm(client, people):
    client.force_login(people["leader"])
    preview = upload(client, fill(download(client), {"SO_HO": 600}))
    ReportingPeriod.objects.filter(plan__year=2024, quarter=4).update(is_locked=True)
    response = confirm(client, preview)
    assert response.status_code == 403 and "Kỳ báo cáo đã khóa" in response.content.decode()
    nothing_saved()


def test_a_submitted_units_unchanged_sheet_is_skipped_with_a_warning(client, people):
    """The office's all-units file may hold units already submitted: unchanged, they do not block."""
    client.force_login(people["official"])
    client.post(entry_url("TDP-02"), group_payload(0) | {"action": "submit"})
    data = client.get(reverse("excel-template", args=[2024, 4])).content
    response = upload(client, fill(data, FIGURES, sheet="Số liệu TDP-01"))
    assert response.status_code == 200, errors(response)
    warnings = [str(w) for w in response.context["preview"].warnings]
    assert any("Số liệu TDP-02" in w and "Báo cáo đã gửi" in w for w in warnings), warnings
    # Changing the submitted unit's figures is refused.
    response = upload(client, fill(data, {"SO_HO": 601}, sheet="Số liệu TDP-02"))
    refused(response, "Báo cáo đã gửi, đang chờ duyệt")


# --- the rules of the web form ----------------------------------------------------------------------------


def test_the_web_forms_rules_apply_cell_by_cell_and_across_figures(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), FIGURES | {"HO_NGHEO": 650, "DAN_GA": "15,5", "DAN_LON": -3})
    response = upload(client, data)
    assert response.status_code == 400
    found = {(p.row, p.column): p.message for p in response.context["preview"].errors}
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert "không thể lớn hơn" in found[(row_of(ws, "HO_NGHEO"), 6)]
    assert "Phải là số nguyên" in found[(row_of(ws, "DAN_GA"), 6)]
    assert "không được âm" in found[(row_of(ws, "DAN_LON"), 6)]
    nothing_saved()


def test_unusual_jumps_are_warnings_not_errors(client, people):
    Report.objects.filter(unit__code="TDP-01", period__quarter=3).update(status="approved")
    client.force_login(people["leader"])
    response = upload(client, fill(download(client), FIGURES | {"DAN_GA": 5000}))
    assert response.status_code == 200
    warnings = [str(w) for w in response.context["preview"].warnings]
    assert any("so với quý trước" in w and "cột F (Giá trị)" in w for w in warnings), warnings


def test_previous_values_by_unit_is_the_service_for_many_units(demo):
    period = ReportingPeriod.objects.get(plan=demo, quarter=3)
    units = list(Unit.objects.all())
    with CaptureQueriesContext(connection) as queries:
        found = excel.previous_values_by_unit(units=units, period=period)
    assert len(queries) == 1
    for u in units:
        assert found[u.pk] == services.previous_values(unit=u, period=period)
    first = ReportingPeriod.objects.get(plan=demo, quarter=1)
    assert excel.previous_values_by_unit(units=units, period=first) == {u.pk: {} for u in units}


def test_checking_a_file_takes_the_same_queries_for_2_or_9_units(client, demo, make_user):
    open_quarter(demo)
    period = ReportingPeriod.objects.select_related("plan").get(plan=demo, quarter=4)
    counts = []
    for codes in (["TDP-01", "TDP-02"], [f"TDP-0{i}" for i in range(1, 9)] + ["DC-NN"]):
        units = list(Unit.objects.filter(code__in=codes).order_by("order"))
        user = make_user("official", units=units)
        wb = excel.entry_workbook(period=period, units=units)
        workbook = excel.open_workbook(excel.to_bytes(wb))
        user = get_user_model().objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as queries:
            preview = excel.read_upload(workbook=workbook, file_name="x.xlsx", period=period, user=user)
        assert preview.ok
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- bad files: each gets a clear message and nothing is saved -----------------------------------------------


def zip_with(data: bytes, name: str, content: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of an .xlsx with one more entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compress) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def test_not_an_xlsx(client, people):
    client.force_login(people["leader"])
    refused(upload(client, b"ma,gia tri\nSO_HO,600\n"), "không phải là bảng tính Excel (.xlsx)")
    refused(upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "Excel 97-2003 (.xls)")
    just_a_zip = io.BytesIO()
    with zipfile.ZipFile(just_a_zip, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    refused(upload(client, just_a_zip.getvalue()), "không phải là bảng tính Excel (.xlsx)")
    nothing_saved()


def test_a_workbook_that_is_not_our_template(client, people):
    client.force_login(people["leader"])
    wb = openpyxl.Workbook()
    wb.active.append(["Mã số liệu", "Giá trị"])
    wb.active.append(["SO_HO", 600])
    refused(upload(client, excel.to_bytes(wb)), "không phải mẫu nhập số liệu")
    nothing_saved()


def test_an_old_template(client, people):
    client.force_login(people["leader"])

    def make_old(wb):
        wb["_mau"]["B1"] = 0

    data = edit(fill(download(client), {"SO_HO": 600}), make_old)
    refused(upload(client, data), "mẫu cũ (phiên bản 0")
    nothing_saved()


def test_a_template_of_another_quarter(client, people):
    client.force_login(people["leader"])
    data = download(client, quarter=3)
    refused(upload(client, data), "Tệp là mẫu của quý III/2024, không phải của Quý IV/2024")
    nothing_saved()


def test_an_oversized_file(client, people, settings):
    client.force_login(people["leader"])
    data = zip_with(fill(download(client), {"SO_HO": 600}), "xl/media/image1.png", os.urandom(2_200_000))
    assert len(data) > settings.EXCEL_UPLOAD_MAX_BYTES == 2 * 1024 * 1024
    refused(upload(client, data), "Tệp quá lớn", "Giới hạn là 2 MB")
    nothing_saved()


def test_a_zip_bomb(client, people):
    client.force_login(people["leader"])
    data = fill(download(client), {"SO_HO": 600})
    bomb = zip_with(data, "xl/media/zeros.bin", b"\0" * 25_000_000)
    assert len(bomb) < 200_000
    refused(upload(client, bomb), "khi giải nén sẽ chiếm")
    # Below the total limit, a ratio far beyond any real spreadsheet is refused too.
    dense = zip_with(data, "xl/media/zeros.bin", b"\0" * 5_000_000)
    refused(upload(client, dense), "khi giải nén sẽ chiếm")
    nothing_saved()


def test_a_formula_in_a_value_cell(client, people):
    client.force_login(people["leader"])

    def formulas(wb):
        ws = wb.worksheets[0]
        ws.cell(row=row_of(ws, "SO_HO"), column=6, value="=570+30")
        ws.cell(row=row_of(ws, "DAN_SO"), column=7, value='=HYPERLINK("http://x")')

    data = edit(fill(download(client), FIGURES), formulas)
    response = upload(client, data)
    refused(response, "Ô chứa công thức “=570+30”")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    located = {(p.row, p.column_text) for p in response.context["preview"].errors}
    assert (row_of(ws, "SO_HO"), "F (Giá trị)") in located
    assert (row_of(ws, "DAN_SO"), "G (Ghi chú)") in located
    nothing_saved()


def test_merged_cells(client, people):
    client.force_login(people["leader"])
    data = edit(fill(download(client), FIGURES), lambda wb: wb.worksheets[0].merge_cells("F6:G7"))
    refused(upload(client, data), "Có ô gộp (F6:G7)")
    nothing_saved()


def test_text_that_is_not_a_figure(client, people):
    client.force_login(people["leader"])
    response = upload(client, fill(download(client), FIGURES | {"SO_HO": "khoảng 600", "DAN_SO": "2.5"}))
    refused(response, "“khoảng 600” không phải là một số")
    messages = errors(response)
    assert any(
        "“2.5”: dấu chấm dùng để phân cách hàng nghìn" in m and "cột F (Giá trị)" in m for m in messages
    )
    nothing_saved()


def test_non_ascii_digits_in_a_text_cell_are_not_a_figure(client, people):
    client.force_login(people["leader"])
    response = upload(client, fill(download(client), FIGURES | {"SO_HO": "\u0666\u0660\u0660"}))  # ٦٠٠
    refused(response, "“\u0666\u0660\u0660” không phải là một số")
    nothing_saved()


def test_duplicate_rows(client, people):
    client.force_login(people["leader"])

    def duplicate(wb):
        ws = wb.worksheets[0]
        ws.cell(row=row_of(ws, "DAN_VIT"), column=2, value="SO_HO")

    data = edit(fill(download(client), FIGURES), duplicate)
    refused(upload(client, data), "Mã số liệu “SO_HO” lặp lại (đã có ở dòng")
    nothing_saved()


def test_empty_sheet(client, people):
    client.force_login(people["leader"])
    rows_deleted = edit(download(client), lambda wb: wb.worksheets[0].delete_rows(excel.FIRST_ROW, 100))
    refused(upload(client, rows_deleted), "Trang tính không có dòng số liệu nào")
    extra_sheet = edit(fill(download(client), FIGURES), lambda wb: wb.create_sheet("Sheet1"))
    refused(upload(client, extra_sheet), "Trang tính trống")
    nothing_saved()


def test_no_file_and_a_date_cell(client, people):
    client.force_login(people["leader"])
    response = client.post(reverse("excel-import", args=[2024, 4]), {})
    assert response.status_code == 400
    from datetime import datetime

    response = upload(client, fill(download(client), {"SO_HO": datetime(2024, 5, 2)}))
    refused(response, "ngày giờ, không phải số")


# --- permissions of the upload pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,get_status,post_status",
    [
        ("anonymous", 302, 302),
        (None, 403, 403),
        ("leadership", 403, 403),
        ("council", 403, 403),
        ("admin", 403, 403),
        ("office", 200, 302),
        ("official", 200, 302),
        ("group_leader", 200, 302),
    ],
)
def test_upload_permissions(client, demo, make_user, role, get_status, post_status):
    if role != "anonymous":
        client.force_login(make_user(role, units=[unit("TDP-01")]))
    page = client.get(reverse("excel-import", args=[2024, 4]))
    assert page.status_code == get_status
    response = client.post(reverse("excel-import-confirm", args=[2024, 4]), {"token": "abc"})
    assert response.status_code == post_status
    if role == "anonymous":
        assert page["Location"].startswith(reverse("login"))
        assert response["Location"].startswith(reverse("login"))
    if get_status == 200:
        assert reverse("excel-unit", args=[2024, 4, "TDP-01"]) in page.content.decode()
    assert client.get(reverse("excel-import", args=[2024, 9])).status_code in (302, 403, 404)


# --- master data through django-import-export in the admin -------------------------------------------------------


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    return SimpleUploadedFile("du-lieu.xlsx", excel.to_bytes(wb), content_type=excel.XLSX_CONTENT_TYPE)


def admin_import(client, model: str, upload_file):
    """The library's two steps: a dry run with a preview, then the confirmation."""
    preview = client.post(
        reverse(f"admin:indicators_{model}_import"),
        {"import_file": upload_file, "format": "0", "resource": "0"},
    )
    return preview


def admin_confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(f"admin:indicators_{model}_process_import"), form.initial)


def test_units_import_is_a_dry_run_until_confirmed(admin_client, demo):
    upload_file = xlsx(
        [
            ["code", "name", "kind", "parent", "order", "is_active"],
            ["TDP-09", "Tổ dân phố 9", "residential_group", "PHUONG", 27, 1],
            ["TDP-01", "Tổ dân phố 1 (mới)", "residential_group", "PHUONG", 19, 1],
        ]
    )
    preview = admin_import(admin_client, "unit", upload_file)
    assert preview.status_code == 200 and preview.context["confirm_form"] is not None
    result = preview.context["result"]
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert not Unit.objects.filter(code="TDP-09").exists()  # the dry run was rolled back
    assert Unit.objects.get(code="TDP-01").name == "Tổ dân phố 1"
    admin_confirm(admin_client, "unit", preview)
    assert Unit.objects.get(code="TDP-09").parent.code == "PHUONG"
    assert Unit.objects.get(code="TDP-01").name == "Tổ dân phố 1 (mới)"


def test_units_import_reports_bad_rows_and_saves_nothing(admin_client, demo):
    upload_file = xlsx(
        [
            ["code", "name", "kind", "parent", "order", "is_active"],
            ["TDP-09", "Tổ dân phố 9", "khong-co-loai-nay", "PHUONG", 27, 1],
            ["TDP-10", "Tổ dân phố 10", "residential_group", "KHONG-CO", 28, 1],
        ]
    )
    preview = admin_import(admin_client, "unit", upload_file)
    assert preview.context.get("confirm_form") is None
    assert not Unit.objects.filter(code__in=["TDP-09", "TDP-10"]).exists()


def test_people_import_creates_accounts_without_passwords_and_sets_roles(admin_client, demo):
    upload_file = xlsx(
        [
            ["username", "last_name", "first_name", "email", "role", "title", "units"],
            ["totruong9", "Lê Văn", "Chín", "chin@example.com", "group_leader", "Tổ trưởng", "TDP-08"],
            ["canbo", "Trần Văn", "Nam", "", "official", "Công chức", "DC-NN, TC-KT, VH-XH"],
        ]
    )
    preview = admin_import(admin_client, "profile", upload_file)
    assert preview.context["confirm_form"] is not None
    assert not get_user_model().objects.filter(username="totruong9").exists()
    admin_confirm(admin_client, "profile", preview)
    user = get_user_model().objects.get(username="totruong9")
    assert not user.has_usable_password() and (user.last_name, user.email) == ("Lê Văn", "chin@example.com")
    assert user.profile.role == "group_leader" and [u.code for u in user.profile.units.all()] == ["TDP-08"]
    assert set(Profile.objects.get(user__username="canbo").units.values_list("code", flat=True)) == {
        "DC-NN",
        "TC-KT",
        "VH-XH",
    }


def test_people_import_refuses_unknown_units_and_roles(admin_client, demo):
    upload_file = xlsx(
        [
            ["username", "last_name", "first_name", "email", "role", "title", "units"],
            ["moi1", "A", "B", "", "group_leader", "", "TDP-99"],
            ["moi2", "A", "B", "", "superhero", "", "TDP-01"],
        ]
    )
    preview = admin_import(admin_client, "profile", upload_file)
    assert preview.context.get("confirm_form") is None
    assert "TDP-99" in preview.content.decode()
    assert not get_user_model().objects.filter(username__in=["moi1", "moi2"]).exists()


def test_assignments_and_targets_import_by_year_and_code(admin_client, demo):
    assignments = xlsx([["year", "element", "unit"], [2024, "SL_LUA", "TDP-01"], [2024, "SO_HO", "TDP-01"]])
    preview = admin_import(admin_client, "assignment", assignments)
    assert [row.import_type for row in preview.context["result"].rows] == ["new", "skip"]
    admin_confirm(admin_client, "assignment", preview)
    assert unit("TDP-01").assignments.filter(element__code="SL_LUA").exists()

    csv = "year,code,name,target_value,scale\r\n2024,KT-07a,Sản lượng thóc,4.176,1\r\n".encode()
    target_file = SimpleUploadedFile("chi-tieu.csv", csv, content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:indicators_target_import"),
        {"import_file": target_file, "format": "1", "resource": "0"},
    )
    assert preview.context["confirm_form"] is not None, preview.context["result"]
    admin_confirm(admin_client, "target", preview)
    target = Target.objects.get(plan=demo, code="KT-07a")
    assert target.target_value == 4176 and target.name == "Sản lượng thóc"  # 4.176 is four thousand


def test_admin_import_refuses_a_zip_bomb(admin_client, demo):
    wb = openpyxl.Workbook()
    wb.active.append(["code", "name"])
    bomb = zip_with(excel.to_bytes(wb), "xl/media/zeros.bin", b"\0" * 25_000_000)
    preview = admin_import(admin_client, "unit", SimpleUploadedFile("u.xlsx", bomb))
    assert preview.context.get("confirm_form") is None
    assert "khi giải nén sẽ chiếm" in preview.content.decode()


@pytest.mark.parametrize("model", ["unit", "profile", "assignment", "target"])
def test_master_data_changelists_offer_import_and_export(
    admin_client, demo, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(f"admin:indicators_{model}_changelist"))
    html = response.content.decode()
    assert reverse(f"admin:indicators_{model}_import") in html
    assert reverse(f"admin:indicators_{model}_export") in html


def test_master_data_import_needs_the_change_permission(client, demo, make_user):
    from django.contrib.auth.models import Permission

    clerk = make_user("office", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_unit"))
    client.force_login(clerk)
    assert client.get(reverse("admin:indicators_unit_import")).status_code == 403
    assert client.get(reverse("admin:indicators_unit_export")).status_code == 200
