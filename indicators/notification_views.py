"""Each person's own notifications; nobody sees another's."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import permissions
from .models import Notification
from .notifications import failed_mails


def notification_list(request):
    """One's own notifications; for the office and leadership also the mails that did not go out."""
    items = list(request.user.notifications.all()[:200])
    failed = list(failed_mails()[:100]) if permissions.can_follow_completeness(request.user) else None
    return render(request, "indicators/notifications.html", {"items": items, "failed_mails": failed})


@require_POST
def notification_read(request, pk: int):
    """Mark one as read and follow its link (only a link inside the portal)."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return redirect(item.url)
    return redirect("notifications")


@require_POST
def notification_read_all(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
