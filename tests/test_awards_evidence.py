"""Evidence files: PDF, JPEG or PNG judged by their content, a size limit, random names outside the web
root, and served only to the proposing unit's people, the office, leadership and council members."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import services
from awards.models import EvidenceFile, Proposal

from .test_awards_factories import office_user, title, unit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.EVIDENCE_MAX_BYTES = 2048
    return settings.EVIDENCE_ROOT


@pytest.fixture
def people(demo, make_user):
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("VH-XH")]),
        "office": office_user(),
        "leadership": make_user("leadership"),
        "council": make_user("council"),
        "admin": make_user("admin", is_staff=True),
        "norole": make_user(None),
    }


@pytest.fixture
def proposal(plan, people):
    return services.create_proposal(
        plan=plan,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=people["leader"],
        nominee_name="Trương Văn Minh Chứng",
        achievements="Gia đình gương mẫu.",
    )


def upload(client, proposal, name: str, content: bytes):
    client.post(
        reverse("awards-evidence-upload", args=[proposal.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "Biên bản bình xét của tổ"},
    )


def test_accepted_files_are_stored_under_random_names_outside_the_web_root(
    client, people, proposal, evidence_root
):
    client.force_login(people["leader"])
    for name, content in [("bien-ban.pdf", PDF), ("anh.PNG", PNG), ("giay-khen.jpeg", JPEG)]:
        upload(client, proposal, name, content)
    files = list(proposal.evidence.order_by("pk"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("bien-ban.pdf", "application/pdf"),
        ("anh.PNG", "image/png"),
        ("giay-khen.jpeg", "image/jpeg"),
    ]
    for f in files:
        path = Path(f.file.path)
        assert path.is_relative_to(evidence_root) and path.read_bytes()[:4] in (PDF[:4], PNG[:4], JPEG[:4])
        assert f.original_name.split(".")[0] not in path.name and len(path.stem) == 32
    static_dirs = [Path(settings.STATIC_ROOT)] + [Path(d) for d in settings.STATICFILES_DIRS]
    assert not any(Path(settings.EVIDENCE_ROOT).is_relative_to(d) for d in static_dirs)
    # No URL serves the storage directly.
    relative = os.path.relpath(files[0].file.path, settings.MEDIA_ROOT)
    assert client.get(f"/media/{relative}").status_code == 404
    assert client.get("/" + files[0].file.name).status_code == 404


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        ("trang.html", b"<html><script>alert(1)</script>", "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
        ("gia.pdf", b"<html><script>alert(1)</script>", "Nội dung tệp không phải"),
        ("doi-ten.pdf", PNG, "Nội dung tệp không phải"),
        ("anh.png", b"GIF89a" + b"\x00" * 20, "Nội dung tệp không phải"),
        ("lon.pdf", PDF + b"x" * 4096, "Tệp quá lớn"),
        ("rong.pdf", b"", "Chưa chọn tệp"),
    ],
)
def test_refused_types_and_sizes(client, people, proposal, evidence_root, name, content, message):
    client.force_login(people["leader"])
    response = client.post(
        reverse("awards-evidence-upload", args=[proposal.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not proposal.evidence.exists()
    assert not evidence_root.exists() or not any(p.is_file() for p in evidence_root.rglob("*"))


def test_evidence_is_served_only_to_the_allowed_roles(client, people, proposal, plan):
    client.force_login(people["leader"])
    upload(client, proposal, "bien-ban.pdf", PDF)
    evidence = proposal.evidence.get()
    url = reverse("awards-evidence", args=[proposal.pk, evidence.pk])

    def status(who):
        client.force_login(people[who])
        return client.get(url).status_code

    # A draft: only the unit's own people.
    assert status("leader") == 200
    assert {w: status(w) for w in ["other_leader", "official", "office", "council", "admin"]} == {
        "other_leader": 404,
        "official": 404,
        "office": 404,
        "council": 404,
        "admin": 404,
    }
    services.submit_proposal(proposal=proposal, user=people["leader"])
    assert status("office") == 200 and status("leadership") == 200
    assert status("council") == 404  # not yet before the council
    assert status("admin") == 403  # sees the list, never the files
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.FORWARDED, office_eligible=True)
    assert status("council") == 200
    assert status("other_leader") == 404 and status("official") == 404 and status("norole") == 403
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(people["leader"])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert (
        "attachment" in response["Content-Disposition"] and "bien-ban.pdf" in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"


def test_evidence_of_another_proposal_is_not_reachable_through_mine(client, people, proposal, plan):
    client.force_login(people["leader"])
    upload(client, proposal, "bien-ban.pdf", PDF)
    evidence = proposal.evidence.get()
    mine = services.create_proposal(
        plan=plan,
        unit=unit("TDP-02"),
        title=title("GDVH"),
        user=people["other_leader"],
        nominee_name="Người Tổ Hai",
        achievements="x",
    )
    client.force_login(people["other_leader"])
    assert client.get(reverse("awards-evidence", args=[mine.pk, evidence.pk])).status_code == 404


def test_evidence_is_fixed_once_sent_and_removed_with_its_file(
    client, people, proposal, django_capture_on_commit_callbacks
):
    client.force_login(people["leader"])
    upload(client, proposal, "bien-ban.pdf", PDF)
    evidence = proposal.evidence.get()
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("awards-evidence-delete", args=[proposal.pk, evidence.pk]))
    assert not EvidenceFile.objects.exists() and not path.exists()
    upload(client, proposal, "bien-ban.pdf", PDF)
    services.submit_proposal(proposal=proposal, user=people["leader"])
    evidence = proposal.evidence.get()
    assert client.post(reverse("awards-evidence-delete", args=[proposal.pk, evidence.pk])).status_code == 403
    assert (
        client.post(
            reverse("awards-evidence-upload", args=[proposal.pk]), {"file": SimpleUploadedFile("b.pdf", PDF)}
        ).status_code
        == 403
    )
    assert proposal.evidence.count() == 1
