"""deploy/backup/phominh-backup.sh, the nightly backup (issue 17, item 3): a pg_dump that pg_restore
reads, the media folder without its upload buffer, N days kept, no half-written file; the operations
page then finds it. On PostgreSQL only (the script dumps with pg_dump)."""

import os
import subprocess
import tarfile
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "backup" / "phominh-backup.sh"

pytestmark = pytest.mark.django_db


def aged(path: Path, days: float) -> Path:
    path.write_bytes(b"old")
    then = time.time() - days * 86400
    os.utime(path, (then, then))
    return path


def test_the_nightly_backup(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the backup script dumps PostgreSQL (pg_dump); run with DATABASE_URL=postgres://...")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    backups, media = tmp_path / "backups", tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "tmp").mkdir()
    (media / "evidence" / "a.pdf").write_bytes(b"%PDF-1.7")
    (media / "tmp" / "upload.part").write_bytes(b"half")
    backups.mkdir()
    expired = aged(backups / "phominh-2000-01-01.dump", 10)
    kept = aged(backups / "phominh-2000-01-09.dump", 1)
    other = aged(backups / "notes.txt", 30)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PHOMINH_"))}
    env |= {
        "DATABASE_URL": url,
        "PHOMINH_BACKUP_DIR": str(backups),
        "PHOMINH_BACKUP_DAYS": "3",
        "DJANGO_MEDIA_ROOT": str(media),
    }
    result = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

    today = date.today().isoformat()
    dump = backups / f"phominh-{today}.dump"
    names = {p.name for p in backups.iterdir()}
    assert names == {dump.name, f"media-{today}.tgz", kept.name, other.name}
    assert not expired.exists()
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True)
    assert "TABLE public indicators_report" in listing.stdout
    with tarfile.open(backups / f"media-{today}.tgz") as archive:
        members = set(archive.getnames())
    assert "./evidence/a.pdf" in members and not any(m.startswith("./tmp") for m in members)

    # The operations page finds tonight's dump.
    from django.utils import timezone

    from phominh.operations import backup_check

    settings.BACKUP_DIR = backups
    check = backup_check(timezone.now())
    assert check.ok and (str(check.details[1][1])) == dump.name
