"""Markup typed into text fields is shown as text everywhere: pages, history and PDFs."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.models import Covenant
from indicators.models import DataElement, Report

from .pledging import group_pledge, open_window, pledge_url
from .reporting import comment, entry_url, group_payload, open_quarter, shown_version, unit

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;x&lt;/b&gt;"]


def assert_shown_as_text(html: str, where: str) -> None:
    assert SCRIPT not in html and BOLD not in html, where
    for escaped in ESCAPED:
        assert escaped in html, (where, escaped)


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    open_window(demo)
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "leader7": make_user("group_leader", units=[unit("TDP-07")]),
        "office": make_user("office", units=[unit("VP-TK")]),
    }


def test_comments_and_return_reasons(client, people):
    client.force_login(people["leader"])
    data = comment(comment(group_payload(0), "SO_HO", SCRIPT), "DAN_SO", BOLD)
    assert client.post(entry_url("TDP-01"), data | {"action": "submit"}).status_code == 302
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).status == Report.Status.SUBMITTED

    client.force_login(people["office"])
    response = client.post(
        entry_url("TDP-01", name="report-return"),
        {"reason": f"{SCRIPT} {BOLD}", "version": shown_version("TDP-01")},
    )
    assert response.status_code == 302
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.return_reason == f"{SCRIPT} {BOLD}"  # stored as typed, escaped when shown

    client.force_login(people["leader"])
    assert_shown_as_text(client.get(entry_url("TDP-01")).content.decode(), "entry page")
    assert_shown_as_text(client.get(entry_url("TDP-01", name="report-history")).content.decode(), "history")
    so_ho = DataElement.objects.get(code="SO_HO")
    history = client.get(reverse("value-history", args=[2024, 4, "TDP-01", so_ho.code])).content.decode()
    assert SCRIPT not in history and ESCAPED[0] in history


def test_pledge_commitments(client, people):
    client.force_login(people["leader7"])
    data = group_pledge(0, XH_09b="95") | {"other": f"{SCRIPT}\n{BOLD}", "households": BOLD}
    assert client.post(pledge_url("TDP-07"), data | {"action": "submit"}).status_code == 302
    assert_shown_as_text(client.get(pledge_url("TDP-07")).content.decode(), "pledge page (leader)")
    client.force_login(people["office"])
    assert_shown_as_text(client.get(pledge_url("TDP-07")).content.decode(), "pledge page (office)")


def test_covenants_and_their_pdf(client, people):
    client.force_login(people["leader"])
    response = client.post(
        reverse("covenant-create"),
        {
            "title": f"Giao ước {BOLD}",
            "text": f"Cùng thi đua. {SCRIPT}",
            "lead_unit": unit("TDP-01").pk,
            "members": [unit("TDP-01").pk, unit("TDP-02").pk],
            "other": BOLD,
        },
    )
    assert response.status_code == 302
    covenant = Covenant.objects.get(title=f"Giao ước {BOLD}")
    assert_shown_as_text(
        client.get(reverse("covenant-detail", args=[covenant.pk])).content.decode(), "covenant page"
    )
    listing = client.get(reverse("covenant-list")).content.decode()
    assert BOLD not in listing and ESCAPED[1] in listing

    response = client.get(reverse("covenant-pdf", args=[covenant.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    # The markup is printed as the characters typed, not rendered (no bold "x", no vanished script).
    assert SCRIPT in text and BOLD in text
    assert re.sub(r"\s+", "", f"Cùng thi đua. {SCRIPT}") in text
