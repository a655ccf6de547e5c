"""The operations page (/van-hanh/): the administrator's view of the portal's machinery."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from phominh import operations


def operations_page(request):
    """Staff accounts only (the server's administrator); everyone else is refused (403)."""
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied
    checks = operations.checks()
    return render(
        request,
        "operations.html",
        {
            "checks": checks,
            "failing": [check for check in checks if not check.ok],
            "version": operations.version(),
            "now": timezone.now(),
        },
    )
