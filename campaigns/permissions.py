"""Who may see and change pledges and covenants (DOMAIN.md §3–4), in one place."""

from datetime import date

from indicators.permissions import ENTERING_ROLES, Role, can_view_unit_reports, own_unit_ids, role_of

from .models import Covenant, Pledge


def can_view_pledge(user, unit) -> bool:
    return can_view_unit_reports(user, unit)


def pledge_is_open(pledge: Pledge, today: date) -> bool:
    """Open while the registration window is, or while the office has reopened this pledge."""
    if pledge.reopened_until and today <= pledge.reopened_until:
        return True
    window = getattr(pledge.plan, "pledge_window", None)
    return bool(window and window.is_open_on(today))


def is_pledge_author(user, unit_id: int) -> bool:
    """Whose pledge form it is, whatever its state: the unit's own entering people. A post of his that
    the state refuses (window closed, acknowledged) answers his form again; anyone else's is a 403."""
    return role_of(user) in ENTERING_ROLES and unit_id in own_unit_ids(user)


def can_edit_pledge(user, pledge: Pledge, *, today: date) -> bool:
    return (
        is_pledge_author(user, pledge.unit_id)
        and pledge.status in (Pledge.Status.DRAFT, Pledge.Status.RETURNED)
        and pledge_is_open(pledge, today)
    )


def can_manage_pledges(user) -> bool:
    """Acknowledge, return, reopen and remind: the office."""
    return role_of(user) == Role.OFFICE


def can_follow_pledges(user) -> bool:
    return role_of(user) in {Role.OFFICE, Role.LEADERSHIP}


def can_create_covenant(user, lead_unit) -> bool:
    return role_of(user) == Role.OFFICE or (
        role_of(user) in ENTERING_ROLES and lead_unit.pk in own_unit_ids(user)
    )


def can_manage_covenant(user, covenant: Covenant) -> bool:
    return can_create_covenant(user, covenant.lead_unit)


def covenants_visible_to(user):
    from indicators.permissions import has_role, sees_all_units

    if sees_all_units(user):
        return Covenant.objects.all()
    if has_role(user):
        from django.db.models import Q

        units = own_unit_ids(user)
        return Covenant.objects.filter(Q(members__unit_id__in=units) | Q(lead_unit_id__in=units)).distinct()
    return Covenant.objects.none()


def confirmable_units(user, covenant: Covenant) -> list:
    """The member units this user may confirm for (his own units, entering roles only)."""
    if role_of(user) not in ENTERING_ROLES or covenant.status != Covenant.Status.OPEN:
        return []
    units = own_unit_ids(user)
    return [m for m in covenant.members.all() if m.unit_id in units and m.confirmed_at is None]
