"""The portal behind a real nginx (Debian's package), as deploy/ sets it up (issue 17, item 3).

deploy/nginx/phominh.conf itself is rendered with loopback ports, a self-signed certificate and
temporary paths (each replaced text must be in the file, so the test breaks when the file changes
shape), nginx runs it in the foreground as the current user, and gunicorn runs the portal in production
mode behind it (DJANGO_ENV=production, DJANGO_BEHIND_PROXY=1). Over https the test logs in, downloads the
plan's PDF, reads a static file served by nginx, finds media unserved, follows the http→https redirect,
and checks that the portal counted the client's own address (not one the client wrote into
X-Forwarded-For) and saw https (no redirect loop; the login's CSRF check passed as https).

The database is the previous release's (tests/data, as in test_upgrade.py) migrated by this release in
a temporary SQLite file: the server needs its own database, not the test database. Skipped where nginx
is not installed, except in CI (PHOMINH_REQUIRE_BROWSER=1), which must run it.
"""

import gzip
import http.client
import os
import re
import shlex
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from .conftest import DEMO_PASSWORD
from .test_upgrade import DATA, RELEASE

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "phominh.conf"
CLIENT_ADDRESS = "127.0.0.2"  # the client's own loopback address; nginx and gunicorn are on 127.0.0.1
SPOOFED = "198.51.100.9"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_site(*, https: int, http: int, app: int, cert: Path, key: Path, static: Path) -> str:
    """deploy's site with loopback ports and temporary paths; each replaced text must be there."""
    text = SITE.read_text()
    replacements = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app};"),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("return 301 https://$host$request_uri;", f"return 301 https://$host:{https}$request_uri;"),
        ("/etc/letsencrypt/live/thidua.example.gov.vn/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/thidua.example.gov.vn/privkey.pem", str(key)),
        ("alias /srv/phominh/staticfiles/;", f"alias {static}/;"),
    ]
    for old, new in replacements:
        assert old in text, f"deploy/nginx/phominh.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def web_unit_command(*, port: int) -> list[str]:
    """gunicorn as deploy/systemd/phominh-web.service starts it, with this venv and a free port."""
    unit = (ROOT / "deploy" / "systemd" / "phominh-web.service").read_text()
    argv = shlex.split(re.search(r"^ExecStart=(.+)$", unit, flags=re.M).group(1))
    assert argv[0] == "/srv/phominh/.venv/bin/gunicorn" and "127.0.0.1:8000" in argv
    argv[0] = str(Path(sys.executable).parent / "gunicorn")
    return [f"127.0.0.1:{port}" if arg == "127.0.0.1:8000" else arg for arg in argv]


def main_config(tmp: Path, site: Path) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"  {kind}_temp_path {tmp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n{user}"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {tmp / 'access.log'};\n{temp}  include {site};\n}}\n"
    )


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} stopped:\n{log.read_text() if log.exists() else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on {port}:\n{log.read_text() if log.exists() else ''}")


class Browser:
    """http.client from 127.0.0.2, keeping cookies; verifies the self-signed certificate."""

    def __init__(self, port: int, cert: Path):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, source_address=(CLIENT_ADDRESS, 0), timeout=60
        )
        sent = {"X-Forwarded-For": SPOOFED, "X-Forwarded-Proto": "http"} | (headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + path}
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        connection.close()
        return response, content


@pytest.fixture
def deployed(tmp_path):
    nginx = nginx_binary()
    if not nginx:
        if os.environ.get("PHOMINH_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required in CI (PHOMINH_REQUIRE_BROWSER=1) but is not installed")
        pytest.skip("nginx is not installed: apt-get install nginx (scripts/test does)")
    ports = {"https": free_port(), "http": free_port(), "app": free_port()}
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    database = tmp_path / "portal.sqlite3"
    with gzip.open(DATA / f"release-{RELEASE}.sqlite3.gz") as packed, database.open("wb") as out:
        shutil.copyfileobj(packed, out)
    media, static = tmp_path / "media", tmp_path / "static"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "private.pdf").write_bytes(b"%PDF-1.7 private")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PHOMINH_"))}
    env = base | {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "nginx-test-only-" + "Zq7rT2pX" * 6,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{ports['https']}",
        "DJANGO_BEHIND_PROXY": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_STATIC_ROOT": str(static),
        "PHOMINH_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    manage = [sys.executable, "manage.py"]
    # Both at once: migrating the release's database and collecting the static files (the admin's and
    # the API's are not needed by the pages visited).
    steps = [
        subprocess.Popen([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, stderr=subprocess.PIPE),
        subprocess.Popen(
            [*manage, "collectstatic", "--noinput", "-v0", "-i", "admin", "-i", "rest_framework",
             "-i", "drf_spectacular*", "-i", "import_export"],
            cwd=ROOT, env=env, stderr=subprocess.PIPE,
        ),
    ]  # fmt: skip
    for step in steps:
        _out, err = step.communicate(timeout=120)
        assert step.returncode == 0, err.decode()

    site = tmp_path / "phominh.conf"
    site.write_text(render_site(**ports, cert=cert, key=key, static=static))
    (tmp_path / "nginx.conf").write_text(main_config(tmp_path, site))
    gunicorn_log, nginx_log = tmp_path / "gunicorn.log", tmp_path / "error.log"
    with gunicorn_log.open("w") as log:
        app = subprocess.Popen(
            web_unit_command(port=ports["app"]), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    proxy = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-e", str(nginx_log), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(ports["https"], proxy, nginx_log)
        wait_for_port(ports["app"], app, gunicorn_log)
        yield {"ports": ports, "cert": cert, "database": database, "log": gunicorn_log}
    finally:
        for process in (proxy, app):
            process.terminate()
        for process in (proxy, app):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_the_portal_behind_nginx_over_https(deployed):
    ports, cert = deployed["ports"], deployed["cert"]
    browser = Browser(ports["https"], cert)

    # Plain http goes to https on the same host.
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", "/dang-nhap/?next=/")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"https://127.0.0.1:{ports['https']}/dang-nhap/?next=/"
    plain.close()

    # The login page over https: no redirect (the portal saw https through X-Forwarded-Proto, whatever
    # the client wrote into it), HSTS from the portal, a CSRF token.
    response, page = browser.request("GET", reverse("login"))
    assert response.status == 200, page[:500]
    assert "max-age=" in (response.getheader("Strict-Transport-Security") or "")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    response, page = browser.request(
        "POST",
        reverse("login"),
        {"csrfmiddlewaretoken": token, "username": "totruong1", "password": DEMO_PASSWORD},
    )
    assert response.status == 302, page[:1000]
    assert "sessionid" in browser.cookies

    response, pdf = browser.request("GET", reverse("plan-pdf", args=[2024]))
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert pdf.startswith(b"%PDF")

    # A static file named by the portal's page, served by nginx with a year's cache.
    _response, home = browser.request("GET", "/")
    css = re.search(rb'href="(/static/css/portal\.[0-9a-f]+\.css)"', home).group(1).decode()
    response, _body = browser.request("GET", css)
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Cache-Control", "")
    assert "immutable" in ", ".join(response.headers.get_all("Cache-Control"))

    # Evidence files are not reachable by a URL of their own.
    response, _body = browser.request("GET", "/media/evidence/private.pdf")
    assert response.status == 404

    # The login was counted against the client's own address, which nginx appended, not the one the
    # client wrote into X-Forwarded-For.
    with sqlite3.connect(deployed["database"]) as db:
        addresses = {row[0] for row in db.execute("SELECT ip_address FROM axes_accesslog")}
    assert addresses == {CLIENT_ADDRESS}
