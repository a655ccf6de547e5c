"""The quarterly progress report in PDF, for the ward and for one unit: the dashboard's figures on paper.

Each PDF is read back with pypdf and compared with the page it is downloaded from, rendered for the
same query parameters in the same test: every target's row in the report must read what the
dashboard's row reads (plan figure, year-to-date actual, progress, status), and the unit's report what
the unit page reads. The clock is fixed at 08:30 on 5 July 2024 (Asia/Ho_Chi_Minh) so that the data note
and the date of issue can be checked to the minute.
"""

import html
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from indicators import dashboard_views, progress, report_pdf_views
from indicators.models import Unit
from indicators.rollup import Status

from .conftest import ARTIFACTS, ensure_demo_loaded
from .test_dashboard import cells, grow, row_markup, section, target_rows

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
A4 = (595.28, 841.89)  # points
NOW = datetime(2024, 7, 5, 1, 30, tzinfo=UTC)  # 08:30 in Phổ Minh
WARD_PDF = "/tien-do/2024/pdf/"
UNIT_PDF = "/tien-do/2024/don-vi/TDP-01/pdf/"
Q3_SUBMITTED = {"quarter": 3, "submitted": 1}


def squash(text: str) -> str:
    return " ".join(text.split())


def document_text(content: bytes) -> str:
    """The whole document's text, squashed, without the page numbers (a line of their own from page 2)."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    kept = [
        "\n".join(line for line in text.splitlines() if line.strip() != str(number))
        for number, text in enumerate(pages, start=1)
    ]
    return squash(" ".join(kept))


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def codes_in(text: str) -> list[str]:
    """Target codes ("KT-07a.1") in the order they appear."""
    return re.findall(r"(?:^|\s)([A-Z]{2}-\d{2}[a-z]?(?:\.\d+)?)(?=\s)", text)


def page_cells(markup: str) -> list[str]:
    """The text of each cell of a page's row, without the charts' <title> texts."""
    return [html.unescape(c) for c in cells(re.sub(r"<svg.*?</svg>", "", markup, flags=re.S))]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """The reports and the pages they come from, each rendered once for the module's read-only checks.

    A render takes about a second. Everything runs in a transaction that is rolled back, with the clock
    fixed at `NOW`.
    """
    found = {}
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        ensure_demo_loaded()
        patch.setattr(timezone, "now", lambda: NOW)
        User = get_user_model()
        chairman, leader = Client(), Client()
        chairman.force_login(User.objects.get(username="chutich"))
        leader.force_login(User.objects.get(username="totruong1"))
        found["ward"] = chairman.get(WARD_PDF)
        found["dashboard"] = chairman.get("/tien-do/2024/").content.decode()
        found["ward_q3"] = chairman.get(WARD_PDF, Q3_SUBMITTED)
        found["dashboard_q3"] = chairman.get("/tien-do/2024/", Q3_SUBMITTED).content.decode()
        found["unit"] = leader.get(UNIT_PDF)
        found["unit_page"] = leader.get("/tien-do/2024/don-vi/TDP-01/").content.decode()
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def ward_text(rendered) -> str:
    assert rendered["ward"].status_code == 200
    return document_text(rendered["ward"].content)


@pytest.fixture(scope="module")
def unit_text(rendered) -> str:
    assert rendered["unit"].status_code == 200
    return document_text(rendered["unit"].content)


# --- the document ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "filename"),
    [
        ("ward", "bao-cao-tien-do-2024-Q2.pdf"),
        ("unit", "bao-cao-tien-do-TDP-01-2024-Q2.pdf"),
        # Figures not yet approved make another document, and its name says so.
        ("ward_q3", "bao-cao-tien-do-2024-Q3-gom-so-lieu-chua-duyet.pdf"),
    ],
)
def test_downloads_are_pdfs_named_for_what_and_when(rendered, key, filename):
    response = rendered[key]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("key", ["ward", "unit"])
def test_header_title_data_note_and_signature_follow_decree_30(rendered, key):
    reader = PdfReader(io.BytesIO(rendered[key].content))
    first = squash(reader.pages[0].extract_text())
    for text in [
        "UBND PHƯỜNG PHỔ MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phổ Minh, ngày 05 tháng 7 năm 2024",  # the day the report was produced
        "BÁO CÁO Tiến độ thực hiện các chỉ tiêu thi đua năm 2024",
        # The data note, then what counts: a printed copy can be traced to the data behind it.
        "Số liệu đến hết quý II/2024, xuất lúc 08:30 ngày 05/07/2024 "
        "Chỉ tính số liệu của các báo cáo đã được duyệt.",
    ]:
        assert text in first, text
    # A draft for the office to number when it registers the report.
    assert re.search(r"Số:\s*/BC-UBND", first)
    text = document_text(rendered[key].content)
    footer = text[text.rindex("Nơi nhận:") :]
    assert "TM. ỦY BAN NHÂN DÂN" in footer and "CHỦ TỊCH" in footer and footer.endswith("Lê Duy Bảo")
    assert "- Lưu: VT." in footer


def test_the_unit_report_names_the_unit_and_is_issued_by_the_ward(unit_text):
    assert "Tiến độ thực hiện các chỉ tiêu thi đua năm 2024 của Tổ dân phố 1, đến hết quý II" in unit_text
    assert "căn cứ số liệu do Tổ dân phố 1 báo cáo, Ủy ban nhân dân phường báo cáo" in unit_text
    assert "Nơi nhận: - Tổ dân phố 1;" in unit_text


def test_the_switch_for_submitted_figures_is_stated_and_moves_the_quarter(rendered):
    text = document_text(rendered["ward_q3"].content)
    assert "Số liệu đến hết quý III/2024, xuất lúc 08:30 ngày 05/07/2024" in text
    assert "Gồm cả số liệu đã gửi nhưng chưa được duyệt: chưa phải số liệu chính thức." in text
    assert "Chỉ tính số liệu của các báo cáo đã được duyệt." not in text


def test_vietnamese_text_comes_back_letter_for_letter(ward_text, plan):
    for sentence in [
        "Tiến độ thực hiện các chỉ tiêu thi đua năm 2024, đến hết quý II",
        "Thực hiện Kế hoạch số 05/KH-UBND ngày 04/01/2024 của UBND phường Phổ Minh về phát động phong trào "
        "thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội của phường năm 2024",
        "I. ĐÁNH GIÁ CHUNG",
        "II. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ",
        "III. KẾT QUẢ THỰC HIỆN TỪNG CHỈ TIÊU",
        "Chỉ tiêu cải cách hành chính, chuyển đổi số (nêu tại nội dung thi đua số 6)",
        "Đề nghị các cơ quan, đơn vị và tổ dân phố tập trung thực hiện các chỉ tiêu chậm tiến độ "
        "trong các quý còn lại của năm./.",
    ]:
        assert sentence in ward_text, sentence
    for target in plan.targets.all():
        assert f"{target.code} {squash(target.display_name)}" in ward_text, target.code
        assert "(từ … trở lên)" not in ward_text


def test_only_the_shipped_liberation_serif_is_embedded(rendered):
    """Chart labels included: WeasyPrint draws SVG text in the machine's sans-serif unless told."""
    shipped = {}
    for path in FONTS.glob("LiberationSerif-*.ttf"):
        names = TTFont(path)["name"]
        shipped[names.getDebugName(6)] = names.getDebugName(5)
    for key in ["ward", "unit"]:
        embedded = {}
        for page in PdfReader(io.BytesIO(rendered[key].content)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))["name"]
                embedded[str(font["/BaseFont"])] = (program.getDebugName(6), program.getDebugName(5))
        assert embedded, key
        for base_font, (postscript_name, version) in embedded.items():
            assert "LiberationSerif" in base_font, (key, base_font)
            assert shipped.get(postscript_name) == version, (key, base_font, postscript_name, version)
        assert {name for name, _ in embedded.values()} == set(shipped), key


@pytest.mark.parametrize("key", ["ward", "unit"])
def test_every_page_is_a4_portrait(rendered, key):
    reader = PdfReader(io.BytesIO(rendered[key].content))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (width, height)
        lines = [line.strip() for line in page.extract_text().splitlines()]
        assert (str(number) in lines) == (number > 1), number


# --- the same figures as the dashboard ------------------------------------------------------------------


def dashboard_row_texts(page: str) -> dict[str, str]:
    """code → the dashboard row as the report must print it: code, name, plan figure, actual, progress,
    status (the page's own order is code, name, actual, plan figure, progress, status, …)."""
    rows = {}
    rest = section(page, "rest") + section(page, "behind")
    for code, _status, _actual in target_rows(rest):
        # The page words the status and its projection under the badge; the report's tables do not.
        markup = re.sub(
            r'<div[^>]*data-testid="projection-note">.*?</div>', "", row_markup(rest, "data-code", code)
        )
        code_, name, actual, target, progress_, status, *_ = page_cells(markup)
        rows[code] = squash(f"{code_} {name} {target} {actual} {progress_} {status}")
    return rows


@pytest.mark.parametrize(("key", "page"), [("ward", "dashboard"), ("ward_q3", "dashboard_q3")])
def test_every_row_of_the_report_reads_as_the_dashboard(rendered, key, page):
    text = document_text(rendered[key].content)
    every = between(text, "III. KẾT QUẢ THỰC HIỆN TỪNG CHỈ TIÊU", "Ghi chú:")
    expected = dashboard_row_texts(rendered[page])
    assert len(expected) == 46
    assert set(codes_in(every)) == set(expected) | {"KT-02", "XH-08", "XH-09"}  # and the headings
    for row in expected.values():
        assert row in every, row
    if key == "ward":  # figures computed by hand from the raw values in tests/test_dashboard.py
        assert (
            "KT-01 Giá trị sản xuất (tăng trưởng kinh tế, giá so sánh năm 2010) ≥ 705,6 tỷ đồng 341,7 tỷ đồng"
            in every
        )
        assert "XH-03 Tỷ lệ hộ nghèo cuối năm (giảm còn) ≤ 2,57 % 2,8 % 57,3 % Đúng tiến độ" in every
    else:  # the switch and the quarter reached the report: quarter III's submitted output counts
        assert (
            "KT-01 Giá trị sản xuất (tăng trưởng kinh tế, giá so sánh năm 2010) ≥ 705,6 tỷ đồng 341,7"
            not in every
        )


def test_the_report_and_the_dashboard_build_their_rows_with_the_same_functions():
    """Both go through indicators.progress: the dashboard's module and the report's call the same
    objects, so that a change in wording or in the roll-up reaches both."""
    for name in ["ward_results", "target_row", "status_counts", "figure_text", "unit_rows"]:
        shared = getattr(progress, name)
        for module in (dashboard_views, report_pdf_views):
            if hasattr(module, name):
                assert getattr(module, name) is shared, (module.__name__, name)
    assert report_pdf_views.ward_results is dashboard_views.ward_results
    assert report_pdf_views.unit_rows is dashboard_views.unit_rows


def test_summary_counts_are_the_dashboards(rendered, ward_text):
    page = rendered["dashboard"]
    counts = {s: int(re.search(rf'data-testid="count-{s}">(\d+)<', page).group(1)) for s in Status.values}
    labels = " ".join(str(Status(s).label) for s in progress.STATUS_ORDER)
    figures = " ".join(str(counts[s]) for s in progress.STATUS_ORDER)
    assert f"{labels} Tổng số {figures} {sum(counts.values())}" in ward_text


def test_targets_behind_come_first_in_the_dashboards_order(rendered, ward_text):
    behind_section = between(ward_text, "II. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ", "III. KẾT QUẢ THỰC HIỆN")
    table = behind_section.split("Diễn biến theo quý")[0]
    on_page = [code for code, *_ in target_rows(section(rendered["dashboard"], "behind"))]
    assert codes_in(table) == on_page
    assert on_page[:3] == ["KT-01", "KT-01b", "KT-01c"]
    # Nothing else is listed before them, and each is found again in the full table afterwards.
    first_codes = codes_in(ward_text)
    assert first_codes[: len(on_page)] == on_page
    every = ward_text[ward_text.index("III. KẾT QUẢ THỰC HIỆN") :]
    assert all(code in codes_in(every) for code in on_page)


def test_main_flows_behind_have_a_chart_by_quarter(ward_text):
    charts = ward_text[ward_text.index("Diễn biến theo quý") : ward_text.index("III. KẾT QUẢ THỰC HIỆN")]
    assert "KT-01 — Giá trị sản xuất" in charts and "XH-01 — Tạo việc làm mới" in charts
    assert "KT-01b —" not in charts  # an "of which" line is in its parent's chart
    assert "KT-08 —" not in charts  # a stock: its progress bar says it
    # The labels of the charts, in the shipped font (WeasyPrint draws them after the page's text).
    assert "163,4 Quý I 341,7 Quý II Quý III Quý IV Chỉ tiêu 705,6" in ward_text


def test_the_unit_report_reads_as_the_unit_page(rendered, unit_text):
    page = rendered["unit_page"]
    every = unit_text[unit_text.index("III. SỐ LIỆU TỪNG CHỈ TIÊU") :]
    codes = re.findall(r'<tr data-code="([^"]+)"', page)
    assert codes and "XH-03" in codes and "KT-01" not in codes
    assert [c for c in codes_in(every) if c in codes] == codes
    for code in codes:
        # The share of the ward's total and the projection's words are placed differently on paper.
        markup = re.sub(
            r'<div class="small text-muted">(?:(?!</div>).)*unit-share.*?</div>|<div class="small text-muted">'
            r"Dự kiến.*?</div>|<div class=\"small text-muted\">Chậm so.*?</div>",
            "",
            row_markup(page, "data-code", code),
            flags=re.S,
        )
        code_, name, unit_actual, goal, progress_, status, _trend, ward_actual, target, ward_status = (
            page_cells(markup)
        )
        row = squash(f"{code_} {name} {target} {unit_actual} {goal} {progress_} {status}")
        assert row in every, row
        assert squash(f"{ward_actual} {ward_status}") in every, code
    # TDP-01 pledged at most 2,5 % poor households, from its own 2,9 % of last year.
    assert (
        "XH-03 Tỷ lệ hộ nghèo cuối năm (giảm còn) ≤ 2,57 % 2,58 % 15 / 582 ≤ 2,5 % theo đăng ký thi đua của đơn vị"
        in every
    )


def test_the_unit_report_puts_what_the_unit_answers_for_behind_first(rendered, unit_text):
    behind = between(unit_text, "II. CÁC CHỈ TIÊU CHẬM TIẾN ĐỘ CẦN TẬP TRUNG", "III. SỐ LIỆU TỪNG CHỈ TIÊU")
    # Every target is judged on the group's own figure against its own goal (its pledge, else its
    # equal share of a ward's sum, else the ward's rate), never against the ward's 800 head of cattle.
    assert codes_in(behind) == ["KT-08", "KT-10a", "XH-09b"]
    assert "Chậm tiến độ Đúng tiến độ Đạt Chưa có số liệu Tham khảo Tổng số 3 3 5 1 0 12" in unit_text


# --- permissions ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WARD_PDF, UNIT_PDF])
def test_anonymous_is_sent_to_login(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WARD_PDF, UNIT_PDF])
def test_account_without_role_is_refused(client, demo, make_user, url):
    client.force_login(make_user(None))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("totruong1", "/tien-do/2024/don-vi/TDP-02/pdf/"),  # another group
        ("totruong1", "/tien-do/2024/don-vi/KHONG-CO/pdf/"),
        ("canbo", UNIT_PDF),  # an official on units he does not serve
        ("chutich", "/tien-do/2030/pdf/"),
        ("chutich", "/tien-do/2030/don-vi/TDP-01/pdf/"),
    ],
)
def test_out_of_scope_is_404(client, demo, username, url):
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_official_gets_the_reports_of_the_units_he_serves_only(client, demo):
    client.force_login(get_user_model().objects.get(username="canbo"))
    response = client.get("/tien-do/2024/don-vi/BCHQS/pdf/")
    assert response.status_code == 404
    response = client.get("/tien-do/2024/don-vi/DC-NN/pdf/", {"quarter": 1})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tien-do-DC-NN-2024-Q1.pdf"'


# --- download buttons -----------------------------------------------------------------------------------


def pdf_link(page: str) -> str:
    tag = re.search(r'<a [^>]*data-testid="progress-pdf"[^>]*>', page).group(0)
    return html.unescape(re.search(r'href="([^"]+)"', tag).group(1))


def test_the_dashboard_links_to_the_report_with_its_quarter_and_switch(rendered):
    assert pdf_link(rendered["dashboard"]) == f"{WARD_PDF}?quarter=2"
    assert pdf_link(rendered["dashboard_q3"]) == f"{WARD_PDF}?quarter=3&submitted=1"
    assert pdf_link(rendered["unit_page"]) == f"{UNIT_PDF}?quarter=2"


@pytest.mark.django_db
def test_the_dashboard_filtered_on_a_unit_links_to_that_units_report(client, demo):
    client.force_login(get_user_model().objects.get(username="totruong1"))
    unit = Unit.objects.get(code="TDP-01")
    page = client.get("/tien-do/2024/", {"unit": unit.pk, "quarter": 1}).content.decode()
    assert pdf_link(page) == f"{UNIT_PDF}?quarter=1"
    assert "Tải báo cáo PDF của Tổ dân phố 1" in page


# --- cost -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_constant_number_of_queries(client, demo):
    """The report runs the roll-up's four queries and a few more, whatever the size of the ward."""
    client.force_login(get_user_model().objects.get(username="chutich"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(WARD_PDF, {"quarter": 2}).status_code == 200
        return len(ctx)

    small = count()
    assert small <= 12
    grow(demo)
    assert count() == small


# --- page 1 as an image ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name"), [("ward", "progress-pdf-page1"), ("unit", "progress-unit-pdf-page1")]
)
def test_first_page_renders_to_an_image_within_the_margins(rendered, tmp_path, key, name):
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        pytest.skip("pdftoppm is not installed: apt-get install poppler-utils")
    source = tmp_path / "report.pdf"
    source.write_bytes(rendered[key].content)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    target.unlink(missing_ok=True)
    dpi = 96
    subprocess.run(
        [
            pdftoppm,
            "-r",
            str(dpi),
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(target.with_suffix("")),
        ],
        check=True,
        timeout=60,
    )
    assert target.exists() and target.stat().st_size > 10_000
    with Image.open(target) as image:
        assert abs(image.width - 794) <= 1 and abs(image.height - 1123) <= 1, image.size  # A4 portrait
        gray = image.convert("L")
        ink = sum(gray.histogram()[:128]) / (image.width * image.height)
        left, top, right, bottom = gray.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert 0.02 < ink < 0.25, ink
    mm = dpi / 25.4
    # Decree 30's margins: left 30, right 15, top and bottom 20 mm; the tables fit between them.
    assert left >= 30 * mm - 2 and right <= (210 - 15) * mm + 2, (left / mm, right / mm)
    assert top >= 20 * mm - 2 and bottom <= (297 - 20) * mm + 2, (top / mm, bottom / mm)
