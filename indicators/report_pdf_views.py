"""The quarterly progress report as a document of the ward, for the ward and for one unit (issue 7).

The report is the dashboard put on paper: the same query parameters (the quarter, and the switch that
counts figures not yet approved), the same roll-up and the same rows (`indicators.progress`), so that
a printed copy says what the page said when it was downloaded. What it adds is what makes it a
document (Decree 30/2020/NĐ-CP, DOMAIN.md §5): the header, the data note that ties a printed copy to
the data behind it, the order of a report (summary counts, the targets behind first, then every target
as the plan groups them), the signature block and the recipients.

It is produced as a draft for signature: the number is left blank for the office to fill in when it
registers the document ("Số:      /BC-UBND"), and the date is the day it was produced. The ward issues
both reports; a unit's report puts the unit's own figures beside the ward's.

Who may download what is exactly what the pages allow: anyone with a role reads the ward's report; a
unit's report is for the people who see that unit (out of scope → 404, no role → 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from campaigns.identity import header_for
from campaigns.models import Plan
from phominh.pdf import pdf_filename, pdf_response

from . import charts, permissions
from .dashboard_views import Filters, _check_access, _read_filters
from .models import Target, Unit
from .progress import (
    grouped_as_in_plan,
    quarter_chart,
    quarter_text,
    rows_by_group,
    status_counts,
    target_row,
    target_statuses,
    unit_rows,
    ward_results,
)
from .rollup import Status, TargetResult

TEMPLATE = "pdf/progress.html"
# WeasyPrint does not cascade the document's CSS into inline SVG, and the charts name no font, so their
# labels would come out in whatever sans-serif the machine has. The report names the shipped font on
# each chart's root element instead (the family declared in static/css/pdf.css).
CHART_FONT = "LiberationSerif PhoMinh"


@dataclass
class ReportDocument:
    """What pdf/base.html needs to head and sign a report (the attributes a Plan has for the plan)."""

    issuer: str
    place: str
    issued_on: date
    title: str
    recipient_lines: list[str]
    signer_mandate: str
    signer_title: str
    signer_name: str
    document_type: str
    number: str = "/BC-UBND"


def _document(plan: Plan, *, title: str, issued_on: date, recipients: list[str]) -> ReportDocument:
    return ReportDocument(
        **header_for(plan),
        issued_on=issued_on,
        title=title,
        recipient_lines=recipients,
        signer_mandate=plan.signer_mandate,
        signer_title=plan.signer_title,
        document_type=_("BÁO CÁO"),
    )


def _data_note(plan: Plan, quarter: int, now: datetime) -> str:
    """ "Số liệu đến hết quý II/2024, xuất lúc 08:30 ngày 05/07/2024" (DOMAIN.md §5)."""
    return _("Số liệu đến hết %(period)s, xuất lúc %(time)s ngày %(date)s") % {
        "period": quarter_text(plan, quarter),
        "time": now.strftime("%H:%M"),
        "date": now.strftime("%d/%m/%Y"),
    }


def _in_document_font(svg: str) -> SafeString:
    return mark_safe(str(svg).replace("<svg ", f'<svg font-family="{CHART_FONT}" ', 1))


def _key_charts(results: list[TargetResult], *, quarter: int) -> list[dict]:
    """Per-quarter charts of the main flow targets that are behind.

    A flow is where the quarters tell something: whether the pace lost in one quarter is being made up.
    A stock or a rate is a level, which its progress bar already shows; and an "of which" line is part
    of its parent's figure and has its row in the tables.
    """
    by_pk = {r.target.pk: r.target for r in results}
    found = []
    for result in results:
        target = result.target
        parent = by_pk.get(target.parent_id)
        if (
            result.status == Status.BEHIND
            and target.kind == Target.Kind.FLOW
            and (parent is None or parent.is_heading)
        ):
            found.append(
                {
                    "code": target.code,
                    "name": target.display_name,
                    "chart": _in_document_font(quarter_chart(result, quarter=quarter)),
                }
            )
    return found


def _counts(statuses: list[str]) -> dict:
    return {"counts": status_counts(statuses), "counts_total": len(statuses)}


def _common(plan: Plan, filters: Filters, now: datetime) -> dict:
    return {
        "plan": plan,
        "quarter_text": quarter_text(plan, filters.quarter),
        "include_submitted": filters.include_submitted,
        "data_note": _data_note(plan, filters.quarter, now),
        "plan_title": plan.title[:1].lower() + plan.title[1:],
        "remaining_quarters": filters.quarter < 4,
    }


def ward_report_context(*, plan: Plan, filters: Filters, now: datetime) -> dict:
    """Everything the ward's report shows: one roll-up (four queries) and the plan's target sections."""
    results = ward_results(plan=plan, quarter=filters.quarter, include_submitted=filters.include_submitted)
    context = _common(plan, filters, now)
    roman = charts.ROMAN[filters.quarter]
    context |= {
        "document": _document(
            plan,
            title=_("Tiến độ thực hiện các chỉ tiêu thi đua năm %(year)s, đến hết quý %(q)s")
            % {"year": plan.year, "q": roman},
            issued_on=now.date(),
            recipients=plan.recipient_lines(),
        ),
        **_counts(target_statuses(results)),
        "behind": [target_row(r, quarter=filters.quarter) for r in results if r.status == Status.BEHIND],
        "key_charts": _key_charts(results, quarter=filters.quarter),
        "rows": grouped_as_in_plan(plan, rows_by_group(results, quarter=filters.quarter)),
    }
    return context


def unit_report_context(*, plan: Plan, unit: Unit, filters: Filters, now: datetime) -> dict:
    """Everything a unit's report shows: the unit's figures beside the ward's (two roll-ups)."""
    rows = unit_rows(
        plan=plan, unit=unit, quarter=filters.quarter, include_submitted=filters.include_submitted
    )
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.group, []).append(row)
    context = _common(plan, filters, now)
    roman = charts.ROMAN[filters.quarter]
    context |= {
        "unit": unit,
        "document": _document(
            plan,
            title=_("Tiến độ thực hiện các chỉ tiêu thi đua năm %(year)s của %(unit)s, đến hết quý %(q)s")
            % {"year": plan.year, "unit": unit.name, "q": roman},
            issued_on=now.date(),
            recipients=[
                f"- {unit.name};",
                _("- CT, PCT UBND phường;"),
                _("- Hội đồng TĐKT phường;"),
                _("- Lưu: VT."),
            ],
        ),
        **_counts([row.judged_status for row in rows]),
        "behind": [row for row in rows if row.judged_status == Status.BEHIND],
        "reported_count": len(rows),
        "rows": grouped_as_in_plan(plan, grouped),
    }
    return context


def report_filename(plan: Plan, filters: Filters, unit: Unit | None = None) -> str:
    """bao-cao-tien-do-2024-Q2.pdf, bao-cao-tien-do-TDP-01-2024-Q2.pdf; a report that counts figures not
    yet approved says so in its name, so that it is not filed as the official one."""
    return pdf_filename(
        "báo cáo tiến độ",
        unit.code if unit else "",
        str(plan.year),
        f"Q{filters.quarter}",
        "gồm số liệu chưa duyệt" if filters.include_submitted else "",
    )


def progress_report_pdf(request, year: int):
    """The ward's quarterly progress report, for the quarter and figures the dashboard shows."""
    _check_access(request)
    plan = get_object_or_404(Plan, year=year)
    filters = _read_filters(request, plan=plan)
    return pdf_response(
        template=TEMPLATE,
        context=ward_report_context(plan=plan, filters=filters, now=timezone.localtime()),
        filename=report_filename(plan, filters),
        request=request,
    )


def unit_progress_report_pdf(request, year: int, unit_code: str):
    """A unit's quarterly progress report beside the ward's figures, for the people who see the unit."""
    _check_access(request)
    plan = get_object_or_404(Plan, year=year)
    unit = permissions.units_visible_to(request.user).filter(code=unit_code).first()
    if unit is None:
        raise Http404
    filters = _read_filters(request, plan=plan)
    return pdf_response(
        template=TEMPLATE,
        context=unit_report_context(plan=plan, unit=unit, filters=filters, now=timezone.localtime()),
        filename=report_filename(plan, filters, unit),
        request=request,
    )
