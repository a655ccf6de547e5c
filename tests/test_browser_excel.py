"""A group leader downloads his quarter as Excel, fills it offline, uploads it, checks the preview, confirms."""

import openpyxl
import pytest
from django.core.management import call_command

from indicators.models import Report, ValueChange

from .conftest import login
from .reporting import open_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = {
    "SO_HO": 612,
    "HO_NGHEO": 15,
    "HO_CAN_NGHEO": 17,
    "HO_VAN_HOA": 570,
    "HO_NUOC_SACH": 580,
    "DAN_SO": "2.420",
    "NGUOI_BHYT": 2190,
    "DAN_TRAU": 7,
    "DAN_BO": 96,
    "DAN_LON": 11,
    "DAN_GA": 615,
    "DAN_VIT": 1880,
}


@pytest.fixture
def live(live_server):
    call_command("loaddata", "plan_2024", "titles", "demo_2024", "demo_awards_2024", verbosity=0)
    from campaigns.models import Plan

    open_quarter(Plan.objects.get(year=2024))
    return live_server


def fill(path, figures: dict, target):
    wb = openpyxl.load_workbook(path)
    ws = wb["Số liệu TDP-01"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row + 1)}
    for code, value in figures.items():
        ws.cell(row=rows[code], column=6, value=value)
    target.parent.mkdir(exist_ok=True)
    wb.save(target)
    return target


def test_download_fill_upload_preview_confirm(page, live, screenshot, tmp_path):
    login(page, live, "totruong1")
    page.goto(f"{live.url}/so-lieu/2024/q4/TDP-01/")
    with page.expect_download() as info:
        page.click("[data-testid=excel-download]")
    download = info.value
    assert download.suggested_filename == "so-lieu-TDP-01-2024-Q4.xlsx"
    blank = tmp_path / download.suggested_filename
    download.save_as(blank)

    # A first try with an ambiguous figure: refused, located, nothing saved.
    wrong = fill(blank, FIGURES | {"HO_NGHEO": "2.5"}, tmp_path / "sai" / download.suggested_filename)
    page.click("[data-testid=excel-upload]")
    page.set_input_files("input[type=file]", str(wrong))
    page.click("button:has-text('Kiểm tra tệp')")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "Số liệu TDP-01" in errors and "F (Giá trị)" in errors
    assert "dấu chấm dùng để phân cách hàng nghìn" in errors
    assert page.locator("[data-testid=confirm]").count() == 0
    screenshot(page, "excel-import-errors")
    assert not ValueChange.objects.exists()

    right = fill(blank, FIGURES, tmp_path / download.suggested_filename)
    page.set_input_files("input[type=file]", str(right))
    page.click("button:has-text('Kiểm tra tệp')")
    section = page.inner_text("[data-testid=unit-TDP-01]")
    assert "Đọc được 12 số liệu, 12 thay đổi" in section
    assert "2.420" in page.inner_text("tr[data-element=DAN_SO] [data-testid=new-value]")
    screenshot(page, "excel-import-preview")
    assert not Report.objects.filter(unit__code="TDP-01", period__quarter=4).exists()

    page.click("[data-testid=confirm]")
    page.wait_for_url(f"{live.url}/so-lieu/2024/q4/TDP-01/")
    assert "Đã lưu nháp 12 số liệu" in page.inner_text("main")
    assert page.input_value("div[data-element='DAN_SO'] input[name^='v_']") == "2.420"
    screenshot(page, "excel-import-saved")
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == "draft" and report.values.get(element__code="DAN_VIT").value == 1880
    reasons = set(ValueChange.objects.filter(report=report).values_list("source", "reason"))
    assert reasons == {("import", "Tệp so-lieu-TDP-01-2024-Q4.xlsx")}
