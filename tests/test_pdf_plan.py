"""The plan as a PDF reads like the issued plan, in the shipped font, on A4, for the people who may read it.

The text is read back with pypdf, the way a search index or a screen reader would read the file: if a
figure or a Vietnamese letter does not come back, the PDF is wrong for them even if it looks right.
"""

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from indicators.models import Profile
from indicators.templatetags.vn import format_number
from phominh.pdf import PdfRenderingError, html_to_pdf, pdf_filename, render_pdf

from . import seed
from .conftest import ARTIFACTS

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def pdf_response(django_db_setup, django_db_blocker):
    """The plan's PDF as a group leader downloads it, rendered once for the module's read-only checks.

    A render takes about a second. These tests use no `db` fixture, so pytest-django may run them after
    the transactional (browser) tests have flushed the session's data: the plan is loaded again here,
    inside a transaction that is rolled back with the reader account.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "plan_2024", verbosity=0)
        user = get_user_model().objects.create_user(username="pdf_reader")
        Profile.objects.create(user=user, role=Profile.Role.GROUP_LEADER)
        client = Client()
        client.force_login(user)
        response = client.get(reverse("plan-pdf", args=[2024]))
        transaction.set_rollback(True)
    return response


@pytest.fixture(scope="module")
def reader(pdf_response) -> PdfReader:
    assert pdf_response.status_code == 200
    return PdfReader(io.BytesIO(pdf_response.content))


def squash(text: str) -> str:
    """Whitespace and line breaks collapsed: the PDF breaks lines where the page ends, the seed does not."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pages(reader) -> list[str]:
    """Each page's text as pypdf extracts it."""
    return [page.extract_text() for page in reader.pages]


def without_page_numbers(pages: list[str]) -> list[str]:
    """Each page's text without its page number (a line of its own, from page 2 on)."""
    return [
        "\n".join(line for line in text.splitlines() if line.strip() != str(number))
        for number, text in enumerate(pages, start=1)
    ]


def document_text(pages: list[str]) -> str:
    return squash(" ".join(without_page_numbers(pages)))


def targets_text(pages: list[str]) -> str:
    """The part of the document between "II. Chỉ tiêu thi đua:" and "III. TỔ CHỨC THỰC HIỆN:"."""
    text = document_text(pages)
    return text[text.index("II. Chỉ tiêu thi đua:") : text.index("III. TỔ CHỨC THỰC HIỆN:")]


def test_download_is_a_pdf_with_the_documents_number_in_its_name(pdf_response):
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response["Content-Disposition"] == 'attachment; filename="ke-hoach-05-KH-UBND-2024.pdf"'
    assert pdf_response.content.startswith(b"%PDF-")


def test_header_title_and_signature_follow_decree_30(pages):
    first_page = squash(pages[0])
    for text in [
        "UBND PHƯỜNG PHỔ MINH",
        "Số: 05/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phổ Minh, ngày 04 tháng 01 năm 2024",
        "KẾ HOẠCH Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội "
        "của phường năm 2024",
    ]:
        assert text in first_page, text
    last_page = squash(without_page_numbers(pages)[-1])
    for text in ["Nơi nhận:", "- Hội đồng TĐKT thị xã;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]:
        assert text in last_page, text
    assert last_page.endswith("Lê Duy Bảo")
    assert "Số liệu đến hết" not in document_text(pages)  # the plan is not a report of data


def test_the_whole_plan_is_there_in_order(pages):
    text = document_text(pages)
    headings = [
        "I. MỤC TIÊU, CHỈ TIÊU",
        "1. Mục đích:",
        "2. Yêu cầu:",
        "II. NỘI DUNG PHÁT ĐỘNG THI ĐUA:",
        *[f"{n}. " + seed.content(n)[3:40] for n in range(1, 9)],
        "II. Chỉ tiêu thi đua:",
        "1. Lĩnh vực kinh tế:",
        "2. Lĩnh vực xã hội:",
        "3. Chỉ tiêu chủ yếu về quốc phòng, an ninh:",
        "III. TỔ CHỨC THỰC HIỆN:",
        "7. Xây dựng kế hoạch phát động và triển khai phong trào thi đua",
        "UBND phường kêu gọi toàn thể cán bộ",
        "Nơi nhận:",
    ]
    positions = [text.find(squash(heading)) for heading in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_sentences_come_back_letter_for_letter(pages):
    text = document_text(pages)
    lines = seed.lines()
    sentences = [
        next(line for line in lines if line.startswith("Năm 2024 là năm giữ vững ổn định kinh tế.")),
        next(line for line in lines if line.startswith("- Tiếp tục huy động sức mạnh")),
        next(line for line in lines if line.startswith("- Kết hợp chặt chẽ phong trào thi đua")),
        seed.content(5),
        seed.content(6),
        seed.content(8),
        next(line for line in lines if line.startswith("3. Tiếp tục tuyên truyền, thực hiện tốt Chỉ thị")),
        next(line for line in lines if line.startswith("UBND phường kêu gọi toàn thể")),
    ]
    for sentence in sentences:
        assert squash(sentence) in text, sentence[:60]


def test_every_seed_figure_is_in_the_targets_tables(pages):
    shown = set(targets_text(pages).split())
    for line in seed.targets_section():
        for figure in seed.figures(line):
            assert figure in shown, (figure, line)


@pytest.mark.django_db
def test_every_target_row_reads_code_name_figure_unit(pages, plan):
    text = targets_text(pages)
    for target in plan.targets.all():
        # The catalogue's "(từ … trở lên)" is printed with the plan's figure in place of the ellipsis.
        assert f"{target.code} {squash(target.display_name)}" in text, target.code
        if target.target_value is not None:
            assert format_number(target.target_value) in text, target.code
    for row in [
        "KT-01a Nông - Lâm - Ngư nghiệp ≥ 84,1 tỷ đồng",
        "KT-04 Thu ngân sách trên địa bàn phường ≥ 6.599.100.000 đồng",
        "KT-05 Chi ngân sách trên địa bàn phường ≤ 6.599.100.000 đồng",
        "KT-07a Sản lượng thóc ≥ 4.176 tấn",
        "KT-10 Đàn gia cầm ≥ 20.000 con",
        "KT-11 Sản lượng thủy sản (từ 180 tấn trở lên) ≥ 180 tấn",
        "XH-03 Tỷ lệ hộ nghèo cuối năm (giảm còn) ≤ 2,57 %",
        "XH-07 Duy trì phường đạt chuẩn quốc gia về y tế Đạt chuẩn",
        "XH-08b Phổ cập giáo dục tiểu học Mức độ 3",
        "CC-02 Tỷ lệ số hóa hồ sơ thủ tục hành chính khi tiếp nhận (trên) > 55 %",
    ]:
        assert row in text, row
    assert "≥ 705,6 tỷ đồng" in text


def test_only_the_shipped_liberation_serif_is_embedded(reader):
    shipped = {}
    for path in FONTS.glob("LiberationSerif-*.ttf"):
        names = TTFont(path)["name"]
        shipped[names.getDebugName(6)] = names.getDebugName(5)
    embedded = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))["name"]
            embedded[str(font["/BaseFont"])] = (program.getDebugName(6), program.getDebugName(5))
    assert embedded
    for base_font, (postscript_name, version) in embedded.items():
        assert "LiberationSerif" in base_font, base_font
        assert shipped.get(postscript_name) == version, (base_font, postscript_name, version)
    # Regular, bold (headings), italic (date) and bold italic ("Nơi nhận:") are all used.
    assert {name for name, _ in embedded.values()} == set(shipped)


def test_every_page_is_a4_portrait_and_numbered_from_page_2(reader, pages):
    assert len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (width, height)
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines()]
        assert (str(number) in lines) == (number > 1), number


def test_first_page_renders_to_an_image(pdf_response, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        if os.environ.get("PHOMINH_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftoppm is required (PHOMINH_REQUIRE_BROWSER=1): apt-get install poppler-utils")
        pytest.skip("pdftoppm is not installed: apt-get install poppler-utils")
    source = tmp_path / "plan.pdf"
    source.write_bytes(pdf_response.content)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "plan-pdf-page1.png"
    target.unlink(missing_ok=True)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "60",
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
        assert abs(image.width - 496) <= 1 and abs(image.height - 702) <= 1, image.size  # A4 at 60 dpi
        gray = image.convert("L")
        ink = sum(gray.histogram()[:128]) / (image.width * image.height)
    assert 0.02 < ink < 0.25, ink  # text on white, neither blank nor black


@pytest.mark.django_db
def test_plan_page_links_to_the_pdf(client, plan, make_user):
    client.force_login(make_user("office"))
    html = client.get(reverse("plan-detail", args=[2024])).content.decode()
    link = re.search(r'<a [^>]*data-testid="plan-pdf"[^>]*>', html).group(0)
    assert f'href="{reverse("plan-pdf", args=[2024])}"' in link


@pytest.mark.django_db
def test_account_without_role_is_refused(client, plan, make_user):
    client.force_login(make_user(None))
    assert client.get(reverse("plan-pdf", args=[2024])).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, plan):
    url = reverse("plan-pdf", args=[2024])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_unknown_year_is_404(client, plan, make_user):
    client.force_login(make_user("leadership"))
    assert client.get(reverse("plan-pdf", args=[2019])).status_code == 404


def test_a_report_carries_its_data_note_under_the_title():
    """base.html serves the reports to come: the same header and footer, plus where the data stops."""
    document = {
        "issuer": "UBND phường Phổ Minh",
        "number": "12/BC-UBND",
        "place": "Phổ Minh",
        "issued_on": date(2024, 10, 5),
        "document_type": "BÁO CÁO",
        "title": "Tiến độ thực hiện các chỉ tiêu thi đua năm 2024",
        "recipient_lines": ["- Lưu: VT."],
        "signer_mandate": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Lê Duy Bảo",
    }
    note = "Số liệu đến hết quý III/2024, xuất lúc 08:30 ngày 05/10/2024"
    pdf = render_pdf(template="pdf/base.html", context={"document": document, "data_note": note})
    text = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Số: 12/BC-UBND" in text and "Phổ Minh, ngày 05 tháng 10 năm 2024" in text
    assert f"BÁO CÁO Tiến độ thực hiện các chỉ tiêu thi đua năm 2024 {note}" in text


@pytest.mark.parametrize(
    "source", ['<img src="http://127.0.0.1:9/logo.png">', '<img src="file:///etc/hostname">']
)
def test_nothing_outside_static_is_fetched(source):
    with pytest.raises(PdfRenderingError):
        html_to_pdf(f"<p>Phổ Minh</p>{source}")


def test_file_names_are_ascii_and_keep_the_documents_number():
    assert pdf_filename("kế hoạch", "05/KH-UBND", "2024") == "ke-hoach-05-KH-UBND-2024.pdf"
    assert pdf_filename("quyết định", "12/QĐ-UBND", "2024") == "quyet-dinh-12-QD-UBND-2024.pdf"
