"""Excel exports: the progress table, a unit's quarter (the entry template) and completeness (issue 8)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import excel
from indicators.models import Report, ReportedValue, Unit
from indicators.rollup import rollup

from .reporting import open_quarter, unit

pytestmark = pytest.mark.django_db

FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


@pytest.fixture
def users(demo, make_user):
    open_quarter(demo)
    return {
        "anonymous": None,
        "no_role": make_user(None),
        "leadership": make_user("leadership"),
        "office": make_user("office", units=[unit("VP-TK"), unit("MOT-CUA")]),
        "official": make_user("official", units=[unit("TDP-01"), unit("DC-NN")]),
        "official_other": make_user("official", units=[unit("BCHQS")]),
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "leader_other": make_user("group_leader", units=[unit("TDP-02")]),
        "council": make_user("council"),
        "admin": make_user("admin"),
    }


def workbook(response):
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content))


def file_name(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def rows_by_code(ws, code_column: int = 1, first_row: int = 5) -> dict:
    return {
        ws.cell(row=r, column=code_column).value: r
        for r in range(first_row, ws.max_row + 1)
        if ws.cell(row=r, column=code_column).value
    }


def assert_valid_sheet_names(wb):
    for name in wb.sheetnames:
        assert 0 < len(name) <= 31 and not FORBIDDEN_IN_SHEET_NAMES & set(name), name


# --- permissions ------------------------------------------------------------------------------------

EXPORTS = [
    (
        "excel-progress",
        lambda: reverse("excel-progress", args=[2024, 2]),
        {"*": 200, "anonymous": 302, "no_role": 403},
    ),
    (
        "excel-unit",
        lambda: reverse("excel-unit", args=[2024, 3, "TDP-01"]),
        {"*": 200, "anonymous": 302, "no_role": 403, "official_other": 404, "leader_other": 404},
    ),
    (
        "excel-completeness",
        lambda: reverse("excel-completeness", args=[2024, 3]),
        {"*": 403, "anonymous": 302, "leadership": 200, "office": 200},
    ),
    (
        "excel-template",
        lambda: reverse("excel-template", args=[2024, 4]),
        {"*": 403, "anonymous": 302, "office": 200, "official": 200, "official_other": 200, "leader": 200}
        | {"leader_other": 200},
    ),
]
ROLES = ["anonymous", "no_role", "leadership", "office", "official", "official_other", "leader"]
ROLES += ["leader_other", "council", "admin"]


@pytest.mark.parametrize("name,url,expected", EXPORTS, ids=[e[0] for e in EXPORTS])
@pytest.mark.parametrize("role", ROLES)
def test_export_permissions(client, users, name, url, expected, role):
    if users[role]:
        client.force_login(users[role])
    response = client.get(url())
    status = expected.get(role, expected["*"])
    assert response.status_code == status, (name, role)
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE


def test_unknown_unit_plan_or_quarter_is_404(client, users):
    client.force_login(users["leadership"])
    assert client.get(reverse("excel-unit", args=[2024, 3, "KHONG-CO"])).status_code == 404
    assert client.get(reverse("excel-progress", args=[2031, 2])).status_code == 404
    assert client.get(reverse("excel-progress", args=[2024, 5])).status_code == 404
    assert client.get(reverse("excel-completeness", args=[2024, 7])).status_code == 404


# --- progress table ---------------------------------------------------------------------------------


def test_progress_table_is_the_rollup_quarter_by_quarter(client, users, demo, monkeypatch):
    calls = []
    real = excel.rollup
    monkeypatch.setattr(excel, "rollup", lambda **kw: calls.append(kw) or real(**kw))
    client.force_login(users["leader"])
    response = client.get(reverse("excel-progress", args=[2024, 2]))
    assert response.status_code == 200
    assert file_name(response) == "tien-do-2024-Q2.xlsx"
    assert calls == [{"plan": demo, "up_to_quarter": 2, "include_submitted": False}]
    wb = workbook(response)
    assert_valid_sheet_names(wb)
    ws = wb.active
    assert ws.title == "Tiến độ đến quý II năm 2024"
    assert ws.freeze_panes == "C5"
    header = [c.value for c in ws[4]]
    assert header == [
        "Mã",
        "Chỉ tiêu",
        "Đơn vị tính",
        "So sánh",
        "Kế hoạch",
        "Sau quý I",
        "Sau quý II",
        "Thực hiện",
        "Tiến độ (%)",
        "Đánh giá",
        "Dự kiến cả năm",
    ]
    assert ws.column_dimensions["B"].width > 40
    assert "Số liệu đến hết quý II/2024" in ws["A2"].value and "chỉ tính báo cáo đã duyệt" in ws["A2"].value
    rows = rows_by_code(ws)
    results = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=2)}
    assert set(rows) == set(results)
    for code in ("KT-01", "KT-07a", "XH-03", "KT-08", "QP-01"):
        result, row = results[code], rows[code]
        for column, quarter in ((6, 1), (7, 2)):
            expected = result.by_quarter[quarter]
            assert Decimal(str(ws.cell(row=row, column=column).value)) == pytest.approx(expected), code
        assert ws.cell(row=row, column=10).value == result.status_label
    # The plan's own figures, as numbers with the thousands grouped in the reader's locale.
    kt07a = ws.cell(row=rows["KT-07a"], column=5)
    assert (kt07a.value, kt07a.data_type, kt07a.number_format) == (4176, "n", "#,##0")
    kt01 = ws.cell(row=rows["KT-01"], column=5)
    assert (kt01.value, kt01.number_format) == (705.6, "#,##0.0")
    progress = ws.cell(row=rows["KT-01"], column=9)
    assert progress.number_format == "#,##0.0" and progress.value == pytest.approx(
        float(results["KT-01"].progress)
    )
    # A yes/no standard reads as words; a heading as a bold row without figures.
    standard = next(
        c for c, r in results.items() if r.target.comparator == "maintain" and r.target.target_value is None
    )
    assert ws.cell(row=rows[standard], column=5).value == "Đạt chuẩn"
    heading = next(c for c, r in results.items() if r.target.is_heading)
    assert ws.cell(row=rows[heading], column=1).font.bold
    assert ws.cell(row=rows[heading], column=6).value is None


def test_progress_table_counts_submitted_reports_on_request(client, users, demo):
    client.force_login(users["leadership"])
    approved = workbook(client.get(reverse("excel-progress", args=[2024, 3]))).active
    submitted = workbook(client.get(reverse("excel-progress", args=[2024, 3]) + "?submitted=1")).active
    assert "tính cả báo cáo đã gửi chưa duyệt" in submitted["A2"].value
    row = rows_by_code(submitted)["KT-01"]
    expected = {r.target.code: r for r in rollup(plan=demo, up_to_quarter=3, include_submitted=True)}
    assert Decimal(str(submitted.cell(row=row, column=8).value)) == pytest.approx(
        expected["KT-01"].by_quarter[3]
    )
    assert submitted.cell(row=row, column=8).value != approved.cell(row=row, column=8).value


# --- a unit's quarter ---------------------------------------------------------------------------------


def test_unit_export_is_the_filled_entry_template(client, users):
    client.force_login(users["official"])
    response = client.get(reverse("excel-unit", args=[2024, 3, "TDP-01"]))
    assert file_name(response) == "so-lieu-TDP-01-2024-Q3.xlsx"
    wb = workbook(response)
    assert_valid_sheet_names(wb)
    assert wb.sheetnames == ["Số liệu TDP-01", "Hướng dẫn", "_mau"]
    assert wb["_mau"].sheet_state == "hidden"
    assert (wb["_mau"]["A1"].value, wb["_mau"]["B1"].value) == (excel.TEMPLATE_MARKER, excel.TEMPLATE_VERSION)
    assert "phiên bản 1" in " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    ws = wb["Số liệu TDP-01"]
    assert ws["B2"].value == "TDP-01" and ws["C2"].value == "Tổ dân phố 1"
    assert ws.freeze_panes == "D5"
    assert [c.value for c in ws[4]] == [
        "STT",
        "Mã số liệu",
        "Tên số liệu",
        "Đơn vị tính",
        "Quý trước",
        "Giá trị",
        "Ghi chú",
    ]
    report = Report.objects.get(unit__code="TDP-01", period__quarter=3)
    saved = {v.element.code: v.value for v in report.values.select_related("element")}
    before = {
        v.element.code: v.value
        for v in ReportedValue.objects.filter(
            report__unit__code="TDP-01", report__period__quarter=2
        ).select_related("element")
    }
    rows = rows_by_code(ws, code_column=2)
    assert set(rows) == set(saved)
    for code, row in rows.items():
        assert ws.cell(row=row, column=6).value == saved[code]
        assert ws.cell(row=row, column=6).number_format == "#,##0"
        assert ws.cell(row=row, column=5).value == before.get(code)
    # The structure is locked; only the value and comment cells take input.
    assert ws.protection.sheet and wb.security.lockStructure
    row = rows["DAN_SO"]
    assert ws.cell(row=row, column=6).protection.locked is False
    assert ws.cell(row=row, column=7).protection.locked is False
    assert ws.cell(row=row, column=2).protection.locked is True
    assert ws.cell(row=2, column=2).protection.locked is True


def test_amounts_get_a_decimal_format(client, users):
    """DC-NN reports tonnes and hectares: a typed amount shows its decimals, at most four."""
    client.force_login(users["official"])
    ws = workbook(client.get(reverse("excel-unit", args=[2024, 3, "DC-NN"])))["Số liệu DC-NN"]
    rows = rows_by_code(ws, code_column=2)
    for code in ("DT_LUA", "SL_LUA", "SL_THUY_SAN"):
        assert ws.cell(row=rows[code], column=6).number_format == excel.AMOUNT_INPUT_FORMAT


def test_template_figures_beyond_excels_precision_are_kept_as_vietnamese_text():
    """Excel keeps 15 significant digits; the template must give back exactly what it was given.

    (SQLite itself keeps 15 digits, so this is checked on the function; PostgreSQL keeps all 20.)
    """
    assert excel.excel_number(Decimal("4176.0000"), exact=True) == 4176
    assert excel.excel_number(Decimal("2.5700"), exact=True) == 2.57
    assert excel.excel_number(Decimal("6599100000"), exact=True) == 6599100000
    big = Decimal("1234567890123.4567")
    assert excel.excel_number(big, exact=True) == "1.234.567.890.123,4567"
    assert excel.read_number("1.234.567.890.123,4567") == big
    assert excel.excel_number(big) == float(big)  # a report for reading may round


def test_formula_like_text_is_written_as_text(client, users):
    """A unit name or a comment starting with =, +, -, @ can never run as a formula in Excel."""
    dangerous = {
        "TDP-01": '=HYPERLINK("http://evil.example","Bấm vào đây")',
        "TDP-02": "+1+2",
        "TDP-03": "-3+4",
        "TDP-04": "@SUM(1)",
    }
    for code, name in dangerous.items():
        Unit.objects.filter(code=code).update(name=name)
    value = ReportedValue.objects.get(
        report__unit__code="TDP-01", report__period__quarter=3, element__code="SO_HO"
    )
    value.comment = "=1+2"
    value.save()
    client.force_login(users["office"])
    files = [
        client.get(reverse("excel-unit", args=[2024, 3, "TDP-01"])),
        client.get(reverse("excel-completeness", args=[2024, 3])),
    ]
    client.force_login(make_official_for(users, ["TDP-01", "TDP-02", "TDP-03", "TDP-04"]))
    files.append(client.get(reverse("excel-template", args=[2024, 3])))
    texts = set(dangerous.values()) | {"=1+2"}
    found = set()
    for response in files:
        for ws in workbook(response).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value[1:] in texts:
                        assert cell.data_type == "s" and cell.value.startswith("'"), cell.value
                        found.add(cell.value[1:])
    assert found == texts
    raw = excel.to_bytes(
        excel.entry_workbook(
            period=Report.objects.get(unit__code="TDP-01", period__quarter=3).period, units=[unit("TDP-01")]
        )
    )
    assert b"<f>" not in raw  # no formula element anywhere in the file


def make_official_for(users, codes):
    official = users["official"]
    official.profile.units.set(Unit.objects.filter(code__in=codes))
    return official


def test_safe_text_and_its_inverse():
    for text in ["=1+2", "+84 912", "-5 hộ", "@x", "\tx", "\rx"]:
        assert excel.safe_text(text) == "'" + text
        assert excel.unescape_text(excel.safe_text(text)) == text
    for text in ["Tổ dân phố 1", "4.176", "'quoted", ""]:
        assert excel.safe_text(text) == text
        assert excel.unescape_text(text) == text


# --- completeness -------------------------------------------------------------------------------------


def test_completeness_export_lists_every_reporting_unit(client, users):
    client.force_login(users["office"])
    page = client.get(reverse("completeness", args=[2024, 3]))
    response = client.get(reverse("excel-completeness", args=[2024, 3]))
    assert file_name(response) == "tinh-hinh-nop-2024-Q3.xlsx"
    wb = workbook(response)
    assert_valid_sheet_names(wb)
    ws = wb.active
    assert ws.freeze_panes == "C5" and ws.auto_filter.ref
    rows = rows_by_code(ws)
    assert set(rows) == {row["unit"].code for row in page.context["rows"]}
    assert ws.cell(row=rows["TDP-06"], column=3).value == "Đang nhập"
    assert ws.cell(row=rows["TDP-01"], column=3).value == "Đã gửi"
    sent = ws.cell(row=rows["TDP-01"], column=5)
    assert sent.is_date and sent.number_format == excel.DATETIME_FORMAT
    statuses = [ws.cell(row=r, column=3).value for r in rows.values()]
    assert statuses.count("Đã gửi") == page.context["counts"]["submitted"]
    assert b'data-testid="excel-completeness"' in page.content


# --- templates for several units ------------------------------------------------------------------------


def test_template_for_all_my_units_one_sheet_each_in_constant_queries(client, demo, make_user):
    open_quarter(demo)
    few = make_user("official", units=list(Unit.objects.filter(code__in=["TDP-01", "TDP-02"])))
    many = make_user("official", units=list(Unit.objects.filter(code__startswith="TDP-")) + [unit("DC-NN")])
    counts = {}
    for who in (few, many):
        client.force_login(who)
        client.get(reverse("report-list"))  # warm the session and the user's profile
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("excel-template", args=[2024, 4]))
        counts[who.pk] = len(queries)
        assert response.status_code == 200
    assert counts[few.pk] == counts[many.pk]
    assert file_name(response) == "so-lieu-2024-Q4-9-don-vi.xlsx"
    wb = workbook(response)
    assert_valid_sheet_names(wb)
    assert len(wb.sheetnames) == 9 + 2 and wb.sheetnames[-2:] == ["Hướng dẫn", "_mau"]
    meta_units = [wb["_mau"].cell(row=r, column=1).value for r in range(5, 14)]
    assert sorted(meta_units) == sorted([f"TDP-0{i}" for i in range(1, 9)] + ["DC-NN"])


def test_entry_page_links_to_the_downloads(client, users):
    client.force_login(users["leader"])
    html = client.get(reverse("report-entry", args=[2024, 4, "TDP-01"])).content.decode()
    assert reverse("excel-unit", args=[2024, 4, "TDP-01"]) in html
    assert reverse("excel-import", args=[2024, 4]) in html
    client.force_login(users["leadership"])
    html = client.get(reverse("report-entry", args=[2024, 4, "TDP-01"])).content.decode()
    assert reverse("excel-unit", args=[2024, 4, "TDP-01"]) in html
    assert reverse("excel-import", args=[2024, 4]) not in html  # he does not enter figures


# --- the admin's master-data export ----------------------------------------------------------------------


def test_admin_export_escapes_formula_like_text(client, users, make_user):
    Unit.objects.filter(code="TDP-01").update(name="=cmd|' /C calc'!A0")
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:indicators_unit_export"),
        {"format": "0", "resource": "0", "unitresource_code": "on", "unitresource_name": "on"},
    )
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in ws["B"] if isinstance(c.value, str) and "calc" in c.value)
    assert cell.data_type == "s" and cell.value.startswith("'=")
