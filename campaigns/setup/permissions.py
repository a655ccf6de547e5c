"""Who sets up a year: the office writes; the leadership reads the checklist."""

from indicators.models import Profile
from indicators.permissions import role_of
from phominh.accounts import RESETTABLE_ROLES


def can_set_up(user) -> bool:
    return role_of(user) == Profile.Role.OFFICE


def can_view_checklist(user) -> bool:
    return role_of(user) in {Profile.Role.OFFICE, Profile.Role.LEADERSHIP}


def may_claim_office_role(user) -> bool:
    """A superuser made by `createsuperuser` has no portal role: he may give himself the office's role,
    once, so that a new ward reaches the setup pages without a shell (issue 17)."""
    return getattr(user, "is_superuser", False) and role_of(user) is None


def creatable_roles(user) -> list[tuple[str, str]]:
    """The roles of the accounts this person may make, with a first password he sees once.

    The office makes the accounts it may also reset (group leaders, officials, council members; the
    rule of phominh.accounts): a password seen by the office must not open an account that approves,
    signs or runs the office. A superuser who took the office's role is the administrator and makes
    those too (leadership, office); the administrator's own role stays in the admin.
    """
    if not can_set_up(user):
        return []
    allowed = set(RESETTABLE_ROLES)
    if getattr(user, "is_superuser", False):
        allowed |= {Profile.Role.LEADERSHIP, Profile.Role.OFFICE}
    return [(value, label) for value, label in Profile.Role.choices if value in allowed]
