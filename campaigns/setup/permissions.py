"""Who sets up a year: the office writes; the leadership reads the checklist."""

from indicators.models import Profile
from indicators.permissions import role_of


def can_set_up(user) -> bool:
    return role_of(user) == Profile.Role.OFFICE


def can_view_checklist(user) -> bool:
    return role_of(user) in {Profile.Role.OFFICE, Profile.Role.LEADERSHIP}


def may_claim_office_role(user) -> bool:
    """A superuser made by `createsuperuser` has no portal role: he may give himself the office's role,
    once, so that a new ward reaches the setup pages without a shell (issue 17)."""
    return getattr(user, "is_superuser", False) and role_of(user) is None
