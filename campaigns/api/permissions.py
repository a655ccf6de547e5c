"""Who may read what through the API: an authenticated client, and only the plan years granted to it."""

from django.http import Http404
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission

from campaigns.models import ApiClient, Plan


class IsApiClient(BasePermission):
    """A request authenticated by an API token, reading: a client never writes, whatever a view allows.

    A write is answered 405 here, before any view code runs, rather than left to each view.
    """

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, ApiClient):
            return False
        if request.method not in SAFE_METHODS:
            raise MethodNotAllowed(request.method)
        return True


def plans_for(client: ApiClient) -> list[Plan]:
    """The plans granted to the client, newest first (prefetched by the authentication: no query)."""
    return sorted(client.plans.all(), key=lambda plan: plan.year, reverse=True)


def granted_plan(request, year: int) -> Plan:
    """The plan of `year` if granted to the request's client; a year not granted is a 404 like a year
    without a plan, so that a client cannot tell which other years exist."""
    for plan in plans_for(request.auth):
        if plan.year == year:
            return plan
    raise Http404
