"""The demo's household register: a few hundred households per residential group, generated the same
way every time (Vietnamese names, addresses "Số 12, Tổ dân phố 3, phường Phổ Minh").

A generator rather than a fixture: 3.300 rows of JSON would dwarf the demo set it belongs to. Each group
gets as many households as it registered in its 2024 pledge (3.285 for the six groups that pledged), or
as its last reported household count (SO_HO) when it did not pledge.
"""

import random

from django.db import transaction

from campaigns.models import Pledge
from indicators.models import ReportedValue, Unit

from .models import Household

FAMILY = (
    ["Nguyễn"] * 12
    + ["Trần"] * 5
    + ["Lê"] * 4
    + ["Phạm"] * 3
    + ["Huỳnh"] * 3
    + ["Võ"] * 3
    + ["Phan"] * 2
    + ["Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lương", "Mai", "Tô"]
)
MIDDLE_MEN = ["Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Công", "Quang", "Thanh", "Ngọc", "Xuân"]
MIDDLE_WOMEN = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Minh", "Kim", "Thu", "Bích"]
GIVEN_MEN = (
    "An Bình Cường Dũng Hùng Sơn Hải Phúc Lộc Thành Trung Tuấn Long Nam Hòa Vinh Khánh Tài Đạt Hiếu "
    "Quân Tâm Thắng Toàn Việt Phong Hưng Nghĩa Kiên Lâm Huy Tùng Trí Nhân Bảo Tín Hậu Thuận Tiến"
).split()
GIVEN_WOMEN = (
    "Lan Hoa Mai Hạnh Hương Nga Linh Trang Thảo Hồng Loan Nhung Phượng Yến Tuyết Vân Hà Liên Oanh Thủy "
    "Huệ Dung Ánh Xuân Ngọc Diệu Hiền Quyên Trinh My"
).split()
NOTES = ["", "", "", "", "", "", "", "Hộ cận nghèo", "Hộ nghèo", "Gia đình chính sách", "Hộ kinh doanh"]


def head_name(rng: random.Random) -> str:
    family = rng.choice(FAMILY)
    if rng.random() < 0.7:
        return f"{family} {rng.choice(MIDDLE_MEN)} {rng.choice(GIVEN_MEN)}"
    return f"{family} {rng.choice(MIDDLE_WOMEN)} {rng.choice(GIVEN_WOMEN)}"


def households_for(unit: Unit, count: int, *, seed: int = 2024) -> list[Household]:
    """`count` households of one group, the same ones for the same group and seed."""
    rng = random.Random(f"{seed}-{unit.code}")
    number = unit.code.split("-")[-1].lstrip("0") or unit.code
    rows, house = [], 0
    for _i in range(count):
        house += rng.choice((1, 1, 1, 2, 2, 3))
        rows.append(
            Household(
                unit=unit,
                head_name=head_name(rng),
                address=f"Số {house}, Tổ dân phố {number}, phường Phổ Minh",
                members=rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7)),
                note=rng.choice(NOTES),
            )
        )
    return rows


def group_sizes() -> dict[Unit, int]:
    groups = list(
        Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL_GROUP, is_active=True).order_by("order", "code")
    )
    sizes = {}
    for group in groups:
        count = (
            Pledge.objects.filter(unit=group, household_count__isnull=False)
            .order_by("-plan__year")
            .values_list("household_count", flat=True)
            .first()
        )
        if count is None:
            last = (
                ReportedValue.objects.filter(report__unit=group, element__code="SO_HO")
                .order_by("-report__period__plan__year", "-report__period__quarter")
                .values_list("value", flat=True)
                .first()
            )
            count = int(last) if last else 0
        if count:
            sizes[group] = count
    return sizes


def load_demo_register(*, seed: int = 2024) -> int:
    """Fill the register of every group that has none yet; returns the households added."""
    added = 0
    with transaction.atomic():
        for group, count in group_sizes().items():
            if Household.objects.filter(unit=group).exists():
                continue
            rows = households_for(group, count, seed=seed)
            Household.objects.bulk_create(rows, batch_size=500)
            added += len(rows)
    return added
