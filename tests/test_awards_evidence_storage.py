"""Evidence on disk: a failed upload leaves no file, and what a killed worker left is swept after an hour
(issue 14, item 11)."""

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from awards import evidence as evidence_files
from awards import services
from awards.models import EvidenceFile

from .test_awards_factories import title, unit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.PHOMINH_UPLOAD_TEMP_DIR = tmp_path / "tmp"
    settings.EVIDENCE_MAX_BYTES = 4 * 1024 * 1024
    return settings


@pytest.fixture
def leader(make_user):
    return make_user("group_leader", units=[unit("TDP-01")])


@pytest.fixture
def proposal(plan, leader):
    return services.create_proposal(
        plan=plan,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=leader,
        nominee_name="Hộ Trần Văn Lưu Trữ",
        achievements="Gia đình gương mẫu.",
    )


def files_under(folder) -> list[Path]:
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def age(path: Path, *, minutes: int) -> Path:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))
    return path


class DiskFullUpload(SimpleUploadedFile):
    """Hands over its first chunk, then the disk is full."""

    def chunks(self, chunk_size=None):
        yield self.read(16)
        raise OSError(28, "No space left on device")


def test_a_write_that_fails_half_way_leaves_no_file(proposal, leader, folders):
    """Before: the storage wrote straight to the final name, and a failure part-way left that half file."""
    upload = DiskFullUpload("bien-ban.pdf", PDF + b"x" * 1000)
    with pytest.raises(OSError):
        services.add_evidence(proposal=proposal, user=leader, upload=upload)
    assert not EvidenceFile.objects.exists()
    assert files_under(folders.EVIDENCE_ROOT) == []


def test_a_database_failure_after_the_write_removes_the_file(proposal, leader, folders, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "log_action", broken)
    with pytest.raises(RuntimeError):
        services.add_evidence(proposal=proposal, user=leader, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not EvidenceFile.objects.exists()
    assert files_under(folders.EVIDENCE_ROOT) == []


def test_a_stored_file_is_whole_and_nothing_is_left_in_staging(proposal, leader, folders):
    evidence = services.add_evidence(proposal=proposal, user=leader, upload=SimpleUploadedFile("a.pdf", PDF))
    assert Path(evidence.file.path).read_bytes() == PDF
    assert files_under(folders.EVIDENCE_ROOT) == [Path(evidence.file.path)]


def test_a_large_upload_is_buffered_in_our_own_temporary_folder(
    client, proposal, leader, folders, monkeypatch
):
    seen = []
    original = services.add_evidence

    def spy(*, upload, **kwargs):
        seen.append(Path(upload.temporary_file_path()))
        assert seen[0].exists()
        return original(upload=upload, **kwargs)

    monkeypatch.setattr(services, "add_evidence", spy)
    client.force_login(leader)
    big = PDF + b"%" * (1024 * 1024 + 10)  # over FILE_UPLOAD_MAX_MEMORY_SIZE: streamed to a file
    response = client.post(
        reverse("awards-evidence-upload", args=[proposal.pk]), {"file": SimpleUploadedFile("lon.pdf", big)}
    )
    assert response.status_code == 302
    assert seen[0].parent == Path(folders.PHOMINH_UPLOAD_TEMP_DIR) and ".upload" in seen[0].name
    assert not seen[0].exists()  # removed at the end of the request
    assert Path(proposal.evidence.get().file.path).read_bytes() == big


def test_the_sweep_removes_what_a_killed_worker_left_an_hour_ago(proposal, leader, folders):
    kept = services.add_evidence(proposal=proposal, user=leader, upload=SimpleUploadedFile("a.pdf", PDF))
    kept_path = age(Path(kept.file.path), minutes=300)
    root = Path(folders.EVIDENCE_ROOT)
    temp = Path(folders.PHOMINH_UPLOAD_TEMP_DIR)
    (root / "2024").mkdir(parents=True, exist_ok=True)
    (root / evidence_files.STAGING).mkdir(parents=True, exist_ok=True)
    temp.mkdir(parents=True, exist_ok=True)
    orphan = root / "2024" / ("a" * 32 + ".pdf")
    staged = root / evidence_files.STAGING / ("b" * 32 + ".part")
    buffered = temp / "tmpk1ll3d.upload.pdf"
    young_orphan = root / "2024" / ("c" * 32 + ".pdf")
    foreign = temp / "ghi-chu.txt"
    for path in [orphan, staged, buffered, young_orphan, foreign]:
        path.write_bytes(PDF)
    for path in [orphan, staged, buffered, foreign]:
        age(path, minutes=61)
    age(young_orphan, minutes=50)  # may be an upload committing right now

    call_command("clean_uploads", "--dry-run")
    assert orphan.exists() and staged.exists() and buffered.exists()

    call_command("clean_uploads", "--minutes", "5")  # never less than an hour
    assert not orphan.exists() and not staged.exists() and not buffered.exists()
    assert young_orphan.exists() and foreign.exists() and kept_path.exists()
    assert EvidenceFile.objects.get().file.name == kept.file.name


def test_the_sweep_reports_what_it_removed(folders, capsys):
    folder = Path(folders.EVIDENCE_ROOT) / "2024"
    folder.mkdir(parents=True)
    orphan = folder / ("d" * 32 + ".png")
    orphan.write_bytes(PDF)
    age(orphan, minutes=120)
    call_command("clean_uploads")
    out = capsys.readouterr().out
    assert str(orphan) in out
    assert (
        "Đã xóa 1 tệp minh chứng không có trong cơ sở dữ liệu, 0 tệp đang ghi dở, 0 tệp tải lên tạm." in out
    )


def test_the_sweep_never_touches_the_systems_temporary_folder(folders, tmp_path, monkeypatch):
    """Were PHOMINH_UPLOAD_TEMP_DIR set to the system's folder, other programs' files stay."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    stray = tmp_path / "tmp" / "tmpxyz.upload.pdf"
    stray.write_bytes(PDF)
    age(stray, minutes=120)
    assert evidence_files.find_orphans().temporary == []
