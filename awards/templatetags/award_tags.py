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


@register.filter
def decider_today(title) -> str:
    """Who decides `title` today, from the law's data (awards.law), with "cần Văn phòng xác nhận"
    when the office has not confirmed it."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from ..law import authority_for

    found = authority_for(title, on=timezone.localdate())
    if found is None:
        return _("Chưa có thẩm quyền cho ngày hôm nay (trang Văn bản pháp luật)")
    text = found.decider if found.ward_decides else _("%(who)s, phường đề nghị") % {"who": found.decider}
    return text if found.confirmed else f"{text} ({_('cần Văn phòng xác nhận')})"
