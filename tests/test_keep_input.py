"""The forms whose input static/js/keep-input.js keeps in the browser until saved (issue 16): each is
marked with its user and object, a form answered again unsaved says so, a read-only page keeps nothing,
and the texts the script shows come from the page (translated there)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from awards import voting
from awards.models import Proposal

from .pledging import open_window, pledge_url
from .reporting import entry_url, group_payload, open_quarter, unit
from .test_awards_factories import checked_proposal, council_of, office_user, posted, session_for, title

pytestmark = pytest.mark.django_db


def kept_forms(html: str) -> list[str]:
    """The opening tags of the kept forms on a page."""
    return re.findall(r"<form [^>]*data-keep-input=[^>]*>", html)


def key_of(tag: str) -> str:
    return re.search(r'data-keep-input="([^"]+)"', tag).group(1)


def assert_texts(html: str) -> None:
    assert html.count('id="keep-input-template"') == 1
    assert 'data-text="Khôi phục số liệu chưa lưu, nhập lúc {time}?"' in html
    assert ">Khôi phục</button>" in html and ">Bỏ</button>" in html
    assert "Không gửi được: mất kết nối mạng. Số liệu vẫn được giữ trên máy này" in html


def test_the_entry_form_is_kept_per_user_and_report_and_marked_when_answered_unsaved(client, demo, make_user):
    open_quarter(demo)
    leader = make_user("group_leader", units=[unit("TDP-01")])
    client.force_login(leader)
    html = client.get(entry_url("TDP-01")).content.decode()
    [tag] = kept_forms(html)
    assert key_of(tag) == f"u{leader.pk}:report:TDP-01:2024-q4"
    assert "data-keep-input-unsaved" not in tag
    assert_texts(html)
    # The version the page showed goes with the draft: it is the form's hidden input.
    assert re.search(r'<input type="hidden" name="version" value="0"', html)

    response = client.post(entry_url("TDP-01"), group_payload(0, HO_NGHEO="2.5") | {"action": "save"})
    assert response.status_code == 400
    [tag] = kept_forms(response.content.decode())
    assert "data-keep-input-unsaved" in tag

    # The flag the script posts with a kept form changes nothing in the save.
    payload = group_payload(0) | {"action": "save", "keep_input": "1"}
    assert client.post(entry_url("TDP-01"), payload).status_code == 302


def test_a_read_only_entry_page_keeps_nothing(client, demo, make_user):
    open_quarter(demo)
    client.force_login(make_user("council"))
    html = client.get(entry_url("TDP-01")).content.decode()
    assert kept_forms(html) == [] and "keep-input-template" not in html


def test_pledge_and_proposal_forms_are_kept(client, demo, make_user):
    open_window(demo)
    leader = make_user("group_leader", units=[unit("TDP-07")])
    client.force_login(leader)
    html = client.get(pledge_url("TDP-07")).content.decode()
    [tag] = kept_forms(html)
    assert key_of(tag) == f"u{leader.pk}:pledge:2024:TDP-07"
    assert_texts(html)

    html = client.get(reverse("awards-proposal-create")).content.decode()
    [tag] = kept_forms(html)
    assert key_of(tag) == f"u{leader.pk}:proposal:new-2024"
    assert_texts(html)
    proposal = Proposal.objects.create(
        plan=demo,
        unit=unit("TDP-07"),
        title=title("GDVH"),
        nominee_name="Hộ ông Trần Văn Ba",
        achievements="Gia đình gương mẫu.",
        created_by=leader,
    )
    response = client.post(reverse("awards-proposal-edit", args=[proposal.pk]), {"version": "x"})
    [tag] = kept_forms(response.content.decode())
    assert key_of(tag) == f"u{leader.pk}:proposal:{proposal.pk}" and "data-keep-input-unsaved" in tag


def test_posting_comments_and_the_ballot_are_kept_the_ballot_in_the_tab_only(client, demo):
    proposal = checked_proposal(demo, unit_code="TDP-01", title_code="GDVH", name="Hộ bà Lê Thị Hoa")
    posting = posted(demo, [proposal], on=date(2024, 12, 1))
    office = office_user()
    client.force_login(office)
    html = client.get(reverse("awards-posting", args=[posting.pk])).content.decode()
    [tag] = kept_forms(html)
    assert key_of(tag) == f"u{office.pk}:posting-comment:{posting.pk}"
    assert_texts(html)

    council, members = council_of(3)
    session = session_for(
        demo, council, [checked_proposal(demo, unit_code="VH-XH", title_code="LDTT")], present=members
    )
    voting.open_voting(session=session, user=office)
    client.force_login(members[0])
    html = client.get(reverse("awards-session", args=[session.pk])).content.decode()
    [tag] = kept_forms(html)
    assert key_of(tag) == f"u{members[0].pk}:ballot:{session.pk}"
    # A secret ballot is never written to a shared computer's disk: kept for this tab only.
    assert 'data-keep-input-storage="session"' in tag
    assert_texts(html)
