"""Login throttling with django-axes: the lockout check, the client address and the lockout page.

Axes counts failed logins per user name and address (AXES_* in settings) and logs every login, logout
and failure in its own tables (AccessLog, AccessFailureLog), which the admin shows read-only.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out user name and address before ModelBackend checks the password.

    Every login through a form (ours and the admin's) passes the request. A call without one (a shell,
    a script, `Client.login` in a test) is not a login from the web and has no address to count, so it
    is left to ModelBackend instead of being an error as in axes' own backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_username(request, credentials=None) -> str | None:
    """The user name axes counts and logs, cut to the longest a user name can be.

    Django's login form does not limit the name's length before it tries it, and axes keeps it in a
    255-character column: a longer name would be a database error on PostgreSQL instead of a failed login.
    """
    field = get_user_model().USERNAME_FIELD
    username = credentials.get(field) if credentials else request.POST.get(field)
    if username is None:
        return None
    longest = get_user_model()._meta.get_field(field).max_length
    return str(username).replace("\x00", "")[:longest]


def client_ip(request) -> str | None:
    """The address axes counts a login attempt against (AXES_CLIENT_IP_CALLABLE).

    Without a reverse proxy (PHOMINH_PROXY_COUNT = 0) it is the peer's address. Behind N proxies it is
    the entry of X-Forwarded-For that the outermost of them appended, the N-th from the right: each
    proxy appends the address it received the request from, so the entries to its left are whatever
    the client typed and never count. The header is read only when the peer is one of our proxies
    (PHOMINH_TRUSTED_PROXIES): a request that reached the application server some other way is counted
    against its own address, whatever it claims. An entry that is not an IP address counts as the peer.
    """
    peer = request.META.get("REMOTE_ADDR")
    count = settings.PHOMINH_PROXY_COUNT
    if count <= 0 or not is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return peer
    # Fewer entries than proxies: the request skipped the outer ones, so the left-most entry was
    # appended by one of ours.
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


def is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(network, strict=False) for network in settings.PHOMINH_TRUSTED_PROXIES
    )


def lockout_response(request, original_response=None, credentials=None):
    """The Vietnamese page shown while a user name is locked out from this address (HTTP 429)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
