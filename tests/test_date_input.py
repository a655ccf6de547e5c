"""Dates typed and shown as dd/mm/yyyy whatever the browser's language (issue 16): every date field
of the portal's forms is phominh.fields.DayMonthYearField, a text box the ward reads as d/m/Y."""

import inspect
from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from awards import forms as award_forms
from awards import household_forms
from awards.models import CouncilSession
from campaigns import forms as campaign_forms
from indicators import forms as indicator_forms
from phominh.fields import DayMonthYearField

from .test_awards_factories import office_user


class OneDate(forms.Form):
    day = DayMonthYearField(label="Ngày")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["04/01/2024", "4/1/2024", " 04/01/2024 ", "04-01-2024", "2024-01-04"])
def test_a_date_is_read_day_first_in_either_language(language, typed):
    with translation.override(language):
        form = OneDate({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2024, 1, 4)  # 4 January, never 1 April


@pytest.mark.parametrize("typed", ["01/13/2024", "31/02/2024", "4.1.2024", "hôm qua", "2024/01/04"])
def test_a_date_that_is_not_day_month_year_is_refused_in_vietnamese(typed):
    with translation.override("vi"):
        form = OneDate({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == ["Ngày không hợp lệ. Ghi theo dạng ngày/tháng/năm, ví dụ 04/01/2024."]


def test_the_box_is_text_and_shows_day_month_year():
    with translation.override("en"):
        html = str(OneDate(initial={"day": date(2024, 1, 4)})["day"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="04/01/2024"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html and "pattern=" in html
    # What was typed comes back as typed after a refused save.
    assert 'value="31/02/2024"' in str(OneDate({"day": "31/02/2024"})["day"])


def test_every_date_and_time_field_of_the_portal_forms_is_a_text_box():
    seen = []
    for module in (award_forms, household_forms, campaign_forms, indicator_forms):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.DateField):
                    seen.append(f"{name}.{field_name}")
                    assert isinstance(field, DayMonthYearField), f"{name}.{field_name}"
                    assert field.widget.input_type == "text", f"{name}.{field_name}"
                if isinstance(field, forms.TimeField):  # 19:30, never "07:30 PM"
                    seen.append(f"{name}.{field_name}")
                    assert field.widget.input_type == "text", f"{name}.{field_name}"
                    assert field.widget.format == "%H:%M", f"{name}.{field_name}"
    assert {
        "SessionForm.held_on",
        "ReopenForm.until",
        "LegalTextForm.in_force_from",
        "ReviewForm.starts_at",
    } <= set(seen)


@pytest.mark.django_db
def test_the_office_creates_a_session_typing_the_date_day_first(client, demo):
    client.force_login(office_user())
    response = client.post(
        reverse("awards-session-create"), {"name": "Phiên bổ sung", "held_on": "05/12/2024"}
    )
    assert response.status_code == 302
    assert CouncilSession.objects.get(name="Phiên bổ sung").held_on == date(2024, 12, 5)
    page = client.get(response["Location"]).content.decode()
    assert "05/12/2024" in page

    response = client.post(
        reverse("awards-session-create"), {"name": "Phiên sai ngày", "held_on": "12/31/2024"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày không hợp lệ. Ghi theo dạng ngày/tháng/năm" in page
    assert 'value="12/31/2024"' in page  # kept in its box, next to the error
    assert not CouncilSession.objects.filter(name="Phiên sai ngày").exists()
