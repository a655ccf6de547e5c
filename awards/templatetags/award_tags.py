"""Template helpers for the awards pages; the rules stay in awards.permissions."""

from django import template

from awards import permissions

register = template.Library()


@register.filter
def may_view_sessions(user) -> bool:
    return permissions.can_view_sessions(user)


@register.filter
def percent_of(part, whole) -> str:
    """{{ agree|percent_of:members }} → "57,1" (one decimal, Vietnamese comma); "" without a whole."""
    from decimal import Decimal

    from indicators.templatetags.vn import format_number

    if not whole:
        return ""
    return format_number(Decimal(part) * 100 / Decimal(whole), 1)
