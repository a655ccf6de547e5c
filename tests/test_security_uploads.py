"""A large or anonymous upload is refused from its headers, before the body is read (issue 14, item 15)."""

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT
from django.urls import reverse

from awards import services

from .test_awards_factories import title, unit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class WatchedBody:
    """A request body that records how much of it anybody read."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        chunk = b"x" * (self.size - self.read_bytes if size < 0 else min(size, self.size - self.read_bytes))
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def post(client, url: str, *, size: int, content_type: str = MULTIPART_CONTENT):
    body = WatchedBody(size)
    response = client.generic(
        "POST", url, CONTENT_TYPE=content_type, CONTENT_LENGTH=str(size), **{"wsgi.input": body}
    )
    return response, body


@pytest.fixture
def leader(make_user):
    return make_user("group_leader", units=[unit("TDP-01")])


@pytest.fixture
def upload_url(plan, leader):
    proposal = services.create_proposal(
        plan=plan,
        unit=unit("TDP-01"),
        title=title("GDVH"),
        user=leader,
        nominee_name="Hộ Nguyễn Văn A",
        achievements="Gia đình gương mẫu.",
    )
    return reverse("awards-evidence-upload", args=[proposal.pk])


def test_an_anonymous_30_mb_upload_is_refused_unread(client, upload_url):
    response, body = post(client, upload_url, size=30 * MB)
    assert response.status_code == 413 and body.read_bytes == 0
    assert response["Content-Type"].startswith("text/plain") and "quá lớn" in response.content.decode()


def test_an_oversized_upload_is_refused_unread_even_when_signed_in(client, upload_url, leader, settings):
    client.force_login(leader)
    response, body = post(client, upload_url, size=settings.PHOMINH_MAX_UPLOAD_BYTES + 1)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "tối đa 11 MB" in response.content.decode()


@pytest.mark.parametrize(
    "content_type", [MULTIPART_CONTENT, "application/x-www-form-urlencoded", "application/json"]
)
def test_nobody_signed_in_posts_more_than_a_login_form(client, content_type, settings):
    for url in [reverse("login"), reverse("admin:login"), reverse("home")]:
        response, body = post(
            client, url, size=settings.PHOMINH_ANONYMOUS_MAX_BYTES + 1, content_type=content_type
        )
        assert response.status_code == 413 and body.read_bytes == 0, url
        assert "Cần đăng nhập" in response.content.decode()


def test_a_session_cookie_that_names_nobody_counts_as_anonymous(client, upload_url):
    client.cookies["sessionid"] = "khong-ton-tai-0123456789abcdef"
    response, body = post(client, upload_url, size=2 * MB)
    assert response.status_code == 413 and body.read_bytes == 0


def test_a_signed_in_upload_within_the_limit_is_read(client, upload_url, leader):
    """The guard lets it through: the body reaches Django's parser (and the view refuses the junk)."""
    client.force_login(leader)
    response, body = post(
        client, upload_url, size=2 * MB, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code != 413 and body.read_bytes > 0


def test_the_login_still_works(client, demo):
    from .conftest import DEMO_PASSWORD

    response = client.post(reverse("login"), {"username": "totruong1", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_upload_sizes_are_capped_in_the_settings(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 1 * MB
    assert (
        settings.PHOMINH_MAX_UPLOAD_BYTES
        == max(settings.EVIDENCE_MAX_BYTES, settings.EXCEL_UPLOAD_MAX_BYTES) + MB
    )
    assert settings.MIDDLEWARE.index("phominh.middleware.UploadGuardMiddleware") == (
        settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )
