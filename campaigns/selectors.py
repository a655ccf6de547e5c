"""Read-side helpers for plans: one structure that the plan page and the plan PDF both render."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from indicators.models import Target

from .models import CampaignContent, Plan, PlanParagraph, PlanSection


def current_plan(*, today: date | None = None) -> Plan | None:
    """The plan the menus open: this calendar year's, else the newest before it.

    A plan copied ahead for next year (in December, say) waits for its January: until then the menus
    keep showing the year whose figures are being reported. When every plan lies in the future, the
    earliest.
    """
    return choose_current(list(Plan.objects.all()), today=today)


def choose_current(plans: list[Plan], *, today: date | None = None) -> Plan | None:
    """`current_plan`'s rule over plans already fetched (a ward has one per year: a handful)."""
    year = (today or timezone.localdate()).year
    past = [p for p in plans if p.year <= year]
    if past:
        return max(past, key=lambda p: p.year)
    return min(plans, key=lambda p: p.year) if plans else None


@dataclass
class TargetRow:
    target: Target
    depth: int


@dataclass
class SectionBlock:
    section: PlanSection
    paragraphs: list[PlanParagraph]
    children: list["SectionBlock"] = field(default_factory=list)
    contents: list[CampaignContent] = field(default_factory=list)
    target_rows: list[TargetRow] = field(default_factory=list)


def target_rows(*, plan: Plan, targets: QuerySet[Target] | None = None) -> list[TargetRow]:
    """The plan's targets in plan order, each with its depth under the "of which" structure."""
    targets = list(targets if targets is not None else plan.targets.select_related("content"))
    parent_of = {t.pk: t.parent_id for t in targets}

    def depth(pk: int) -> int:
        d = 0
        while parent_of.get(pk):
            pk = parent_of[pk]
            d += 1
        return d

    return [TargetRow(target=t, depth=depth(t.pk)) for t in targets]


def plan_document(*, plan: Plan) -> list[SectionBlock]:
    """The plan's sections as a tree, with paragraphs, campaign contents and target rows attached."""
    sections = list(
        plan.sections.prefetch_related(
            Prefetch("paragraphs", queryset=PlanParagraph.objects.order_by("order"))
        ).order_by("order")
    )
    contents = list(plan.contents.order_by("number"))
    rows = target_rows(plan=plan)
    blocks = {s.pk: SectionBlock(section=s, paragraphs=list(s.paragraphs.all())) for s in sections}
    roots: list[SectionBlock] = []
    for s in sections:
        block = blocks[s.pk]
        if s.role == PlanSection.Role.CONTENTS:
            block.contents = contents
        elif s.role == PlanSection.Role.TARGET_GROUP:
            block.target_rows = [r for r in rows if r.target.group == s.target_group]
        if s.parent_id:
            blocks[s.parent_id].children.append(block)
        else:
            roots.append(block)
    return roots


def last_year_figures(*, plan: Plan, unit) -> dict[str, Decimal]:
    """target code → the unit's own figure of the year before `plan`, the hint of its pledge form.

    The unit's approved result of that year (its own roll-up after the latest quarter with approved
    figures) where it reported one, else what it pledged for that year; empty when the portal holds no
    earlier plan. Never the ward's figures: a group's pledge is about its own area, and the ward's
    20.000 poultry is no figure for one group.
    """
    from indicators.models import Report
    from indicators.rollup import rollup

    previous = Plan.objects.filter(year=plan.year - 1).first()
    if previous is None:
        return {}
    found = {}
    for commitment in (
        previous.pledges.filter(unit=unit)
        .exclude(status="draft")
        .values_list("commitments__target__code", "commitments__committed_value")
    ):
        code, value = commitment
        if code and value is not None:
            found[code] = value
    quarter = (
        Report.objects.filter(period__plan=previous, unit=unit, status=Report.Status.APPROVED)
        .order_by("-period__quarter")
        .values_list("period__quarter", flat=True)
        .first()
    )
    if quarter:
        for result in rollup(plan=previous, up_to_quarter=quarter, unit_ids=[unit.pk]):
            if result.actual is not None and not result.target.is_heading:
                found[result.target.code] = result.actual
    return found
