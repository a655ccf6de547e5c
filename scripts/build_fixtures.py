"""Regenerate fixtures/plan_2024.json and fixtures/demo_2024.json.

The plan's text is read from fixtures/seed/ (a copy of the issued document), so every sentence stays
letter for letter; the target catalogue below carries every figure of the seed (DOMAIN.md §1). The demo
set (units, accounts, 2023 baselines, three quarters of values) is deterministic.

Run after a model change:  .venv/bin/python scripts/build_fixtures.py
The JSON files are what setup loads; tests check them against the seed.
"""

import json
import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "ke-hoach-05-KH-UBND-2024.txt"
PLAN = 1
DEMO_PASSWORD = "PhoMinh@2024"


def seed_lines() -> list[str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Two paragraphs are split by a page break in the seed; join them back.
    joined: list[str] = []
    for line in lines:
        if joined and (joined[-1].endswith("do Thủ tướng") or joined[-1].endswith("pháp luật")):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return [line.replace("**", "") for line in joined]


def between(lines: list[str], start: str, end: str) -> list[str]:
    i = lines.index(start)
    j = lines.index(end, i + 1)
    return lines[i + 1 : j]


def strip_number(text: str) -> tuple[str, str]:
    number, _, rest = text.partition(". ")
    return number, rest


def find_line(lines: list[str], prefix: str) -> str:
    matches = [line for line in lines if line.startswith(prefix)]
    assert len(matches) == 1, (prefix, matches)
    return matches[0].lstrip("-+ ").strip()


# --- data elements: (code, name, unit of measure, aggregation, value type, max) -------------------
ELEMENTS = [
    ("GTSX_NLN", "Giá trị sản xuất ngành Nông - Lâm - Ngư nghiệp (giá so sánh 2010)", "tỷ đồng", "flow", "amount", None),
    ("GTSX_CNXD", "Giá trị sản xuất ngành Công nghiệp - xây dựng (giá so sánh 2010)", "tỷ đồng", "flow", "amount", None),
    ("GTSX_TMDV", "Giá trị sản xuất ngành Thương mại - Dịch vụ (giá so sánh 2010)", "tỷ đồng", "flow", "amount", None),
    ("THU_NSNN", "Thu ngân sách nhà nước trên địa bàn", "đồng", "flow", "count", None),
    ("THU_NS_PHUONG", "Thu ngân sách trên địa bàn phường", "đồng", "flow", "count", None),
    ("CHI_NS_PHUONG", "Chi ngân sách trên địa bàn phường", "đồng", "flow", "count", None),
    ("GTSX_BQ", "Giá trị sản xuất bình quân đầu người (ước cả năm)", "triệu đồng", "stock", "amount", None),
    ("DT_LUA", "Diện tích lúa thu hoạch trong quý", "ha", "flow", "amount", None),
    ("SL_LUA", "Sản lượng thóc thu hoạch trong quý", "tấn", "flow", "amount", None),
    ("DT_NGO", "Diện tích ngô thu hoạch trong quý", "ha", "flow", "amount", None),
    ("SL_NGO", "Sản lượng ngô thu hoạch trong quý", "tấn", "flow", "amount", None),
    ("DAN_TRAU", "Số con trâu hiện có", "con", "stock", "count", None),
    ("DAN_BO", "Số con bò hiện có", "con", "stock", "count", None),
    ("DAN_LON", "Số con lợn hiện có", "con", "stock", "count", None),
    ("DAN_GA", "Số con gà hiện có", "con", "stock", "count", None),
    ("DAN_VIT", "Số con vịt hiện có", "con", "stock", "count", None),
    ("SL_THUY_SAN", "Sản lượng thủy sản khai thác và nuôi trồng trong quý", "tấn", "flow", "amount", None),
    ("VIEC_LAM_MOI", "Số lao động được tạo việc làm mới, tăng thêm trong quý", "lao động", "flow", "count", None),
    ("LD_TONG", "Tổng số lao động", "người", "stock", "count", None),
    ("LD_DAO_TAO", "Số lao động đã qua đào tạo", "người", "stock", "count", None),
    ("SO_HO", "Tổng số hộ dân", "hộ", "stock", "count", None),
    ("HO_NGHEO", "Số hộ nghèo", "hộ", "stock", "count", None),
    ("HO_CAN_NGHEO", "Số hộ cận nghèo", "hộ", "stock", "count", None),
    ("DAN_SO", "Dân số (nhân khẩu thực tế thường trú)", "người", "stock", "count", None),
    ("SINH", "Số trẻ sinh ra trong quý", "người", "flow", "count", None),
    ("TU", "Số người chết trong quý", "người", "flow", "count", None),
    ("TRE_DUOI_5", "Số trẻ em dưới 5 tuổi được cân, đo", "trẻ", "stock", "count", None),
    ("TRE_SDD", "Số trẻ em dưới 5 tuổi suy dinh dưỡng (cân nặng theo tuổi)", "trẻ", "stock", "count", None),
    ("CHUAN_Y_TE", "Phường đạt Bộ tiêu chí quốc gia về y tế", "đạt/không", "stock", "yes_no", 1),
    ("PC_MN5", "Đạt chuẩn phổ cập giáo dục mầm non cho trẻ em 5 tuổi", "đạt/không", "stock", "yes_no", 1),
    ("PC_TH", "Mức độ đạt chuẩn phổ cập giáo dục tiểu học", "mức độ", "stock", "level", 3),
    ("PC_THCS", "Mức độ đạt chuẩn phổ cập giáo dục trung học cơ sở", "mức độ", "stock", "level", 3),
    ("XMC", "Mức độ đạt chuẩn xóa mù chữ", "mức độ", "stock", "level", 2),
    ("CQ_TONG", "Số cơ quan, đơn vị trên địa bàn", "đơn vị", "stock", "count", None),
    ("CQ_VAN_HOA", "Số cơ quan, đơn vị đạt chuẩn văn hóa", "đơn vị", "stock", "count", None),
    ("HO_VAN_HOA", "Số hộ gia đình đạt chuẩn văn hóa", "hộ", "stock", "count", None),
    ("TDP_TONG", "Số tổ dân phố", "tổ", "stock", "count", None),
    ("TDP_VAN_HOA", "Số tổ dân phố đạt chuẩn văn hóa", "tổ", "stock", "count", None),
    ("NGUOI_BHYT", "Số người tham gia bảo hiểm y tế", "người", "stock", "count", None),
    ("HO_NUOC_SACH", "Số hộ sử dụng nước sạch và nước hợp vệ sinh", "hộ", "stock", "count", None),
    ("HS_TIEP_NHAN", "Số hồ sơ thủ tục hành chính tiếp nhận trong quý", "hồ sơ", "flow", "count", None),
    ("HS_SO_HOA_TN", "Số hồ sơ được số hóa khi tiếp nhận", "hồ sơ", "flow", "count", None),
    ("HS_GIAI_QUYET", "Số hồ sơ thủ tục hành chính đã giải quyết trong quý", "hồ sơ", "flow", "count", None),
    ("HS_DUNG_HAN", "Số hồ sơ giải quyết trước hạn, đúng hạn", "hồ sơ", "flow", "count", None),
    ("KQ_SO_HOA", "Số kết quả giải quyết thủ tục hành chính được số hóa", "hồ sơ", "flow", "count", None),
    ("TQ_CHI_TIEU", "Chỉ tiêu tuyển quân được giao", "người", "stock", "count", None),
    ("TQ_GIAO_QUAN", "Số thanh niên đã giao quân", "người", "flow", "count", None),
    ("DBDV_CHI_TIEU", "Chỉ tiêu giao nguồn huấn luyện dự bị động viên", "người", "stock", "count", None),
    ("DBDV_GIAO", "Số quân nhân dự bị đã giao nguồn huấn luyện", "người", "flow", "count", None),
]

# --- targets -------------------------------------------------------------------------------------
# (code, name, group, content, parent, relation, kind, comparator, value, unit, scale,
#  numerator terms, denominator terms, seed line prefix). A term is an element code, "-CODE" for a
# subtracted element, or "@TARGET" for another target.
E, S, C, D = "economic", "social", "admin_reform", "defence"
L_GROWTH = "- Tăng trưởng kinh tế"
L_FOOD = "- Sản lượng lương thực có hạt"
L_HERD = "- Đàn trâu, bò"
L_POOR = "- Tỷ lệ hộ nghèo"
L_EDU = "- Duy trì phường đạt chuẩn phổ cập"
TARGETS = [
    ("KT-01", "Giá trị sản xuất (tăng trưởng kinh tế, giá so sánh năm 2010)", E, 2, None, "", "flow", "gte", "705.6", "tỷ đồng", 1, ["GTSX_NLN", "GTSX_CNXD", "GTSX_TMDV"], [], L_GROWTH),
    ("KT-01a", "Nông - Lâm - Ngư nghiệp", E, 2, "KT-01", "component", "flow", "gte", "84.1", "tỷ đồng", 1, ["GTSX_NLN"], [], L_GROWTH),
    ("KT-01b", "Công nghiệp - xây dựng", E, 2, "KT-01", "component", "flow", "gte", "423.5", "tỷ đồng", 1, ["GTSX_CNXD"], [], L_GROWTH),
    ("KT-01c", "Thương mại - Dịch vụ", E, 2, "KT-01", "component", "flow", "gte", "198", "tỷ đồng", 1, ["GTSX_TMDV"], [], L_GROWTH),
    ("KT-02", "Cơ cấu ngành kinh tế", E, 2, None, "", "heading", "approx", None, "", 1, [], [], "- Cơ cấu ngành kinh tế"),
    ("KT-02a", "Nông - Lâm - Ngư", E, 2, "KT-02", "detail", "derived", "approx", "11.9", "%", 100, ["@KT-01a"], ["@KT-01"], "+ Nông - Lâm - Ngư"),
    ("KT-02b", "Công nghiệp - xây dựng", E, 2, "KT-02", "detail", "derived", "approx", "60.1", "%", 100, ["@KT-01b"], ["@KT-01"], "+ Công nghiệp - xây dựng"),
    ("KT-02c", "Thương mại - Dịch vụ", E, 2, "KT-02", "detail", "derived", "approx", "28", "%", 100, ["@KT-01c"], ["@KT-01"], "+ Thương mại - Dịch vụ"),
    ("KT-03", "Tổng thu ngân sách nhà nước trên địa bàn", E, 2, None, "", "flow", "gte", "480000000", "đồng", 1, ["THU_NSNN"], [], "- Tổng thu ngân sách"),
    ("KT-04", "Thu ngân sách trên địa bàn phường", E, 2, "KT-03", "detail", "flow", "gte", "6599100000", "đồng", 1, ["THU_NS_PHUONG"], [], "+ Thu ngân sách"),
    ("KT-05", "Chi ngân sách trên địa bàn phường", E, 2, "KT-03", "detail", "flow", "lte", "6599100000", "đồng", 1, ["CHI_NS_PHUONG"], [], "+ Chi ngân sách"),
    ("KT-06", "Giá trị sản xuất bình quân đầu người (khoảng)", E, 2, None, "", "ward_value", "gte", "130", "triệu đồng", 1, ["GTSX_BQ"], [], "- Giá trị sản xuất bình quân"),
    ("KT-07", "Sản lượng lương thực có hạt", E, 2, None, "", "flow", "gte", "4350", "tấn", 1, ["SL_LUA", "SL_NGO"], [], L_FOOD),
    ("KT-07a", "Sản lượng thóc", E, 2, "KT-07", "component", "flow", "gte", "4176", "tấn", 1, ["SL_LUA"], [], L_FOOD),
    ("KT-07a.1", "Diện tích lúa", E, 2, "KT-07a", "detail", "flow", "gte", "720", "ha", 1, ["DT_LUA"], [], L_FOOD),
    ("KT-07a.2", "Năng suất lúa", E, 2, "KT-07a", "detail", "derived", "gte", "58", "tạ/ha", 10, ["@KT-07a"], ["@KT-07a.1"], L_FOOD),
    ("KT-07b", "Sản lượng ngô", E, 2, "KT-07", "component", "flow", "gte", "174", "tấn", 1, ["SL_NGO"], [], L_FOOD),
    ("KT-07b.1", "Diện tích ngô", E, 2, "KT-07b", "detail", "flow", "gte", "30", "ha", 1, ["DT_NGO"], [], L_FOOD),
    ("KT-07b.2", "Năng suất ngô", E, 2, "KT-07b", "detail", "derived", "gte", "58", "tạ/ha", 10, ["@KT-07b"], ["@KT-07b.1"], L_FOOD),
    ("KT-08", "Đàn trâu, bò", E, 2, None, "", "stock", "gte", "800", "con", 1, ["DAN_TRAU", "DAN_BO"], [], L_HERD),
    ("KT-08a", "Trong đó: đàn trâu", E, 2, "KT-08", "subset", "stock", "gte", "50", "con", 1, ["DAN_TRAU"], [], L_HERD),
    ("KT-09", "Đàn lợn", E, 2, None, "", "stock", "gte", "100", "con", 1, ["DAN_LON"], [], L_HERD),
    ("KT-10", "Đàn gia cầm", E, 2, None, "", "stock", "gte", "20000", "con", 1, ["DAN_GA", "DAN_VIT"], [], L_HERD),
    ("KT-10a", "Đàn gà", E, 2, "KT-10", "component", "stock", "gte", "5000", "con", 1, ["DAN_GA"], [], L_HERD),
    ("KT-10b", "Đàn vịt", E, 2, "KT-10", "component", "stock", "gte", "15000", "con", 1, ["DAN_VIT"], [], L_HERD),
    ("KT-11", "Sản lượng thủy sản (từ … trở lên)", E, 2, None, "", "flow", "gte", "180", "tấn", 1, ["SL_THUY_SAN"], [], "- Sản lượng thủy sản"),
    ("XH-01", "Tạo việc làm mới và tăng việc làm thêm cho lao động", S, 5, None, "", "flow", "gte", "350", "lao động", 1, ["VIEC_LAM_MOI"], [], "- Tạo việc làm mới"),
    ("XH-02", "Tỷ lệ lao động qua đào tạo", S, 5, None, "", "ratio", "gte", "54", "%", 100, ["LD_DAO_TAO"], ["LD_TONG"], "- Tỷ lệ lao động qua đào tạo"),
    ("XH-03", "Tỷ lệ hộ nghèo cuối năm (giảm còn)", S, 5, None, "", "ratio", "lte", "2.57", "%", 100, ["HO_NGHEO"], ["SO_HO"], L_POOR),
    ("XH-04", "Tỷ lệ hộ cận nghèo (giảm còn)", S, 5, None, "", "ratio", "lte", "2.85", "%", 100, ["HO_CAN_NGHEO"], ["SO_HO"], L_POOR),
    ("XH-05", "Tỷ lệ tăng dân số tự nhiên", S, 5, None, "", "ratio", "lte", "0.8", "%", 100, ["SINH", "-TU"], ["DAN_SO"], "- Tỷ lệ tăng dân số"),
    ("XH-06", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (giảm còn)", S, 5, None, "", "ratio", "lte", "5.5", "%", 100, ["TRE_SDD"], ["TRE_DUOI_5"], "- Giảm tỷ lệ trẻ em"),
    ("XH-07", "Duy trì phường đạt chuẩn quốc gia về y tế", S, 5, None, "", "standard", "maintain", None, "", 1, ["CHUAN_Y_TE"], [], "- Duy trì phường đạt chuẩn Quốc gia"),
    ("XH-08", "Duy trì phường đạt chuẩn phổ cập giáo dục, xóa mù chữ", S, 5, None, "", "heading", "maintain", None, "", 1, [], [], L_EDU),
    ("XH-08a", "Phổ cập giáo dục mầm non cho trẻ 5 tuổi", S, 5, "XH-08", "detail", "standard", "maintain", None, "", 1, ["PC_MN5"], [], L_EDU),
    ("XH-08b", "Phổ cập giáo dục tiểu học", S, 5, "XH-08", "detail", "standard", "maintain", "3", "mức độ", 1, ["PC_TH"], [], L_EDU),
    ("XH-08c", "Phổ cập giáo dục trung học cơ sở", S, 5, "XH-08", "detail", "standard", "maintain", "3", "mức độ", 1, ["PC_THCS"], [], L_EDU),
    ("XH-08d", "Xóa mù chữ", S, 5, "XH-08", "detail", "standard", "maintain", "2", "mức độ", 1, ["XMC"], [], L_EDU),
    ("XH-09", "Tỷ lệ đạt chuẩn văn hóa", S, 5, None, "", "heading", "gte", None, "", 1, [], [], "- Tỷ lệ đạt chuẩn văn hóa"),
    ("XH-09a", "Cơ quan, đơn vị đạt tiêu chuẩn văn hóa", S, 5, "XH-09", "detail", "ratio", "gte", "100", "%", 100, ["CQ_VAN_HOA"], ["CQ_TONG"], "- Cơ quan, đơn vị đạt"),
    ("XH-09b", "Hộ gia đình đạt chuẩn văn hóa (từ … trở lên)", S, 5, "XH-09", "detail", "ratio", "gte", "93", "%", 100, ["HO_VAN_HOA"], ["SO_HO"], "- Tỷ lệ hộ gia đình đạt"),
    ("XH-09c", "Tổ dân phố văn hóa", S, 5, "XH-09", "detail", "ratio", "gte", "100", "%", 100, ["TDP_VAN_HOA"], ["TDP_TONG"], "- Tỷ lệ tổ dân phố"),
    ("XH-10", "Tỷ lệ tham gia bảo hiểm y tế so với dân số (từ … trở lên)", S, 5, None, "", "ratio", "gte", "90", "%", 100, ["NGUOI_BHYT"], ["DAN_SO"], "- Tỷ lệ tham gia bảo hiểm"),
    ("XH-11", "Tỷ lệ hộ dân sử dụng nước sạch và nước hợp vệ sinh (từ … trở lên)", S, 5, None, "", "ratio", "gte", "93", "%", 100, ["HO_NUOC_SACH"], ["SO_HO"], "- Tỷ lệ hộ dân sử dụng nước"),
    ("CC-01", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trước hạn, đúng hạn (từ … trở lên)", C, 6, None, "", "ratio", "gte", "97", "%", 100, ["HS_DUNG_HAN"], ["HS_GIAI_QUYET"], "6."),
    ("CC-02", "Tỷ lệ số hóa hồ sơ thủ tục hành chính khi tiếp nhận (trên)", C, 6, None, "", "ratio", "gt", "55", "%", 100, ["HS_SO_HOA_TN"], ["HS_TIEP_NHAN"], "6."),
    ("CC-03", "Tỷ lệ số hóa kết quả giải quyết thủ tục hành chính (trên)", C, 6, None, "", "ratio", "gt", "55", "%", 100, ["KQ_SO_HOA"], ["HS_GIAI_QUYET"], "6."),
    ("QP-01", "Tuyển quân đạt chỉ tiêu được giao", D, 7, None, "", "ratio", "gte", "100", "%", 100, ["TQ_GIAO_QUAN"], ["TQ_CHI_TIEU"], "- Tuyển quân"),
    ("QP-02", "Lực lượng dự bị động viên, giao nguồn huấn luyện đạt chỉ tiêu", D, 7, None, "", "ratio", "gte", "95", "%", 100, ["DBDV_GIAO"], ["DBDV_CHI_TIEU"], "- Lực lượng dự bị"),
]

# Ratios whose numerator may exceed its denominator: recruits over quota, (births − deaths) ÷ population.
NOT_SHARES = {"XH-05", "QP-01", "QP-02"}

CONTENT_TITLES = {
    1: "Thực hiện Chỉ thị 19/CT-TTg và Kế hoạch 5 năm 2021-2025",
    2: "Hoàn thành vượt mức các chỉ tiêu kinh tế - xã hội năm 2024",
    3: "04 nhiệm vụ trọng tâm và 03 nhiệm vụ đột phá",
    4: "Các phong trào thi đua do Thủ tướng Chính phủ phát động",
    5: "Phát triển văn hóa - xã hội, an sinh xã hội, giảm nghèo bền vững",
    6: "Chuyển đổi số, cải cách hành chính",
    7: "Quốc phòng, quân sự địa phương, an ninh trật tự",
    8: "Xây dựng Đảng, chính quyền, Mặt trận và các đoàn thể",
}


def obj(model: str, pk: int, **fields) -> dict:
    return {"model": model, "pk": pk, "fields": fields}


def build_plan() -> list[dict]:
    lines = seed_lines()
    out: list[dict] = []
    preamble = lines[lines.index("KẾ HOẠCH") + 2 : lines.index("I. MỤC TIÊU, CHỈ TIÊU")]
    closing_i = lines.index("Nơi nhận:")
    out.append(
        obj(
            "campaigns.plan",
            PLAN,
            year=2024,
            number="05/KH-UBND",
            place="Phổ Minh",
            issued_on="2024-01-04",
            document_type="KẾ HOẠCH",
            title=lines[lines.index("KẾ HOẠCH") + 1],
            issuer="UBND phường Phổ Minh",
            preamble="\n\n".join(preamble),
            closing=lines[closing_i - 1],
            recipients="\n".join(between(lines, "Nơi nhận:", "TM.ỦY BAN NHÂN DÂN")),
            signer_mandate="TM. ỦY BAN NHÂN DÂN",
            signer_title="CHỦ TỊCH",
            signer_name=lines[-1],
        )
    )
    sections: list[dict] = []
    paragraphs: list[dict] = []

    def section(number, heading, role="text", group="", parent=None):
        pk = len(sections) + 1
        sections.append(
            obj(
                "campaigns.plansection",
                pk,
                plan=PLAN,
                parent=parent,
                number=number,
                heading=heading,
                role=role,
                target_group=group,
                order=pk,
            )
        )
        return pk

    def paragraph(section_pk, text, number="", bullet=""):
        order = sum(1 for p in paragraphs if p["fields"]["section"] == section_pk) + 1
        paragraphs.append(
            obj(
                "campaigns.planparagraph",
                len(paragraphs) + 1,
                section=section_pk,
                order=order,
                number=number,
                bullet=bullet,
                text=text,
            )
        )

    s1 = section("I", "MỤC TIÊU, CHỈ TIÊU")
    s11 = section("1", "Mục đích:", parent=s1)
    for text in between(lines, "1. Mục đích:", "2. Yêu cầu:"):
        paragraph(s11, text[2:], bullet="-")
    s12 = section("2", "Yêu cầu:", parent=s1)
    for text in between(lines, "2. Yêu cầu:", "II. NỘI DUNG PHÁT ĐỘNG THI ĐUA:"):
        paragraph(s12, text[2:], bullet="-")
    section("II", "NỘI DUNG PHÁT ĐỘNG THI ĐUA:", role="contents")
    contents = between(lines, "II. NỘI DUNG PHÁT ĐỘNG THI ĐUA:", "II. Chỉ tiêu thi đua:")
    assert len(contents) == 8, contents
    for text in contents:
        number, rest = strip_number(text)
        out.append(
            obj(
                "campaigns.campaigncontent",
                int(number),
                plan=PLAN,
                number=int(number),
                short_title=CONTENT_TITLES[int(number)],
                text=rest,
            )
        )
    s2 = section("II", "Chỉ tiêu thi đua:", role="targets")
    section("1", "Lĩnh vực kinh tế:", role="target_group", group=E, parent=s2)
    section("2", "Lĩnh vực xã hội:", role="target_group", group=S, parent=s2)
    section("3", "Chỉ tiêu chủ yếu về quốc phòng, an ninh:", role="target_group", group=D, parent=s2)
    section(
        "",
        "Chỉ tiêu cải cách hành chính, chuyển đổi số (nêu tại nội dung thi đua số 6):",
        role="target_group",
        group=C,
        parent=s2,
    )
    s3 = section("III", "TỔ CHỨC THỰC HIỆN:")
    items = between(lines, "III. TỔ CHỨC THỰC HIỆN:", lines[closing_i - 1])
    assert len(items) == 7, items
    for text in items:
        number, rest = strip_number(text)
        paragraph(s3, rest, number=number)
    out += sections + paragraphs

    element_pk = {}
    for i, (code, name, uom, agg, vtype, vmax) in enumerate(ELEMENTS, start=1):
        element_pk[code] = i
        out.append(
            obj(
                "indicators.dataelement",
                i,
                plan=PLAN,
                code=code,
                name=name,
                unit_of_measure=uom,
                aggregation=agg,
                value_type=vtype,
                max_value=None if vmax is None else str(vmax),
                description="",
                order=i,
            )
        )
    target_pk = {t[0]: i for i, t in enumerate(TARGETS, start=1)}
    terms = []
    for i, t in enumerate(TARGETS, start=1):
        code, name, group, content, parent, relation, kind, comp, value, uom, scale, num, den, prefix = t
        if prefix == "6.":
            content6 = next(c for c in contents if c.startswith("6."))
            description = content6[content6.index("Luân chuyển hồ sơ") :]
        else:
            description = find_line(lines[lines.index("II. Chỉ tiêu thi đua:") :], prefix)
        out.append(
            obj(
                "indicators.target",
                i,
                plan=PLAN,
                code=code,
                name=name,
                description=description,
                group=group,
                content=content,
                parent=target_pk[parent] if parent else None,
                relation=relation,
                kind=kind,
                comparator=comp,
                target_value=value,
                unit_of_measure=uom,
                scale=str(scale),
                is_share=code not in NOT_SHARES,
                order=i,
            )
        )
        for role, side in (("numerator", num), ("denominator", den)):
            for term in side:
                coefficient = "-1" if term.startswith("-") else "1"
                term = term.lstrip("-")
                fields = {"target": i, "role": role, "coefficient": coefficient, "element": None, "source_target": None}
                if term.startswith("@"):
                    fields["source_target"] = target_pk[term[1:]]
                else:
                    fields["element"] = element_pk[term]
                terms.append(obj("indicators.targetterm", len(terms) + 1, **fields))
    return out + terms


# --- demo set -------------------------------------------------------------------------------------
UNITS = [
    ("PHUONG", "UBND phường Phổ Minh", "ward", None),
    ("VP-TK", "Văn phòng - Thống kê", "office", "PHUONG"),
    ("TC-KT", "Tài chính - Kế toán", "office", "PHUONG"),
    ("DC-NN", "Địa chính - Xây dựng - Nông nghiệp", "office", "PHUONG"),
    ("VH-XH", "Văn hóa - Xã hội", "office", "PHUONG"),
    ("TP-HT", "Tư pháp - Hộ tịch", "office", "PHUONG"),
    ("MOT-CUA", "Bộ phận Tiếp nhận và trả kết quả", "office", "PHUONG"),
    ("MTTQ", "Ủy ban MTTQ Việt Nam phường", "mass_org", "PHUONG"),
    ("HPN", "Hội Liên hiệp Phụ nữ phường", "mass_org", "MTTQ"),
    ("HND", "Hội Nông dân phường", "mass_org", "MTTQ"),
    ("HCCB", "Hội Cựu chiến binh phường", "mass_org", "MTTQ"),
    ("DTN", "Đoàn Thanh niên phường", "mass_org", "MTTQ"),
    ("MN", "Trường Mầm non Phổ Minh", "school", "PHUONG"),
    ("TH", "Trường Tiểu học Phổ Minh", "school", "PHUONG"),
    ("THCS", "Trường THCS Phổ Minh", "school", "PHUONG"),
    ("TYT", "Trạm Y tế phường", "health", "PHUONG"),
    ("CA", "Công an phường", "security", "PHUONG"),
    ("BCHQS", "Ban Chỉ huy Quân sự phường", "security", "PHUONG"),
] + [(f"TDP-{i:02d}", f"Tổ dân phố {i}", "residential_group", "PHUONG") for i in range(1, 9)]

GROUP_ELEMENTS = ["SO_HO", "HO_NGHEO", "HO_CAN_NGHEO", "HO_VAN_HOA", "HO_NUOC_SACH", "DAN_SO", "NGUOI_BHYT",
                  "DAN_TRAU", "DAN_BO", "DAN_LON", "DAN_GA", "DAN_VIT"]
ASSIGNMENTS = {
    "VP-TK": ["GTSX_NLN", "GTSX_CNXD", "GTSX_TMDV", "GTSX_BQ"],
    "TC-KT": ["THU_NSNN", "THU_NS_PHUONG", "CHI_NS_PHUONG"],
    "DC-NN": ["DT_LUA", "SL_LUA", "DT_NGO", "SL_NGO", "SL_THUY_SAN"],
    "VH-XH": ["VIEC_LAM_MOI", "LD_TONG", "LD_DAO_TAO", "CQ_TONG", "CQ_VAN_HOA", "TDP_TONG", "TDP_VAN_HOA", "XMC"],
    "TP-HT": ["SINH", "TU"],
    "TYT": ["TRE_DUOI_5", "TRE_SDD", "CHUAN_Y_TE"],
    "MN": ["PC_MN5"],
    "TH": ["PC_TH"],
    "THCS": ["PC_THCS"],
    "MOT-CUA": ["HS_TIEP_NHAN", "HS_SO_HOA_TN", "HS_GIAI_QUYET", "HS_DUNG_HAN", "KQ_SO_HOA"],
    "BCHQS": ["TQ_CHI_TIEU", "TQ_GIAO_QUAN", "DBDV_CHI_TIEU", "DBDV_GIAO"],
} | {f"TDP-{i:02d}": GROUP_ELEMENTS for i in range(1, 9)}

# (username, full name, role, title, units, staff)
ACCOUNTS = [
    ("chutich", "Lê Duy Bảo", "leadership", "Chủ tịch UBND phường", [], False),
    ("vanphong", "Nguyễn Thị Hoa", "office", "Công chức Văn phòng - Thống kê", ["VP-TK", "MOT-CUA"], False),
    ("canbo", "Trần Văn Nam", "official", "Công chức Địa chính - Nông nghiệp", ["DC-NN", "TC-KT"], False),
    ("canbo_vhxh", "Phạm Thị Lan", "official", "Công chức Văn hóa - Xã hội", ["VH-XH", "TP-HT", "TYT", "MN", "TH", "THCS"] + [f"TDP-{i:02d}" for i in range(1, 9)], False),
    ("canbo_qs", "Đỗ Minh Tuấn", "official", "Chỉ huy trưởng Quân sự", ["BCHQS"], False),
    ("hoidong", "Võ Thị Thu", "council", "Ủy viên Hội đồng Thi đua - Khen thưởng", [], False),
    ("quantri", "Quản trị hệ thống", "admin", "Quản trị", [], True),
] + [(f"totruong{i}", name, "group_leader", f"Tổ trưởng Tổ dân phố {i}", [f"TDP-{i:02d}"], False)
     for i, name in enumerate(["Huỳnh Văn Tư", "Lê Thị Mai", "Nguyễn Văn Hùng", "Trương Thị Bích",
                                "Phan Văn Lợi", "Đặng Thị Hạnh", "Bùi Văn Sơn", "Ngô Thị Xuân"], start=1)]

OFFICE_ACCOUNT = 2  # vanphong approves the demo's first two quarters


def reporter_of(unit: str) -> int:
    """The demo account that submitted a unit's report: the group leader, else the official serving it."""
    for pk, (_, _, role, _, units, _) in enumerate(ACCOUNTS, start=1):
        if unit in units and (role == "group_leader" or not unit.startswith("TDP")):
            return pk
    raise LookupError(unit)


PERIODS = [
    (1, "2024-01-01", "2024-03-31", "2024-03-15", "2024-04-10", True),
    (2, "2024-04-01", "2024-06-30", "2024-06-15", "2024-07-10", True),
    (3, "2024-07-01", "2024-09-30", "2024-09-15", "2024-10-10", False),
    (4, "2024-10-01", "2024-12-31", "2024-12-10", "2025-01-10", False),
]

# 2023 results (demo, plausible; the office enters the real ones).
BASELINES = {
    "KT-01": "668.2", "KT-01a": "82.4", "KT-01b": "398.6", "KT-01c": "187.2", "KT-02a": "12.3",
    "KT-02b": "59.7", "KT-02c": "28.0", "KT-03": "455000000", "KT-04": "6210500000",
    "KT-05": "6180300000", "KT-06": "123", "KT-07": "4296", "KT-07a": "4124", "KT-07a.1": "718",
    "KT-07a.2": "57.4", "KT-07b": "172", "KT-07b.1": "30", "KT-07b.2": "57.3", "KT-08": "812",
    "KT-08a": "52", "KT-09": "96", "KT-10": "19450", "KT-10a": "4870", "KT-10b": "14580",
    "KT-11": "176", "XH-01": "342", "XH-02": "52.6", "XH-03": "3.12", "XH-04": "3.35", "XH-05": "0.86",
    "XH-06": "6.1", "XH-09a": "94.1", "XH-09b": "91.8", "XH-09c": "87.5", "XH-10": "88.4",
    "XH-11": "92.1", "CC-01": "96.2", "CC-02": "48.5", "CC-03": "50.2", "QP-01": "100", "QP-02": "93",
}


def demo_values(rng: random.Random) -> dict[tuple[str, int], dict[str, Decimal]]:
    """Plausible values per (unit, quarter) for quarters 1–3 of 2024."""
    values: dict[tuple[str, int], dict[str, Decimal]] = {}
    for i in range(1, 9):
        households = rng.randint(520, 640)
        people = households * rng.randint(37, 42) // 10
        for q in (1, 2, 3):
            households_q = households + q * rng.randint(0, 3)
            values[(f"TDP-{i:02d}", q)] = {k: Decimal(v) for k, v in {
                "SO_HO": households_q,
                "HO_NGHEO": round(households_q * (0.031 - 0.0015 * q + rng.uniform(-0.004, 0.004))),
                "HO_CAN_NGHEO": round(households_q * (0.033 - 0.001 * q + rng.uniform(-0.004, 0.004))),
                "HO_VAN_HOA": round(households_q * rng.uniform(0.9, 0.955)),
                "HO_NUOC_SACH": round(households_q * rng.uniform(0.915, 0.96)),
                "DAN_SO": people + q * rng.randint(2, 8),
                "NGUOI_BHYT": round(people * (0.875 + 0.006 * q + rng.uniform(-0.01, 0.01))),
                "DAN_TRAU": rng.randint(4, 8),
                "DAN_BO": rng.randint(86, 104),
                "DAN_LON": rng.randint(9, 15),
                "DAN_GA": rng.randint(560, 700),
                "DAN_VIT": rng.randint(1700, 2050),
            }.items()}
    quarterly = {
        "VP-TK": [
            {"GTSX_NLN": "19.8", "GTSX_CNXD": "98.4", "GTSX_TMDV": "45.2", "GTSX_BQ": "126"},
            {"GTSX_NLN": "23.6", "GTSX_CNXD": "104.9", "GTSX_TMDV": "49.8", "GTSX_BQ": "128"},
            {"GTSX_NLN": "20.7", "GTSX_CNXD": "106.2", "GTSX_TMDV": "50.6", "GTSX_BQ": "129"},
        ],
        "TC-KT": [
            {"THU_NSNN": "105200000", "THU_NS_PHUONG": "1452800000", "CHI_NS_PHUONG": "1380400000"},
            {"THU_NSNN": "131500000", "THU_NS_PHUONG": "1718300000", "CHI_NS_PHUONG": "1655000000"},
            {"THU_NSNN": "118900000", "THU_NS_PHUONG": "1604500000", "CHI_NS_PHUONG": "1702600000"},
        ],
        "DC-NN": [
            {"DT_LUA": "0", "SL_LUA": "0", "DT_NGO": "0", "SL_NGO": "0", "SL_THUY_SAN": "38.5"},
            {"DT_LUA": "362", "SL_LUA": "2106.8", "DT_NGO": "16", "SL_NGO": "92.8", "SL_THUY_SAN": "47.2"},
            {"DT_LUA": "356", "SL_LUA": "2043.4", "DT_NGO": "14", "SL_NGO": "79.1", "SL_THUY_SAN": "51.3"},
        ],
        "VH-XH": [
            {"VIEC_LAM_MOI": "78", "LD_TONG": "11240", "LD_DAO_TAO": "5918", "CQ_TONG": "17", "CQ_VAN_HOA": "16",
             "TDP_TONG": "8", "TDP_VAN_HOA": "7", "XMC": "2"},
            {"VIEC_LAM_MOI": "96", "LD_TONG": "11262", "LD_DAO_TAO": "5990", "CQ_TONG": "17", "CQ_VAN_HOA": "16",
             "TDP_TONG": "8", "TDP_VAN_HOA": "7", "XMC": "2"},
            {"VIEC_LAM_MOI": "91", "LD_TONG": "11275", "LD_DAO_TAO": "6044", "CQ_TONG": "17", "CQ_VAN_HOA": "17",
             "TDP_TONG": "8", "TDP_VAN_HOA": "7", "XMC": "2"},
        ],
        "TP-HT": [{"SINH": "52", "TU": "25"}, {"SINH": "47", "TU": "22"}, {"SINH": "50", "TU": "24"}],
        "TYT": [
            {"TRE_DUOI_5": "1382", "TRE_SDD": "82", "CHUAN_Y_TE": "1"},
            {"TRE_DUOI_5": "1376", "TRE_SDD": "79", "CHUAN_Y_TE": "1"},
            {"TRE_DUOI_5": "1390", "TRE_SDD": "76", "CHUAN_Y_TE": "1"},
        ],
        "MN": [{"PC_MN5": "1"}] * 3,
        "TH": [{"PC_TH": "3"}] * 3,
        "THCS": [{"PC_THCS": "3"}] * 3,
        "MOT-CUA": [
            {"HS_TIEP_NHAN": "612", "HS_SO_HOA_TN": "318", "HS_GIAI_QUYET": "598", "HS_DUNG_HAN": "586", "KQ_SO_HOA": "334"},
            {"HS_TIEP_NHAN": "655", "HS_SO_HOA_TN": "362", "HS_GIAI_QUYET": "641", "HS_DUNG_HAN": "627", "KQ_SO_HOA": "368"},
            {"HS_TIEP_NHAN": "630", "HS_SO_HOA_TN": "361", "HS_GIAI_QUYET": "625", "HS_DUNG_HAN": "611", "KQ_SO_HOA": "355"},
        ],
        "BCHQS": [
            {"TQ_CHI_TIEU": "22", "TQ_GIAO_QUAN": "22", "DBDV_CHI_TIEU": "40", "DBDV_GIAO": "11"},
            {"TQ_CHI_TIEU": "22", "TQ_GIAO_QUAN": "0", "DBDV_CHI_TIEU": "40", "DBDV_GIAO": "17"},
            {"TQ_CHI_TIEU": "22", "TQ_GIAO_QUAN": "0", "DBDV_CHI_TIEU": "40", "DBDV_GIAO": "9"},
        ],
    }
    for unit, rows in quarterly.items():
        for q, row in enumerate(rows, start=1):
            values[(unit, q)] = {k: Decimal(v) for k, v in row.items()}
    return values


DEMO_IDENTITY = {
    "ward_name": "phường Phổ Minh",
    "committee_name": "Ủy ban nhân dân phường Phổ Minh",
    "committee_short_name": "UBND phường Phổ Minh",
    "higher_level_name": "Ủy ban nhân dân thị xã Đức Phổ",
    "place_name": "Phổ Minh",
    "chairman_name": "Lê Duy Bảo",
    "chairman_title": "CHỦ TỊCH",
    "deputies": "",
    "council_name": "Hội đồng Thi đua - Khen thưởng phường Phổ Minh",
    "office_name": "Văn phòng - Thống kê",
    "version": 1,
    "updated_at": "2024-01-02T08:00:00+07:00",
    "updated_by": None,
}


def build_demo() -> list[dict]:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phominh.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password

    out: list[dict] = []
    unit_pk = {}
    for i, (code, name, kind, parent) in enumerate(UNITS, start=1):
        unit_pk[code] = i
        out.append(obj("indicators.unit", i, code=code, name=name, kind=kind,
                       parent=unit_pk[parent] if parent else None, order=i, is_active=True))
    password = make_password(DEMO_PASSWORD, salt="phominhdemo")
    for i, (username, full_name, role, title, units, staff) in enumerate(ACCOUNTS, start=1):
        last, _, first = full_name.rpartition(" ")
        out.append(obj("auth.user", i, username=username, password=password, first_name=first,
                       last_name=last, email=f"{username}@phominh.local", is_staff=staff,
                       is_superuser=staff, is_active=True, date_joined="2024-01-02T08:00:00+07:00"))
        out.append(obj("indicators.profile", i, user=i, role=role, title=title,
                       units=[unit_pk[u] for u in units]))
    element_pk = {code: i for i, (code, *_rest) in enumerate(ELEMENTS, start=1)}
    n = 0
    for unit, codes in ASSIGNMENTS.items():
        for code in codes:
            n += 1
            out.append(obj("indicators.assignment", n, element=element_pk[code], unit=unit_pk[unit]))
    for q, starts, ends, opens, deadline, locked in PERIODS:
        out.append(obj("indicators.reportingperiod", q, plan=PLAN, quarter=q, starts_on=starts, ends_on=ends,
                       opens_on=opens, deadline=deadline, is_locked=locked, reopened_until=None))
    target_pk = {t[0]: i for i, t in enumerate(TARGETS, start=1)}
    for i, (code, value) in enumerate(BASELINES.items(), start=1):
        out.append(obj("indicators.baseline", i, target=target_pk[code], value=value,
                       note="Kết quả năm 2023 (số liệu minh họa)"))
    values = demo_values(random.Random(2024))
    report_pk = 0
    value_pk = 0
    for (unit, q), row in sorted(values.items(), key=lambda kv: (kv[0][1], unit_pk[kv[0][0]])):
        report_pk += 1
        if q < 3:
            status = "approved"
        elif unit in ("TDP-06", "TDP-08"):
            status = "draft"
        else:
            status = "submitted"
        deadline = date.fromisoformat(PERIODS[q - 1][4])
        submitted = status != "draft"
        out.append(obj(
            "indicators.report", report_pk, unit=unit_pk[unit], period=q, status=status, version=1,
            updated_at=f"{deadline - timedelta(days=2)}T09:00:00+07:00",
            submitted_at=f"{deadline - timedelta(days=2)}T09:00:00+07:00" if submitted else None,
            submitted_by=reporter_of(unit) if submitted else None,
            reviewed_at=f"{deadline + timedelta(days=3)}T10:00:00+07:00" if status == "approved" else None,
            reviewed_by=OFFICE_ACCOUNT if status == "approved" else None,
            return_reason="", reopened_until=None,
        ))
        for code, value in row.items():
            assert code in ASSIGNMENTS[unit], (unit, code)
            value_pk += 1
            out.append(obj("indicators.reportedvalue", value_pk, report=report_pk, element=element_pk[code],
                           value=str(value), comment=""))
    # The ward's identity (campaigns/identity.py): demo data, as a real ward types it on its setup page.
    out.append(obj("campaigns.wardidentity", 1, **DEMO_IDENTITY))
    return out + demo_pledges(unit_pk, target_pk)


# Demo pledges: (unit, status, collective title pk, households, people, {target: (figure, baseline)}, texts)
PLEDGES = [
    ("TDP-01", "acknowledged", 6, 560, [], {"XH-03": ("2.5", "2.9"), "XH-09b": ("94", None), "XH-10": ("90", None)},
     ["Không có hộ tái nghèo", "Ra quân vệ sinh môi trường mỗi tháng một lần"]),
    ("TDP-02", "acknowledged", 6, 575, [], {"XH-03": ("2.4", "2.7"), "XH-09b": ("95", None)}, []),
    ("TDP-03", "acknowledged", 6, 580, [], {"XH-09b": ("95", None), "XH-11": ("95", None)}, ["0 hộ nghèo phát sinh mới"]),
    ("TDP-04", "acknowledged", 6, 540, [], {"XH-10": ("91", None)}, []),
    ("TDP-05", "acknowledged", 6, 530, [], {"XH-09b": ("93", None)}, []),
    ("TDP-06", "submitted", 6, 500, [], {"XH-09b": ("92", None)}, []),
    ("VH-XH", "acknowledged", 3, None,
     [("Phạm Thị Lan", "Công chức Văn hóa - Xã hội", 1), ("Nguyễn Văn Bình", "Công chức Lao động - TBXH", 1),
      ("Trần Thị Ngọc", "Công chức Văn hóa - Xã hội", 2)],
     {"XH-01": ("350", None), "XH-02": ("54", None)}, []),
    ("MOT-CUA", "acknowledged", 3, None, [("Lê Thị Hồng", "Công chức Một cửa", 1)],
     {"CC-01": ("98", None), "CC-02": ("56", None), "CC-03": ("56", None)}, []),
]


def demo_pledges(unit_pk: dict[str, int], target_pk: dict[str, int]) -> list[dict]:
    out = [obj("campaigns.pledgewindow", 1, plan=PLAN, opens_on="2024-01-05", closes_on="2024-01-31")]
    commitment = person = 0
    for pk, (unit, status, title, households, people, figures, texts) in enumerate(PLEDGES, start=1):
        submitted = f"2024-01-{10 + pk:02d}T09:00:00+07:00"
        out.append(obj(
            "campaigns.pledge", pk, plan=PLAN, unit=unit_pk[unit], collective_title=title, household_count=households,
            households="", status=status, version=2, updated_at=submitted, submitted_at=submitted,
            submitted_by=reporter_of(unit), acknowledged_at="2024-02-02T10:00:00+07:00" if status == "acknowledged" else None,
            acknowledged_by=OFFICE_ACCOUNT if status == "acknowledged" else None, return_reason="", reopened_until=None,
        ))
        for name, position, title_pk in people:
            person += 1
            out.append(obj("campaigns.pledgedperson", person, pledge=pk, full_name=name, position=position, title=title_pk))
        for code, (figure, baseline) in figures.items():
            commitment += 1
            out.append(obj("campaigns.commitment", commitment, pledge=pk, covenant=None, target=target_pk[code],
                           committed_value=figure, baseline=baseline, text=""))
        for text in texts:
            commitment += 1
            out.append(obj("campaigns.commitment", commitment, pledge=pk, covenant=None, target=None,
                           committed_value=None, baseline=None, text=text))
    out.append(obj(
        "campaigns.covenant", 1, plan=PLAN, title="Giao ước thi đua cụm tổ dân phố số 1 năm 2024",
        text="Các tổ dân phố 1, 2, 3, 4 cùng giao ước thi đua thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội "
             "năm 2024 trên địa bàn, giữ vững danh hiệu Tổ dân phố văn hóa.",
        lead_unit=unit_pk["TDP-01"], status="open", created_by=reporter_of("TDP-01"),
        created_at="2024-01-20T08:00:00+07:00",
    ))
    for i, unit in enumerate(["TDP-01", "TDP-02", "TDP-03", "TDP-04"], start=1):
        confirmed = unit != "TDP-04"
        out.append(obj("campaigns.covenantmember", i, covenant=1, unit=unit_pk[unit],
                       confirmed_at=f"2024-01-2{i}T15:00:00+07:00" if confirmed else None,
                       confirmed_by=reporter_of(unit) if confirmed else None))
    for code, figure in [("XH-09b", "93"), ("XH-10", "90"), ("XH-03", "2.57")]:
        commitment += 1
        out.append(obj("campaigns.commitment", commitment, pledge=None, covenant=1, target=target_pk[code],
                       committed_value=figure, baseline=None, text=""))
    return out


def write(name: str, data: list[dict]) -> None:
    path = ROOT / "fixtures" / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(data)} objects")


if __name__ == "__main__":
    write("plan_2024.json", build_plan())
    write("demo_2024.json", build_demo())
