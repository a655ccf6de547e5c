"""What a year's setup has and lacks, line by line, for the checklist page ("Thiết lập năm 2027")."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from awards.models import CouncilMember
from indicators.models import DataElement, ReportingPeriod, Unit

from ..models import Plan, PledgeWindow


@dataclass
class Line:
    key: str
    label: str
    done: bool | None  # None: the step cannot be checked here yet ("chưa có")
    summary: str
    url: str = ""


def _identity_line() -> Line:
    """The ward's identity is another part of issue 17: shown once its page and check exist."""
    label = _("Thông tin của phường")
    try:
        from campaigns.identity import missing_identity_fields

        url = reverse("identity-edit")
    except (ImportError, NoReverseMatch):
        return Line("identity", label, None, _("chưa có"))
    missing = list(missing_identity_fields())
    if missing:
        summary = _("còn thiếu: %(fields)s") % {"fields": ", ".join(str(f) for f in missing)}
    else:
        summary = _("đủ")
    return Line("identity", label, not missing, summary, url)


def lines_for(plan: Plan) -> list[Line]:
    units = Unit.objects.filter(is_active=True).count()
    accounts = (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .exclude(profile__role="")
        .count()
    )
    elements = DataElement.objects.filter(plan=plan).count()
    assigned = DataElement.objects.filter(plan=plan, assignments__unit__is_active=True).distinct().count()
    periods = list(ReportingPeriod.objects.filter(plan=plan))
    window = PledgeWindow.objects.filter(plan=plan).first()
    members = CouncilMember.objects.filter(council__is_active=True, is_active=True).count()
    year = plan.year
    return [
        _identity_line(),
        Line("units", _("Đơn vị"), units > 0, _("%(n)s đơn vị") % {"n": units}, reverse("setup-units")),
        Line(
            "accounts",
            _("Tài khoản"),
            accounts > 0,
            _("%(n)s tài khoản có vai trò") % {"n": accounts},
            reverse("setup-accounts"),
        ),
        Line(
            "assignments",
            _("Phân công báo cáo số liệu"),
            elements > 0 and assigned == elements,
            _("%(a)s/%(n)s số liệu có đơn vị báo cáo") % {"a": assigned, "n": elements},
            reverse("setup-assignments", args=[year]),
        ),
        Line(
            "periods",
            _("Các quý và hạn nộp"),
            len(periods) == 4,
            _("%(n)s/4 quý") % {"n": len(periods)},
            reverse("setup-periods", args=[year]),
        ),
        Line(
            "pledge_window",
            _("Thời hạn đăng ký thi đua"),
            window is not None,
            f"{window.opens_on:%d/%m/%Y} – {window.closes_on:%d/%m/%Y}" if window else _("chưa đặt"),
            reverse("setup-pledge-window", args=[year]),
        ),
        Line(
            "council",
            _("Hội đồng Thi đua - Khen thưởng"),
            members > 0,
            _("%(n)s thành viên") % {"n": members},
            reverse("setup-council"),
        ),
    ]
