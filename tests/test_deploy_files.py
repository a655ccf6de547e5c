"""deploy/'s files agree with the settings they serve (issue 17, item 3); tests/test_deploy_nginx.py
runs the nginx site for real, tests/test_deploy_backup.py the backup script."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "phominh.conf").read_text()


def test_nginx_lets_the_portal_explain_a_refused_upload():
    """client_max_body_size is a little over the portal's own limit (evidence 10 MB + 1 MB of fields),
    so the portal, not nginx, answers an upload that is too large."""
    size = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1)) * 1024 * 1024
    assert settings.PHOMINH_MAX_UPLOAD_BYTES < size <= settings.PHOMINH_MAX_UPLOAD_BYTES + 2 * 1024 * 1024
    assert settings.PHOMINH_MAX_UPLOAD_BYTES >= max(
        settings.EVIDENCE_MAX_BYTES, settings.EXCEL_UPLOAD_MAX_BYTES
    )


def test_nginx_serves_static_files_and_never_media():
    assert "alias /srv/phominh/staticfiles/;" in NGINX  # STATIC_ROOT of the checkout in /srv/phominh
    assert settings.STATIC_ROOT.name == "staticfiles"
    assert "media" not in re.sub(r"#.*", "", NGINX)
    for unit in ("phominh-web.service", "phominh-worker.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "WorkingDirectory=/srv/phominh" in text
        assert "EnvironmentFile=/etc/phominh/phominh.env" in text


def test_the_worker_unit_runs_the_worker_as_scripts_run_does():
    run = (ROOT / "scripts" / "run").read_text()
    assert "manage.py db_worker --no-reload" in run
    assert (
        "manage.py db_worker --no-reload --worker-id"
        in (DEPLOY / "systemd" / "phominh-worker.service").read_text()
    )
    assert "--bind 127.0.0.1:8000" in (DEPLOY / "systemd" / "phominh-web.service").read_text()
    assert "server 127.0.0.1:8000;" in NGINX


def test_every_variable_of_the_example_settings_file_is_read():
    """A misspelt name in the example would be ignored in silence by the portal."""
    readers = (ROOT / "phominh" / "settings.py").read_text() + (
        DEPLOY / "backup" / "phominh-backup.sh"
    ).read_text()
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "phominh.env.example").read_text(), flags=re.M)
    assert len(names) > 10
    assert [name for name in names if f'"{name}"' not in readers and f"${{{name}" not in readers] == []


def test_the_backup_script_is_valid_bash():
    script = DEPLOY / "backup" / "phominh-backup.sh"
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    assert script.stat().st_mode & 0o111
