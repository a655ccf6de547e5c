"""Helpers for the quarterly reporting tests: an open quarter, a unit's users, posting the form."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from indicators.models import DataElement, Report, ReportingPeriod, Unit

# A residential group's quarter as its leader types it in the browser (Vietnamese number format).
GROUP_FIGURES = {
    "SO_HO": "612",
    "HO_NGHEO": "15",
    "HO_CAN_NGHEO": "17",
    "HO_VAN_HOA": "570",
    "HO_NUOC_SACH": "580",
    "DAN_SO": "2.420",
    "NGUOI_BHYT": "2.190",
    "DAN_TRAU": "7",
    "DAN_BO": "96",
    "DAN_LON": "11",
    "DAN_GA": "615",
    "DAN_VIT": "1.880",
}


def open_quarter(plan, quarter: int = 4) -> ReportingPeriod:
    """Make a quarter of the demo year open for entry today (the demo year lies in the past)."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.get(plan=plan, quarter=quarter)
    period.opens_on = today - timedelta(days=5)
    period.deadline = today + timedelta(days=10)
    period.is_locked = False
    period.reopened_until = None
    period.save()
    return period


def entry_url(unit_code: str, quarter: int = 4, name: str = "report-entry", year: int = 2024) -> str:
    return reverse(name, args=[year, quarter, unit_code])


def group_payload(report_version: int, **overrides) -> dict[str, str]:
    """A complete, plausible quarter for a residential group, keyed by element code; overrides by code."""
    figures = {
        "SO_HO": "600",
        "HO_NGHEO": "15",
        "HO_CAN_NGHEO": "17",
        "HO_VAN_HOA": "560",
        "HO_NUOC_SACH": "570",
        "DAN_SO": "2.400",
        "NGUOI_BHYT": "2.150",
        "DAN_TRAU": "7",
        "DAN_BO": "95",
        "DAN_LON": "12",
        "DAN_GA": "620",
        "DAN_VIT": "1.900",
    } | overrides
    ids = dict(DataElement.objects.filter(code__in=figures).values_list("code", "pk"))
    data = {"version": str(report_version)}
    for code, text in figures.items():
        data[f"v_{ids[code]}"] = text
        data[f"c_{ids[code]}"] = ""
    return data


def comment(data: dict, code: str, text: str) -> dict:
    pk = DataElement.objects.get(code=code).pk
    return data | {f"c_{pk}": text}


def value_of(unit_code: str, code: str, quarter: int = 4) -> Decimal | None:
    report = Report.objects.filter(unit__code=unit_code, period__quarter=quarter).first()
    if report is None:
        return None
    row = report.values.filter(element__code=code).first()
    return row.value if row else None


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def add_ratio_targets(plan, count: int, prefix: str) -> None:
    """`count` extra "giảm còn" rate targets (poor households ÷ households), to grow a plan in tests."""
    from indicators.models import Target, TargetTerm

    poor = DataElement.objects.get(plan=plan, code="HO_NGHEO")
    households = DataElement.objects.get(plan=plan, code="SO_HO")
    last = Target.objects.filter(plan=plan).order_by("-order").first().order
    for n in range(count):
        target = Target.objects.create(
            plan=plan,
            code=f"{prefix}{n}",
            name=f"Chỉ tiêu thêm {n}",
            group=Target.Group.SOCIAL,
            kind=Target.Kind.RATIO,
            comparator=Target.Comparator.LTE,
            target_value=Decimal(3),
            unit_of_measure="%",
            scale=Decimal(100),
            order=last + 1 + n,
        )
        TargetTerm.objects.create(target=target, element=poor)
        TargetTerm.objects.create(target=target, element=households, role=TargetTerm.Role.DENOMINATOR)


def shown_version(unit_code: str, quarter: int = 4, year: int = 2024) -> str:
    """The report's version as the entry page puts it in its review and reopen forms (0 before the
    report exists): what a reviewer's browser posts with "Duyệt", "Trả lại" or "Mở lại"."""
    report = Report.objects.filter(
        unit__code=unit_code, period__quarter=quarter, period__plan__year=year
    ).first()
    return str(report.version if report else 0)
