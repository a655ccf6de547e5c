"""Next year's plan, made by copying one (DOMAIN.md §1: a plan is one year; history is never edited).

`copy_plan` is the only way the portal makes a plan year out of another: it writes the new plan and
everything that hangs from it in one transaction and reads the source without touching it, so last
year's plan, its figures, pledges and awards stay exactly as they were. The office then edits the new
plan in the admin (number, date, texts, target values).

What is copied: the plan's text (sections, paragraphs, campaign contents), data elements and their
assignments to active units, targets with their formulas (parents, contents and terms pointing at
the new rows), the reporting periods and the pledge window moved to the new year on the same day and
month. Titles are not per plan and stay shared. Pledges, covenants, reports and award proposals
belong to the year they were made in and are not copied.

Baselines (last year's result of each target) come from the source year's approved figures, see
`year_end_results`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from indicators.audit import log_action
from indicators.models import Assignment, Baseline, DataElement, ReportingPeriod, Target, TargetTerm
from indicators.rollup import element_ids_behind, rollup

from .models import CampaignContent, Plan, PlanParagraph, PlanSection, PledgeWindow

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Figures that hold at a point in time: the latest approved quarter stands for the year's end.
POINT_IN_TIME_KINDS = {Target.Kind.STANDARD, Target.Kind.WARD_VALUE}


class PlanCopyError(Exception):
    """A copy the office cannot make; the message is for the office."""


@dataclass(frozen=True)
class YearEndResult:
    value: Decimal
    note: str


def shift_year(day: date | None, years: int) -> date | None:
    """The same day and month `years` later; 29 February becomes the 28th in a common year."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def placeholder_number(number: str) -> str:
    """ "05/KH-UBND" → "…/KH-UBND": the office gives the new plan its number when it is issued."""
    _head, slash, tail = number.partition("/")
    return f"…{slash}{tail}" if slash else "…"


def _clone(obj: models.Model, **changes):
    """An unsaved copy of `obj`: every concrete field except the primary key, then `changes` (by attname).

    Copying field by field from the model's meta carries fields added later without touching this module.
    """
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(obj)(**values)


def _year_replacer(old: int, new: int):
    """Rewrites "năm 2024" (any case of "năm") as "năm 2025"; other numbers and dates stay as issued.

    A span of years ("năm 2021-2025", "năm 2024–2025") is a period named by the source, not the plan's
    year: it is left alone.
    """
    pattern = re.compile(rf"\b(năm)\s+{old}\b(?![-–]\d)", re.IGNORECASE)

    def replace(text: str) -> str:
        return pattern.sub(lambda m: f"{m.group(1)} {new}", text) if text else text

    return replace


def _holds_at_year_end(target: Target, targets: dict[int, Target], aggregation: dict[int, str]) -> bool:
    """Whether the target's latest value already stands for the year's end.

    True for standards and ward values (the latest report counts) and for figures made only of stocks
    (herds, households, the poor household rate): the roll-up carries them forward to quarter IV. A sum
    over quarters, or a rate with such a sum in it (births in the population growth rate), is only part
    of the year until quarter IV is in.
    """
    if target.kind in POINT_IN_TIME_KINDS:
        return True
    if target.kind == Target.Kind.FLOW:
        return False
    element_ids = element_ids_behind(target, targets)
    return bool(element_ids) and all(
        aggregation.get(pk) == DataElement.Aggregation.STOCK for pk in element_ids
    )


def year_end_results(*, plan: Plan) -> dict[int, YearEndResult]:
    """{target pk: result} of every target of `plan` whose result for the year is known, from approved figures.

    The rule (a design choice, issue 10):

    - The result is the roll-up after quarter IV (`rollup(plan=..., up_to_quarter=4)`, approved reports
      only), the same figure the dashboard shows for quarter IV.
    - When approved figures of quarter IV stand behind the target, that is the year's result.
    - Without quarter IV, a point-in-time figure (`_holds_at_year_end`) takes its latest approved value,
      and the note says up to which quarter; a sum over quarters, or a rate built on one, gets nothing,
      because half a year's output is not last year's result. The office enters those in the admin, or
      adds them with `carry_baselines` once quarter IV is approved.
    - Headings, targets without any approved figure and negative values (a baseline cannot be negative)
      get nothing.
    """
    results = rollup(plan=plan, up_to_quarter=4)
    targets = {r.target.pk: r.target for r in results}
    aggregation = {
        term.element_id: term.element.aggregation
        for target in targets.values()
        for term in target.terms.all()
        if term.element_id
    }
    found: dict[int, YearEndResult] = {}
    for result in results:
        target = result.target
        if target.is_heading or result.actual is None or result.actual < 0:
            continue
        if 4 in result.quarters_with_data:
            note = f"Kết quả năm {plan.year} (tổng hợp từ số liệu đã duyệt)"
        elif result.quarters_with_data and _holds_at_year_end(target, targets, aggregation):
            quarter = ROMAN[max(result.quarters_with_data)]
            note = (
                f"Kết quả năm {plan.year} đến hết quý {quarter} "
                f"(tổng hợp từ số liệu đã duyệt; chưa có số liệu quý IV)"
            )
        else:
            continue
        found[target.pk] = YearEndResult(value=result.actual, note=note)
    return found


def carry_baselines(*, source: Plan, plan: Plan) -> int:
    """Give `plan`'s targets the source year's results as baselines, where they have none yet.

    Targets are matched by code. A baseline the office has already entered or corrected is kept, so
    that running this again after quarter IV is approved only fills what was missing. Returns how many
    baselines were created.
    """
    results = year_end_results(plan=source)
    source_codes = dict(Target.objects.filter(pk__in=results).values_list("pk", "code"))
    new_targets = dict(
        Target.objects.filter(plan=plan, code__in=source_codes.values(), baseline__isnull=True).values_list(
            "code", "pk"
        )
    )
    created = Baseline.objects.bulk_create(
        Baseline(target_id=new_targets[code], value=results[pk].value, note=results[pk].note)
        for pk, code in source_codes.items()
        if code in new_targets
    )
    return len(created)


def copy_plan(*, source: Plan, year: int, user) -> Plan:
    """The plan for `year`, copied from `source` in one transaction, with the source's results as baselines.

    Raises PlanCopyError when `year` already has a plan, is not after the source's year, or is out of
    the range a plan may have. The new plan's number and date are placeholders ("…/KH-UBND", 1 January)
    and "năm <source year>" in its texts reads "năm <year>"; the office edits the rest.
    """
    if not 2000 <= year <= 2100:
        raise PlanCopyError(_("Năm của kế hoạch phải từ 2000 đến 2100."))
    if year <= source.year:
        raise PlanCopyError(
            _("Kế hoạch mới phải là của một năm sau năm %(source)d.") % {"source": source.year}
        )
    exists = _("Đã có kế hoạch năm %(year)d: không tạo lại, không ghi đè.") % {"year": year}
    if Plan.objects.filter(year=year).exists():
        raise PlanCopyError(exists)
    try:
        with transaction.atomic():
            plan = _copy(source=source, year=year)
            baselines = carry_baselines(source=source, plan=plan)
            log_action(
                plan,
                "campaigns.plan.copied",
                user,
                {
                    "source_plan": source.pk,
                    "source_year": source.year,
                    "year": year,
                    "targets": plan.targets.count(),
                    "baselines": baselines,
                },
            )
    except IntegrityError:
        # Someone else created the same year a moment ago: the unique year refused this copy whole.
        if Plan.objects.filter(year=year).exists():
            raise PlanCopyError(exists) from None
        raise
    return plan


def _from_identity() -> dict:
    """The new year's issuer, place and signer: the ward's identity as it is now (what is filled in)."""
    from .identity import current_identity

    identity = current_identity()
    if identity is None:
        return {}
    fields = {
        "issuer": identity.committee_short_name,
        "place": identity.place_name,
        "signer_name": identity.chairman_name,
        "signer_title": identity.chairman_title,
    }
    return {name: value for name, value in fields.items() if value}


def _copy(*, source: Plan, year: int) -> Plan:
    years = year - source.year
    this_year = _year_replacer(source.year, year)
    plan = _clone(
        source,
        **_from_identity(),
        year=year,
        number=placeholder_number(source.number),
        issued_on=date(year, 1, 1),
        title=this_year(source.title),
        preamble=this_year(source.preamble),
        closing=this_year(source.closing),
    )
    plan.save()

    # The text: sections (parents linked once every copy exists), their paragraphs, the contents.
    sections = list(PlanSection.objects.filter(plan=source).order_by("order", "pk"))
    new_sections = PlanSection.objects.bulk_create(
        _clone(s, plan_id=plan.pk, parent_id=None, heading=this_year(s.heading)) for s in sections
    )
    section_map = {old.pk: new.pk for old, new in zip(sections, new_sections, strict=True)}
    _link_parents(PlanSection, sections, new_sections, section_map)
    PlanParagraph.objects.bulk_create(
        _clone(p, section_id=section_map[p.section_id], text=this_year(p.text))
        for p in PlanParagraph.objects.filter(section__plan=source).order_by("section", "order")
    )
    contents = list(CampaignContent.objects.filter(plan=source).order_by("number"))
    new_contents = CampaignContent.objects.bulk_create(
        _clone(c, plan_id=plan.pk, short_title=this_year(c.short_title), text=this_year(c.text))
        for c in contents
    )
    content_map = {old.pk: new.pk for old, new in zip(contents, new_contents, strict=True)}

    # What units report, and who reports it (a unit no longer active is not assigned a new year).
    elements = list(DataElement.objects.filter(plan=source).order_by("order", "pk"))
    new_elements = DataElement.objects.bulk_create(_clone(e, plan_id=plan.pk) for e in elements)
    element_map = {old.pk: new.pk for old, new in zip(elements, new_elements, strict=True)}
    Assignment.objects.bulk_create(
        _clone(a, element_id=element_map[a.element_id])
        for a in Assignment.objects.filter(element__plan=source, unit__is_active=True).order_by("pk")
    )

    # Targets and their formulas, every link pointing at the new year's rows.
    targets = list(Target.objects.filter(plan=source).order_by("order", "pk"))
    new_targets = Target.objects.bulk_create(
        _clone(
            t,
            plan_id=plan.pk,
            # A target names its relation only with a parent (a check constraint): both come back below.
            parent_id=None,
            relation="",
            content_id=content_map.get(t.content_id),
            name=this_year(t.name),
            description=this_year(t.description),
        )
        for t in targets
    )
    target_map = {old.pk: new.pk for old, new in zip(targets, new_targets, strict=True)}
    _link_parents(Target, targets, new_targets, target_map, also=("relation",))
    TargetTerm.objects.bulk_create(
        _clone(
            term,
            target_id=target_map[term.target_id],
            element_id=element_map.get(term.element_id),
            source_target_id=target_map.get(term.source_target_id),
        )
        for term in TargetTerm.objects.filter(target__plan=source).order_by("pk")
    )

    # The calendar: the same days of the new year, open and unlocked.
    ReportingPeriod.objects.bulk_create(
        _clone(
            p,
            plan_id=plan.pk,
            starts_on=shift_year(p.starts_on, years),
            ends_on=shift_year(p.ends_on, years),
            opens_on=shift_year(p.opens_on, years),
            deadline=shift_year(p.deadline, years),
            is_locked=False,
            reopened_until=None,
        )
        for p in ReportingPeriod.objects.filter(plan=source).order_by("quarter")
    )
    window = PledgeWindow.objects.filter(plan=source).first()
    if window is not None:
        _clone(
            window,
            plan_id=plan.pk,
            opens_on=shift_year(window.opens_on, years),
            closes_on=shift_year(window.closes_on, years),
        ).save()
    return plan


def _link_parents(
    model, old_rows: list, new_rows: list, pk_map: dict[int, int], also: tuple[str, ...] = ()
) -> None:
    """Point each copy's parent at the copy of the original's parent, with the `also` fields restored."""
    linked = []
    for old, new in zip(old_rows, new_rows, strict=True):
        if old.parent_id:
            new.parent_id = pk_map[old.parent_id]
            for name in also:
                setattr(new, name, getattr(old, name))
            linked.append(new)
    if linked:
        model.objects.bulk_update(linked, ["parent", *also])
