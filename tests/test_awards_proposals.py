"""Proposals through the pages: a unit proposes for itself only, the office returns or checks and
forwards, the overview counts by title and status, the Excel export, titles edited by the office."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import voting
from awards.models import AgendaItem, CouncilSession, Proposal, Title
from campaigns.models import Pledge
from indicators.models import ActionLog

from .test_awards_factories import council_of, office_user, title, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo, make_user):
    Proposal.objects.filter(unit__code="TDP-01").delete()  # the demo's own, to start clean
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "other_leader": make_user("group_leader", units=[unit("TDP-02")]),
        "official": make_user("official", units=[unit("TC-KT")]),
        "office": office_user(),
        "leadership": make_user("leadership"),
        "council": make_user("council"),
    }


def create(client, user, **fields):
    client.force_login(user)
    data = {"unit": unit("TDP-01").pk, "title": title("GDVH").pk, "nominee_name": "", "nominee_position": ""}
    data |= {"achievements": "Gia đình gương mẫu, tích cực tham gia phong trào."} | fields
    return client.post(reverse("awards-proposal-create"), data)


def test_a_group_leader_proposes_for_his_own_group_only(client, people):
    response = create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards-proposal", args=[proposal.pk]
    )
    assert proposal.unit.code == "TDP-01" and proposal.status == Proposal.Status.DRAFT
    # Another group's id, posted: as if it did not exist.
    assert (
        create(client, people["leader"], unit=unit("TDP-02").pk, nominee_name="Hộ Tổ Hai").status_code == 404
    )
    assert create(client, people["leader"], unit="abc", nominee_name="Hộ Tổ Hai").status_code == 404
    assert not Proposal.objects.filter(nominee_name="Hộ Tổ Hai").exists()
    assert client.get(reverse("awards-proposal-create") + "?don-vi=TDP-02").status_code == 404
    # Another group's proposal, by URL.
    client.force_login(people["other_leader"])
    for name in ["awards-proposal", "awards-proposal-edit"]:
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 404
    assert client.post(reverse("awards-proposal-submit", args=[proposal.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    # Roles that do not propose.
    for who in ["leadership", "council"]:
        client.force_login(people[who])
        assert client.get(reverse("awards-proposal-create")).status_code == 403


def test_the_owner_edits_his_draft_and_the_change_is_saved(client, people):
    """The edit page posts no unit (the field is locked): the proposal keeps its unit, the new figures
    are saved, the version moves on and the change is audited. Another group's leader cannot edit it."""
    create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    url = reverse("awards-proposal-edit", args=[proposal.pk])
    data = {
        "title": title("GDVH").pk,
        "nominee_name": "Huỳnh Văn Hai",
        "nominee_position": "Số 5, tổ dân phố 1",
        "achievements": "Nuôi con học giỏi, giữ vườn sạch.",
        "version": proposal.version,
    }
    client.force_login(people["other_leader"])
    assert client.post(url, data).status_code == 404
    proposal.refresh_from_db()
    assert proposal.nominee_name == "Huỳnh Văn Một"

    client.force_login(people["leader"])
    page = client.get(url).content.decode()
    assert 'name="unit"' in page and "disabled" in page
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("awards-proposal", args=[proposal.pk])
    proposal.refresh_from_db()
    assert (proposal.nominee_name, proposal.nominee_position) == ("Huỳnh Văn Hai", "Số 5, tổ dân phố 1")
    assert proposal.achievements == "Nuôi con học giỏi, giữ vườn sạch." and proposal.unit.code == "TDP-01"
    assert proposal.version == data["version"] + 1
    assert ActionLog.objects.filter(action="awards.proposal.edited", object_id=proposal.pk).exists()
    # A unit posted anyway (another group's) changes nothing: the locked field keeps the proposal's.
    data |= {"version": proposal.version, "unit": unit("TDP-02").pk, "nominee_name": "Huỳnh Văn Ba"}
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.unit.code == "TDP-01" and proposal.nominee_name == "Huỳnh Văn Ba"
    # The page posted twice from the same copy: the second is a conflict, not a silent overwrite.
    response = client.post(url, data | {"nominee_name": "Huỳnh Văn Tư"})
    assert response.status_code == 409 and "vừa được người khác cập nhật" in response.content.decode()
    assert 'value="Huỳnh Văn Tư"' in response.content.decode()  # what he typed, kept
    proposal.refresh_from_db()
    assert proposal.nominee_name == "Huỳnh Văn Ba"


def test_the_title_decides_what_may_be_proposed(client, people):
    response = create(client, people["leader"], nominee_name="")
    assert response.status_code == 200 and "Phải ghi tên chủ hộ" in response.content.decode()
    assert not Proposal.objects.filter(unit__code="TDP-01", title__code="GDVH", nominee_name="").exists()
    create(client, people["official"], unit=unit("TC-KT").pk, title=title("TDPVH").pk)
    assert not Proposal.objects.filter(unit__code="TC-KT").exists()  # only a residential group
    create(client, people["leader"], title=title("TDPVH").pk, nominee_name="Ai Đó")
    group = Proposal.objects.get(unit__code="TDP-01", title__code="TDPVH")
    assert group.nominee_name == "" and group.nominee == "Tổ dân phố 1"
    response = create(client, people["leader"], title=title("TDPVH").pk)
    assert "đã có đề nghị" in response.content.decode()


def test_return_then_check_then_forward(client, people, plan):
    create(client, people["leader"], title=title("TDPVH").pk)
    proposal = Proposal.objects.get(unit__code="TDP-01", title__code="TDPVH")
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    client.force_login(people["office"])
    index = client.get(reverse("awards-index")).content.decode()
    assert 'data-testid="waiting"' in index and f'data-proposal="{proposal.pk}"' in index
    client.post(reverse("awards-proposal-return", args=[proposal.pk]), {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    client.post(reverse("awards-proposal-return", args=[proposal.pk]), {"reason": "Thiếu biên bản họp tổ"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    client.force_login(people["leader"])
    page = client.get(reverse("awards-proposal", args=[proposal.pk])).content.decode()
    assert "Thiếu biên bản họp tổ" in page
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    # Not registered for the title: the office is told why it cannot find it eligible.
    Pledge.objects.filter(plan=plan, unit=proposal.unit).delete()
    client.force_login(people["office"])
    response = client.post(
        reverse("awards-proposal-check", args=[proposal.pk]), {"eligible": "1"}, follow=True
    )
    assert "Chưa thể kết luận đủ điều kiện" in response.content.decode()
    Pledge.objects.create(
        plan=plan, unit=proposal.unit, collective_title=title("TDPVH"), status="acknowledged"
    )
    Title.objects.filter(code="TDPVH").update(requires_pledge_kept=False)  # figures are another test
    client.post(reverse("awards-proposal-check", args=[proposal.pk]), {"eligible": "1", "note": "Đủ hồ sơ"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CHECKED and proposal.office_eligible is True
    council, members = council_of(3)
    session = voting.create_session(
        council=council, plan=plan, name="Phiên 1", held_on=plan.issued_on, user=people["office"]
    )
    client.post(reverse("awards-proposal-forward", args=[proposal.pk]), {"session": session.pk})
    proposal.refresh_from_db()
    assert (
        proposal.status == Proposal.Status.FORWARDED
        and AgendaItem.objects.get(proposal=proposal).session == session
    )
    client.post(reverse("awards-proposal-withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert (
        proposal.status == Proposal.Status.CHECKED
        and not AgendaItem.objects.filter(proposal=proposal).exists()
    )
    actions = list(
        ActionLog.objects.filter(content_type__model="proposal", object_id=proposal.pk)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "awards.proposal.created",
        "awards.proposal.submitted",
        "awards.proposal.returned",
        "awards.proposal.submitted",
        "awards.proposal.checked",
        "awards.proposal.forwarded",
        "awards.proposal.withdrawn",
    ]


def test_the_office_does_not_check_what_it_sent_in_itself(client, people, plan):
    client.force_login(people["office"])
    client.post(
        reverse("awards-proposal-create"),
        {
            "unit": unit("VP-TK").pk,
            "title": title("GK-CT").pk,
            "nominee_name": "Nguyễn Thị Hoa",
            "achievements": "x",
        },
    )
    proposal = Proposal.objects.get(nominee_name="Nguyễn Thị Hoa")
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    assert (
        client.post(reverse("awards-proposal-check", args=[proposal.pk]), {"eligible": "1"}).status_code
        == 403
    )
    assert (
        client.post(reverse("awards-proposal-return", args=[proposal.pk]), {"reason": "x"}).status_code == 403
    )


def test_who_sees_which_proposals(client, people, plan):
    create(client, people["leader"], nominee_name="Hộ Bản Nháp")
    draft = Proposal.objects.get(nominee_name="Hộ Bản Nháp")
    forwarded = Proposal.objects.filter(status="submitted").first()
    Proposal.objects.filter(pk=forwarded.pk).update(status="forwarded", office_eligible=True)

    def visible(who):
        client.force_login(people[who])
        html = client.get(reverse("awards-index")).content.decode()
        return {p for p in (draft.pk, forwarded.pk) if f'data-proposal="{p}"' in html}

    assert visible("leader") == {draft.pk}
    assert visible("office") == {forwarded.pk}  # a unit's draft is its own working copy
    assert visible("council") == {forwarded.pk}
    assert visible("other_leader") == set()


def test_overview_counts_by_title_and_status_with_few_queries(client, people, django_assert_max_num_queries):
    client.force_login(people["office"])
    # 12, the navbar's count of unread notifications and the ward's identity (brand, title, footer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("awards-index"))
    counts = {row.title.code: row.total for row in response.context["counts"]}
    assert counts["LDTT"] == Proposal.objects.filter(title__code="LDTT").exclude(status="draft").count()
    filtered = client.get(reverse("awards-index"), {"title": title("CSTDCS").pk}).context["proposals"]
    assert {p.title.code for p in filtered} == {"CSTDCS"}


def test_excel_export_writes_text_that_excel_cannot_run(client, people):
    create(
        client,
        people["leader"],
        nominee_name='=HYPERLINK("http://x.invalid","Bấm")',
        nominee_position="+84 905 000 000",
        achievements="@SUM(1+1)\n-2+3",
    )
    proposal = Proposal.objects.get(nominee_position="+84 905 000 000")
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    client.force_login(people["office"])
    response = client.get(reverse("awards-export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ['=HYPERLINK("http://x.invalid","Bấm")', "+84 905 000 000", "@SUM(1+1)\n-2+3"]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert "Tổ dân phố 1" in cells and "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024" in cells
    # The group leader's export holds only his own group's proposals.
    client.force_login(people["other_leader"])
    ws = load_workbook(io.BytesIO(client.get(reverse("awards-export")).content)).active
    assert not any("HYPERLINK" in str(c.value) for row in ws.iter_rows() for c in row)


def test_registry_export_and_unit_history(client, people):
    client.force_login(people["leader"])
    html = client.get(reverse("awards-unit", args=["TDP-01"])).content.decode()
    assert 'data-testid="history-2023"' in html and "Tổ dân phố văn hóa" in html and "198/QĐ-UBND" in html
    assert client.get(reverse("awards-unit", args=["TDP-02"])).status_code == 404
    ws = load_workbook(io.BytesIO(client.get(reverse("awards-registry-export")).content)).active
    units = {row[5] for row in ws.iter_rows(min_row=5, values_only=True)}
    assert units == {"Tổ dân phố 1"}
    client.force_login(people["office"])
    ws = load_workbook(
        io.BytesIO(client.get(reverse("awards-registry-export"), {"nam": "2023"}).content)
    ).active
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert rows and {r[1] for r in rows} == {2023}


def test_titles_are_data_the_office_edits_with_an_audit_trail(client, people):
    cstd = title("CSTDCS")
    client.force_login(people["leadership"])
    assert client.get(reverse("awards-titles")).status_code == 200
    assert client.get(reverse("awards-title-edit", args=[cstd.pk])).status_code == 403
    client.force_login(people["office"])
    form = client.get(reverse("awards-title-edit", args=[cstd.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"quota_percent": "20", "vote_threshold_percent": "90", "prerequisite": cstd.prerequisite_id}
    data["quota_base"] = cstd.quota_base_id
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(reverse("awards-title-edit", args=[cstd.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    cstd.refresh_from_db()
    assert (cstd.quota_percent, cstd.vote_threshold_percent) == (20, 90)
    entry = ActionLog.objects.get(action="awards.title.changed")
    assert entry.data["changes"]["quota_percent"] == {"old": "15.00", "new": "20"}
    assert entry.user == people["office"]


def test_the_session_pages_are_for_the_office_the_council_and_leadership(client, people, plan):
    council, members = council_of(3)
    session = voting.create_session(
        council=council, plan=plan, name="Phiên 2", held_on=plan.issued_on, user=people["office"]
    )
    for who, expected in [
        ("office", 200),
        ("leadership", 200),
        ("council", 200),
        ("leader", 403),
        ("official", 403),
    ]:
        client.force_login(people[who])
        assert client.get(reverse("awards-session", args=[session.pk])).status_code == expected, who
    assert CouncilSession.objects.get(pk=session.pk).attendance.count() == 3


# A refused post of someone who was allowed to see the form answers it again, the reason above it and
# what he typed kept (issue 14, item 10); anyone else's stays a plain 403/404.


def edit_data(proposal, **fields) -> dict:
    return {
        "title": title("GDVH").pk,
        "nominee_name": "Huỳnh Văn Hai",
        "nominee_position": "Số 9, tổ dân phố 1",
        "achievements": "Trồng hàng rào xanh dọc ngõ 3.",
        "version": proposal.version,
    } | fields


def test_a_colleague_sends_the_proposal_while_the_leader_edits_it(client, people, make_user):
    create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    url = reverse("awards-proposal-edit", args=[proposal.pk])
    assert client.get(url).status_code == 200  # his page is open
    colleague = make_user("group_leader", units=[unit("TDP-01")])
    client.force_login(colleague)
    assert client.post(reverse("awards-proposal-submit", args=[proposal.pk])).status_code == 302
    client.force_login(people["leader"])
    response = client.post(url, edit_data(proposal))
    assert response.status_code == 403
    html = response.content.decode()
    assert "CHƯA được lưu" in html and "Đã gửi" in html
    assert html.index("CHƯA được lưu") < html.index('data-testid="proposal-form"')
    assert 'value="Huỳnh Văn Hai"' in html and 'value="Số 9, tổ dân phố 1"' in html
    assert "Trồng hàng rào xanh dọc ngõ 3." in html
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.nominee_name == "Huỳnh Văn Một"
    # Sending it again from his old page: the proposal page with the reason, not a bare 403.
    response = client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    assert response.status_code == 403 and "chỉ sửa được đề nghị đang soạn" in response.content.decode()


def test_a_stale_edit_keeps_the_typed_values_and_saves_on_the_second_try(client, people):
    create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    url = reverse("awards-proposal-edit", args=[proposal.pk])
    old = edit_data(proposal)
    assert client.post(url, edit_data(proposal, nominee_name="Huỳnh Văn Ba")).status_code == 302
    response = client.post(url, old)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="Huỳnh Văn Hai"' in html and "Trồng hàng rào xanh dọc ngõ 3." in html
    proposal.refresh_from_db()
    assert f'name="version" value="{proposal.version}"' in html
    assert client.post(url, old | {"version": proposal.version}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.nominee_name == "Huỳnh Văn Hai"


def test_edits_of_someone_outside_the_unit_stay_plain_refusals(client, people):
    create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    url = reverse("awards-proposal-edit", args=[proposal.pk])
    client.force_login(people["office"])
    response = client.post(url, edit_data(proposal))
    assert response.status_code == 403 and 'data-testid="proposal-form"' not in response.content.decode()
    client.force_login(people["other_leader"])
    assert client.post(url, edit_data(proposal)).status_code == 404


def test_the_office_returns_a_proposal_already_returned_meanwhile(client, people):
    create(client, people["leader"], nominee_name="Huỳnh Văn Một")
    proposal = Proposal.objects.get(nominee_name="Huỳnh Văn Một")
    client.post(reverse("awards-proposal-submit", args=[proposal.pk]))
    client.force_login(people["office"])
    client.post(reverse("awards-proposal-return", args=[proposal.pk]), {"reason": "Thiếu minh chứng"})
    response = client.post(
        reverse("awards-proposal-return", args=[proposal.pk]), {"reason": "Ghi lại địa chỉ"}
    )
    assert response.status_code == 409
    assert "Ghi lại địa chỉ" in response.content.decode()  # the reason typed, not lost
    proposal.refresh_from_db()
    assert proposal.return_reason == "Thiếu minh chứng"


def _checked_results(page: str) -> list[str]:
    import re

    return [
        m.group(1)
        for m in re.finditer(r'<input[^>]*name="eligible" value="(\d)"[^>]*>', page)
        if "checked" in m.group(0)
    ]


def test_the_office_check_starts_with_no_result_chosen(client, people):
    """Issue 16: an unread proposal is never one click from "Đủ hồ sơ, đủ điều kiện"."""
    proposal = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).first()
    assert proposal.office_eligible is None
    client.force_login(people["office"])
    url = reverse("awards-proposal", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert "Đủ hồ sơ, đủ điều kiện" in page
    assert _checked_results(page) == []
    # Sent without a choice: refused, the office is told to choose.
    response = client.post(reverse("awards-proposal-check", args=[proposal.pk]), {"note": "Chưa xem"})
    assert response.status_code == 400 and "Phải chọn kết quả kiểm tra." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.office_eligible is None
    # Once a result is recorded, the page shows that one.
    client.post(
        reverse("awards-proposal-check", args=[proposal.pk]), {"eligible": "0", "note": "Thiếu hồ sơ"}
    )
    proposal.refresh_from_db()
    assert proposal.office_eligible is False
    assert _checked_results(client.get(url).content.decode()) == ["0"]
