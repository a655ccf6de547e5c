"""Progress pages: the ward dashboard, a target's drill-down and a unit's page (issue 4).

Every figure on these pages comes from the roll-up engine (`indicators.rollup`), and every row from
`indicators.progress`, which the quarterly PDF reports use too: the views choose which quarter, which
units and which report statuses count, then hand the rows to the templates; they never add up a value
or word a figure themselves, so the dashboard, the PDF reports and a pledge's fulfilment agree.

The ward's figures are public within the portal: every person with a role sees them. What is scoped
is the unit level: the unit filter, the drill-down's unit rows and the unit pages list only
`permissions.units_visible_to(user)`, and a unit outside that scope is a 404, whether it comes from
the URL or from a GET parameter.

Each view runs a constant number of queries whatever the number of units, targets and quarters (the
roll-up's own four, plus a handful for the plan, the filter lists and the user), see
tests/test_dashboard.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Plan
from campaigns.selectors import current_plan

from . import charts, permissions
from .models import Assignment, Report, ReportedValue, Target, Unit
from .progress import (
    SUM_KINDS,
    behind_first,
    expected_by_quarter,
    figure_text,
    latest_quarter_with_data,
    quarter_chart,
    quarter_text,
    share,
    status_counts,
    target_row,
    target_statuses,
    unit_rows,
    ward_results,
)
from .rollup import QUARTERS, cached_for_plan, element_ids_behind, rollup, rollup_by_unit

# --- filters --------------------------------------------------------------------------------------


class ProgressFilterForm(forms.Form):
    """The GET filters of the progress pages; the drill-down and unit pages use quarter and switch only.

    Choices come from lists the view has already fetched, so that building the form runs no query.
    The form cleans the query string; the template draws the selects from `Filters.selects`, plain
    Bootstrap markup without a widget template per option.
    """

    quarter = forms.TypedChoiceField(label=gettext_lazy("Đến hết quý"), coerce=int, required=False)
    group = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    content = forms.TypedChoiceField(label=gettext_lazy("Nội dung thi đua"), coerce=int, required=False)
    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int, required=False)
    submitted = forms.BooleanField(label=gettext_lazy("Tính cả số liệu đã gửi chưa duyệt"), required=False)

    def __init__(self, data, *, units=None, contents=None):
        super().__init__(data)
        self.fields["quarter"].choices = [(q, charts.quarter_label(q)) for q in QUARTERS]
        if units is None:
            for name in ("group", "content", "unit"):
                del self.fields[name]
            return
        everything = [("", _("Tất cả"))]
        self.fields["group"].choices = everything + list(Target.Group.choices)
        self.fields["content"].choices = everything + [
            (c.number, f"{c.number}. {c.short_title}") for c in contents
        ]
        self.fields["unit"].choices = [("", _("Toàn phường"))] + [(u.pk, u.name) for u in units]


@dataclass
class Select:
    name: str
    label: str
    options: list[tuple[str, str, bool]]  # (value, label, selected)


@dataclass
class Filters:
    quarter: int
    include_submitted: bool
    group: str = ""
    content: int | None = None
    unit: Unit | None = None
    selects: list[Select] = field(default_factory=list)
    switch_label: str = ""

    @property
    def query(self) -> str:
        """The quarter and switch, carried from page to page (the other filters belong to the dashboard)."""
        query = f"quarter={self.quarter}"
        return query + "&submitted=1" if self.include_submitted else query


def _read_filters(request, *, plan: Plan, units: list[Unit] | None = None, contents=None) -> Filters:
    """The filters from the query string; a value that is not a choice is ignored, except a unit.

    A unit id outside the user's scope (or not reporting for this plan) is a 404: it is how someone
    would try to read another group's figures, and the answer must not reveal whether it exists.
    """
    form = ProgressFilterForm(request.GET, units=units, contents=contents)
    form.is_valid()
    if "unit" in form.errors:
        raise Http404
    cleaned = form.cleaned_data
    include_submitted = bool(cleaned.get("submitted"))
    quarter = cleaned.get("quarter") or latest_quarter_with_data(plan, include_submitted=include_submitted)
    unit_id = cleaned.get("unit") or None
    filters = Filters(
        quarter=quarter,
        include_submitted=include_submitted,
        group=cleaned.get("group") or "",
        content=cleaned.get("content") or None,
        unit=next((u for u in units if u.pk == unit_id), None) if units and unit_id else None,
        switch_label=str(form.fields["submitted"].label),
    )
    # The selects show the values actually used (the default quarter when the URL gives none).
    current = {"quarter": quarter, "group": filters.group, "content": filters.content, "unit": unit_id}
    for name, form_field in form.fields.items():
        if name == "submitted":
            continue
        chosen = "" if current[name] is None else str(current[name])
        options = [(str(value), str(label), str(value) == chosen) for value, label in form_field.choices]
        filters.selects.append(Select(name=name, label=str(form_field.label), options=options))
    return filters


def _reporting_units(user, plan: Plan) -> list[Unit]:
    """The units the user may see that report at least one figure for `plan`, in the ward's order."""
    reports_here = Assignment.objects.filter(unit=OuterRef("pk"), element__plan=plan)
    return list(
        permissions.units_visible_to(user)
        .filter(Exists(reports_here))
        .only("pk", "code", "name", "order")
        .order_by("order", "name")
    )


def _check_access(request) -> None:
    # Anonymous users never get here (LoginRequiredMiddleware); an account without a role sees nothing.
    if not permissions.has_role(request.user):
        raise PermissionDenied


def _url_maker(name: str, year: int, query: str):
    """code → URL of a per-target or per-unit page, reversing the URLconf once instead of once per row."""
    placeholder = "__code__"
    pattern = reverse(name, args=[year, placeholder])
    suffix = f"?{query}" if query else ""
    return lambda code: pattern.replace(placeholder, quote(code)) + suffix


def _cached_body(plan: Plan, parts: tuple, render_body) -> str:
    """A page's rendered tables, served from the roll-up cache while the plan's data is unchanged.

    `parts` say what the tables depend on besides the data (filters, unit, the user's scope); the
    language is added here, since the tables hold translated words. The HTML comes from our own
    templates, so it is marked safe once, here.
    """
    key = (*parts, translation.get_language())
    return mark_safe(cached_for_plan(plan, key, render_body))  # noqa: S308 (rendered by our templates)


# --- views ----------------------------------------------------------------------------------------


def dashboard_current(request):
    """The dashboard of the current plan (`campaigns.selectors.current_plan`), so the menu needs no year."""
    _check_access(request)
    plan = current_plan()
    if plan is None:
        return render(request, "campaigns/no_plan.html", status=404)
    return redirect("dashboard", year=plan.year)


def dashboard(request, year: int):
    """How far the ward is from each target, what is behind first; filtered by quarter, group,
    campaign content and unit, with or without the figures still waiting for approval.
    """
    _check_access(request)
    plan = get_object_or_404(Plan, year=year)
    units = _reporting_units(request.user, plan)
    contents = list(plan.contents.order_by("number"))
    filters = _read_filters(request, plan=plan, units=units, contents=contents)
    content_id = next((c.pk for c in contents if c.number == filters.content), None)

    def body() -> str:
        results = ward_results(
            plan=plan,
            quarter=filters.quarter,
            include_submitted=filters.include_submitted,
            unit=filters.unit,
            group=filters.group,
            content_id=content_id,
        )
        sections = behind_first(
            results,
            quarter=filters.quarter,
            url_for=_url_maker("dashboard-target", plan.year, filters.query),
        )
        cards = status_counts(target_statuses(results))
        return render_to_string(
            "indicators/_dashboard_body.html", {"sections": sections, "cards": cards, "unit": filters.unit}
        )

    # The status cards and tables are the same for everyone who asks with the same filters (the unit
    # filter is already checked against the user's scope), so they are rendered once per change of the
    # data and served from the cache in between: the rows are most of the page's cost.
    parts = (
        "dashboard-body",
        filters.quarter,
        filters.include_submitted,
        filters.unit.pk if filters.unit else None,
        filters.group,
        content_id,
    )
    context = {
        "plan": plan,
        "filters": filters,
        "quarter_text": quarter_text(plan, filters.quarter),
        "body": _cached_body(plan, parts, body),
        "years": list(Plan.objects.order_by("-year").values_list("year", flat=True)),
        "waiting": _waiting_for_approval(request.user, plan, filters),
    }
    return render(request, "indicators/dashboard.html", context)


def _waiting_for_approval(user, plan: Plan, filters: Filters) -> list[dict]:
    """The reports still waiting for approval, per quarter up to the one shown and the quarters after it
    that have any: what the official figures do not count yet (one query).

    Each says how many, whether the page counts them (the switch), and links to the quarter's
    completeness page. Shown to those who follow the completeness (the office, the leadership), who
    can act on it; a unit's own pending report is on its reporting page.
    """
    if not permissions.can_follow_completeness(user):
        return []
    counts = dict(
        Report.objects.filter(period__plan=plan, status=Report.Status.SUBMITTED)
        .values_list("period__quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "quarter": q,
            "text": quarter_text(plan, q),
            "count": n,
            "counted": filters.include_submitted and q <= filters.quarter,
            "url": reverse("completeness", args=[plan.year, q]),
        }
        for q, n in sorted(counts.items())
    ]


def dashboard_target(request, year: int, code: str):
    """One target: the ward's figure quarter by quarter, and what each unit in the user's scope adds.

    The unit rows come from `rollup_by_unit` (one query for all units), never from a roll-up per unit.
    A ratio shows each unit's numerator, denominator and rate; a sum shows the unit's value and its
    share of the ward's total. A group leader sees his own group's row and the ward's total only.
    The body is cached per data fingerprint, filters, language and the user's scope of units.
    """
    _check_access(request)
    plan = get_object_or_404(Plan, year=year)
    target = get_object_or_404(Target, plan=plan, code=code)
    filters = _read_filters(request, plan=plan)
    sees_all = permissions.sees_all_units(request.user)
    scope = None if sees_all else sorted(permissions.own_unit_ids(request.user))
    parts = (
        "target-body",
        target.pk,
        filters.quarter,
        filters.include_submitted,
        scope,
    )
    context = {
        "plan": plan,
        "filters": filters,
        "quarter_text": quarter_text(plan, filters.quarter),
        "target": target,
        "body": _cached_body(plan, parts, lambda: _target_body(plan, target.pk, filters, scope)),
    }
    return render(request, "indicators/dashboard_target.html", context)


def _target_body(plan: Plan, target_pk: int, filters: Filters, scope: list[int] | None) -> str:
    """The drill-down's figures for the units in `scope` (None: every unit), rendered."""
    results = rollup(plan=plan, up_to_quarter=filters.quarter, include_submitted=filters.include_submitted)
    result = next(r for r in results if r.target.pk == target_pk)
    target = result.target
    targets = [r.target for r in results]
    element_ids = element_ids_behind(target, {t.pk: t for t in targets})
    figures = rollup_by_unit(
        plan=plan,
        up_to_quarter=filters.quarter,
        target=target,
        unit_ids=scope,
        include_submitted=filters.include_submitted,
        targets=targets,
    )
    # The units that report a figure behind the target, or have one counted, within the scope.
    units = Unit.objects.filter(Q(pk__in=list(figures)) | Q(assignments__element_id__in=element_ids))
    if scope is not None:
        units = units.filter(pk__in=scope)
    units = list(units.distinct().only("pk", "code", "name", "order").order_by("order", "name"))
    unit_url = _url_maker("dashboard-unit", plan.year, filters.query)
    contributions = []
    for unit in units:
        figure = figures.get(unit.pk)
        actual = figure.actual if figure else None
        contributions.append(
            {
                "code": unit.code,
                "name": unit.name,
                "url": unit_url(unit.code),
                "numerator": figure.numerator if figure else None,
                "denominator": figure.denominator if figure else None,
                "text": figure_text(target, actual),
                "share": share(actual, result.actual) if target.kind in SUM_KINDS else None,
            }
        )
    expected = expected_by_quarter(target, filters.quarter)
    pending = set() if filters.include_submitted else _quarters_waiting(plan, element_ids, filters.quarter)
    quarters = []
    for q in range(1, filters.quarter + 1):
        value = result.by_quarter.get(q)
        added = None
        has_data = q in result.quarters_with_data
        if target.kind == Target.Kind.FLOW and value is not None and has_data:
            added = value - (result.by_quarter.get(q - 1) or Decimal(0))
        quarters.append(
            {
                "quarter": q,
                "label": charts.quarter_label(q),
                "value": value,
                "added": added,
                "expected": expected.get(q),
                # Figures of the quarter are in, but not approved yet: say so rather than show 0.
                "pending": not has_data and q in pending,
                "has_data": has_data,
            }
        )
    target_url = _url_maker("dashboard-target", plan.year, filters.query)
    context = {
        "plan": plan,
        "quarter_text": quarter_text(plan, filters.quarter),
        "target": target,
        "result": result,
        "row": target_row(result, quarter=filters.quarter, url_for=target_url),
        "baseline_text": figure_text(target, result.baseline) if result.baseline is not None else "",
        "quarters": quarters,
        "chart": quarter_chart(result, quarter=filters.quarter),
        "unit_rows": contributions,
        "is_fraction": any(t.role == "denominator" for t in target.terms.all()),
        "is_sum": target.kind in SUM_KINDS,
        "sees_all_units": scope is None,
        "children": [
            target_row(r, quarter=filters.quarter, url_for=target_url)
            for r in results
            if r.target.parent_id == target.pk
        ],
    }
    return render_to_string("indicators/_dashboard_target_body.html", context)


def _quarters_waiting(plan: Plan, element_ids: set[int], up_to: int) -> set[int]:
    """The quarters ≤ `up_to` holding a figure behind the target in a report still waiting for approval."""
    return set(
        ReportedValue.objects.filter(
            report__period__plan=plan,
            report__period__quarter__lte=up_to,
            report__status=Report.Status.SUBMITTED,
            element_id__in=element_ids,
        )
        .order_by()
        .values_list("report__period__quarter", flat=True)
        .distinct()
    )


def dashboard_unit(request, year: int, unit_code: str):
    """A unit's own figures beside the ward's, for every target the unit reports a figure for.

    Two roll-ups (the unit's and the ward's), each a constant number of queries; the table is cached
    per data fingerprint like the dashboard's. A unit outside the user's scope is a 404, as on the
    reporting pages.
    """
    _check_access(request)
    plan = get_object_or_404(Plan, year=year)
    unit = permissions.units_visible_to(request.user).filter(code=unit_code).first()
    if unit is None:
        raise Http404
    filters = _read_filters(request, plan=plan)

    def body() -> str:
        rows = unit_rows(
            plan=plan,
            unit=unit,
            quarter=filters.quarter,
            include_submitted=filters.include_submitted,
            url_for=_url_maker("dashboard-target", plan.year, filters.query),
        )
        return render_to_string("indicators/_dashboard_unit_body.html", {"rows": rows, "unit": unit})

    # As on the dashboard: the table is the same for everyone who may see this unit.
    parts = ("unit-body", unit.pk, filters.quarter, filters.include_submitted)
    context = {
        "plan": plan,
        "unit": unit,
        "filters": filters,
        "quarter_text": quarter_text(plan, filters.quarter),
        "body": _cached_body(plan, parts, body),
    }
    return render(request, "indicators/dashboard_unit.html", context)
