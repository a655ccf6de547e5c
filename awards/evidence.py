"""Evidence files on disk: written so that a failure leaves nothing, and a sweep for what a crash left.

A file and its database row cannot be written in one step. The upload is first written to a staging
name under EVIDENCE_ROOT/.incoming (flushed to disk), then renamed to its final name inside the
transaction that inserts the row; if the transaction fails, the file is removed. A worker killed
half-way can still leave a staging file (killed while writing), a final file without a row (killed
between the rename and the commit) and a temporary upload file (PHOMINH_UPLOAD_TEMP_DIR, a folder of
ours: phominh.uploads); `manage.py clean_uploads` removes them once they are an hour old, which no
upload in progress ever is.
"""

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from phominh import uploads

STAGING = ".incoming"
ORPHAN_AGE = timedelta(hours=1)


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def write(upload, name: str) -> None:
    """Write the upload to `name` (relative to EVIDENCE_ROOT): either all of it, or nothing at `name`."""
    target = root() / name
    staging = root() / STAGING / f"{uuid.uuid4().hex}.part"
    staging.parent.mkdir(parents=True, exist_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(staging, "xb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, target)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def discard(name: str) -> None:
    (root() / name).unlink(missing_ok=True)


@dataclass
class Sweep:
    evidence: list[Path] = field(default_factory=list)
    staging: list[Path] = field(default_factory=list)
    temporary: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.evidence) + len(self.staging) + len(self.temporary)


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def find_orphans(*, age: timedelta = ORPHAN_AGE) -> Sweep:
    """Files older than `age`: evidence with no row, staging leftovers, our temporary upload files."""
    from .models import EvidenceFile

    cutoff = (timezone.now() - age).timestamp()
    sweep = Sweep()
    base = root()
    if base.is_dir():
        known = set(EvidenceFile.objects.values_list("file", flat=True))
        for path in base.rglob("*"):
            if not path.is_file() or path.is_symlink() or not _older_than(path, cutoff):
                continue
            relative = path.relative_to(base)
            if relative.parts[0] == STAGING:
                sweep.staging.append(path)
            elif relative.as_posix() not in known:
                sweep.evidence.append(path)
    temp_dir = Path(settings.PHOMINH_UPLOAD_TEMP_DIR)
    # Only a folder of our own: the system's temporary folder holds other programs' files.
    if temp_dir.is_dir() and temp_dir.resolve() != Path(tempfile.gettempdir()).resolve():
        for path in temp_dir.iterdir():
            if path.is_file() and uploads.SUFFIX in path.name and _older_than(path, cutoff):
                sweep.temporary.append(path)
    return sweep


def clean_orphans(*, age: timedelta = ORPHAN_AGE, dry_run: bool = False) -> Sweep:
    sweep = find_orphans(age=age)
    if not dry_run:
        for path in sweep.evidence + sweep.staging + sweep.temporary:
            path.unlink(missing_ok=True)
    return sweep
