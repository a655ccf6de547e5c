"""Who may see and change what, in one place (DOMAIN.md §3).

Views and templates ask these functions; querysets are scoped with the `*_visible_to` helpers so that a
forgotten check shows nothing rather than everything.
"""

from django.db.models import QuerySet

from .models import Profile, Unit

Role = Profile.Role


def role_of(user) -> str | None:
    """The user's portal role, or None for anonymous users and accounts without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    return profile.role if profile else None


def has_role(user) -> bool:
    return role_of(user) is not None


def can_view_plan(user) -> bool:
    """Every person with a role reads the plan; accounts without a role see nothing."""
    return has_role(user)


def can_manage_plan(user) -> bool:
    return role_of(user) in {Role.OFFICE, Role.ADMIN}


def sees_all_units(user) -> bool:
    return role_of(user) in {Role.LEADERSHIP, Role.OFFICE, Role.ADMIN, Role.COUNCIL}


def units_visible_to(user) -> QuerySet[Unit]:
    if sees_all_units(user):
        return Unit.objects.all()
    if has_role(user):
        return Unit.objects.filter(people=user.profile)
    return Unit.objects.none()
