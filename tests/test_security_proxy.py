"""Behind the reverse proxy the login lockout counts the address the proxy saw, never one the client
wrote into X-Forwarded-For (issue 14, item 12)."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from phominh.auth import client_ip

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PROXY = "127.0.0.1"


@pytest.fixture
def one_proxy(settings):
    settings.PHOMINH_PROXY_COUNT = 1
    settings.PHOMINH_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.8.0.0/24"]
    return settings


def attempt(client, password: str, *, forwarded: str | None, peer: str = PROXY, username: str = "totruong1"):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_spoofed_left_entries_do_not_escape_the_lockout(client, demo, one_proxy):
    """The proxy appends the real address (203.0.113.7); whatever the client sent before it varies."""
    codes = [
        attempt(client, "sai-mat-khau", forwarded=f"198.51.100.{i}, 203.0.113.7").status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert attempt(client, DEMO_PASSWORD, forwarded="192.0.2.99, 203.0.113.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Someone else behind the same proxy is not locked out.
    assert attempt(client, DEMO_PASSWORD, forwarded="198.51.100.1, 203.0.113.8").status_code == 302


def test_a_direct_request_is_counted_against_its_own_address(client, demo, one_proxy):
    """A request that did not come through our proxy (the peer is not a trusted one) may write any
    X-Forwarded-For: it is ignored, so varying it gives no fresh count."""
    codes = [
        attempt(client, "sai-mat-khau", forwarded=f"198.51.100.{i}", peer="192.0.2.50").status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}


def test_two_proxies_take_the_entry_the_outer_one_appended(client, demo, one_proxy):
    one_proxy.PHOMINH_PROXY_COUNT = 2  # e.g. the province's gateway, then nginx on this server
    codes = [
        attempt(client, "sai-mat-khau", forwarded=f"198.51.100.{i}, 203.0.113.7, 10.8.0.2").status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("count", "peer", "forwarded", "expected"),
    [
        (0, "127.0.0.1", "198.51.100.1", "127.0.0.1"),  # no proxy configured: the header means nothing
        (1, "127.0.0.1", None, "127.0.0.1"),
        (1, "127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (1, "127.0.0.1", "  203.0.113.7 ", "203.0.113.7"),
        (1, "127.0.0.1", "198.51.100.1, not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "198.51.100.1, 203.0.113.7:4711", "127.0.0.1"),
        (1, "::1", "2001:db8::7", "2001:db8::7"),
        (1, "192.0.2.50", "203.0.113.7", "192.0.2.50"),  # not through our proxy
        (2, "127.0.0.1", "198.51.100.1, 203.0.113.7, 10.8.0.2", "203.0.113.7"),
        (2, "127.0.0.1", "203.0.113.7", "203.0.113.7"),  # the outer proxy was skipped: one entry only
        (1, "", "203.0.113.7", ""),
    ],
)
def test_the_client_address(one_proxy, count, peer, forwarded, expected):
    one_proxy.PHOMINH_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": peer} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_the_settings_come_from_the_environment():
    """Production behind the proxy counts through phominh.auth.client_ip with the proxies named."""
    from .test_settings import PRODUCTION_ENV, manage

    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_CLIENT_IP_CALLABLE, s.PHOMINH_PROXY_COUNT, ','.join(s.PHOMINH_TRUSTED_PROXIES))"
    )
    proxied = PRODUCTION_ENV | {
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_PROXY_COUNT": "2",
        "DJANGO_TRUSTED_PROXIES": "10.8.0.1",
    }
    shell = ("shell", "--no-imports", "-c", code)
    assert manage(*shell, env=proxied).stdout.strip() == "phominh.auth.client_ip 2 10.8.0.1"
    assert manage(*shell, env=PRODUCTION_ENV).stdout.strip() == "phominh.auth.client_ip 0 127.0.0.1,::1"


@pytest.fixture
def https_behind_proxy(one_proxy):
    """Production behind nginx: https required, its scheme read from X-Forwarded-Proto."""
    one_proxy.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    one_proxy.SECURE_SSL_REDIRECT = True
    return one_proxy


def test_https_is_believed_from_the_proxy_only(client, https_behind_proxy):
    """X-Forwarded-Proto: https from our proxy is https; from any other peer it is dropped, so the
    request is plain http and is redirected (a client cannot claim https past the proxy)."""
    assert client.get(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    direct = client.get(LOGIN, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301
    assert direct["Location"].startswith("https://")
    assert client.get(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_no_proxy_configured_ignores_every_forwarded_header(client, https_behind_proxy):
    https_behind_proxy.PHOMINH_PROXY_COUNT = 0
    assert client.get(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").status_code == 301


def test_the_forwarded_headers_of_another_peer_are_removed(one_proxy):
    from phominh.middleware import TrustedProxyHeadersMiddleware

    seen = {}

    def view(request):
        seen.update({k: v for k, v in request.META.items() if k.startswith("HTTP_X_FORWARDED")})
        return None

    headers = {
        "HTTP_X_FORWARDED_FOR": "198.51.100.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "evil.example",
    }
    TrustedProxyHeadersMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="192.0.2.50", **headers))
    assert seen == {}
    TrustedProxyHeadersMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="10.8.0.7", **headers))
    assert seen == headers
