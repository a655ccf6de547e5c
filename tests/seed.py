"""Reading the reference copy of the plan (fixtures/seed/) the way a person reads it."""

import re
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "ke-hoach-05-KH-UBND-2024.txt"
# A Vietnamese figure: 4.176 / 6.599.100.000 / 705,6 / 2,57 / 198
NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def lines() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def targets_section() -> list[str]:
    """The lines of "II. Chỉ tiêu thi đua", without its numbered group headings."""
    all_lines = lines()
    start = all_lines.index("II. Chỉ tiêu thi đua:")
    end = all_lines.index("III. TỔ CHỨC THỰC HIỆN:")
    return [line for line in all_lines[start + 1 : end] if not re.match(r"^\d\. ", line)]


def content(number: int) -> str:
    all_lines = lines()
    start = all_lines.index("II. NỘI DUNG PHÁT ĐỘNG THI ĐUA:")
    return next(line for line in all_lines[start:] if line.startswith(f"{number}. "))


def figures(text: str) -> list[str]:
    """The planned figures in a line: ages ("dưới 5 tuổi") and the price base year are not figures."""
    text = text.replace("**", "")
    text = re.sub(r"\d+ tuổi", "", text)
    text = text.replace("năm 2010", "")
    text = re.sub(r"^\d+\. ", "", text)
    return NUMBER.findall(text)


def clean(line: str) -> str:
    return line.replace("**", "").lstrip("-+ ").strip()
