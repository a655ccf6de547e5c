"""Token authentication for API clients: the request's bearer token, hashed, looked up once.

This module is named in REST_FRAMEWORK's defaults, which DRF imports while it imports its views: it
imports nothing of DRF but `rest_framework.authentication` and `exceptions`.
"""

import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from campaigns.models import ApiClient

KEYWORD = "Bearer"
TOKEN_PREFIX = "pm_"


def new_token() -> str:
    """A fresh random token (256 bits); shown once, never stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 of the token, as stored in `ApiClient.token_hash`.

    A fast hash is enough: the token is 256 random bits, not a password that could be guessed, so a
    slow key-derivation function would add cost per request and no protection.
    """
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` → the active ApiClient with that token's hash (as request.auth).

    request.user stays anonymous: a client is not a portal user and holds no portal role. Its granted
    plans are fetched with it (one more query), so that scoping a request costs nothing further.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng: Bearer <khóa>."))
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ.")) from None
        client = (
            ApiClient.objects.filter(token_hash=hash_token(token), is_active=True)
            .prefetch_related("plans")
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ hoặc đã bị thu hồi."))
        return (AnonymousUser(), client)

    def authenticate_header(self, request):
        return KEYWORD
