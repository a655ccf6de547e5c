"""Integrity lives in the database, not only in forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import CampaignContent, Plan
from indicators.models import (
    Assignment,
    DataElement,
    Report,
    ReportedValue,
    ReportingPeriod,
    Target,
    TargetTerm,
    Unit,
)

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    """Assert that creating model(**fields) is refused by the database."""
    model = kwargs.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


@pytest.fixture
def setup(demo):
    unit = Unit.objects.get(code="TDP-01")
    period = ReportingPeriod.objects.get(plan=demo, quarter=4)
    element = DataElement.objects.get(plan=demo, code="SO_HO")
    return demo, unit, period, element


def target_fields(plan, **overrides):
    fields = dict(
        plan=plan,
        code="ZZ-01",
        name="Thử",
        group="economic",
        kind="flow",
        comparator="gte",
        target_value=Decimal(1),
        order=999,
    )
    return fields | overrides


def test_target_code_unique_per_plan(setup):
    plan = setup[0]
    refused(model=Target, **target_fields(plan, code="KT-01"))
    other = Plan.objects.create(
        year=2025,
        number="01/KH-UBND",
        place="Phổ Minh",
        issued_on=date(2025, 1, 3),
        title="t",
        issuer="i",
        preamble="p",
        recipients="r",
        signer_name="s",
    )
    Target.objects.create(**target_fields(other, code="KT-01"))  # the same code in another year is fine


def test_target_value_rules(setup):
    plan = setup[0]
    refused(model=Target, **target_fields(plan, target_value=Decimal("-1")))
    refused(model=Target, **target_fields(plan, target_value=None))
    refused(model=Target, **target_fields(plan, kind="heading"))
    refused(model=Target, **target_fields(plan, scale=Decimal(0)))
    refused(model=Target, **target_fields(plan, relation="subset"))
    parent = Target.objects.get(plan=plan, code="KT-01")
    refused(model=Target, **target_fields(plan, parent=parent, relation=""))


def test_term_has_exactly_one_source(setup):
    plan, _, _, element = setup
    target = Target.objects.get(plan=plan, code="KT-01")
    refused(model=TargetTerm, target=target, element=element, source_target=target)
    refused(model=TargetTerm, target=target)
    refused(model=TargetTerm, target=target, element=element, coefficient=Decimal(0))


def test_one_value_per_unit_element_period(setup):
    _, unit, period, element = setup
    report = Report.objects.create(unit=unit, period=period)
    ReportedValue.objects.create(report=report, element=element, value=Decimal(10))
    refused(model=ReportedValue, report=report, element=element, value=Decimal(11))
    refused(model=Report, unit=unit, period=period)


def test_values_are_not_negative(setup):
    _, unit, period, element = setup
    report = Report.objects.create(unit=unit, period=period)
    refused(model=ReportedValue, report=report, element=element, value=Decimal("-0.5"))


def test_period_rules(setup):
    plan = setup[0]
    dates = dict(
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 3, 31),
        opens_on=date(2024, 3, 1),
        deadline=date(2024, 4, 10),
    )
    refused(model=ReportingPeriod, plan=plan, quarter=1, **dates)  # Q1 exists
    refused(model=ReportingPeriod, plan=plan, quarter=5, **dates)
    refused(model=ReportingPeriod, plan=plan, quarter=0, **dates)
    refused(model=ReportingPeriod, plan=plan, quarter=4, **(dates | {"deadline": date(2024, 2, 1)}))
    refused(model=ReportingPeriod, plan=plan, quarter=4, **(dates | {"ends_on": date(2023, 12, 1)}))


def test_assignment_and_codes_unique(setup):
    plan, unit, _, element = setup
    refused(model=Assignment, unit=unit, element=element)
    refused(
        model=DataElement,
        plan=plan,
        code="SO_HO",
        name="x",
        unit_of_measure="hộ",
        aggregation="stock",
        value_type="count",
    )
    refused(model=CampaignContent, plan=plan, number=1, short_title="x", text="x")
    refused(model=Unit, code="TDP-01", name="trùng mã", kind="residential_group")
    refused(
        model=Plan,
        year=2024,
        number="x",
        place="x",
        issued_on=date(2024, 1, 1),
        title="x",
        issuer="x",
        preamble="x",
        recipients="x",
        signer_name="x",
    )
