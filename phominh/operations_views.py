"""The operations page (/van-hanh/): the administrator's view of the portal's machinery."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.audit import log_action
from phominh import operations


def _staff_only(user) -> None:
    """The server's administrator: staff accounts only; everyone else is refused (403)."""
    if not (user.is_staff or user.is_superuser):
        raise PermissionDenied


def operations_page(request):
    _staff_only(request.user)
    checks = operations.checks()
    return render(
        request,
        "operations.html",
        {
            "checks": checks,
            "failing": [check for check in checks if not check.ok],
            "version": operations.version(),
            "now": timezone.now(),
            "worker_pingable": operations.worker_pingable(),
        },
    )


@require_POST
def worker_ping(request):
    """Enqueue a task that does nothing (jobs.tasks.ping): the page then shows whether a worker took it."""
    _staff_only(request.user)
    from jobs.tasks import ping

    with transaction.atomic():
        result = ping.enqueue()
        log_action(request.user, "operations.worker_ping", request.user, {"task": str(result.id)})
    messages.info(request, _("Đã gửi tín hiệu kiểm tra tới tiến trình nền; tải lại trang sau ít giây."))
    return redirect("operations")
