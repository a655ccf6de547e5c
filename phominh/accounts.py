"""Passwords: each person changes his own; the office resets a forgotten one with a temporary password.

Whom the office may reset (a design choice): group leaders, ward officials and council members, the
people who most often forget and cannot reach the administrator. Never leadership, another office
account, an administrator, a staff or superuser account, nor himself: a temporary password is seen by
whoever sets it, so for an account that approves, signs or administers, a reset by the office would let
the office act in its owner's name. Those accounts are reset by the administrator (the admin, or
`manage.py changepassword`). A temporary password must be changed at the next login, the owner's open
sessions end with the reset, and every reset and change is an ActionLog row (never the password).
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.audit import log_action
from indicators.models import Profile
from indicators.permissions import role_of

RESETTABLE_ROLES = (Profile.Role.GROUP_LEADER, Profile.Role.OFFICIAL, Profile.Role.COUNCIL)
# No 0/O, 1/l/I: the office reads the password out or writes it down for its owner.
TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_LENGTH = 12


def must_change_password(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        return user.profile.must_change_password
    except Profile.DoesNotExist:
        return False


def can_reset_passwords(user) -> bool:
    return role_of(user) == Profile.Role.OFFICE


def resettable_users(actor):
    """The accounts this person may reset; empty for anyone but the office."""
    User = get_user_model()
    if not can_reset_passwords(actor):
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True, is_staff=False, is_superuser=False, profile__role__in=RESETTABLE_ROLES
        )
        .exclude(pk=actor.pk)
        .select_related("profile")
        .prefetch_related("profile__units")
        .order_by("profile__role", "last_name", "first_name", "username")
    )


def temporary_password(user) -> str:
    while True:
        password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))
        if not (any(c.isdigit() for c in password) and any(c.isalpha() for c in password)):
            continue
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def reset_password(*, actor, user) -> str:
    """Give `user` a temporary password (returned once, stored only hashed) to change at next login.

    Setting the password changes the session hash, so the owner's open sessions end; a lockout of the
    name by django-axes is lifted, since a forgotten password is the usual cause of one.
    """
    from axes.utils import reset as reset_lockouts

    password = temporary_password(user)
    with transaction.atomic():
        user = resettable_users(actor).select_for_update(of=("self",)).get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(must_change_password=True)
        log_action(user, "accounts.password.reset", actor, {"username": user.username})
    reset_lockouts(username=user.username)
    return password


def record_password_change(user) -> None:
    """After the owner set a password of his own: no longer temporary, and audited."""
    Profile.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    log_action(user, "accounts.password.changed", user, {})
