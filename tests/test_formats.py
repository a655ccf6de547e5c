"""Vietnamese number and date formats, configured once for every page, PDF and export."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats

from indicators.templatetags.vn import document_date, format_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("4176.0000"), "4.176"),
        (Decimal("2.5700"), "2,57"),
        (Decimal("6599100000.0000"), "6.599.100.000"),
        (Decimal("705.6000"), "705,6"),
        (Decimal("0.8"), "0,8"),
        (Decimal("198"), "198"),
        (Decimal("20000"), "20.000"),
        (Decimal("1234567.891"), "1.234.567,891"),
        (0, "0"),
        (None, ""),
    ],
)
def test_numbers(value, expected):
    assert format_number(value) == expected


def test_rounding_happens_only_for_display():
    assert format_number(Decimal("2.56789"), 2) == "2,57"
    assert format_number(Decimal("60.0226757"), 1) == "60"


def test_filter_in_a_template():
    rendered = Template("{% load vn %}{{ v|so }} tấn; {{ p|so:2 }}%").render(
        Context({"v": Decimal("4176"), "p": Decimal("2.5712")})
    )
    assert rendered == "4.176 tấn; 2,57%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 1, 4), "ngày 04 tháng 01 năm 2024"),
        (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (date(2024, 3, 5), "ngày 05 tháng 3 năm 2024"),
        (date(2024, 12, 15), "ngày 15 tháng 12 năm 2024"),
    ],
)
def test_document_dates_follow_decree_30(value, expected):
    assert document_date(value) == expected


def test_short_date_and_separators_come_from_the_project_format_module():
    assert formats.date_format(date(2024, 1, 4), "SHORT_DATE_FORMAT") == "04/01/2024"
    assert formats.get_format("THOUSAND_SEPARATOR") == "."
    assert formats.get_format("DECIMAL_SEPARATOR") == ","
    assert formats.get_format("NUMBER_GROUPING") == 3
