"""Entering a quarter: the form, saving drafts, validation next to the field, submission."""

import re

import pytest

from indicators.models import DataElement, Report, ReportedValue, ValueChange

from .reporting import comment, entry_url, group_payload, open_quarter, unit, value_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(demo, make_user):
    open_quarter(demo)
    return make_user("group_leader", units=[unit("TDP-01")])


def test_form_lists_exactly_the_groups_elements_with_last_quarter(client, leader):
    client.force_login(leader)
    response = client.get(entry_url("TDP-01"))
    assert response.status_code == 200
    html = response.content.decode()
    elements = set(unit("TDP-01").assignments.values_list("element__code", flat=True))
    rows = set(__import__("re").findall(r'data-element="([A-Z_0-9]+)"', html))
    assert rows == elements
    q3_households = ReportedValue.objects.get(
        report__unit__code="TDP-01", report__period__quarter=3, element__code="SO_HO"
    )
    assert f"{int(q3_households.value):,}".replace(",", ".") in html
    assert "Lĩnh vực kinh tế" in html and "Lĩnh vực xã hội" in html
    assert "XH-03" in html  # the target a figure feeds


def test_save_draft_reads_vietnamese_numbers_and_audits(client, leader):
    client.force_login(leader)
    response = client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    assert response.status_code == 302
    assert value_of("TDP-01", "DAN_SO") == 2400
    assert value_of("TDP-01", "DAN_VIT") == 1900
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.DRAFT and report.version == 1
    change = ValueChange.objects.get(report=report, element__code="DAN_SO")
    assert (change.old_value, change.new_value, change.user, change.source) == (None, 2400, leader, "form")
    page = client.get(entry_url("TDP-01")).content.decode()
    assert 'value="2.400"' in page  # shown back as it was read


def test_bad_number_is_refused_next_to_its_field_and_nothing_is_saved(client, leader):
    client.force_login(leader)
    response = client.post(
        entry_url("TDP-01"), group_payload(0, DAN_SO="2.4", HO_NGHEO="abc") | {"action": "save"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "số thập phân viết bằng dấu phẩy" in html
    assert "“abc” không phải là một số" in html
    assert "Đã hiểu là" in html  # the fields it could read say how they were read
    assert not ReportedValue.objects.filter(report__period__quarter=4).exists()


def test_numerator_above_denominator_is_an_error(client, leader):
    client.force_login(leader)
    response = client.post(entry_url("TDP-01"), group_payload(0, HO_NGHEO="700") | {"action": "save"})
    assert response.status_code == 400
    assert "không thể lớn hơn" in response.content.decode()
    assert value_of("TDP-01", "HO_NGHEO") is None


def test_count_must_be_whole(client, leader):
    client.force_login(leader)
    response = client.post(entry_url("TDP-01"), group_payload(0, DAN_BO="95,5") | {"action": "save"})
    assert response.status_code == 400
    assert "Phải là số nguyên" in response.content.decode()


def test_submit_needs_every_figure(client, leader):
    client.force_login(leader)
    data = group_payload(0)
    data = {
        k: v
        for k, v in data.items()
        if not k.startswith(f"v_{unit('TDP-01').assignments.get(element__code='DAN_GA').element_id}")
    }
    client.post(entry_url("TDP-01"), data | {"action": "submit"}, follow=True)
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.DRAFT
    assert value_of("TDP-01", "DAN_SO") == 2400  # the draft itself was saved


def test_unusual_jump_needs_a_comment_to_submit(client, leader):
    client.force_login(leader)
    data = group_payload(0, DAN_BO="300") | {"action": "submit"}
    response = client.post(entry_url("TDP-01"), data, follow=True)
    assert "Cần ghi chú lý do" in response.content.decode()
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.DRAFT
    data = comment(group_payload(report.version, DAN_BO="300"), "DAN_BO", "Hộ mới nhập đàn bò giống") | {
        "action": "submit"
    }
    response = client.post(entry_url("TDP-01"), data, follow=True)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED, response.content.decode()[:3000]
    assert report.submitted_by == leader and report.submitted_at is not None
    assert (
        ReportedValue.objects.get(report=report, element__code="DAN_BO").comment == "Hộ mới nhập đàn bò giống"
    )


def test_submitted_report_is_read_only(client, leader):
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "submit"})
    report = Report.objects.get(unit__code="TDP-01", period__quarter=4)
    assert report.status == Report.Status.SUBMITTED
    page = client.get(entry_url("TDP-01")).content.decode()
    assert 'data-testid="read-only"' in page and "đang chờ duyệt" in page
    response = client.post(
        entry_url("TDP-01"), group_payload(report.version, DAN_SO="9.999") | {"action": "save"}
    )
    assert response.status_code == 403
    assert value_of("TDP-01", "DAN_SO") == 2400


def test_clearing_a_figure_deletes_it_and_is_audited(client, leader):
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    client.post(entry_url("TDP-01"), group_payload(1, DAN_LON="") | {"action": "save"})
    assert value_of("TDP-01", "DAN_LON") is None
    change = ValueChange.objects.filter(element__code="DAN_LON").first()
    assert (change.old_value, change.new_value) == (12, None)


def test_saving_unchanged_figures_writes_nothing(client, leader):
    client.force_login(leader)
    client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})
    before = ValueChange.objects.count()
    client.post(entry_url("TDP-01"), group_payload(1) | {"action": "save"})
    assert ValueChange.objects.count() == before
    assert Report.objects.get(unit__code="TDP-01", period__quarter=4).version == 1


def test_entry_page_queries_do_not_grow_with_elements(client, leader, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(20):
        client.get(entry_url("TDP-01"))
    with django_assert_max_num_queries(30):
        client.post(entry_url("TDP-01"), group_payload(0) | {"action": "save"})


def test_a_refused_save_starts_with_an_error_summary_linking_each_wrong_box(client, leader):
    """Issue 16 (the GOV.UK error-summary pattern): at the top of the form, one link per wrong figure
    to its box; keep-input.js moves the focus to it. The number-format hint is above the first box."""
    client.force_login(leader)
    payload = group_payload(0, HO_NGHEO="2.5", DAN_SO="nhiều")
    response = client.post(entry_url("TDP-01"), payload | {"action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r"<div [^>]*data-error-summary[^>]*>(.*?)</div>", html, re.S)
    assert summary and 'tabindex="-1"' in summary.group(0) and 'role="alert"' in summary.group(0)
    links = re.findall(r'<a class="alert-link" href="#(id_v_\d+)">([^<:]+):', summary.group(1))
    ids = {
        code: f"id_v_{pk}"
        for code, pk in DataElement.objects.filter(code__in=["HO_NGHEO", "DAN_SO"]).values_list("code", "pk")
    }
    assert sorted(links) == sorted(
        [(ids["HO_NGHEO"], "Số hộ nghèo"), (ids["DAN_SO"], "Dân số (nhân khẩu thực tế thường trú)")]
    )
    assert all(f'id="{i}"' in html for i in ids.values())
    assert html.index("data-error-summary") < html.index('data-testid="number-hint"') < html.index('name="v_')
    assert "data-error-summary" not in client.get(entry_url("TDP-01")).content.decode()
