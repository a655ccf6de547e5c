from . import permissions


def role(request):
    """The user's role for menus; the views check permissions again on the server."""
    user = getattr(request, "user", None)
    return {"portal_role": permissions.role_of(user) if user else None}
