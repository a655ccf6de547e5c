"""Hostile input: every form of the portal takes arbitrary text without a server error or a bad save.

Each hypothesis example starts from a valid post, replaces some fields with hostile values (any Unicode,
control characters, markup, huge or malformed numbers, very long text) and runs inside a savepoint that
is rolled back, so that examples do not see each other's saves. The invariants: never a 5xx; a refused
post changes nothing; what a post saves is what the form read, and the page showing it still renders.
"""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaigns.models import Commitment, Covenant, Pledge
from indicators.models import ActionLog, DataElement, Report, ReportedValue, ValueChange
from indicators.validation import check_value, parse_number

from .conftest import DEMO_PASSWORD
from .pledging import group_pledge, open_window, pledge_url
from .reporting import entry_url, group_payload, open_quarter, unit

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE indicators_report; --",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c",
    "\u202e\u200b\ufeff",
    "NaN",
    "Infinity",
    "-0",
    "1e9999",
    "9" * 40,
    "1.000.000.000.000.000.000",
    "0,00001",
    "١٢٣",
    "１２３",
    "2.5",
    "-1",
    "𝟙𝟚𝟛",
    "Tổ dân phố 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
]
hostile = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=50),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=1000, max_value=60_000).map(lambda n: "ệ" * n),
)


def overrides(names: list[str]):
    return st.dictionaries(st.sampled_from(names), hostile, min_size=1, max_size=4)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    return (
        ReportedValue.objects.count(),
        ValueChange.objects.count(),
        ActionLog.objects.count(),
        Pledge.objects.count(),
        Commitment.objects.count(),
        Covenant.objects.count(),
    )


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, response.status_code


def assert_clean_text(text: str) -> None:
    assert "\x00" not in text


@pytest.fixture
def people(demo, make_user):
    open_quarter(demo)
    open_window(demo)
    return {
        "leader": make_user("group_leader", units=[unit("TDP-01")]),
        "leader7": make_user("group_leader", units=[unit("TDP-07")]),  # no pledge in the demo yet
        "office": make_user("office", units=[unit("VP-TK")]),
    }


# --- the quarterly entry form -------------------------------------------------------------------------


def test_entry_form(client, people):
    client.force_login(people["leader"])
    url = entry_url("TDP-01")
    elements = {e.pk: e for e in DataElement.objects.filter(assignments__unit__code="TDP-01")}
    base = group_payload(0)
    names = [*base, "action"]

    @SETTINGS
    @given(changes=overrides(names))
    @example(changes={"version": "1"})  # a stale form for a quarter never saved: a conflict, not a 500
    @example(changes={"version": "١٢٣"})
    def run(changes):
        data = base | changes
        with rolled_back():
            before = counts()
            response = client.post(url, data)
            assert_no_server_error(response)
            report = Report.objects.filter(unit__code="TDP-01", period__quarter=4).first()
            if response.status_code != 302:
                assert counts() == before
            if response.status_code == 302 and report is not None and counts() != before:
                for value in report.values.all():
                    element = elements[value.element_id]
                    assert value.value == parse_number(data[f"v_{element.pk}"])
                    check_value(element, value.value)
                    assert value.comment == data[f"c_{element.pk}"].strip()
                    assert_clean_text(value.comment)
            assert_no_server_error(client.get(url))

    run()


# --- the pledge form ------------------------------------------------------------------------------------


def test_pledge_form(client, people):
    client.force_login(people["leader7"])
    url = pledge_url("TDP-07")
    base = group_pledge(0, XH_09b="95", XH_10="97")
    names = [*base, "action", "people"]

    @SETTINGS
    @given(changes=overrides(names))
    @example(changes={"household_count": "9" * 40})  # beyond the database's integer
    @example(changes={"version": "3"})
    def run(changes):
        data = base | changes
        with rolled_back():
            before = counts()
            response = client.post(url, data)
            assert_no_server_error(response)
            if response.status_code != 302:
                assert counts() == before
            pledge = Pledge.objects.filter(unit__code="TDP-07", plan__year=2024).first()
            if response.status_code == 302 and pledge is not None:
                assert pledge.household_count is None or pledge.household_count >= 0
                assert_clean_text(pledge.households)
                for commitment in pledge.commitments.select_related("target"):
                    assert_clean_text(commitment.text)
                    if commitment.target_id:
                        posted = data[f"v_{commitment.target_id}"]
                        assert commitment.committed_value == parse_number(posted)
                        assert Decimal(0) <= commitment.committed_value < Decimal(10) ** 16
            assert_no_server_error(client.get(url))

    run()


# --- covenants ------------------------------------------------------------------------------------------


def covenant_post() -> dict:
    return {
        "title": "Giao ước cụm 1",
        "text": "Cùng thi đua.",
        "lead_unit": str(unit("TDP-01").pk),
        "members": [str(unit("TDP-01").pk), str(unit("TDP-02").pk)],
        "other": "Giữ gìn vệ sinh chung",
    }


def test_covenant_form(client, people):
    client.force_login(people["leader"])
    url = reverse("covenant-create")
    base = covenant_post()

    @SETTINGS
    @given(changes=overrides([*base, "targets"]))
    def run(changes):
        data = base | changes
        with rolled_back():
            before = counts()
            response = client.post(url, data)
            assert_no_server_error(response)
            if response.status_code != 302:
                assert counts() == before
            else:
                covenant = Covenant.objects.latest("pk")
                assert covenant.title == data["title"].strip() and 0 < len(covenant.title) <= 300
                assert_clean_text(covenant.text)
                assert_no_server_error(client.get(reverse("covenant-detail", args=[covenant.pk])))

    run()


# --- reasons: return, reopen, lock, extend --------------------------------------------------------------


def test_reason_forms(client, people):
    client.force_login(people["office"])
    report = Report.objects.filter(status=Report.Status.SUBMITTED).select_related("unit", "period").first()
    pledge = Pledge.objects.filter(status=Pledge.Status.SUBMITTED).select_related("unit").first()
    unit_code, quarter, version = report.unit.code, report.period.quarter, str(report.version)
    forms = [
        (
            entry_url(unit_code, quarter, name="report-return"),
            {"reason": "Thiếu số liệu", "version": version},
        ),
        (
            entry_url(unit_code, quarter, name="report-reopen"),
            {"reason": "Sửa", "until": "2099-01-01", "version": version},
        ),
        (reverse("period-lock", args=[2024, 4]), {"lock": "0", "reason": "Mở khóa"}),
        (reverse("period-extend", args=[2024, 4]), {"reason": "Gia hạn", "until": "2099-01-01"}),
        (pledge_url(pledge.unit.code, name="pledge-return"), {"reason": "Thiếu cam kết"}),
        (pledge_url(pledge.unit.code, name="pledge-reopen"), {"reason": "Sửa", "until": "2099-01-01"}),
    ]

    @SETTINGS
    @given(which=st.sampled_from(range(len(forms))), changes=overrides(["reason", "until", "lock"]))
    def run(which, changes):
        url, base = forms[which]
        with rolled_back():
            response = client.post(url, base | changes)
            assert_no_server_error(response)
            report.refresh_from_db()
            pledge.refresh_from_db()
            for text in [report.return_reason, pledge.return_reason]:
                assert_clean_text(text)
            if report.status == Report.Status.RETURNED:
                assert report.return_reason.strip()
            for entry in ActionLog.objects.filter(data__has_key="reason"):
                assert_clean_text(entry.data["reason"])
            assert_no_server_error(client.get(entry_url(unit_code, quarter)))
            assert_no_server_error(client.get(pledge_url(pledge.unit.code)))

    run()


def test_pace_form(client, people):
    """A pace is saved only as a coherent profile (0 ≤ I ≤ II ≤ III ≤ 100), or not at all."""
    from indicators.models import Target

    client.force_login(people["office"])
    url = reverse("target-pace", args=[2024, "KT-07a"])
    base = {"action": "save", "q1": "0", "q2": "50", "q3": "100", "reason": "Lúa hai vụ"}

    @SETTINGS
    @given(changes=overrides(["q1", "q2", "q3", "reason", "action"]))
    def run(changes):
        with rolled_back():
            before = ActionLog.objects.count()
            response = client.post(url, base | changes)
            assert_no_server_error(response)
            target = Target.objects.get(plan__year=2024, code="KT-07a")
            profile = target.pace_profile
            if response.status_code == 302:
                assert ActionLog.objects.count() == before + 1
                if profile is not None:
                    assert 0 <= profile[0] <= profile[1] <= profile[2] <= 100
            else:
                assert profile is None and ActionLog.objects.count() == before
            for entry in ActionLog.objects.filter(action="indicators.target.pace_set"):
                assert_clean_text(entry.data["reason"])
            assert_no_server_error(client.get(reverse("target-detail", args=[2024, "KT-07a"])))

    run()


# --- login, filters, uploads ----------------------------------------------------------------------------


def test_login_form(client, people):
    url = reverse("login")

    @SETTINGS
    @given(changes=overrides(["username", "password", "next"]))
    def run(changes):
        with rolled_back():
            response = client.post(url, {"username": "totruong1", "password": "sai"} | changes)
            assert_no_server_error(response)
            if changes.get("password") != DEMO_PASSWORD:
                assert "_auth_user_id" not in client.session

    run()


def test_dashboard_filters(client, people):
    client.force_login(people["office"])
    url = reverse("dashboard", args=[2024])

    @SETTINGS
    @given(changes=overrides(["quarter", "group", "content", "unit", "submitted"]))
    def run(changes):
        assert_no_server_error(client.get(url, changes))

    run()


def test_excel_upload(client, people):
    client.force_login(people["leader"])
    url = reverse("excel-import", args=[2024, 4])
    contents = st.one_of(
        st.binary(max_size=4000),
        st.binary(max_size=4000).map(lambda b: b"PK\x03\x04" + b),
        st.sampled_from([b"", b"<html><script>alert(1)</script>", "Số liệu\x00".encode()]),
    )

    @SETTINGS
    @given(content=contents, name=hostile)
    def run(content, name):
        with rolled_back():
            before = counts()
            upload = SimpleUploadedFile((name or "x")[:100] + ".xlsx", content)
            response = client.post(url, {"file": upload})
            assert_no_server_error(response)
            assert counts()[:2] == before[:2]  # a preview saves no figure

    run()


# --- oversized posts -------------------------------------------------------------------------------------


def test_oversized_posts_are_refused(client, people):
    client.force_login(people["leader"])
    url = entry_url("TDP-01")
    before = counts()
    too_big = group_payload(0) | {"c_huge": "x" * (1024 * 1024 + 1)}
    assert client.post(url, too_big).status_code == 400
    too_many = group_payload(0) | {f"f_{i}": "1" for i in range(1001)}
    assert client.post(url, too_many).status_code == 400
    assert counts() == before
    # A full quarter with every comment at its maximum still fits.
    full = group_payload(0)
    full |= {name: "Ghi chú dài " * 83 for name in full if name.startswith("c_")}
    assert client.post(url, full).status_code == 302


def test_a_valid_post_saves(client, people):
    """The fuzz's starting point is a post that saves: the examples mutate something that works."""
    client.force_login(people["leader"])
    assert client.post(entry_url("TDP-01"), group_payload(0)).status_code == 302
    assert client.post(reverse("covenant-create"), covenant_post()).status_code == 302
    client.force_login(people["leader7"])
    assert client.post(pledge_url("TDP-07"), group_pledge(0, XH_09b="95", XH_10="97")).status_code == 302
    with pytest.raises(ValidationError):
        parse_number("1e9999")


def test_null_characters_are_refused_before_any_view(client, people):
    """PostgreSQL cannot store or compare a NUL: views reading request.POST or the URL never see one."""
    client.force_login(people["office"])
    before = counts()
    for url, data in [
        (reverse("period-lock", args=[2024, 4]), {"lock": "1", "reason": "a\x00b"}),
        (pledge_url("TDP-06", name="pledge-return"), {"reason": "a\x00b"}),
        (reverse("covenant-confirm", args=[1]), {"unit": "TDP-01\x00"}),
        (reverse("covenant-confirm", args=[1]), {"unit\x00": "TDP-01"}),
        (reverse("excel-import", args=[2024, 4]), {"file": SimpleUploadedFile("a\x00.xlsx", b"PK")}),
    ]:
        assert client.post(url, data).status_code == 400, url
    assert client.get(reverse("dashboard", args=[2024]), {"unit": "\x00"}).status_code == 400
    assert client.get("/so-lieu/2024/q4/TDP-01%00/").status_code == 400
    assert counts() == before
