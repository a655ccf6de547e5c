"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3y-for-the-check-only-" + "x7Qp9zR2" * 6,
    "DJANGO_ALLOWED_HOSTS": "thidua.phominh.gov.vn",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    # Login by default: Django's LoginRequiredMiddleware, through the portal's subclass (issue 16).
    from django.contrib.auth.middleware import LoginRequiredMiddleware
    from django.utils.module_loading import import_string

    assert any(issubclass(import_string(m), LoginRequiredMiddleware) for m in settings.MIDDLEWARE)


def test_hsts_subdomains_and_preload_are_opt_in():
    """A ward's portal usually runs on a sub-domain it does not own (issue 17): HSTS covers only its own
    host unless asked, and the deploy check stays clean either way."""
    show = "from django.conf import settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    default = manage("shell", "-c", show, env=PRODUCTION_ENV)
    assert default.stdout.split()[-2:] == ["False", "False"], default.stderr
    opted = PRODUCTION_ENV | {"DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_SECURE_HSTS_PRELOAD": "1"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=opted)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr
    assert manage("shell", "-c", show, env=opted).stdout.split()[-2:] == ["True", "True"]
