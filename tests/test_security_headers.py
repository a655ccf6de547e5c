"""Headers and settings: Content-Security-Policy without inline code, framing, CSRF on every form."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Report

from .conftest import DEMO_PASSWORD
from .reporting import entry_url, open_quarter, unit
from .test_settings import PRODUCTION_ENV, manage

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

INLINE_CODE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S),
    "on…= event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def assert_strict_policy(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


# --- templates stay free of inline code ---------------------------------------------------------------


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """The CSP allows no inline code, so none may creep into a template (STYLE.md: no inline styles)."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE_CODE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_scan_would_find_inline_code():
    samples = {
        "inline <script>": "<script>alert(1)</script>",
        "<style> element": "<style>p{}</style>",
        "style= attribute": '<p class="x" style="color:red">',
        "on…= event handler": '<a href="#" onclick="go()">',
        "javascript: URL": '<a href="javascript:go()">',
    }
    for what, sample in samples.items():
        assert INLINE_CODE[what].search(sample), what
    assert not INLINE_CODE["inline <script>"].search('<script src="/static/x.js"></script>')
    assert not INLINE_CODE["style= attribute"].search('<link rel="stylesheet" href="/s.css">')


def test_every_post_form_carries_a_csrf_token():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.I | re.S):
            if re.search(r"method\s*=\s*[\"']?post", match.group(0)[:300], re.I):
                if "{% csrf_token %}" not in match.group(1):
                    missing.append(
                        f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}"
                    )
    assert not missing, missing


def test_no_view_is_exempt_from_csrf():
    root = TEMPLATES.parent
    offenders = [
        str(path.relative_to(root))
        for app in ("phominh", "campaigns", "indicators", "awards")
        for path in (root / app).rglob("*.py")
        if "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert not offenders


# --- headers -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_send_the_security_headers(client, demo):
    pages = [reverse("login")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    client.post(reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD})
    open_quarter(demo)
    for url in [reverse("home"), reverse("plan-detail", args=[2024]), entry_url("TDP-01")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        assert response["X-Frame-Options"] == "DENY"


def test_production_sends_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # includeSubDomains is opt-in (issue 17; tests/test_settings.py): a ward rarely owns its parent domain.
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "False",
        "True",
        "True",
        "True",
        "False",
    ]


@pytest.mark.django_db
def test_the_admin_works_under_the_same_policy(client, demo, make_user):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    report = Report.objects.first()
    urls = [
        reverse("admin:index"),
        reverse("admin:indicators_unit_changelist"),
        reverse("admin:indicators_unit_change", args=[unit("TDP-01").pk]),
        reverse("admin:indicators_unit_add"),
        reverse("admin:indicators_report_changelist"),
        reverse("admin:indicators_report_change", args=[report.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:axes_accesslog_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        html = response.content.decode()
        # Django's admin keeps its JavaScript in files too (its data travels in data- attributes).
        assert not INLINE_CODE["inline <script>"].search(html), url


# --- CSRF -----------------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_posts_without_a_token_are_refused(csrf_client, demo, make_user):
    open_quarter(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")])
    office = make_user("office", units=[unit("VP-TK")])

    anonymous = [reverse("login"), reverse("admin:login")]
    for url in anonymous:
        response = csrf_client.post(url, {"username": "totruong1", "password": DEMO_PASSWORD})
        assert response.status_code == 403, url

    csrf_client.force_login(leader)
    for url, data in [
        (entry_url("TDP-01"), {"version": "0"}),
        (reverse("pledge-detail", args=[2024, "TDP-01"]), {"version": "0"}),
        (reverse("covenant-create"), {"title": "x", "text": "x"}),
        (reverse("logout"), {}),
    ]:
        assert csrf_client.post(url, data).status_code == 403, url
    assert "_auth_user_id" in csrf_client.session  # the refused logout did not log him out

    csrf_client.force_login(office)
    for url, data in [
        (entry_url("TDP-02", quarter=3, name="report-return"), {"reason": "x"}),
        (entry_url("TDP-02", quarter=3, name="report-reopen"), {"reason": "x", "until": "2099-01-01"}),
        (reverse("period-lock", args=[2024, 4]), {"lock": "1"}),
        (reverse("pledge-return", args=[2024, "TDP-01"]), {"reason": "x"}),
    ]:
        assert csrf_client.post(url, data).status_code == 403, url
    assert not Report.objects.filter(status=Report.Status.RETURNED, return_reason="x").exists()


@pytest.mark.django_db
def test_the_same_post_with_its_token_goes_through(csrf_client, demo):
    csrf_client.get(reverse("login"))
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        reverse("login"),
        {"username": "totruong1", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and "_auth_user_id" in csrf_client.session
