"""Reading Vietnamese figures strictly, and the cross-figure checks of a quarter."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import DataElement
from indicators.validation import check_report, check_value, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.176", Decimal("4176")),
        ("4176", Decimal("4176")),
        ("2,57", Decimal("2.57")),
        ("6.599.100.000", Decimal("6599100000")),
        ("1.234,5", Decimal("1234.5")),
        (" 0,8 ", Decimal("0.8")),
        ("12\u00a0", Decimal("12")),
        ("", None),
        ("   ", None),
    ],
)
def test_reads_vietnamese_figures(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2.5", "số thập phân viết bằng dấu phẩy"),
        ("4.17", "số thập phân viết bằng dấu phẩy"),
        ("1,234,567", "hàng nghìn phân cách bằng dấu chấm"),
        ("12.34.567", "không phải là một số"),
        ("abc", "không phải là một số"),
        ("1e5", "không phải là một số"),
        ("-5", "không được âm"),
        ("1,23456", "tối đa 4 chữ số"),
        ("99.999.999.999.999.999", "quá lớn"),
        # Only 0-9: Python's \\d and Decimal() would read these as 12, 12,5 or 1.234.
        ("\u0661\u0662", "không phải là một số"),  # Arabic-Indic ١٢
        ("\uff11\uff12", "không phải là một số"),  # full-width １２
        ("\u0967\u0968,\u096b", "không phải là một số"),  # Devanagari १२,५
        ("1.\u0968\u0969\u096a", "không phải là một số"),
        ("1\u0662", "không phải là một số"),
    ],
)
def test_refuses_what_it_cannot_read_unambiguously(text, message):
    with pytest.raises(ValidationError) as error:
        parse_number(text)
    assert message in " ".join(error.value.messages)


def element(**fields):
    defaults = dict(code="X", name="Số hộ", unit_of_measure="hộ", aggregation="stock", value_type="count")
    return DataElement(**(defaults | fields))


def test_counts_must_be_whole_and_levels_within_range():
    with pytest.raises(ValidationError, match="số nguyên"):
        check_value(element(), Decimal("12.5"))
    check_value(element(), Decimal("12"))
    check_value(element(value_type="amount"), Decimal("12.5"))
    with pytest.raises(ValidationError, match="lớn hơn 3"):
        check_value(element(value_type="level", max_value=Decimal(3)), Decimal(4))


@pytest.mark.django_db
def test_a_numerator_never_exceeds_its_denominator(plan):
    elements = list(
        DataElement.objects.filter(
            code__in=["SO_HO", "HO_NGHEO", "TQ_CHI_TIEU", "TQ_GIAO_QUAN"]
        ).prefetch_related("terms__target__terms")
    )
    ids = {e.code: e.pk for e in elements}
    issues = check_report(
        elements=elements,
        values={
            ids["SO_HO"]: Decimal(100),
            ids["HO_NGHEO"]: Decimal(101),
            ids["TQ_CHI_TIEU"]: Decimal(20),
            ids["TQ_GIAO_QUAN"]: Decimal(22),
        },
        previous={},
    )
    assert list(issues.errors) == [ids["HO_NGHEO"]]  # recruits above quota are allowed (QP-01 is not a share)
    assert "không thể lớn hơn" in issues.errors[ids["HO_NGHEO"]][0]


@pytest.mark.django_db
def test_unusual_changes_are_warnings(plan):
    elements = list(
        DataElement.objects.filter(code__in=["DAN_BO", "DAN_TRAU", "VIEC_LAM_MOI"]).prefetch_related(
            "terms__target__terms"
        )
    )
    ids = {e.code: e.pk for e in elements}
    issues = check_report(
        elements=elements,
        values={ids["DAN_BO"]: Decimal(150), ids["DAN_TRAU"]: Decimal(9), ids["VIEC_LAM_MOI"]: Decimal(900)},
        previous={ids["DAN_BO"]: Decimal(100), ids["DAN_TRAU"]: Decimal(6), ids["VIEC_LAM_MOI"]: Decimal(90)},
    )
    assert not issues.errors
    assert set(issues.warnings) == {ids["DAN_BO"], ids["VIEC_LAM_MOI"]}  # 6 → 9 buffalo is too small to flag
    assert "50%" in issues.warnings[ids["DAN_BO"]][0]
    assert "Gấp 10 lần" in issues.warnings[ids["VIEC_LAM_MOI"]][0]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["\u0661", "\uff11", "1\u0662", str(2**63)])
def test_a_chosen_primary_key_is_ascii_digits_within_range(demo, text):
    """The shared choice fields read "١" (or "１") as no choice, not as the unit with pk 1."""
    from indicators.models import Unit
    from phominh.fields import SafeModelChoiceField, SafeModelMultipleChoiceField

    first = Unit.objects.order_by("pk").first()
    assert SafeModelChoiceField(queryset=Unit.objects.all()).clean(str(first.pk)) == first
    with pytest.raises(ValidationError):
        SafeModelChoiceField(queryset=Unit.objects.all()).clean(text)
    with pytest.raises(ValidationError):
        SafeModelMultipleChoiceField(queryset=Unit.objects.all()).clean([str(first.pk), text])
