"""Issuing API clients: the one place a token is made, hashed and granted plan years."""

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.audit import log_action

from ..models import ApiClient, Plan
from .authentication import hash_token, new_token


class ApiClientError(Exception):
    """A client that cannot be created as asked; the message says why."""


def create_api_client(*, name: str, years: list[int], user=None) -> tuple[ApiClient, str]:
    """A new client reading the plans of `years`, and its raw token (returned once, stored only hashed).

    Every year must have a plan: a grant is to a plan, so that a typing error cannot open a year that
    does not exist yet. Grant a later year once its plan is made (admin, or a new client).
    """
    name = name.strip()
    if not name:
        raise ApiClientError(_("Cần tên của ứng dụng."))
    with transaction.atomic():
        if ApiClient.objects.filter(name=name).exists():
            raise ApiClientError(_("Đã có ứng dụng tên “%(name)s”.") % {"name": name})
        plans = list(Plan.objects.filter(year__in=set(years)))
        missing = sorted(set(years) - {plan.year for plan in plans})
        if missing:
            raise ApiClientError(
                _("Chưa có kế hoạch của năm: %(years)s.") % {"years": ", ".join(str(y) for y in missing)}
            )
        token = new_token()
        client = ApiClient.objects.create(name=name, token_hash=hash_token(token))
        client.plans.set(plans)
        log_action(client, "campaigns.api_client.created", user, {"name": name, "years": sorted(set(years))})
    return client, token
