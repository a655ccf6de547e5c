"""Generate a large synthetic ward into the current database, to measure the progress pages at scale.

Run from the project root (it writes into the database the settings point at: DATABASE_URL, else
db.sqlite3; never run it against production):

    python bench/make_large_ward.py                      # 200 units × 60 elements × 4 quarters × 5 years
    python bench/make_large_ward.py --units 20 --years 2 # a small run

What it adds, all marked with the code prefix BENCH so that it is easy to find and delete:

- ``--units`` residential groups (BENCH-001 …), each assigned ``--elements`` data elements of the 2024
  plan: the plan's own elements first, then synthetic flow elements (each with a flow target "BENCH-nn"
  summing it) when the plan has fewer;
- ``--years - 1`` earlier plans (2023, 2022, …), copies of the 2024 plan's contents, elements, targets,
  terms, baselines and quarters, as the office makes next year's plan by copying one;
- one report per unit, quarter (``--quarters``) and year, with a value for every assigned element.
  In 2024 quarters I–II are approved, III submitted and IV a draft, as in the demo set; earlier years
  are approved throughout. Values are the demo's per-unit average of the element (or 100) times a
  random factor 0,8–1,2, so that rates stay plausible (poor households below households).

Everything is written with bulk_create in batches; the plan_2024 fixture is loaded first if the 2024
plan is missing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "BENCH"
BATCH = 2000


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phominh.settings")
    import django

    django.setup()


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _copy_plan(source, year: int):
    """A copy of `source` under `year`: contents, elements, targets, terms, baselines, periods."""
    from campaigns.models import CampaignContent, Plan
    from indicators.models import Baseline, ReportingPeriod, TargetTerm

    shift = year - source.year
    plan = Plan.objects.create(
        year=year,
        number=source.number,
        place=source.place,
        issued_on=_shift_year(source.issued_on, shift),
        document_type=source.document_type,
        title=source.title.replace(str(source.year), str(year)),
        issuer=source.issuer,
        preamble=source.preamble,
        closing=source.closing,
        recipients=source.recipients,
        signer_mandate=source.signer_mandate,
        signer_title=source.signer_title,
        signer_name=source.signer_name,
    )
    contents = {}
    for content in source.contents.all():
        contents[content.pk] = CampaignContent.objects.create(
            plan=plan, number=content.number, short_title=content.short_title, text=content.text
        )
    elements = {}
    for element in source.data_elements.all():
        old_pk = element.pk
        element.pk, element.plan = None, plan
        element.save()
        elements[old_pk] = element
    targets = {}
    source_targets = list(source.targets.order_by("order", "pk"))
    for target in source_targets:
        old_pk, parent_id, relation = target.pk, target.parent_id, target.relation
        # Parents are linked once every copy exists (a parent may come later in plan order).
        target.pk, target.plan, target.parent, target.relation = None, plan, None, ""
        target.content = contents.get(target.content_id)
        target.save()
        targets[old_pk] = (target, parent_id, relation)
    for target, parent_id, relation in targets.values():
        if parent_id:
            target.parent, target.relation = targets[parent_id][0], relation
            target.save(update_fields=["parent", "relation"])
    TargetTerm.objects.bulk_create(
        TargetTerm(
            target=targets[term.target_id][0],
            role=term.role,
            element=elements.get(term.element_id),
            source_target=targets[term.source_target_id][0] if term.source_target_id else None,
            coefficient=term.coefficient,
        )
        for term in TargetTerm.objects.filter(target__plan=source)
    )
    Baseline.objects.bulk_create(
        Baseline(target=targets[b.target_id][0], value=b.value, note=b.note)
        for b in Baseline.objects.filter(target__plan=source)
    )
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=plan,
            quarter=p.quarter,
            starts_on=_shift_year(p.starts_on, shift),
            ends_on=_shift_year(p.ends_on, shift),
            opens_on=_shift_year(p.opens_on, shift),
            deadline=_shift_year(p.deadline, shift),
            is_locked=True,
        )
        for p in source.periods.all()
    )
    return plan


def _extra_elements(plan, count: int) -> None:
    """Synthetic flow elements with a flow target each, so that a unit can report `count` more."""
    from indicators.models import DataElement, Target, TargetTerm

    last_order = max(plan.targets.values_list("order", flat=True), default=0)
    for n in range(1, count + 1):
        element = DataElement.objects.create(
            plan=plan,
            code=f"{PREFIX}_{n:02d}",
            name=f"Số liệu thử nghiệm {n}",
            unit_of_measure="đơn vị",
            aggregation=DataElement.Aggregation.FLOW,
            value_type=DataElement.ValueType.COUNT,
            order=900 + n,
        )
        target = Target.objects.create(
            plan=plan,
            code=f"{PREFIX}-{n:02d}",
            name=f"Chỉ tiêu thử nghiệm {n}",
            group=Target.Group.ECONOMIC,
            kind=Target.Kind.FLOW,
            comparator=Target.Comparator.GTE,
            target_value=Decimal(100000),
            unit_of_measure="đơn vị",
            order=last_order + n,
        )
        TargetTerm.objects.create(target=target, element=element)


def make_large_ward(
    *, units: int = 200, elements: int = 60, quarters: int = 4, years: int = 5, seed: int = 2024, out=print
) -> dict[str, int]:
    """Write the synthetic ward; returns how many rows of each kind were added."""
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Avg, Count

    from campaigns.models import Plan
    from indicators.models import Assignment, DataElement, Report, ReportedValue, Unit

    rng = random.Random(seed)
    if not Plan.objects.filter(year=2024).exists():
        call_command("loaddata", "plan_2024", verbosity=0)
    base_plan = Plan.objects.get(year=2024)
    if Unit.objects.filter(code__startswith=f"{PREFIX}-").exists():
        raise SystemExit(
            "The database already holds a synthetic ward (units BENCH-…); start from a fresh one."
        )
    started = time.perf_counter()
    with transaction.atomic():
        have = base_plan.data_elements.count()
        if elements > have:
            _extra_elements(base_plan, elements - have)
        # The demo's per-unit average of each element (by code), so that rates stay plausible.
        averages = {
            row["element__code"]: row["avg"]
            for row in ReportedValue.objects.filter(report__period__plan=base_plan)
            .values("element__code")
            .annotate(avg=Avg("value"), n=Count("pk"))
        }
        plans = [base_plan] + [_copy_plan(base_plan, 2024 - k) for k in range(1, years)]
        parent = Unit.objects.filter(kind=Unit.Kind.WARD).first()
        new_units = Unit.objects.bulk_create(
            Unit(
                code=f"{PREFIX}-{n:03d}",
                name=f"Tổ dân phố thử nghiệm {n}",
                kind=Unit.Kind.RESIDENTIAL_GROUP,
                parent=parent,
                order=1000 + n,
            )
            for n in range(1, units + 1)
        )
        factors = {}  # one factor per unit and element, so that a unit's figures are consistent
        counts = {
            "plans": len(plans) - 1,
            "units": len(new_units),
            "assignments": 0,
            "reports": 0,
            "values": 0,
        }
        for plan in plans:
            plan_elements = list(DataElement.objects.filter(plan=plan).order_by("order", "pk")[:elements])
            assignments = [Assignment(element=e, unit=u) for u in new_units for e in plan_elements]
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)
            counts["assignments"] += len(assignments)
            periods = list(plan.periods.order_by("quarter")[:quarters])
            for period in periods:
                if plan.pk != base_plan.pk or period.quarter <= 2:
                    status = Report.Status.APPROVED
                elif period.quarter == 3:
                    status = Report.Status.SUBMITTED
                else:
                    status = Report.Status.DRAFT
                reports = Report.objects.bulk_create(
                    (Report(unit=u, period=period, status=status) for u in new_units), batch_size=BATCH
                )
                counts["reports"] += len(reports)
                values = []
                for report in reports:
                    for element in plan_elements:
                        key = (report.unit_id, element.code)
                        if key not in factors:
                            factors[key] = Decimal(rng.randint(80, 120)) / 100
                        base = averages.get(element.code) or Decimal(100)
                        if element.value_type in (DataElement.ValueType.YES_NO, DataElement.ValueType.LEVEL):
                            value = Decimal(base).quantize(Decimal(1))
                        else:
                            value = (Decimal(base) * factors[key]).quantize(Decimal(1))
                        values.append(ReportedValue(report=report, element=element, value=value))
                ReportedValue.objects.bulk_create(values, batch_size=BATCH)
                counts["values"] += len(values)
            out(
                f"  {plan.year}: {len(plan_elements)} elements × {len(new_units)} units × {len(periods)} quarters"
            )
    out(f"  written in {time.perf_counter() - started:.1f} s: {counts}")
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--elements", type=int, default=60, help="elements each unit reports")
    parser.add_argument("--quarters", type=int, default=4, choices=[1, 2, 3, 4])
    parser.add_argument("--years", type=int, default=5, help="2024 and this many minus one earlier years")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    _setup_django()
    make_large_ward(
        units=args.units, elements=args.elements, quarters=args.quarters, years=args.years, seed=args.seed
    )


if __name__ == "__main__":
    main()
