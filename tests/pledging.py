"""Helpers for the pledge tests: an open registration window and a filled-in pledge form."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from campaigns.models import PledgeWindow
from indicators.models import Target


def open_window(plan) -> PledgeWindow:
    today = timezone.localdate()
    window = PledgeWindow.objects.get(plan=plan)
    window.opens_on, window.closes_on = today - timedelta(days=3), today + timedelta(days=10)
    window.save()
    return window


def close_window(plan) -> PledgeWindow:
    today = timezone.localdate()
    window = PledgeWindow.objects.get(plan=plan)
    window.opens_on, window.closes_on = today - timedelta(days=30), today - timedelta(days=1)
    window.save()
    return window


def pledge_url(unit_code: str, name: str = "pledge-detail") -> str:
    return reverse(name, args=[2024, unit_code])


def group_pledge(version: int, title_pk: int = 6, **figures) -> dict[str, str]:
    """A residential group's pledge: collective title, households, and the given commitments by code."""
    data = {
        "version": str(version),
        "collective_title": str(title_pk),
        "household_count": "500",
        "households": "",
    }
    for code, value in figures.items():
        target = Target.objects.get(plan__year=2024, code=code.replace("_", "-"))
        data[f"t_{target.pk}"] = "on"
        if isinstance(value, tuple):
            data[f"v_{target.pk}"], data[f"b_{target.pk}"] = value
        else:
            data[f"v_{target.pk}"] = value
    data["other"] = "Không có hộ tái nghèo"
    return data
