"""The browser fixture leaves no database connection open: on PostgreSQL the test database is dropped.

While Playwright's sync API runs, Django keeps the main thread's connections apart (see
`conftest.playwright_chromium`); a connection a test opened there, left open, made the drop of the
test database fail at the end of a PostgreSQL run ("is being accessed by other users"). Checked in a
separate process, since Playwright cannot be started again while the suite's browser is running.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import chromium_path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django

django.setup()
from django.db import connections

from tests.conftest import chromium_path, playwright_chromium

before = connections["default"]
with playwright_chromium(chromium_path()):
    during = connections["default"]
    during.ensure_connection()
print(json.dumps({"apart": during is not before, "closed": during.connection is None}))
"""


@pytest.mark.browser
def test_connections_opened_while_playwright_runs_are_closed_when_it_stops(tmp_path):
    if not chromium_path():
        if os.environ.get("PHOMINH_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (PHOMINH_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))} | {
        "DJANGO_SETTINGS_MODULE": "phominh.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    # The second connection exists (why the fixture must close it) and is closed when Playwright stops.
    assert probe == {"apart": True, "closed": True}
