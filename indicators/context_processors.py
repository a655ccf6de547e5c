from functools import cache

from . import permissions


def role(request):
    """The user's role for menus (the views check permissions again on the server), and the count of
    his unread notifications for the navbar: one indexed COUNT, run once and only when a page shows it
    (a callable, which the template calls when it first needs the value)."""
    user = getattr(request, "user", None)
    portal_role = permissions.role_of(user) if user else None
    if portal_role is None:
        return {"portal_role": None, "unread_notifications": 0}

    @cache
    def unread_notifications() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    return {"portal_role": portal_role, "unread_notifications": unread_notifications}
